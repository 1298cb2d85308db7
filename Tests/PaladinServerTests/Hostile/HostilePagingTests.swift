import Foundation
import PaladinCore
import PaladinServer
import PaladinStore
import PaladinWire
import Testing

/// History, Search and ListRuns asked for 0xFFFFFFFF items far larger together than a frame:
/// the answer is one valid page under max_frame_size with a next_page_token, never an oversize
/// frame or an error (docs/protocol.md §14.1).
@Suite("Hostile: unbounded read limits", .timeLimit(.minutes(1)))
struct HostilePagingTests {
    static let frameSize = 65_536
    static let entryBytes = 10_000

    enum Store: String, CaseIterable, CustomTestStringConvertible {
        case memory, sqlite
        var testDescription: String { rawValue }
    }

    /// Services on `store` with session "big" holding 40 entries of 10 kB and 20 runs of 10 kB
    /// (several frames each); `close` releases the database.
    static func services(_ store: Store) async throws -> (services: PaladinServices, close: () -> Void) {
        let services: PaladinServices
        var close: () -> Void = {}
        switch store {
        case .memory:
            services = PaladinServices()
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appending(path: "paladin-paging-\(UUID().uuidString)")
            let database = try SQLiteDatabase(StoreConfiguration(path: directory.appending(path: "p.db").path))
            services = PaladinServices(garrison: SQLiteGarrisonStore(database: database), runStore: SQLiteRunStore(database: database))
            close = { database.close(); try? FileManager.default.removeItem(at: directory) }
        }
        for index in 0..<40 {
            let content = "needle \(index) " + String(repeating: "x", count: entryBytes)
            _ = try await services.garrison.append([GarrisonEntry(sessionID: "", role: .user, content: content,
                                                                  metadata: ["k": String(repeating: "m", count: 100)])], to: "big")
        }
        for index in 0..<20 {
            try await services.runs.store.begin(RunRecord(id: "run\(index)", battalion: "b", pattern: "formation",
                                                          input: String(repeating: "i", count: entryBytes), startedAtMicros: 1))
        }
        return (services, close)
    }

    @Test("History, Search and ListRuns with limit 0xFFFFFFFF answer one page under max_frame_size, then other clients are served",
          arguments: Store.allCases)
    func unboundedLimitGetsOnePage(_ store: Store) async throws {
        let (services, close) = try await Self.services(store)
        defer { close() }
        try await withTestServer(services: services, configure: { $0.limits.maxFrameSize = Self.frameSize }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            var history = Paladin_V1_HistoryRequest()
            history.sessionID = "big"
            history.limit = .max
            try await raw.send(RawConnection.request(streamID: 1, method: "paladin.v1.GarrisonService/History",
                                                     message: history.serializedBytes()))
            let page = try await Self.page(on: raw, streamID: 1, as: Paladin_V1_HistoryResponse.self)
            #expect(page.entries.count > 1 && page.entries.count < 40)
            #expect(page.entries.map(\.id) == page.entries.map(\.id).sorted())
            #expect(page.entries.last?.content.hasPrefix("needle 39 ") == true, "the page holds the newest entries")
            #expect(!page.nextPageToken.isEmpty)

            var search = Paladin_V1_SearchRequest()
            search.sessionID = "big"
            search.query = "needle"
            search.limit = .max
            try await raw.send(RawConnection.request(streamID: 3, method: "paladin.v1.GarrisonService/Search",
                                                     message: search.serializedBytes()))
            let matches = try await Self.page(on: raw, streamID: 3, as: Paladin_V1_SearchResponse.self)
            #expect(matches.entries.count > 1 && matches.entries.count < 40)
            #expect(matches.entries.first?.content.hasPrefix("needle 39 ") == true)
            #expect(!matches.nextPageToken.isEmpty)

            var runs = Paladin_V1_ListRunsRequest()
            runs.limit = .max
            try await raw.send(RawConnection.request(streamID: 5, method: "paladin.v1.BattalionService/ListRuns",
                                                     message: runs.serializedBytes()))
            let listed = try await Self.page(on: raw, streamID: 5, as: Paladin_V1_ListRunsResponse.self)
            #expect(listed.runs.count > 1 && listed.runs.count < 20 && listed.runs.first?.id == "run19")
            #expect(!listed.nextPageToken.isEmpty)

            try await raw.expectHealthCheckWorks(streamID: 7)
            try await server.expectStillServingNewClients()
            await raw.close()
        }
    }

    @Test("an entry larger than a response frame is RESOURCE_EXHAUSTED naming it, never an oversize frame")
    func anEntryAloneTooBigForAFrame() async throws {
        let services = PaladinServices()
        let append = try await services.garrison.append(
            [GarrisonEntry(sessionID: "", role: .user, content: String(repeating: "y", count: Self.frameSize))], to: "huge")
        try await withTestServer(services: services, configure: { $0.limits.maxFrameSize = Self.frameSize }) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            var history = Paladin_V1_HistoryRequest()
            history.sessionID = "huge"
            try await raw.send(RawConnection.request(streamID: 1, method: "paladin.v1.GarrisonService/History",
                                                     message: history.serializedBytes()))
            let frame = try #require(try await raw.nextFrame())
            try #require(frame.type == .end && frame.streamID == 1, "got \(RawConnection.describe(frame))")
            let status = try Paladin_V1_Status(decoding: frame.payload)
            #expect(status.code == StatusCode.resourceExhausted.rawValue)
            #expect(status.message.contains("entry \(append.ids[0]) of session \"huge\""), "\(status.message)")
            #expect(status.message.contains("server.limits.max_frame_size"), "\(status.message)")
            try await raw.expectHealthCheckWorks(streamID: 3)
            await raw.close()
        }
    }

    /// Reads a MESSAGE on `streamID` no larger than the frame limit, decodes it, then END OK.
    static func page<Response: ProtoMessage>(on raw: RawConnection, streamID: UInt32,
                                             as type: Response.Type) async throws -> Response {
        let frame = try #require(try await raw.nextFrame(), "the server closed instead of answering")
        try #require(frame.type == .message && frame.streamID == streamID, "got \(RawConnection.describe(frame))")
        #expect(frame.payload.readableBytes <= frameSize)
        let response = try Response(decoding: frame.payload)
        try await raw.expectEnd(streamID: streamID, code: .ok, message: "")
        return response
    }
}
