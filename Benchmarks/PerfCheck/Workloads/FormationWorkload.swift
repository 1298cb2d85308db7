import PaladinCore

/// A 5-member Formation with the scripted provider: each member gets the previous one's output.
struct FormationWorkload: PerfWorkload {
    static let name = "formation-5"
    static let summary = "Formation of 5 paladins, scripted provider: one run per iteration"

    private let members: [any BattalionMember]
    private let formation: Formation

    init() throws {
        members = try ScriptedMembers.make(count: 5)
        formation = Formation(members: members.map(\.name))
    }

    mutating func iterate() async throws {
        let result = await formation.run("task", in: BattalionContext(members: members))
        guard result.status == .completed, result.steps.count == 5 else {
            throw WorkloadFailure("formation-5: \(result.status), \(result.steps.count) steps, \(result.error ?? "")")
        }
    }
}
