/// A session's messages, oldest first: appended at the back, evicted from the front, read by
/// position. O(1) indexing, amortized O(1) `append` and `removeFirst`, O(count) `remove(at:)`.
///
/// The elements live in an array whose consumed front is skipped by `head`. A removed slot is
/// set to nil at once, releasing its element. The consumed front is dropped (the rest copied to
/// a new array) once it is as long as the rest: the copy is paid for by the removals that made
/// the front, and the front never outgrows the contents. A value with copy-on-write storage,
/// like `Array`.
struct GarrisonQueue<Element> {
    private var slots: [Element?] = []
    private var head = 0

    init() {}

    init(_ elements: some Sequence<Element>) {
        slots = elements.map { $0 }
    }

    var count: Int { slots.count - head }

    mutating func append(_ element: Element) {
        slots.append(element)
    }

    /// Removes and returns the oldest element. - Precondition: not empty.
    @discardableResult
    mutating func removeFirst() -> Element {
        precondition(head < slots.count, "GarrisonQueue.removeFirst() on an empty queue")
        let element = slots[head]!
        slots[head] = nil
        head += 1
        dropConsumedFront()
        return element
    }

    /// Removes and returns the element at `index`.
    @discardableResult
    mutating func remove(at index: Int) -> Element {
        precondition(index >= 0 && index < count, "GarrisonQueue index out of range")
        let element = slots.remove(at: head + index)!
        dropConsumedFront()
        return element
    }

    mutating func removeAll() {
        slots = []
        head = 0
    }

    private mutating func dropConsumedFront() {
        guard head > 0, head >= count else { return }
        slots = Array(slots[head...])
        head = 0
    }
}

extension GarrisonQueue: RandomAccessCollection {
    var startIndex: Int { 0 }
    var endIndex: Int { count }

    subscript(position: Int) -> Element {
        precondition(position >= 0 && position < count, "GarrisonQueue index out of range")
        return slots[head + position]!
    }
}

extension GarrisonQueue: Sendable where Element: Sendable {}
