import ArgumentParser
import PaladinClient

/// `--page-token` and `--all` of the list and read commands: read one page (the first, or the
/// one a previous listing named), or walk every page.
struct PageOptions: ParsableArguments {
    @Option(help: "Read the page this token names (printed after a page that has more).")
    var pageToken: String = ""
    @Flag(help: "Read every page, not only one.")
    var all = false

    /// Reads the page `pageToken` names, or every page from it with `--all`; returns the pages.
    func pages<Request: PageTokenRequest, Response: PagedResponse>(
        _ request: Request, _ call: (Request) async throws -> Response
    ) async throws -> [Response] {
        var request = request
        request.pageToken = pageToken
        var pages: [Response] = []
        try await PagedCall.forEachPage(request, maxPages: all ? .max : 1, call) { pages.append($0) }
        return pages
    }

    /// Tells, on standard error, how to read the next page when one page was read and more remain.
    func noteNextPage(_ pages: [some PagedResponse]) {
        guard !all, let token = pages.last?.nextPageToken, !token.isEmpty else { return }
        Terminal.error("more remain: add --page-token \(token) (or --all)")
    }
}
