import PaladinClient
import PaladinCore
import PaladinServer
import PaladinWire
import Testing

/// Paged list and read calls over the wire, walked with the real client (docs/protocol.md §14.1).
@Suite("Paging end to end")
struct PagingTests {
    @Test func theClientWalksEveryPageOfEveryListingInOrder() async throws {
        let services = scriptedServices()
        for index in 1...47 {
            _ = try await services.garrison.append([GarrisonEntry(sessionID: "", role: .user, content: "word \(index)")], to: "big")
        }
        for index in 0..<23 { _ = try await services.garrison.append([GarrisonEntry(sessionID: "", role: .user, content: "x")], to: "s\(index)") }
        for index in 0..<31 {
            try await services.runs.store.begin(RunRecord(id: "run\(index)", battalion: "b", pattern: "formation", input: "i",
                                                          startedAtMicros: 1))
        }
        try await withTestServer(services: services, configure: { $0.limits.maxPageSize = 10 }) { server in
            let connection = try await server.connect()
            let garrison = Paladin_V1_GarrisonServiceClient(connection)
            try await createPaladins((0..<13).map { "p\($0)" }, on: connection)

            var history = Paladin_V1_HistoryRequest()
            history.sessionID = "big"
            history.limit = .max
            let first = try await garrison.history(history)
            #expect(first.entries.map(\.content) == (38...47).map { "word \($0)" })
            #expect(!first.nextPageToken.isEmpty)
            #expect(try await garrison.fullHistory(history).map(\.content) == (1...47).map { "word \($0)" })

            var search = Paladin_V1_SearchRequest()
            search.sessionID = "big"
            search.query = "word"
            search.limit = 4
            #expect(try await garrison.searchAll(search).map(\.content) == (1...47).reversed().map { "word \($0)" })

            let sessions = try await garrison.listAllSessions()
            #expect(sessions.count == 24 && Set(sessions.map(\.sessionID)).count == 24)

            let runs = try await Paladin_V1_BattalionServiceClient(connection).listAllRuns()
            #expect(runs.map(\.id) == (0..<31).reversed().map { "run\($0)" })

            let paladins = try await Paladin_V1_PaladinServiceClient(connection).listAllPaladins()
            #expect(paladins.compactMap(\.definition?.name) == (0..<13).map { "p\($0)" }.sorted())
            #expect(try await Paladin_V1_BattalionServiceClient(connection).listAllBattalions().isEmpty)
            await connection.close()
        }
    }

    @Test func aForgedOrMisusedPageTokenIsInvalidArgument() async throws {
        let services = PaladinServices()
        for index in 1...5 {
            for session in ["a", "b"] {
                _ = try await services.garrison.append([GarrisonEntry(sessionID: "", role: .user, content: "m \(index)")], to: session)
            }
        }
        try await withTestServer(services: services) { server in
            let connection = try await server.connect()
            let garrison = Paladin_V1_GarrisonServiceClient(connection)
            var history = Paladin_V1_HistoryRequest()
            history.sessionID = "a"
            history.limit = 2
            let token = try await garrison.history(history).nextPageToken
            #expect(!token.isEmpty)

            var tampered = Array(token)
            tampered[tampered.count / 2] = tampered[tampered.count / 2] == "A" ? "B" : "A"
            for forged in ["not a token!", "AAAA", String(tampered), String(token.dropLast()), String(token.dropLast(4)), token + "AAAA",
                           String(repeating: "A", count: 5000)] {
                history.pageToken = forged
                let error = await expectStatus(.invalidArgument) { _ = try await garrison.history(history) }
                #expect(error?.details["field"] == "page_token", "\(forged.prefix(40))")
            }
            // A real token, but of another session or another call.
            history.sessionID = "b"
            history.pageToken = token
            await expectStatus(.invalidArgument) { _ = try await garrison.history(history) }
            var sessions = Paladin_V1_ListSessionsRequest()
            sessions.pageToken = token
            await expectStatus(.invalidArgument) { _ = try await garrison.listSessions(sessions) }
            var search = Paladin_V1_SearchRequest()
            search.sessionID = "a"
            search.query = "m"
            search.pageToken = token
            await expectStatus(.invalidArgument) { _ = try await garrison.search(search) }
            // The right one still works.
            history.sessionID = "a"
            #expect(try await garrison.history(history).entries.map(\.content) == ["m 2", "m 3"])
            await connection.close()
        }
    }
}
