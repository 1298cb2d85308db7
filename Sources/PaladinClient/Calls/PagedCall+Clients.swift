import PaladinWire

extension Paladin_V1_GarrisonServiceClient {
    /// Every visible entry of `request`'s session from `request`'s page back to the oldest,
    /// oldest first: History pages go from newest to oldest, so they are joined in reverse.
    public func fullHistory(_ request: Paladin_V1_HistoryRequest, options: CallOptions = CallOptions()) async throws
        -> [Paladin_V1_GarrisonEntry] {
        var pages: [[Paladin_V1_GarrisonEntry]] = []
        try await PagedCall.forEachPage(request, { try await history($0, options: options) }) { pages.append($0.entries) }
        return pages.reversed().flatMap { $0 }
    }

    /// Every match of `request`, newest first, over as many Search pages as it takes.
    public func searchAll(_ request: Paladin_V1_SearchRequest, options: CallOptions = CallOptions()) async throws
        -> [Paladin_V1_GarrisonEntry] {
        try await PagedCall.collect(request) { try await search($0, options: options) }
    }

    /// Every session, most recently active first, over as many ListSessions pages as it takes.
    public func listAllSessions(_ request: Paladin_V1_ListSessionsRequest = .init(),
                                options: CallOptions = CallOptions()) async throws -> [Paladin_V1_SessionSummary] {
        try await PagedCall.collect(request) { try await listSessions($0, options: options) }
    }
}

extension Paladin_V1_BattalionServiceClient {
    /// Every matching run, newest first, over as many ListRuns pages as it takes.
    public func listAllRuns(_ request: Paladin_V1_ListRunsRequest = .init(),
                            options: CallOptions = CallOptions()) async throws -> [Paladin_V1_BattalionRun] {
        try await PagedCall.collect(request) { try await listRuns($0, options: options) }
    }

    /// Every battalion, by name, over as many ListBattalions pages as it takes.
    public func listAllBattalions(options: CallOptions = CallOptions()) async throws -> [Paladin_V1_Battalion] {
        try await PagedCall.collect(Paladin_V1_ListBattalionsRequest()) { try await listBattalions($0, options: options) }
    }
}

extension Paladin_V1_PaladinServiceClient {
    /// Every paladin, by name, over as many ListPaladins pages as it takes.
    public func listAllPaladins(options: CallOptions = CallOptions()) async throws -> [Paladin_V1_Paladin] {
        try await PagedCall.collect(Paladin_V1_ListPaladinsRequest()) { try await listPaladins($0, options: options) }
    }
}
