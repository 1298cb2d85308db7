import PaladinWire

/// How `paladins` and `battalion` commands name where a definition comes from.
enum DefinitionSourceText {
    /// "file" or "api", for a list column.
    static func short(_ source: Paladin_V1_DefinitionSource) -> String {
        switch source {
        case .file: "file"
        case .api: "api"
        default: "?"
        }
    }

    /// A phrase for `show`.
    static func long(_ source: Paladin_V1_DefinitionSource) -> String {
        switch source {
        case .file: "from the configuration file"
        case .api: "created over the wire"
        default: "source unknown"
        }
    }
}
