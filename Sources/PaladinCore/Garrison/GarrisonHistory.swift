/// What `GarrisonStore.history` returns: a session's newest entries, oldest first, as a
/// random-access collection indexed from 0.
public struct GarrisonHistory: Sendable {
    private let entries: [GarrisonEntry]

    /// A history of `entries`, in the order given.
    public init(_ entries: [GarrisonEntry]) {
        self.entries = entries
    }

    /// How many entries there are.
    public var count: Int { entries.count }
}

extension GarrisonHistory: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { entries.count }

    /// The entry at `position` (0 is the oldest).
    public subscript(position: Int) -> GarrisonEntry {
        entries[position]
    }
}

extension GarrisonHistory: Equatable {
    public static func == (lhs: GarrisonHistory, rhs: GarrisonHistory) -> Bool {
        lhs.entries == rhs.entries
    }
}

extension GarrisonHistory: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: GarrisonEntry...) {
        self.init(elements)
    }
}

extension GarrisonHistory: CustomStringConvertible {
    public var description: String { entries.description }
}
