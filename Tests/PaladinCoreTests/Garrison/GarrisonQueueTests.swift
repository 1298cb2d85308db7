@testable import PaladinCore
import Testing

/// The queue under the in-memory sessions: order, removal from the front and the middle,
/// dropping the consumed front, copy-on-write, releasing what it removes.
@Suite("Garrison queue")
struct GarrisonQueueTests {
    @Test func appendAndRemoveFirstKeepOrder() {
        var queue = GarrisonQueue<Int>()
        for value in 0..<8 { queue.append(value) }
        for expected in 0..<4 { #expect(queue.removeFirst() == expected) }
        for value in 8..<12 { queue.append(value) }
        #expect(Array(queue) == Array(4..<12))
        #expect(queue.first == 4 && queue.last == 11 && queue.count == 8)
        #expect(queue[3] == 7)
    }

    @Test func emptiesAndRefillsAcrossManyRemovals() {
        var queue = GarrisonQueue(0..<64)
        for expected in 0..<64 { #expect(queue.removeFirst() == expected) }
        #expect(queue.isEmpty)
        for value in 64..<70 { queue.append(value) }
        #expect(Array(queue) == Array(64..<70))
    }

    @Test func matchesArrayOnRandomOperations() {
        var random = GarrisonSeededRandom(seed: 7)
        var queue = GarrisonQueue<Int>()
        var model: [Int] = []
        var next = 0
        var snapshots: [(GarrisonQueue<Int>, [Int])] = []
        for step in 0..<5_000 {
            if step % 250 == 0 { snapshots.append((queue, model)) }  // shared storage: copy-on-write paths
            switch Int.random(in: 0..<10, using: &random) {
            case 0..<5:
                queue.append(next)
                model.append(next)
                next += 1
            case 5..<8 where !model.isEmpty:
                #expect(queue.removeFirst() == model.removeFirst())
            case 8..<10 where !model.isEmpty:
                let index = Int.random(in: 0..<model.count, using: &random)
                #expect(queue.remove(at: index) == model.remove(at: index))
            default:
                break
            }
            #expect(queue.count == model.count)
        }
        #expect(Array(queue) == model)
        #expect(Array(queue.reversed()) == model.reversed())
        for (snapshot, expected) in snapshots { #expect(Array(snapshot) == expected) }
    }

    @Test func isAValueWithCopyOnWrite() {
        var queue = GarrisonQueue(["a", "b", "c"])
        let copy = queue
        queue.removeFirst()
        queue.append("d")
        queue.remove(at: 1)
        #expect(Array(copy) == ["a", "b", "c"])
        #expect(Array(queue) == ["b", "d"])
        queue.removeAll()
        #expect(queue.isEmpty && Array(copy) == ["a", "b", "c"])
        queue.append("e")
        #expect(Array(queue) == ["e"])
    }

    @Test func releasesRemovedElementsAtOnce() {
        final class Token {}
        weak var watched: Token?
        var queue = GarrisonQueue<Token>()
        for _ in 0..<8 { queue.append(Token()) }
        do {
            let token = Token()
            watched = token
            queue.append(token)
        }
        for _ in 0..<3 { queue.removeFirst() }  // the consumed front is not dropped yet
        #expect(watched != nil)
        queue.remove(at: queue.count - 1)
        #expect(watched == nil)
        // Elements still held are released with the queue.
        weak var last: Token?
        do {
            var other = GarrisonQueue<Token>()
            for _ in 0..<8 { other.append(Token()) }
            other.removeFirst()
            let token = Token()
            last = token
            other.append(token)
            #expect(last != nil)
        }
        #expect(last == nil)
    }

    @Test func removeFirstReleasesTheOldest() {
        final class Token {}
        weak var watched: Token?
        var queue = GarrisonQueue<Token>()
        do {
            let token = Token()
            watched = token
            queue.append(token)
        }
        for _ in 0..<8 { queue.append(Token()) }
        queue.removeFirst()
        #expect(watched == nil)
        #expect(queue.count == 8)
    }
}
