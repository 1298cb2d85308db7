/// A battalion the server knows: its plan and its bookkeeping.
struct StoredBattalion: Sendable {
    var plan: BattalionPlan
    var createdAtMicros: Int64
    var updatedAtMicros: Int64
    /// Starts at 1; increases by one on every update.
    var version: UInt64 = 1
    var source: DefinitionSource = .api

    var name: String { plan.message.name }
}
