@testable import PaladinCore
import Testing

/// The ring buffer under the in-memory sessions: order, wrap-around, growth and shrinking,
/// removal from both halves, copy-on-write.
@Suite("Garrison ring buffer")
struct GarrisonRingTests {
    @Test func appendAndRemoveFirstKeepOrderAcrossWrapAround() {
        var ring = GarrisonRing<Int>(capacity: 8)
        for value in 0..<8 { ring.append(value) }
        #expect(ring.capacity == 8)
        for expected in 0..<4 { #expect(ring.removeFirst() == expected) }
        // The next appends wrap around the end of the storage without growing it.
        for value in 8..<12 { ring.append(value) }
        #expect(ring.capacity == 8)
        #expect(Array(ring) == Array(4..<12))
        #expect(ring.first == 4 && ring.last == 11 && ring.count == 8)
        #expect(ring[3] == 7)
    }

    @Test func growsToTheFirstGrowthThenByDoublingAndKeepsOrder() {
        var ring = GarrisonRing<Int>(capacity: GarrisonRing<Int>.minimumCapacity)
        for value in 0..<5 { ring.append(value) }
        #expect(ring.capacity == GarrisonRing<Int>.firstGrowth)  // 4 -> 16, not 8
        _ = ring.removeFirst()
        _ = ring.removeFirst()
        for value in 5..<40 { ring.append(value) }
        #expect(Array(ring) == Array(2..<40))
        #expect(ring.capacity == 64)
    }

    @Test func shrinksWhenAQuarterFull() {
        var ring = GarrisonRing<Int>()
        for value in 0..<64 { ring.append(value) }
        #expect(ring.capacity == 64)
        ring.removeFirst(48)
        #expect(ring.count == 16)
        #expect(ring.capacity == 32)
        #expect(Array(ring) == Array(48..<64))
        ring.removeFirst(16)
        #expect(ring.isEmpty && ring.capacity == GarrisonRing<Int>.minimumCapacity)
    }

    @Test func removeFirstHandsOverTheOldestInOrder() {
        var ring = GarrisonRing(1...10)
        var seen: [Int] = []
        ring.removeFirst(4) { seen.append($0) }
        #expect(seen == [1, 2, 3, 4])
        #expect(Array(ring) == Array(5...10))
        ring.removeFirst(0)
        #expect(ring.count == 6)
    }

    @Test func removeAtMatchesArrayOnRandomOperations() {
        var random = GarrisonSeededRandom(seed: 7)
        var ring = GarrisonRing<Int>()
        var model: [Int] = []
        var next = 0
        var snapshots: [(GarrisonRing<Int>, [Int])] = []
        for step in 0..<5_000 {
            if step % 250 == 0 { snapshots.append((ring, model)) }  // shared buffers: copy-on-write paths
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5:
                ring.append(next)
                model.append(next)
                next += 1
            case 5..<7 where !model.isEmpty:
                #expect(ring.removeFirst() == model.removeFirst())
            case 7..<9 where !model.isEmpty:
                let index = Int.random(in: 0..<model.count, using: &random)
                #expect(ring.remove(at: index) == model.remove(at: index))
            case 9 where !model.isEmpty:
                let index = Int.random(in: 0..<model.count, using: &random)
                ring[index] = -ring[index]
                model[index] = -model[index]
            default:
                break
            }
            #expect(ring.count == model.count)
        }
        #expect(Array(ring) == model)
        #expect(Array(ring.reversed()) == model.reversed())
        for (snapshot, expected) in snapshots { #expect(Array(snapshot) == expected) }
    }

    @Test func isAValueWithCopyOnWrite() {
        var ring = GarrisonRing(["a", "b", "c"])
        let copy = ring
        ring.removeFirst()
        ring.append("d")
        ring[0] = "B"
        #expect(Array(copy) == ["a", "b", "c"])
        #expect(Array(ring) == ["B", "c", "d"])
        #expect(copy != ring)
        #expect(GarrisonRing(["a", "b", "c"]) == copy)
    }

    @Test func removeAllEmptiesWithOrWithoutCapacity() {
        var ring = GarrisonRing(0..<20)
        let capacity = ring.capacity
        ring.removeAll(keepingCapacity: true)
        #expect(ring.isEmpty && ring.capacity == capacity)
        ring.append(1)
        #expect(Array(ring) == [1])
        ring.removeAll()
        #expect(ring.isEmpty && ring.capacity == 0)
        ring.append(2)
        #expect(Array(ring) == [2])
        // A shared buffer is left alone.
        var shared = GarrisonRing(0..<5)
        let copy = shared
        shared.removeAll(keepingCapacity: true)
        #expect(shared.isEmpty && Array(copy) == Array(0..<5))
    }

    @Test func copyAppendsRangesAcrossTheWrap() {
        var ring = GarrisonRing<Int>(capacity: 8)
        for value in 0..<8 { ring.append(value) }
        ring.removeFirst(5)
        for value in 8..<13 { ring.append(value) }  // physically wrapped: 5 6 7 | 8 ... 12
        #expect(ring.capacity == 8)
        for lower in 0...ring.count {
            for upper in lower...ring.count {
                var out = [-1]
                ring.copy(lower..<upper, into: &out)
                #expect(out == [-1] + Array(5..<13)[lower..<upper])
            }
        }
    }

    @Test func removingFromASharedRingLeavesTheCopyIntact() {
        var ring = GarrisonRing(0..<10)
        let copy = ring
        #expect(ring.remove(at: 7) == 7)
        #expect(ring.remove(at: 1) == 1)
        ring.removeFirst(2)
        #expect(Array(copy) == Array(0..<10))
        #expect(Array(ring) == [3, 4, 5, 6, 8, 9])
    }

    @Test func releasesRemovedElements() {
        final class Token {}
        weak var watched: Token?
        var ring = GarrisonRing<Token>()
        do {
            let token = Token()
            watched = token
            ring.append(token)
            ring.append(Token())
        }
        ring.removeFirst()
        #expect(watched == nil)
        // Elements still held are released with the ring, including after a wrap.
        weak var last: Token?
        do {
            var other = GarrisonRing<Token>()
            for _ in 0..<8 { other.append(Token()) }
            other.removeFirst(3)
            let token = Token()
            last = token
            for _ in 0..<3 { other.append(token) }
            #expect(last != nil)
        }
        #expect(last == nil)
    }
}
