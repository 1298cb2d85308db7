import PaladinCore
import Testing

/// Grove routing: keyword scores, ties, fallbacks, the router member and its fallbacks.
@Suite("Grove")
struct GroveTests {
    static let routes = [
        GroveRoute(member: "general", keywords: ["hello"]),
        GroveRoute(member: "billing", keywords: ["invoice", "refund", "credit card"]),
        GroveRoute(member: "tech", keywords: ["crash", "error", "refund"]),
    ]
    static let names = ["general", "billing", "tech", "helpdesk", "router"]

    static func provider() -> ScriptedProvider {
        let provider = ScriptedProvider()
        for name in names { provider.fallback(name, .echo(prefix: "\(name): ")) }
        return provider
    }

    @Test("Grove does not always choose the first member")
    func doesNotAlwaysChooseTheFirstMember() async throws {
        let provider = Self.provider()
        let grove = Grove(routes: Self.routes)
        let result = await grove.run("The app shows an error and a crash", in: try Fixtures.context(Self.names, provider))
        #expect(result.status == .completed)
        #expect(result.finalOutput == "tech: The app shows an error and a crash")
        #expect(result.steps.map(\.member) == ["tech"])
        #expect(result.reasoning == "keyword routing chose tech: score 2 (matched: crash, error)")
        #expect(provider.requests(from: "general").isEmpty)
    }

    @Test func theHighestScoreWinsAndPhrasesMatchWholeWordsCaseInsensitively() async throws {
        let grove = Grove(routes: Self.routes)
        let result = await grove.run("My CREDIT  Card was charged twice, I need a refund!", in: try Fixtures.context(Self.names, Self.provider()))
        #expect(result.steps.map(\.member) == ["billing"])
        #expect(result.reasoning == "keyword routing chose billing: score 2 (matched: refund, credit card)")
        let partial = await grove.run("refunded invoices, crashes", in: try Fixtures.context(Self.names, Self.provider()))
        #expect(partial.steps.map(\.member) == ["general"])
    }

    @Test func tiesGoToTheEarlierRoute() async throws {
        let result = await Grove(routes: Self.routes).run("refund please", in: try Fixtures.context(Self.names, Self.provider()))
        #expect(result.steps.map(\.member) == ["billing"])
        #expect(result.reasoning == "keyword routing chose billing: score 1 (matched: refund); tied with tech, the earlier route wins")
    }

    @Test func noMatchGoesToTheFallbackElseTheFirstRouteAndSaysSo() async throws {
        let withFallback = await Grove(routes: Self.routes, fallback: "helpdesk").run("what is the weather", in: try Fixtures.context(Self.names, Self.provider()))
        #expect(withFallback.finalOutput == "helpdesk: what is the weather")
        #expect(withFallback.reasoning == "keyword routing: no route keyword in the request (score 0), so the fallback helpdesk")
        let without = await Grove(routes: Self.routes).run("what is the weather", in: try Fixtures.context(Self.names, Self.provider()))
        #expect(without.steps.map(\.member) == ["general"])
        #expect(without.reasoning == "keyword routing: no route keyword in the request (score 0) and no fallback, so the first route general")
    }

    @Test func theRouterChoosesAndItsStepIsRecorded() async throws {
        let provider = Self.provider()
        provider.fallback("router", .text("ROUTE: tech\nIt is about a payment crash."))
        let grove = Grove(routes: Self.routes, router: "router", fallback: "helpdesk")
        let result = await grove.run("I need a refund for my invoice after the crash", in: try Fixtures.context(Self.names, provider))
        #expect(result.finalOutput == "tech: I need a refund for my invoice after the crash")
        #expect(result.steps.map(\.member) == ["router", "tech"])
        #expect(result.reasoning == "router router chose tech (keyword score 2)")
        let prompt = try #require(provider.requests(from: "router").first?.messages.last?.content)
        #expect(prompt.contains("- billing (keywords: invoice, refund, credit card)"))
        #expect(prompt.contains("- tech (keywords: crash, error, refund)"))
        #expect(prompt.contains("If none fits, choose helpdesk."))
        #expect(prompt.contains("Request:\nI need a refund for my invoice after the crash"))
        #expect(prompt.contains("ROUTE: <member>"))
    }

    @Test("Grove's router is a member with its own model (reference hard-codes gpt-4)")
    func routerUsesItsOwnModel() async throws {
        let provider = Self.provider()
        provider.fallback("router", .text("route: Billing"))
        let router = try Fixtures.paladin("router", provider) { $0.model = "tiny-router-1" }
        let members = try ["general", "billing", "tech"].map { try Fixtures.paladin($0, provider) } + [router]
        let result = await Grove(routes: Self.routes, router: "router").run("hello", in: BattalionContext(members: members))
        #expect(result.steps.map(\.member) == ["router", "billing"])
        #expect(provider.requests(from: "router").map(\.model) == ["tiny-router-1"])
        #expect(!provider.requests.contains { $0.model.lowercased().contains("gpt") })
    }

    @Test func anUnknownOrMissingRouterAnswerFallsBackToKeywordRouting() async throws {
        for answer in ["ROUTE: accounting", "I think billing would be best."] {
            let provider = Self.provider()
            provider.fallback("router", .text(answer))
            let result = await Grove(routes: Self.routes, router: "router").run("app crash", in: try Fixtures.context(Self.names, provider))
            #expect(result.status == .completed)
            #expect(result.steps.map(\.member) == ["router", "tech"])
            #expect(result.reasoning == "router router named no known route; keyword routing chose tech: score 1 (matched: crash)")
        }
    }

    @Test func aFailedRouterFailsUnderFailFastAndFallsBackOtherwise() async throws {
        let provider = Self.provider()
        provider.fallback("router", .failure(ProviderError(.authentication, "bad key")))
        let grove = Grove(routes: Self.routes, router: "router")
        let failFast = await grove.run("app crash", in: try Fixtures.context(Self.names, provider))
        #expect(failFast.status == .failed)
        #expect(failFast.error == "router router failed: authentication: bad key")
        #expect(failFast.steps.map(\.member) == ["router"])
        let continued = await grove.run("app crash", in: try Fixtures.context(Self.names, provider, options: BattalionOptions(errorStrategy: .continueOnError)))
        #expect(continued.status == .completed)
        #expect(continued.finalOutput == "tech: app crash")
        #expect(continued.reasoning?.hasPrefix("router router failed; keyword routing chose tech") == true)
    }

    @Test func aFailedChosenMemberFailsTheRun() async throws {
        let provider = Self.provider()
        provider.fallback("tech", .failure(ProviderError(.invalidRequest, "nope")))
        let result = await Grove(routes: Self.routes).run("crash", in: try Fixtures.context(Self.names, provider, options: BattalionOptions(errorStrategy: .continueOnError)))
        #expect(result.status == .failed)
        #expect(result.error == "member tech failed: invalidRequest: nope")
        #expect(result.reasoning?.contains("chose tech") == true)
    }

    @Test func validationRejectsBadShapes() {
        #expect(Grove(routes: []).validate() == ["a grove needs at least one route"])
        #expect(Grove(routes: [GroveRoute(member: "a", keywords: ["x"]), GroveRoute(member: "a", keywords: ["y"])]).validate()
            == ["grove route members must be distinct"])
        #expect(Grove(routes: [GroveRoute(member: "a", keywords: ["x", " "])]).validate() == ["route a has an empty keyword"])
        #expect(Grove(routes: [GroveRoute(member: "a", keywords: ["x"])], router: "a").validate() == ["the router a cannot also be a route"])
        #expect(Grove(routes: [GroveRoute(member: "a", keywords: ["x"])], router: "r", fallback: "r").validate()
            == ["the router r cannot also be the fallback"])
        #expect(Grove(routes: [GroveRoute(member: "a", keywords: []), GroveRoute(member: "b", keywords: [])]).validate()
            == ["no route has keywords and there is no router: every request would go to the same member"])
        #expect(Grove(routes: [GroveRoute(member: "a", keywords: [])], router: "r").validate().isEmpty)
        #expect(Grove(routes: Self.routes, router: "router", fallback: "billing").memberNames == ["general", "billing", "tech", "router"])
    }
}
