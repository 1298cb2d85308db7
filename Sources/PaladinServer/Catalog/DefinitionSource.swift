import PaladinWire

/// Where a catalog definition comes from: the configuration file (read-only over the wire, and
/// the file wins at every start) or the wire (kept in the catalog store).
enum DefinitionSource: Sendable {
    case file
    case api

    var message: Paladin_V1_DefinitionSource {
        switch self {
        case .file: .file
        case .api: .api
        }
    }
}
