/// What `GarrisonStore.history` returns: a session's newest entries, oldest first, as a
/// random-access collection indexed from 0.
///
/// `InMemoryGarrisonStore` answers with a view of the session's own storage, shared
/// copy-on-write, so a read is O(1) whatever its length and an entry is built only when it is
/// accessed; the store's next write copies the storage only if the view is still alive. Other
/// stores wrap an array (`init(_:)`). Hold it as briefly as an array taken from the store.
public struct GarrisonHistory: Sendable {
    enum Backing: Sendable {
        case entries([GarrisonEntry])
        /// `count` stored entries from logical index `start` of a session's ring; owed token
        /// counts are counted with the default estimator.
        case ring(GarrisonRing<StoredGarrisonEntry>, start: Int, sessionID: String)
        /// The same, counted with the store's own counter. A case of its own: a nil optional
        /// reference is still passed to `swift_retain` and `swift_release` (~10 of ~300
        /// instructions of a read and its view's end).
        case countedRing(GarrisonRing<StoredGarrisonEntry>, start: Int, sessionID: String, counter: SharedTokenCounter)
    }

    let backing: Backing
    /// How many entries there are.
    public let count: Int

    /// A history of `entries`, in the order given.
    public init(_ entries: [GarrisonEntry]) {
        backing = .entries(entries)
        count = entries.count
    }

    init(ring: GarrisonRing<StoredGarrisonEntry>, start: Int, count: Int, sessionID: String,
         counter: SharedTokenCounter?) {
        // Both callers compute `start` and `count` from the ring under the store's lock.
        assert(start >= 0 && count >= 0 && start + count <= ring.count, "GarrisonHistory range out of bounds")
        if let counter {
            backing = .countedRing(ring, start: start, sessionID: sessionID, counter: counter)
        } else {
            backing = .ring(ring, start: start, sessionID: sessionID)
        }
        self.count = count
    }
}

extension GarrisonHistory: RandomAccessCollection {
    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// The entry at `position` (0 is the oldest); its token count is counted now if the store
    /// still owed it.
    public subscript(position: Int) -> GarrisonEntry {
        precondition(position >= 0 && position < count, "GarrisonHistory index out of range")
        switch backing {
        case .entries(let entries):
            return entries[position]
        case .ring(let ring, let start, let sessionID):
            return ring.read(start + position) { $0.entry(sessionID: sessionID, counter: EstimatingTokenCounter()) }
        case .countedRing(let ring, let start, let sessionID, let counter):
            return ring.read(start + position) { $0.entry(sessionID: sessionID, counter: counter.counter) }
        }
    }
}

extension GarrisonHistory: Equatable {
    public static func == (lhs: GarrisonHistory, rhs: GarrisonHistory) -> Bool {
        lhs.elementsEqual(rhs)
    }
}

extension GarrisonHistory: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: GarrisonEntry...) {
        self.init(elements)
    }
}

extension GarrisonHistory: CustomStringConvertible {
    public var description: String { Array(self).description }
}
