import PaladinCore
import PaladinStore
import Testing

/// Issue 17 state caps, the same in both stores: metadata counts against the byte limit, and
/// system entries count against the per-session entry limit (refused, never evicted).
@Suite("Garrison caps")
struct GarrisonCapsTests {
    @Test(arguments: StoreKind.allCases)
    func metadataCountsAgainstTotalBytes(_ kind: StoreKind) async throws {
        var limits = GarrisonLimits()
        limits.maxTotalBytes = 20
        let open = try kind.make(limits: limits)
        defer { open.close() }
        // 2 bytes of content + 3 + 5 bytes of metadata = 10.
        _ = try await open.store.append([entry("ab", metadata: ["key": "value"])], to: "s")
        await #expect(throws: GarrisonError.capacityExceeded("the garrison holds its maximum of 20 bytes")) {
            try await open.store.append([entry("", metadata: ["k": String(repeating: "v", count: 10)])], to: "s")
        }
        _ = try await open.store.append([entry("", metadata: ["k": String(repeating: "v", count: 9)])], to: "s")
        // Deleting frees content and metadata bytes alike.
        _ = try await open.store.deleteSession("s")
        _ = try await open.store.append([entry(String(repeating: "x", count: 10), metadata: ["k": "123456789"])], to: "t")
    }

    @Test(arguments: StoreKind.allCases)
    func evictionFreesMetadataBytes(_ kind: StoreKind) async throws {
        var limits = GarrisonLimits()
        limits.maxTotalBytes = 30
        let open = try kind.make(limits: limits, defaultPolicy: GarrisonPolicy(eviction: .fifo, maxEntries: 1))
        defer { open.close() }
        // Each append holds 10 bytes, the previous one is evicted: the total never passes 20.
        for index in 0..<20 {
            _ = try await open.store.append([entry("m", metadata: ["key\(index % 10)": "value"])], to: "s")
        }
        _ = try await open.store.append([entry(String(repeating: "x", count: 20))], to: "t")
    }

    @Test(arguments: StoreKind.allCases)
    func systemEntriesAreRefusedWhenTheSessionIsFullOfThem(_ kind: StoreKind) async throws {
        var limits = GarrisonLimits()
        limits.maxEntriesPerSession = 5
        let open = try kind.make(limits: limits)
        defer { open.close() }
        _ = try await open.store.append(Array(repeating: entry(.system, ""), count: 4), to: "s")
        _ = try await open.store.append([entry("m1"), entry("m2")], to: "s")
        // 4 system + 1 message: the oldest message went to make room.
        #expect(try await open.store.history(sessionID: "s", limit: 0).map(\.content) == ["", "", "", "", "m2"])
        let full = GarrisonError.capacityExceeded(
            "session \"s\" would hold 5 system entries and no room for others; system entries are never evicted "
            + "and a session holds at most 5 entries (garrison.max_entries_per_session)")
        // A fifth system entry with a message: no room for the message.
        await #expect(throws: full) { try await open.store.append([entry(.system, ""), entry("m3")], to: "s") }
        // A fifth system entry alone fits (the message goes), a sixth does not, nor any message.
        let outcome = try await open.store.append([entry(.system, "")], to: "s")
        #expect(outcome.evicted == 1)
        await #expect(throws: GarrisonError.capacityExceeded(
            "session \"s\" would hold 6 system entries and no room for others; system entries are never evicted "
            + "and a session holds at most 5 entries (garrison.max_entries_per_session)")) {
            try await open.store.append([entry(.system, "")], to: "s")
        }
        await #expect(throws: full) { try await open.store.append([entry("m4")], to: "s") }
        let history = try await open.store.history(sessionID: "s", limit: 0)
        #expect(history.count == 5 && history.allSatisfy { $0.role == .system })
        // Clearing keeps system entries: still full. Deleting the session frees it.
        _ = try await open.store.clear(sessionID: "s", keepSystem: true)
        await #expect(throws: full) { try await open.store.append([entry("m5")], to: "s") }
        _ = try await open.store.clear(sessionID: "s", keepSystem: false)
        _ = try await open.store.append([entry("m6")], to: "s")
    }

    @Test(arguments: StoreKind.allCases)
    func theSessionCeilingHoldsForEveryPolicy(_ kind: StoreKind) async throws {
        var limits = GarrisonLimits()
        limits.maxEntriesPerSession = 10
        let open = try kind.make(limits: limits)
        defer { open.close() }
        for policy in [GarrisonPolicy(eviction: .fifo, maxEntries: 100), GarrisonPolicy(eviction: .slidingWindow, maxEntries: 8),
                       GarrisonPolicy(eviction: .tokenBudget, maxEntries: 100), GarrisonPolicy(eviction: .importance, maxEntries: 100)] {
            let session = "s-\(policy.eviction.rawValue)"
            try await open.store.setPolicy(policy, for: session)
            _ = try await open.store.append([entry(.system, "rules"), entry(.system, "more rules")], to: session)
            var evicted = 0
            for index in 0..<30 { evicted += try await open.store.append([entry("m\(index)")], to: session).evicted }
            let history = try await open.store.history(sessionID: session, limit: 0)
            #expect(history.filter { $0.role == .system }.count == 2, "\(policy.eviction)")
            #expect(history.count <= 10, "\(policy.eviction): \(history.count) entries")
            #expect(history.last?.content == "m29", "\(policy.eviction)")
            #expect(evicted >= 22, "\(policy.eviction): \(evicted) evicted")
        }
    }

    @Test(arguments: StoreKind.allCases)
    func aThousandEmptySystemEntriesFitTheDefaultLimits(_ kind: StoreKind) async throws {
        let open = try kind.make()
        defer { open.close() }
        let outcome = try await open.store.append(Array(repeating: entry(.system, ""), count: 1_000), to: "s")
        #expect(outcome.count == 1_000 && outcome.evicted == 0)
        #expect(try await open.store.history(sessionID: "s", limit: 0).count == 1_000)
    }
}
