import PaladinCore

/// A 5-member Phalanx (CollectAll) with the scripted provider: every member runs at once in a
/// task group, so this workload also counts the child tasks' scheduling.
struct PhalanxWorkload: PerfWorkload {
    static let name = "phalanx-5"
    static let summary = "Phalanx of 5 paladins (CollectAll), scripted provider: one run per iteration"

    private let members: [any BattalionMember]
    private let phalanx: Phalanx

    init() throws {
        members = try ScriptedMembers.make(count: 5)
        phalanx = Phalanx(members: members.map(\.name), aggregation: .collectAll, maxConcurrency: 0)
    }

    mutating func iterate() async throws {
        let result = await phalanx.run("task", in: BattalionContext(members: members))
        guard result.status == .completed, result.steps.count == 5 else {
            throw WorkloadFailure("phalanx-5: \(result.status), \(result.steps.count) steps, \(result.error ?? "")")
        }
    }
}
