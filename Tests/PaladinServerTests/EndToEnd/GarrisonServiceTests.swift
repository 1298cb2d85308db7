import PaladinClient
import PaladinCore
import PaladinServer
import PaladinWire
import Testing

/// GarrisonService over the wire on the in-memory store.
@Suite("GarrisonService end to end")
struct GarrisonServiceTests {
    private func entry(_ role: Paladin_V1_Role, _ content: String) -> Paladin_V1_GarrisonEntry {
        var entry = Paladin_V1_GarrisonEntry()
        entry.role = role
        entry.content = content
        return entry
    }

    @Test func appendHistorySearchClearListDelete() async throws {
        try await withTestServer { server in
            let connection = try await server.connect()
            let garrison = Paladin_V1_GarrisonServiceClient(connection)
            var append = Paladin_V1_AppendRequest()
            append.sessionID = "chat-1"
            append.entries = [entry(.system, "You are terse."), entry(.user, "Hello there ⚔"), entry(.assistant, "General Kenobi")]
            let appended = try await garrison.append(append)
            #expect(appended.ids.count == 3)
            #expect(appended.ids == appended.ids.sorted())

            var history = Paladin_V1_HistoryRequest()
            history.sessionID = "chat-1"
            let all = try await garrison.history(history).entries
            #expect(all.map(\.content) == ["You are terse.", "Hello there ⚔", "General Kenobi"])
            #expect(all.allSatisfy { $0.tokenCount > 0 && $0.createdAtUs > 0 && $0.sessionID == "chat-1" })
            history.limit = 2
            #expect(try await garrison.history(history).entries.map(\.content) == ["Hello there ⚔", "General Kenobi"])

            var search = Paladin_V1_SearchRequest()
            search.sessionID = "chat-1"
            search.query = "general KENOBI"
            #expect(try await garrison.search(search).entries.map(\.content) == ["General Kenobi"])

            var clear = Paladin_V1_ClearRequest()
            clear.sessionID = "chat-1"
            clear.keepSystem = true
            #expect(try await garrison.clear(clear).removed == 2)
            history.limit = 0
            #expect(try await garrison.history(history).entries.map(\.role) == [.system])

            let sessions = try await garrison.listSessions(Paladin_V1_ListSessionsRequest()).sessions
            #expect(sessions.map(\.sessionID) == ["chat-1"])
            #expect(sessions.first?.entryCount == 1)

            var delete = Paladin_V1_DeleteSessionRequest()
            delete.sessionID = "chat-1"
            #expect(try await garrison.deleteSession(delete).removed == 1)
            await #expect(throws: RPCError(.notFound, "session \"chat-1\" not found")) {
                try await garrison.deleteSession(delete)
            }
            await connection.close()
        }
    }

    @Test func invalidInputIsRejectedWithTheField() async throws {
        try await withTestServer { server in
            let connection = try await server.connect()
            let garrison = Paladin_V1_GarrisonServiceClient(connection)
            var append = Paladin_V1_AppendRequest()
            append.sessionID = "bad id!"
            append.entries = [entry(.user, "x")]
            let badID = await #expect(throws: RPCError.self) { try await garrison.append(append) }
            #expect(badID?.code == .invalidArgument)
            #expect(badID?.details["field"] == "session_id")

            append.sessionID = "ok"
            append.entries = [entry(.user, "fine"), entry(.unspecified, "no role")]
            let badRole = await #expect(throws: RPCError.self) { try await garrison.append(append) }
            #expect(badRole?.details["field"] == "entries[1].role")

            append.entries = []
            let empty = await #expect(throws: RPCError.self) { try await garrison.append(append) }
            #expect(empty?.details["field"] == "entries")

            // Nothing was written by the failed appends.
            var history = Paladin_V1_HistoryRequest()
            history.sessionID = "ok"
            #expect(try await garrison.history(history).entries.isEmpty)
            await connection.close()
        }
    }

    @Test func aFullGarrisonRefusesWithResourceExhausted() async throws {
        var limits = GarrisonLimits()
        limits.maxTotalBytes = 1024
        let services = PaladinServices(garrison: InMemoryGarrisonStore(limits: limits))
        try await withTestServer(services: services) { server in
            let connection = try await server.connect()
            var append = Paladin_V1_AppendRequest()
            append.sessionID = "big"
            append.entries = [entry(.user, String(repeating: "x", count: 2000))]
            let error = await #expect(throws: RPCError.self) {
                try await Paladin_V1_GarrisonServiceClient(connection).append(append)
            }
            #expect(error?.code == .resourceExhausted)
            await connection.close()
        }
    }
}
