/// The versions of the catalog definitions a run started with: its battalion's and each
/// member's. 0 (or a missing member) means not recorded, as for runs stored before versions were.
public struct DefinitionVersions: Sendable, Hashable {
    /// The battalion definition's version.
    public var battalion: UInt64
    /// Each member paladin's version, by name.
    public var members: [String: UInt64]

    /// - Parameters: the versions; by default none recorded.
    public init(battalion: UInt64 = 0, members: [String: UInt64] = [:]) {
        self.battalion = battalion
        self.members = members
    }
}
