import PaladinWire

/// A request of a paged list or read call: it names the page to read by `pageToken` (empty for
/// the first).
public protocol PageTokenRequest: Sendable {
    var pageToken: String { get set }
}

/// A response of a paged call: one page of items and the token of the next page (empty on the
/// last).
public protocol PagedResponse: Sendable {
    associatedtype Item: Sendable
    var pageItems: [Item] { get }
    var nextPageToken: String { get }
}

/// Walks a paged call from `request`'s page to the last, feeding each response's
/// `nextPageToken` back as the next request's `pageToken`.
public enum PagedCall {
    /// Every item of every page, in page order (for History: pages go from newest to oldest and
    /// each page is oldest first; `Paladin_V1_GarrisonServiceClient.fullHistory` puts them in
    /// order). Stops after `maxPages` pages.
    /// - Throws: the call's error, or `RPCError` (DATA_LOSS) if the server hands back a token it
    ///   has already given (a walk that would never end).
    public static func collect<Request: PageTokenRequest, Response: PagedResponse>(
        _ request: Request, maxPages: Int = .max, _ call: (Request) async throws -> Response
    ) async throws -> [Response.Item] {
        var items: [Response.Item] = []
        try await forEachPage(request, maxPages: maxPages, call) { items += $0.pageItems }
        return items
    }

    /// Calls `body` with each page, from `request`'s page to the last or `maxPages` pages.
    public static func forEachPage<Request: PageTokenRequest, Response: PagedResponse>(
        _ request: Request, maxPages: Int = .max, _ call: (Request) async throws -> Response,
        _ body: (Response) async throws -> Void
    ) async throws {
        var request = request
        var seen: Set<String> = []
        var pages = 0
        while pages < maxPages {
            let response = try await call(request)
            pages += 1
            try await body(response)
            guard !response.nextPageToken.isEmpty else { return }
            guard seen.insert(response.nextPageToken).inserted else {
                throw RPCError(.dataLoss, "the server repeated page token \(response.nextPageToken.prefix(64))")
            }
            request.pageToken = response.nextPageToken
        }
    }
}

extension Paladin_V1_HistoryRequest: PageTokenRequest {}
extension Paladin_V1_SearchRequest: PageTokenRequest {}
extension Paladin_V1_ListSessionsRequest: PageTokenRequest {}
extension Paladin_V1_ListRunsRequest: PageTokenRequest {}
extension Paladin_V1_ListPaladinsRequest: PageTokenRequest {}
extension Paladin_V1_ListBattalionsRequest: PageTokenRequest {}

extension Paladin_V1_HistoryResponse: PagedResponse {
    public var pageItems: [Paladin_V1_GarrisonEntry] { entries }
}

extension Paladin_V1_SearchResponse: PagedResponse {
    public var pageItems: [Paladin_V1_GarrisonEntry] { entries }
}

extension Paladin_V1_ListSessionsResponse: PagedResponse {
    public var pageItems: [Paladin_V1_SessionSummary] { sessions }
}

extension Paladin_V1_ListRunsResponse: PagedResponse {
    public var pageItems: [Paladin_V1_BattalionRun] { runs }
}

extension Paladin_V1_ListPaladinsResponse: PagedResponse {
    public var pageItems: [Paladin_V1_Paladin] { paladins }
}

extension Paladin_V1_ListBattalionsResponse: PagedResponse {
    public var pageItems: [Paladin_V1_Battalion] { battalions }
}
