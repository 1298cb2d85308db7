import PaladinCore
import PaladinWire

/// ListPaladins, paged by name: a page holds at most the clamped limit and one response frame;
/// `next_page_token` carries the last name returned.
extension PaladinService {
    static func registerListing(in router: inout ServiceRouter, catalog: Catalog, paging: PageLimits) {
        router.registerInline(Paladin_V1_PaladinService.listPaladins) { request, _ throws(RPCError) in
            try listPaladins(request, catalog: catalog, paging: paging)
        }
    }

    static func listPaladins(_ request: Paladin_V1_ListPaladinsRequest, catalog: Catalog,
                             paging: PageLimits) throws(RPCError) -> Paladin_V1_ListPaladinsResponse {
        let scope = PageToken.scope()
        let after = try PageToken.decode(request.pageToken, kind: .paladins, scope: scope)?.text
        let size = paging.pageSize(request.limit, default: paging.maxPageSize)
        let candidates = Array(catalog.allPaladins().lazy
            .filter { paladin in after.map { paladin.definition.name > $0 } ?? true }.prefix(size + 1).map(message))
        let taken = try paging.fit(candidates, count: size, size: \.serializedSize) { "paladin \"\($0.definition?.name ?? "")\"" }
        var response = Paladin_V1_ListPaladinsResponse()
        response.paladins = Array(candidates.prefix(taken))
        if taken < candidates.count, let last = response.paladins.last?.definition?.name {
            response.nextPageToken = PageToken(kind: .paladins, scope: scope, text: last).encoded
        }
        return response
    }
}
