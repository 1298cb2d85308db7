import PaladinCore
import PaladinWire

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

    /// The definition on the wire, labels included: what GetPaladin shows and the store keeps.
    var wireDefinition: Paladin_V1_PaladinDefinition {
        var message = PaladinMapping.message(from: definition)
        message.labels = labels
        return message
    }
}
