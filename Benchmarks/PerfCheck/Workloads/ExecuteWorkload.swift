import PaladinCore

/// One paladin's execution with the scripted provider: the agent loop, one model call.
struct ExecuteWorkload: PerfWorkload {
    static let name = "execute"
    static let summary = "PaladinAgent.execute, scripted provider: one execution per iteration"

    private let agent: PaladinAgent

    init() throws {
        agent = try ScriptedMembers.agent(named: "p1")
    }

    mutating func iterate() async throws {
        let result = try await agent.execute("task")
        guard result.output == ScriptedMembers.reply, result.stopReason == .final else {
            throw WorkloadFailure("execute: \(result.stopReason), output \"\(result.output)\"")
        }
    }
}
