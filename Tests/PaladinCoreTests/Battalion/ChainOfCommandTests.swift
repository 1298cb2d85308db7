import PaladinCore
import Testing

/// Chain of Command: selection, delegation, synthesis.
@Suite("Chain of Command")
struct ChainOfCommandTests {
    static let specialists = ["lawyer", "coder", "writer"]
    static let names = ["chief"] + specialists

    /// A commander answering `selection` first, then echoing the synthesis prompt; specialists
    /// answering "<name> says: <task>".
    static func provider(selection: String) -> ScriptedProvider {
        let provider = ScriptedProvider()
        provider.script("chief", .text(selection))
        provider.fallback("chief", .echo(prefix: "FINAL\n"))
        for name in specialists { provider.fallback(name, .echo(prefix: "\(name) says: ")) }
        return provider
    }

    @Test("Chain of Command synthesizes (reference has no synthesis step)")
    func synthesizes() async throws {
        let provider = Self.provider(selection: "SELECT: writer, coder\nREASON: code plus docs")
        let chain = ChainOfCommand(commander: "chief", specialists: Self.specialists)
        let result = await chain.run("Ship the parser", in: try Fixtures.context(Self.names, provider))
        #expect(result.status == .completed)
        #expect(result.finalOutput == """
            FINAL
            Task:
            Ship the parser

            Your specialists answered:

            [writer]
            writer says: Ship the parser

            [coder]
            coder says: Ship the parser

            Write the final answer to the task from their answers.
            """)
        #expect(provider.requests(from: "chief").count == 2)
        #expect(result.steps.filter { $0.member == "chief" }.count == 2)
        #expect(result.reasoning == "commander chief selected writer, coder; reason: code plus docs")
        #expect(provider.requests(from: "lawyer").isEmpty)
    }

    @Test func theSelectionPromptListsSpecialistsWithTheFirstLineOfTheirDescription() async throws {
        let provider = Self.provider(selection: "SELECT: coder")
        let chief = try Fixtures.paladin("chief", provider)
        let lawyer = try Fixtures.paladin("lawyer", provider) { $0.description = "Contracts and licences.\nAlso: compliance." }
        let coder = try Fixtures.paladin("coder", provider) { $0.description = "Writes Swift." }
        let writer = try Fixtures.paladin("writer", provider)
        let context = BattalionContext(members: [chief, lawyer, coder, writer])
        _ = await ChainOfCommand(commander: "chief", specialists: Self.specialists).run("Add a licence header", in: context)
        let prompt = try #require(provider.requests(from: "chief").first?.messages.last?.content)
        #expect(prompt.contains("- lawyer: Contracts and licences.\n- coder: Writes Swift.\n- writer\n"))
        #expect(!prompt.contains("compliance"))
        #expect(prompt.contains("Task:\nAdd a licence header"))
        #expect(prompt.contains("SELECT: name, name"))
    }

    @Test("Unknown names are ignored and noted (the reference fails on them)")
    func unknownNamesAreIgnored() async throws {
        let provider = Self.provider(selection: "SELECT: astrologer, Coder, coder")
        let result = await ChainOfCommand(commander: "chief", specialists: Self.specialists).run("q", in: try Fixtures.context(Self.names, provider))
        #expect(result.status == .completed)
        #expect(result.steps.filter { $0.member != "chief" }.map(\.member) == ["coder"])
        #expect(result.reasoning == "commander chief selected coder; ignored unknown astrologer")
    }

    @Test("An empty or invalid selection falls back to every specialist (the reference fails)")
    func selectionFallback() async throws {
        for reply in ["SELECT:", "I would ask the coder.", "SELECT: nobody"] {
            let provider = Self.provider(selection: reply)
            let result = await ChainOfCommand(commander: "chief", specialists: Self.specialists).run("q", in: try Fixtures.context(Self.names, provider))
            #expect(result.status == .completed)
            #expect(Set(result.steps.filter { $0.member != "chief" }.map(\.member)) == Set(Self.specialists))
            #expect(result.reasoning?.hasPrefix("commander chief made no valid selection; every specialist was used") == true)
            let synthesis = try #require(provider.requests(from: "chief").last?.messages.last?.content)
            #expect(synthesis.contains("[lawyer]\nlawyer says: q\n\n[coder]\ncoder says: q\n\n[writer]\nwriter says: q"))
        }
    }

    @Test("Chain of Command honours the error strategy (reference ignores it)")
    func honoursTheErrorStrategy() async throws {
        let provider = Self.provider(selection: "SELECT: lawyer, coder")
        provider.fallback("lawyer", .failure(ProviderError(.server, "down")))
        let chain = ChainOfCommand(commander: "chief", specialists: Self.specialists)
        let failFast = await chain.run("q", in: try Fixtures.context(Self.names, provider))
        #expect(failFast.status == .failed)
        #expect(failFast.error == "specialist lawyer failed: server: down")
        #expect(provider.requests(from: "chief").count == 1)

        provider.script("chief", .text("SELECT: lawyer, coder"))
        let continued = await chain.run("q", in: try Fixtures.context(Self.names, provider, options: BattalionOptions(errorStrategy: .continueOnError)))
        #expect(continued.status == .completed)
        #expect(continued.finalOutput.contains("[lawyer] (failed, no answer)\n\n[coder]\ncoder says: q"))
        #expect(continued.reasoning == "commander chief selected lawyer, coder; synthesized without lawyer (failed)")
    }

    @Test func continueFailsWhenNoSpecialistSucceeded() async throws {
        let provider = Self.provider(selection: "SELECT: lawyer")
        provider.fallback("lawyer", .failure(ProviderError(.server, "down")))
        let result = await ChainOfCommand(commander: "chief", specialists: Self.specialists)
            .run("q", in: try Fixtures.context(Self.names, provider, options: BattalionOptions(errorStrategy: .continueOnError)))
        #expect(result.status == .failed)
        #expect(result.error == "every selected specialist failed")
        #expect(provider.requests(from: "chief").count == 1)
    }

    @Test func aFailedCommanderFailsUnderFailFastAndDelegatesToAllOtherwise() async throws {
        let provider = ScriptedProvider()
        provider.script("chief", .failure(ProviderError(.invalidRequest, "bad")))
        provider.fallback("chief", .text("merged"))
        for name in Self.specialists { provider.fallback(name, .text(name)) }
        let chain = ChainOfCommand(commander: "chief", specialists: Self.specialists)
        let failFast = await chain.run("q", in: try Fixtures.context(Self.names, provider))
        #expect(failFast.status == .failed)
        #expect(failFast.error == "commander chief failed: invalidRequest: bad")
        provider.script("chief", .failure(ProviderError(.invalidRequest, "bad")))
        let continued = await chain.run("q", in: try Fixtures.context(Self.names, provider, options: BattalionOptions(errorStrategy: .continueOnError)))
        #expect(continued.status == .completed)
        #expect(continued.finalOutput == "merged")
        #expect(continued.reasoning == "commander chief failed to select; every specialist was used")
    }

    @Test func validationRejectsBadShapes() {
        #expect(ChainOfCommand(commander: "c", specialists: []).validate() == ["a chain of command needs at least one specialist"])
        #expect(ChainOfCommand(commander: "c", specialists: ["a", "a"]).validate() == ["specialists must be distinct"])
        #expect(ChainOfCommand(commander: "c", specialists: ["c", "a"]).validate() == ["the commander c cannot also be a specialist"])
        #expect(ChainOfCommand(commander: "c", specialists: ["a"]).memberNames == ["c", "a"])
    }
}
