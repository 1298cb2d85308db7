import PaladinCore

/// A paladin the server knows: its definition, the agent built from it, and its bookkeeping.
struct StoredPaladin: Sendable {
    var agent: PaladinAgent
    var createdAtMicros: Int64
    var updatedAtMicros: Int64
    /// Starts at 1; increases by one on every update.
    var version: UInt64
    /// The definition's labels: the server keeps them for the caller; the core never reads them.
    var labels: [String: String] = [:]
    var source: DefinitionSource = .api

    var definition: PaladinDefinition { agent.definition }
}
