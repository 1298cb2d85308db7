import PaladinCore
import PaladinWire

/// History, Search and ListSessions, paged: each page holds at most the clamped limit and at most
/// one response frame, and a `next_page_token` continues it by keyset (entry id, or last
/// activity and session id), never by offset.
extension GarrisonService {
    static func registerReads(in router: inout ServiceRouter, store: any GarrisonStore, paging: PageLimits) {
        router.registerUnary(Paladin_V1_GarrisonService.history) { request, _ in
            try await history(request, store: store, paging: paging)
        }
        router.registerUnary(Paladin_V1_GarrisonService.search) { request, _ in
            try await search(request, store: store, paging: paging)
        }
        router.registerUnary(Paladin_V1_GarrisonService.listSessions) { request, _ in
            try await listSessions(request, store: store, paging: paging)
        }
    }

    /// The newest entries older than the token's position, oldest first. One more than the page
    /// is read to learn whether older entries remain; a page the frame cuts keeps its newest
    /// entries, so the next page starts just below the oldest one returned.
    static func history(_ request: Paladin_V1_HistoryRequest, store: any GarrisonStore,
                        paging: PageLimits) async throws -> Paladin_V1_HistoryResponse {
        let token = try PageToken.decode(request.pageToken, kind: .history, scope: PageToken.scope(request.sessionID))
        let size = paging.pageSize(request.limit, default: paging.maxPageSize)
        let read = try await mapErrors {
            try await store.history(sessionID: request.sessionID, limit: size + 1, before: token.map { UInt64(bitPattern: $0.number) },
                                    maxBytes: paging.byteBudget)
        }
        let newestFirst = read.reversed().map(GarrisonMapping.message(from:))
        let taken = try paging.fit(newestFirst, count: size, size: \.serializedSize) { "entry \($0.id) of session \"\(request.sessionID)\"" }
        var response = Paladin_V1_HistoryResponse()
        response.entries = newestFirst.prefix(taken).reversed()
        if taken < newestFirst.count, let oldest = response.entries.first {
            response.nextPageToken = PageToken(kind: .history, scope: PageToken.scope(request.sessionID),
                                               number: Int64(bitPattern: oldest.id)).encoded
        }
        return response
    }

    /// Matches older than the token's position, newest first.
    static func search(_ request: Paladin_V1_SearchRequest, store: any GarrisonStore,
                       paging: PageLimits) async throws -> Paladin_V1_SearchResponse {
        let scope = PageToken.scope(request.sessionID, request.query)
        let token = try PageToken.decode(request.pageToken, kind: .search, scope: scope)
        let size = paging.pageSize(request.limit, default: 50)
        let read = try await mapErrors {
            try await store.search(sessionID: request.sessionID, query: request.query, limit: size + 1,
                                   before: token.map { UInt64(bitPattern: $0.number) }, maxBytes: paging.byteBudget)
        }.map(GarrisonMapping.message(from:))
        let taken = try paging.fit(read, count: size, size: \.serializedSize) { "entry \($0.id) of session \"\(request.sessionID)\"" }
        var response = Paladin_V1_SearchResponse()
        response.entries = Array(read.prefix(taken))
        if taken < read.count, let last = response.entries.last {
            response.nextPageToken = PageToken(kind: .search, scope: scope, number: Int64(bitPattern: last.id)).encoded
        }
        return response
    }

    /// Sessions after the token's (last activity, id) position. A session active between two
    /// pages moves to the front of the order, so a walk may miss or repeat it.
    static func listSessions(_ request: Paladin_V1_ListSessionsRequest, store: any GarrisonStore,
                             paging: PageLimits) async throws -> Paladin_V1_ListSessionsResponse {
        let scope = PageToken.scope()
        let cursor = try PageToken.decode(request.pageToken, kind: .sessions, scope: scope)
            .map { SessionCursor(lastActivityMicros: $0.number, sessionID: $0.text) }
        let size = paging.pageSize(request.limit, default: 100)
        let read = try await mapErrors { try await store.sessions(limit: size + 1, after: cursor) }
            .map(GarrisonMapping.message(from:))
        let taken = try paging.fit(read, count: size, size: \.serializedSize) { "session \"\($0.sessionID)\"" }
        var response = Paladin_V1_ListSessionsResponse()
        response.sessions = Array(read.prefix(taken))
        if taken < read.count, let last = response.sessions.last {
            response.nextPageToken = PageToken(kind: .sessions, scope: scope, number: last.lastActivityUs, text: last.sessionID).encoded
        }
        return response
    }
}
