import PaladinCore
import PaladinWire

/// ListBattalions (paged by name) and ListRuns (paged by the order runs were begun): a page
/// holds at most the clamped limit and one response frame.
extension BattalionService {
    static func registerListing(in router: inout ServiceRouter, catalog: Catalog, runs: RunManager, paging: PageLimits) {
        router.registerInline(Paladin_V1_BattalionService.listBattalions) { request, _ throws(RPCError) in
            try listBattalions(request, catalog: catalog, paging: paging)
        }
        router.registerUnary(Paladin_V1_BattalionService.listRuns) { request, _ in
            try await listRuns(request, store: runs.store, paging: paging)
        }
    }

    static func listBattalions(_ request: Paladin_V1_ListBattalionsRequest, catalog: Catalog,
                               paging: PageLimits) throws(RPCError) -> Paladin_V1_ListBattalionsResponse {
        let scope = PageToken.scope()
        let after = try PageToken.decode(request.pageToken, kind: .battalions, scope: scope)?.text
        let size = paging.pageSize(request.limit, default: paging.maxPageSize)
        let candidates = Array(catalog.allBattalions().lazy
            .filter { battalion in after.map { battalion.plan.message.name > $0 } ?? true }.prefix(size + 1).map(message))
        let taken = try paging.fit(candidates, count: size, size: \.serializedSize) { "battalion \"\($0.definition?.name ?? "")\"" }
        var response = Paladin_V1_ListBattalionsResponse()
        response.battalions = Array(candidates.prefix(taken))
        if taken < candidates.count, let last = response.battalions.last?.definition?.name {
            response.nextPageToken = PageToken(kind: .battalions, scope: scope, text: last).encoded
        }
        return response
    }

    /// Runs begun before the token's position, newest first; the token is bound to the filters.
    static func listRuns(_ request: Paladin_V1_ListRunsRequest, store: any RunStore,
                         paging: PageLimits) async throws -> Paladin_V1_ListRunsResponse {
        let scope = PageToken.scope(request.battalion, String(request.status.rawValue),
                                    String(request.startedAfterUs), String(request.startedBeforeUs))
        let token = try PageToken.decode(request.pageToken, kind: .runs, scope: scope)
        let size = paging.pageSize(request.limit, default: 50)
        let filter = RunFilter(battalion: request.battalion.isEmpty ? nil : request.battalion,
                               status: try RunMapping.status(request.status),
                               startedAfterMicros: request.startedAfterUs == 0 ? nil : request.startedAfterUs,
                               startedBeforeMicros: request.startedBeforeUs == 0 ? nil : request.startedBeforeUs,
                               limit: size + 1, beforeSequence: token?.number, maxBytes: paging.byteBudget)
        let listed = try await RunStoreErrors.map { try await store.listed(filter) }
        let candidates = listed.map { RunMapping.run($0.record) }
        let taken = try paging.fit(candidates, count: size, size: \.serializedSize) { "run \($0.id)" }
        var response = Paladin_V1_ListRunsResponse()
        response.runs = Array(candidates.prefix(taken))
        if taken < candidates.count, taken > 0 {
            response.nextPageToken = PageToken(kind: .runs, scope: scope, number: listed[taken - 1].sequence).encoded
        }
        return response
    }
}
