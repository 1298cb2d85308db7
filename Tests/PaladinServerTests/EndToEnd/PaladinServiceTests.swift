import PaladinClient
import PaladinCore
import PaladinServer
import PaladinWire
import Testing

/// PaladinService over the wire with the scripted provider.
@Suite("PaladinService end to end")
struct PaladinServiceTests {
    @Test func createGetListUpdateDelete() async throws {
        try await withTestServer(services: scriptedServices()) { server in
            let connection = try await server.connect()
            let client = Paladin_V1_PaladinServiceClient(connection)
            var create = Paladin_V1_CreatePaladinRequest()
            create.definition = paladinDefinition("scout", systemPrompt: "Be brief.")
            create.definition?.stop = ["END"]
            create.definition?.labels = ["team": "search"]
            create.definition?.tools = [{ var t = Paladin_V1_ToolRef(); t.name = "word_count"; return t }()]
            let created = try await client.createPaladin(create)
            #expect(created.version == 1)
            #expect(created.createdAtUs > 0)
            #expect(created.definition?.systemPrompt == "Be brief.")
            #expect(created.definition?.stop == ["END"])
            #expect(created.definition?.labels == ["team": "search"])
            await expectStatus(.alreadyExists) { _ = try await client.createPaladin(create) }

            var get = Paladin_V1_GetPaladinRequest()
            get.name = "scout"
            #expect(try await client.getPaladin(get).definition?.tools.map(\.name) == ["word_count"])
            get.name = "nobody"
            await expectStatus(.notFound) { _ = try await client.getPaladin(get) }

            var update = Paladin_V1_UpdatePaladinRequest()
            update.definition = paladinDefinition("scout", systemPrompt: "Be thorough.")
            update.expectedVersion = 1
            let updated = try await client.updatePaladin(update)
            #expect(updated.version == 2 && updated.definition?.systemPrompt == "Be thorough.")
            await expectStatus(.aborted) { _ = try await client.updatePaladin(update) }  // still expects 1
            update.definition?.name = "ghost"
            update.expectedVersion = 0
            await expectStatus(.notFound) { _ = try await client.updatePaladin(update) }

            try await createPaladins(["second"], on: connection)
            #expect(try await client.listPaladins(.init()).paladins.compactMap(\.definition?.name) == ["scout", "second"])
            var delete = Paladin_V1_DeletePaladinRequest()
            delete.name = "scout"
            _ = try await client.deletePaladin(delete)
            await expectStatus(.notFound) { _ = try await client.deletePaladin(delete) }
            #expect(try await client.listPaladins(.init()).paladins.count == 1)
            await connection.close()
        }
    }

    @Test(arguments: [
        ("bad name!", "offline", 0.0, "definition.name"),
        ("ok", "missing", 0.0, "definition.provider"),
        ("ok", "offline", 2.5, "definition.temperature"),
    ])
    func invalidDefinitionsNameTheirField(name: String, provider: String, temperature: Double, field: String) async throws {
        try await withTestServer(services: scriptedServices()) { server in
            let connection = try await server.connect()
            var create = Paladin_V1_CreatePaladinRequest()
            var definition = paladinDefinition(name)
            definition.provider = provider
            definition.temperature = temperature
            create.definition = definition
            let error = await expectStatus(.invalidArgument) {
                _ = try await Paladin_V1_PaladinServiceClient(connection).createPaladin(create)
            }
            #expect(error?.details["field"] == field)
            #expect(error?.message.hasPrefix(field) == true)
            await connection.close()
        }
    }

    @Test func unknownToolAndMissingDefinitionAreInvalid() async throws {
        try await withTestServer(services: scriptedServices()) { server in
            let connection = try await server.connect()
            let client = Paladin_V1_PaladinServiceClient(connection)
            var create = Paladin_V1_CreatePaladinRequest()
            let error = await expectStatus(.invalidArgument) { _ = try await client.createPaladin(create) }
            #expect(error?.details["field"] == "definition")
            create.definition = paladinDefinition("hammerer")
            create.definition?.tools = [{ var t = Paladin_V1_ToolRef(); t.name = "hammer"; return t }()]
            let toolError = await expectStatus(.invalidArgument) { _ = try await client.createPaladin(create) }
            #expect(toolError?.details["field"] == "definition.tools")
            await connection.close()
        }
    }

    @Test func executeRunsTheAgentLoopWithToolsAndRenders() async throws {
        let provider = ScriptedProvider()
        provider.script("counter", .toolCalls([ToolCall(id: "c1", name: "word_count", arguments: #"{"text":"one two three"}"#)]),
                        .computed { request in "there are \(request.messages.last?.content ?? "?") words" })
        try await withTestServer(services: scriptedServices(provider)) { server in
            let connection = try await server.connect()
            var create = Paladin_V1_CreatePaladinRequest()
            create.definition = paladinDefinition("counter", systemPrompt: "Count words.")
            create.definition?.tools = [{ var t = Paladin_V1_ToolRef(); t.name = "word_count"; return t }()]
            let client = Paladin_V1_PaladinServiceClient(connection)
            _ = try await client.createPaladin(create)
            var execute = Paladin_V1_ExecuteRequest()
            execute.paladin = "counter"
            execute.input = "How many words in 'one two three'?"
            execute.format = .markdown
            let response = try await client.execute(execute)
            #expect(response.output == "there are 3 words")
            #expect(response.turns == 2)
            #expect(response.toolCalls.map(\.name) == ["word_count"])
            #expect(response.stopReason == "final")
            #expect((response.usage?.totalTokens ?? 0) > 0)
            #expect(response.rendered.contains("there are 3 words"))
            // The system prompt went first, as a system message.
            #expect(provider.requests(from: "counter").first?.messages.first == .system("Count words."))
            execute.paladin = "nobody"
            await expectStatus(.notFound) { _ = try await client.execute(execute) }
            await connection.close()
        }
    }

    @Test func executeStreamSendsDeltasThenFinal() async throws {
        let provider = ScriptedProvider()
        provider.fallback("poet", .text("roses are red, violets are blue"))
        try await withTestServer(services: scriptedServices(provider)) { server in
            let connection = try await server.connect()
            try await createPaladins(["poet"], on: connection)
            var execute = Paladin_V1_ExecuteRequest()
            execute.paladin = "poet"
            execute.input = "a poem"
            var deltas: [String] = []
            var finals: [Paladin_V1_ExecuteResponse] = []
            for try await event in Paladin_V1_PaladinServiceClient(connection).executeStream(execute) {
                switch event.event {
                case .delta(let text)?:
                    #expect(finals.isEmpty, "a delta after final")
                    deltas.append(text)
                case .final(let response)?: finals.append(response)
                default: Issue.record("unexpected event \(event)")
                }
            }
            #expect(deltas.count > 1)
            #expect(deltas.joined() == "roses are red, violets are blue")
            #expect(finals.map(\.output) == ["roses are red, violets are blue"])
            await connection.close()
        }
    }

    @Test func sessionsKeepTheConversationInTheGarrison() async throws {
        let provider = ScriptedProvider()
        try await withTestServer(services: scriptedServices(provider)) { server in
            let connection = try await server.connect()
            try await createPaladins(["parrot"], on: connection)
            var execute = Paladin_V1_ExecuteRequest()
            execute.paladin = "parrot"
            execute.sessionID = "conv-1"
            execute.input = "first"
            let client = Paladin_V1_PaladinServiceClient(connection)
            _ = try await client.execute(execute)
            execute.input = "second"
            _ = try await client.execute(execute)
            // The second call saw the first exchange.
            let second = provider.requests(from: "parrot").last?.messages.map(\.content) ?? []
            #expect(second.contains("first"))
            var history = Paladin_V1_HistoryRequest()
            history.sessionID = "conv-1"
            let entries = try await Paladin_V1_GarrisonServiceClient(connection).history(history).entries
            #expect(entries.map(\.content).contains("second"))
            execute.sessionID = "bad session!"
            await expectStatus(.invalidArgument) { _ = try await client.execute(execute) }
            await connection.close()
        }
    }

    @Test func providerErrorsKeepTheirMeaning() async throws {
        let provider = ScriptedProvider()
        provider.fallback("limited", .failure(ProviderError(.rateLimited, "slow down")))
        try await withTestServer(services: scriptedServices(provider)) { server in
            let connection = try await server.connect()
            try await createPaladins(["limited"], on: connection)
            var execute = Paladin_V1_ExecuteRequest()
            execute.paladin = "limited"
            execute.input = "hi"
            let error = await expectStatus(.resourceExhausted) {
                _ = try await Paladin_V1_PaladinServiceClient(connection).execute(execute)
            }
            #expect(error?.message.contains("slow down") == true)
            await connection.close()
        }
    }
}
