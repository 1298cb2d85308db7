/// A growable ring buffer (a deque without the front insertions): O(1) `append`, `removeFirst`
/// and indexing, O(min(i, count - i)) `remove(at:)`, and `copy(_:into:)` that copies a range as
/// at most two contiguous runs. Indices are logical, `0..<count`, oldest first. A value type
/// with copy-on-write storage, like `Array`.
///
/// When full, capacity grows to `firstGrowth` (from anything smaller), else doubles; it halves
/// while a removal leaves the buffer at most a quarter full (never below `minimumCapacity`), so
/// memory follows the contents and every operation but `remove(at:)` is amortized O(1).
struct GarrisonRing<Element> {
    private typealias Storage = GarrisonRingStorage<Element>
    private var storage: Storage

    static var minimumCapacity: Int { 4 }
    /// The capacity a full ring smaller than it grows to. A session that outgrows its first 4
    /// entries is usually a conversation that goes on: growing 4 -> 16 -> 32 instead of
    /// 4 -> 8 -> 16 -> 32 saves one reallocation, about 600 instructions (decision 42).
    static var firstGrowth: Int { 16 }

    /// The capacity after growing a full ring of `capacity`.
    @inline(__always)
    static func grown(_ capacity: Int) -> Int {
        capacity < firstGrowth ? firstGrowth : capacity * 2
    }

    /// An empty ring with room for `capacity` elements. Its storage object is allocated either
    /// way; sizing it up front saves the reallocation of the first append.
    init(capacity: Int = 0) {
        storage = Storage.make(capacity: capacity)
    }

    init<S: Sequence>(_ elements: S) where S.Element == Element {
        self.init()
        for element in elements { append(element) }
    }

    var count: Int { storage.withUnsafeMutablePointerToHeader { $0.pointee.count } }
    var capacity: Int { storage.withUnsafeMutablePointerToHeader { $0.pointee.capacity } }
    var isEmpty: Bool { count == 0 }

    subscript(index: Int) -> Element {
        get {
            storage.withUnsafeMutablePointers { header, elements in
                precondition(index >= 0 && index < header.pointee.count, "GarrisonRing index out of range")
                return elements[header.pointee.physical(index)]
            }
        }
        set {
            makeUnique()
            storage.withUnsafeMutablePointers { header, elements in
                precondition(index >= 0 && index < header.pointee.count, "GarrisonRing index out of range")
                elements[header.pointee.physical(index)] = newValue
            }
        }
    }

    /// Calls `body` with the element at `index` in place, without copying it: for reading a
    /// field or two of a large element.
    @inline(__always)
    func read<Result>(_ index: Int, _ body: (borrowing Element) -> Result) -> Result {
        storage.withUnsafeMutablePointers { header, elements in
            precondition(index >= 0 && index < header.pointee.count, "GarrisonRing index out of range")
            return body(elements[header.pointee.physical(index)])
        }
    }

    /// Calls `body` with the element at `index` in place, for changing a field or two.
    @inline(__always)
    mutating func update<Result>(_ index: Int, _ body: (inout Element) -> Result) -> Result {
        makeUnique()
        return storage.withUnsafeMutablePointers { header, elements in
            precondition(index >= 0 && index < header.pointee.count, "GarrisonRing index out of range")
            return body(&elements[header.pointee.physical(index)])
        }
    }

    var first: Element? { isEmpty ? nil : self[0] }
    var last: Element? { isEmpty ? nil : self[count - 1] }

    /// Takes `element` as owned, so that it is moved into the storage, not copied.
    mutating func append(_ element: __owned Element) {
        let (count, capacity) = storage.withUnsafeMutablePointerToHeader { ($0.pointee.count, $0.pointee.capacity) }
        if count == capacity {
            resize(to: Self.grown(capacity))
        } else {
            makeUnique()
        }
        storage.withUnsafeMutablePointers { header, elements in
            (elements + header.pointee.physical(header.pointee.count)).initialize(to: element)
            header.pointee.count += 1
        }
    }

    /// Makes room for at least `minimumCapacity` elements in one allocation (the larger of it
    /// and the grown capacity), so a batch of appends does not grow step by step.
    mutating func reserveCapacity(_ minimumCapacity: Int) {
        let capacity = self.capacity
        if minimumCapacity > capacity { resize(to: Swift.max(minimumCapacity, Self.grown(capacity))) }
    }

    mutating func append<S: Sequence>(contentsOf elements: S) where S.Element == Element {
        for element in elements { append(element) }
    }

    /// Removes and returns the oldest element. - Precondition: not empty.
    @discardableResult
    mutating func removeFirst() -> Element {
        var removed: Element?
        removeFirst(1) { removed = $0 }
        return removed!
    }

    /// Removes the `k` oldest elements, handing each to `body`, oldest first.
    mutating func removeFirst(_ k: Int, _ body: (Element) -> Void = { _ in }) {
        precondition(k >= 0 && k <= count, "GarrisonRing.removeFirst(_:) beyond count")
        guard k > 0 else { return }
        makeUnique()
        storage.withUnsafeMutablePointers { header, elements in
            for _ in 0..<k {
                body((elements + header.pointee.head).move())
                header.pointee.head += 1
                if header.pointee.head == header.pointee.capacity { header.pointee.head = 0 }
                header.pointee.count -= 1
            }
            if header.pointee.count == 0 { header.pointee.head = 0 }
        }
        shrinkIfSparse()
    }

    /// Removes and returns the element at `index`, moving the shorter side to close the gap.
    @discardableResult
    mutating func remove(at index: Int) -> Element {
        precondition(index >= 0 && index < count, "GarrisonRing index out of range")
        makeUnique()
        let element = storage.withUnsafeMutablePointers { header, elements in
            let ring = header.pointee
            let element = (elements + ring.physical(index)).move()
            if index < ring.count / 2 {
                // Shift the older side one step newer, closing the gap at `index`.
                var i = index
                while i > 0 {
                    (elements + ring.physical(i)).moveInitialize(from: elements + ring.physical(i - 1), count: 1)
                    i -= 1
                }
                header.pointee.head = ring.head + 1 == ring.capacity ? 0 : ring.head + 1
            } else {
                var i = index
                while i < ring.count - 1 {
                    (elements + ring.physical(i)).moveInitialize(from: elements + ring.physical(i + 1), count: 1)
                    i += 1
                }
            }
            header.pointee.count -= 1
            if header.pointee.count == 0 { header.pointee.head = 0 }
            return element
        }
        shrinkIfSparse()
        return element
    }

    mutating func removeAll(keepingCapacity: Bool = false) {
        if keepingCapacity && isKnownUniquelyReferenced(&storage) {
            storage.withUnsafeMutablePointers { header, elements in
                header.pointee.forEachRun(0..<header.pointee.count) { start, length in
                    (elements + start).deinitialize(count: length)
                }
                header.pointee.count = 0
                header.pointee.head = 0
            }
        } else {
            storage = Storage.make(capacity: keepingCapacity ? capacity : 0)
        }
    }

    /// Appends the elements at `range` to `array`, in order, as at most two contiguous copies.
    func copy(_ range: Range<Int>, into array: inout [Element]) {
        storage.withUnsafeMutablePointers { header, elements in
            precondition(range.lowerBound >= 0 && range.upperBound <= header.pointee.count, "GarrisonRing range out of bounds")
            header.pointee.forEachRun(range) { start, length in
                array.append(contentsOf: UnsafeBufferPointer(start: elements + start, count: length))
            }
        }
    }

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { resize(to: capacity) }
    }

    private mutating func shrinkIfSparse() {
        let (count, capacity) = storage.withUnsafeMutablePointerToHeader { ($0.pointee.count, $0.pointee.capacity) }
        var target = capacity
        while target > Self.minimumCapacity && count <= target / 4 {
            target = Swift.max(Self.minimumCapacity, target / 2)
        }
        if target != capacity { resize(to: target) }
    }

    /// New storage of `newCapacity` holding the elements from logical index 0; moves them when
    /// the storage is not shared, copies them when it is.
    private mutating func resize(to newCapacity: Int) {
        let unique = isKnownUniquelyReferenced(&storage)
        let fresh = Storage.make(capacity: newCapacity)
        storage.withUnsafeMutablePointers { header, elements in
            fresh.withUnsafeMutablePointers { freshHeader, freshElements in
                var written = 0
                header.pointee.forEachRun(0..<header.pointee.count) { start, length in
                    if unique {
                        (freshElements + written).moveInitialize(from: elements + start, count: length)
                    } else {
                        (freshElements + written).initialize(from: elements + start, count: length)
                    }
                    written += length
                }
                freshHeader.pointee.count = written
            }
            if unique {
                header.pointee.count = 0
                header.pointee.head = 0
            }
        }
        storage = fresh
    }
}

extension GarrisonRing: RandomAccessCollection {
    var startIndex: Int { 0 }
    var endIndex: Int { count }
    func index(after i: Int) -> Int { i + 1 }
    func index(before i: Int) -> Int { i - 1 }
}

// Safe like `Array`: the storage is shared only while no copy mutates it (copy-on-write).
extension GarrisonRing: @unchecked Sendable where Element: Sendable {}

extension GarrisonRing: Equatable where Element: Equatable {
    static func == (lhs: GarrisonRing, rhs: GarrisonRing) -> Bool {
        lhs.elementsEqual(rhs)
    }
}

/// Where a ring's elements are: `count` of them from physical slot `head`, wrapping at `capacity`.
struct GarrisonRingHeader {
    var capacity: Int
    var head = 0
    var count = 0

    @inline(__always)
    func physical(_ index: Int) -> Int {
        let raw = head &+ index
        return raw >= capacity ? raw &- capacity : raw
    }

    /// Calls `body(physicalStart, length)` for the one or two contiguous runs holding `range`.
    @inline(__always)
    func forEachRun(_ range: Range<Int>, _ body: (Int, Int) -> Void) {
        guard !range.isEmpty else { return }
        let start = physical(range.lowerBound)
        let firstLength = Swift.min(range.count, capacity - start)
        body(start, firstLength)
        if firstLength < range.count { body(0, range.count - firstLength) }
    }
}

/// A ring's heap storage; initialized slots are exactly those its header describes.
final class GarrisonRingStorage<Element>: ManagedBuffer<GarrisonRingHeader, Element> {
    static func make(capacity: Int) -> GarrisonRingStorage<Element> {
        let buffer = create(minimumCapacity: capacity) { _ in GarrisonRingHeader(capacity: capacity) }
        return unsafeDowncast(buffer, to: GarrisonRingStorage<Element>.self)
    }

    deinit {
        withUnsafeMutablePointers { header, elements in
            header.pointee.forEachRun(0..<header.pointee.count) { start, length in
                (elements + start).deinitialize(count: length)
            }
        }
    }
}
