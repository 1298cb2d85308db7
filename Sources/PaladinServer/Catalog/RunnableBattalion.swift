import PaladinCore

/// A battalion as a run starts it: the plan, the member agents, and the definition versions
/// the run records.
struct RunnableBattalion: Sendable {
    var plan: BattalionPlan
    var members: [any BattalionMember]
    var versions: DefinitionVersions
}
