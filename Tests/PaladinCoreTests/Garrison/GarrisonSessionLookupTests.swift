import PaladinCore
import Testing

/// Sessions found by id while the session table grows and shrinks, and `AppendOutcome`'s
/// consecutive ids.
@Suite("Garrison session lookup and append outcome")
struct GarrisonSessionLookupTests {
    private func entry(_ content: String) -> GarrisonEntry {
        GarrisonEntry(sessionID: "", role: .user, content: content)
    }

    @Test func interleavedSessionsGrowingTheTableKeepTheirOwnEntries() throws {
        let store = InMemoryGarrisonStore()
        _ = try store.append([entry("first of a")], to: "a")
        // Enough new sessions to make the session table grow (and move) several times.
        for index in 0..<100 {
            _ = try store.append([entry("s\(index)")], to: "s\(index)")
            _ = try store.append([entry("a\(index)")], to: "a")
        }
        let history = try store.history(sessionID: "a", limit: 0)
        #expect(history.count == 101)
        #expect(history.first?.content == "first of a" && history.last?.content == "a99")
        #expect(try store.history(sessionID: "s42", limit: 0).map(\.content) == ["s42"])
    }

    @Test func aDeletedSessionComesBackEmpty() throws {
        let store = InMemoryGarrisonStore()
        _ = try store.append([entry("old")], to: "a")
        #expect(try store.deleteSession("a") == 1)
        #expect(try store.history(sessionID: "a", limit: 0).isEmpty)
        _ = try store.append([entry("other")], to: "b")
        _ = try store.append([entry("new")], to: "a")
        #expect(try store.history(sessionID: "a", limit: 0).map(\.content) == ["new"])
        #expect(try store.sessions(limit: 0).count == 2)
    }

    @Test func rangeOutcomeEqualsTheListedOne() {
        let range = AppendOutcome(firstID: 7, count: 3, evicted: 1)
        let listed = AppendOutcome(ids: [7, 8, 9], evicted: 1)
        #expect(range.ids == [7, 8, 9] && range.count == 3)
        #expect(range == listed && range.hashValue == listed.hashValue)
        #expect(range != AppendOutcome(firstID: 8, count: 3, evicted: 1))
        #expect(range != AppendOutcome(firstID: 7, count: 3, evicted: 0))
        #expect(AppendOutcome(firstID: 1, count: 0, evicted: 0) == AppendOutcome(ids: [], evicted: 0))
        var edited = range
        edited.ids = [1]
        #expect(edited.ids == [1] && edited.count == 1)
    }

    @Test func appendReportsConsecutiveIDsAcrossSessions() throws {
        let store = InMemoryGarrisonStore()
        let first = try store.append([entry("one"), entry("two")], to: "a")
        let second = try store.append([entry("three")], to: "b")
        #expect(first.ids == [1, 2] && second.ids == [3])
        #expect(try store.history(sessionID: "a", limit: 0).map(\.id) == [1, 2])
    }
}
