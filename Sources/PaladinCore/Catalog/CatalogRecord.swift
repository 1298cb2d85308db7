/// One definition kept by a `CatalogStore`: a paladin or a battalion created over the wire.
/// The store keeps `definition` as bytes it never reads (the server stores the wire
/// definition's protobuf encoding), so a store needs no schema change when definitions grow.
public struct CatalogRecord: Sendable, Hashable {
    /// What a record defines.
    public enum Kind: String, Sendable, CaseIterable {
        case paladin
        case battalion
    }

    /// Paladin or battalion; names are unique within a kind.
    public var kind: Kind
    /// The definition's name.
    public var name: String
    /// Starts at 1 and increases by one on every update.
    public var version: UInt64
    /// The encoded definition, opaque to the store.
    public var definition: [UInt8]
    /// When it was created, in microseconds since 1970.
    public var createdAtMicros: Int64
    /// When it was last updated, in microseconds since 1970.
    public var updatedAtMicros: Int64

    /// A record as the store keeps it.
    public init(kind: Kind, name: String, version: UInt64, definition: [UInt8],
                createdAtMicros: Int64, updatedAtMicros: Int64) {
        self.kind = kind
        self.name = name
        self.version = version
        self.definition = definition
        self.createdAtMicros = createdAtMicros
        self.updatedAtMicros = updatedAtMicros
    }
}
