import Foundation
import PaladinClient
import PaladinServer
import PaladinWire
import Testing

/// The catalog over the wire on the SQLite store, across restarts: definitions created over the
/// wire come back with their versions, the file's definitions are read-only and win a name both
/// define, and a stored definition that no longer loads is reported and kept.
@Suite("Persisted catalog", .timeLimit(.minutes(1)))
struct PersistedCatalogTests {
    static func yaml(_ extra: String = "", providers: String = "offline: { kind: scripted }") -> String {
        """
        providers: { \(providers) }
        paladins:
          filed: { provider: offline, system_prompt: "from the file" }
        battalions:
          filed-line: { formation: { members: [filed] } }
        \(extra)
        """
    }

    /// Serves the configuration on a SQLite file in `directory` for the length of `body`: one
    /// "start" of the server, as `paladin serve` would build it.
    static func serve(_ yaml: String, in directory: URL,
                      _ body: (ServerAssembly, Paladin_V1_PaladinServiceClient, Paladin_V1_BattalionServiceClient) async throws -> Void) async throws {
        var config = try PaladinConfig.parse(yaml)
        config.store.sqlite.path = directory.appending(path: "paladin.db").path
        let assembly = try await ServerAssembly.build(config)
        defer { assembly.close() }
        try await withTestServer(services: assembly.services) { server in
            let connection = try await server.connect()
            try await body(assembly, Paladin_V1_PaladinServiceClient(connection), Paladin_V1_BattalionServiceClient(connection))
            await connection.close()
        }
    }

    static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "paladin-catalog-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func paladin(_ name: String, prompt: String = "p", provider: String = "offline") -> Paladin_V1_CreatePaladinRequest {
        var request = Paladin_V1_CreatePaladinRequest()
        request.definition = Paladin_V1_PaladinDefinition()
        request.definition?.name = name
        request.definition?.provider = provider
        request.definition?.systemPrompt = prompt
        request.definition?.labels = ["team": "core"]
        return request
    }

    static func formation(_ name: String, _ members: [String]) -> Paladin_V1_BattalionDefinition {
        var definition = Paladin_V1_BattalionDefinition()
        definition.name = name
        var formation = Paladin_V1_FormationSpec()
        formation.members = members
        definition.pattern = .formation(formation)
        return definition
    }

    static func members(_ battalion: Paladin_V1_Battalion) -> [String] {
        guard case .formation(let formation) = battalion.definition?.pattern else { return [] }
        return formation.members
    }

    static func get(_ name: String, _ paladins: Paladin_V1_PaladinServiceClient) async throws -> Paladin_V1_Paladin {
        var request = Paladin_V1_GetPaladinRequest()
        request.name = name
        return try await paladins.getPaladin(request)
    }

    static func getBattalion(_ name: String, _ battalions: Paladin_V1_BattalionServiceClient) async throws -> Paladin_V1_Battalion {
        var request = Paladin_V1_GetBattalionRequest()
        request.name = name
        return try await battalions.getBattalion(request)
    }

    @Test("paladins and battalions created over the wire survive a restart with their versions; a deleted one stays deleted")
    func definitionsSurviveARestart() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.serve(Self.yaml(), in: directory) { _, paladins, battalions in
            let created = try await paladins.createPaladin(Self.paladin("scout"))
            #expect(created.version == 1 && created.source == .api)
            _ = try await paladins.createPaladin(Self.paladin("doomed"))
            var update = Paladin_V1_UpdatePaladinRequest()
            update.definition = Self.paladin("scout", prompt: "second").definition
            update.expectedVersion = 1
            #expect(try await paladins.updatePaladin(update).version == 2)
            var create = Paladin_V1_CreateBattalionRequest()
            create.definition = Self.formation("pair", ["scout", "filed"])
            let battalion = try await battalions.createBattalion(create)
            #expect(battalion.version == 1 && battalion.source == .api)
            var delete = Paladin_V1_DeletePaladinRequest()
            delete.name = "doomed"
            _ = try await paladins.deletePaladin(delete)
        }
        try await Self.serve(Self.yaml(), in: directory) { assembly, paladins, battalions in
            #expect(assembly.skippedDefinitions.isEmpty)
            let scout = try await Self.get("scout", paladins)
            #expect(scout.version == 2 && scout.source == .api)
            #expect(scout.definition?.systemPrompt == "second" && scout.definition?.labels == ["team": "core"])
            #expect(scout.updatedAtUs > scout.createdAtUs || scout.updatedAtUs == scout.createdAtUs)
            _ = await expectStatus(.notFound) { _ = try await Self.get("doomed", paladins) }
            let pair = try await Self.getBattalion("pair", battalions)
            #expect(pair.version == 1 && Self.members(pair) == ["scout", "filed"])
            // The restored battalion runs, on the restored paladin.
            var run = Paladin_V1_RunRequest()
            run.battalion = "pair"
            run.input = "go"
            let ran = try await battalions.run(run)
            #expect(ran.status == .completed)
            #expect(ran.battalionVersion == 1 && ran.memberVersions == ["scout": 2, "filed": 1])
            var get = Paladin_V1_GetRunRequest()
            get.id = ran.id
            let stored = try await battalions.getRun(get)
            #expect(stored.battalionVersion == 1 && stored.memberVersions == ["scout": 2, "filed": 1])
            let listed = try await paladins.listPaladins(Paladin_V1_ListPaladinsRequest())
            #expect(listed.paladins.map { "\($0.definition?.name ?? ""):\($0.source)" } == ["filed:file", "scout:api"])
        }
    }

    @Test("the file's definitions are read-only over the wire: update and delete get FAILED_PRECONDITION")
    func fileDefinitionsAreReadOnly() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.serve(Self.yaml(), in: directory) { _, paladins, battalions in
            let filed = try await Self.get("filed", paladins)
            #expect(filed.source == .file)
            var update = Paladin_V1_UpdatePaladinRequest()
            update.definition = Self.paladin("filed").definition
            let refused = await expectStatus(.failedPrecondition) { _ = try await paladins.updatePaladin(update) }
            #expect(refused?.message == "paladin \"filed\" is defined in the configuration file; change it there")
            var delete = Paladin_V1_DeletePaladinRequest()
            delete.name = "filed"
            _ = await expectStatus(.failedPrecondition) { _ = try await paladins.deletePaladin(delete) }
            var updateBattalion = Paladin_V1_UpdateBattalionRequest()
            updateBattalion.definition = Self.formation("filed-line", ["filed", "filed"])
            _ = await expectStatus(.failedPrecondition) { _ = try await battalions.updateBattalion(updateBattalion) }
            var deleteBattalion = Paladin_V1_DeleteBattalionRequest()
            deleteBattalion.name = "filed-line"
            _ = await expectStatus(.failedPrecondition) { _ = try await battalions.deleteBattalion(deleteBattalion) }
            let untouched = try await Self.get("filed", paladins)
            #expect(untouched.version == 1)
        }
    }

    @Test("UpdateBattalion: the version increases; a stale expected_version is ABORTED, an unknown member INVALID_ARGUMENT, an unknown battalion NOT_FOUND")
    func updateBattalion() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.serve(Self.yaml(), in: directory) { _, _, battalions in
            var create = Paladin_V1_CreateBattalionRequest()
            create.definition = Self.formation("line", ["filed"])
            _ = try await battalions.createBattalion(create)
            var update = Paladin_V1_UpdateBattalionRequest()
            update.definition = Self.formation("line", ["filed", "filed"])
            update.expectedVersion = 1
            let updated = try await battalions.updateBattalion(update)
            #expect(updated.version == 2 && Self.members(updated) == ["filed", "filed"])
            let stale = await expectStatus(.aborted) { _ = try await battalions.updateBattalion(update) }
            #expect(stale?.message == "battalion \"line\" is at version 2, not 1")
            var run = Paladin_V1_RunRequest()
            run.battalion = "line"
            run.input = "go"
            let ran = try await battalions.run(run)
            #expect(ran.battalionVersion == 2 && ran.memberVersions == ["filed": 1])
            update.expectedVersion = 0
            update.definition = Self.formation("line", ["ghost"])
            _ = await expectStatus(.invalidArgument) { _ = try await battalions.updateBattalion(update) }
            update.definition = Self.formation("nowhere", ["filed"])
            _ = await expectStatus(.notFound) { _ = try await battalions.updateBattalion(update) }
            #expect(try await Self.getBattalion("line", battalions).version == 2)
        }
    }

    @Test("at start the file wins a name it shares with a stored definition; the stored one is reported, kept, and back when the file lets go")
    func theFileWinsAtStart() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.serve(Self.yaml(), in: directory) { _, paladins, _ in
            _ = try await paladins.createPaladin(Self.paladin("shared", prompt: "from the wire"))
        }
        let both = Self.yaml().replacingOccurrences(of: "paladins:\n", with: "paladins:\n  shared: { provider: offline, system_prompt: \"file\" }\n")
        try await Self.serve(both, in: directory) { assembly, paladins, _ in
            #expect(assembly.skippedDefinitions == ["stored paladin \"shared\" (version 1) not loaded: paladin \"shared\" already exists"])
            let shared = try await Self.get("shared", paladins)
            #expect(shared.source == .file && shared.definition?.systemPrompt == "file")
        }
        try await Self.serve(Self.yaml(), in: directory) { assembly, paladins, _ in
            #expect(assembly.skippedDefinitions.isEmpty)
            let restored = try await Self.get("shared", paladins)
            #expect(restored.definition?.systemPrompt == "from the wire")
        }
    }

    @Test("a stored paladin whose provider left the configuration is reported and kept, and loads again once the provider is back")
    func aStoredDefinitionThatNoLongerBuildsIsKept() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let two = "offline: { kind: scripted }, spare: { kind: scripted }"
        try await Self.serve(Self.yaml(providers: two), in: directory) { _, paladins, battalions in
            _ = try await paladins.createPaladin(Self.paladin("lonely", provider: "spare"))
            var create = Paladin_V1_CreateBattalionRequest()
            create.definition = Self.formation("needs-lonely", ["lonely"])
            _ = try await battalions.createBattalion(create)
        }
        try await Self.serve(Self.yaml(), in: directory) { assembly, paladins, _ in
            #expect(assembly.skippedDefinitions.count == 2)
            #expect(assembly.skippedDefinitions.first?.hasPrefix("stored paladin \"lonely\" (version 1) not loaded: ") == true)
            #expect(assembly.skippedDefinitions.last?.hasPrefix("stored battalion \"needs-lonely\" (version 1) not loaded: ") == true)
            _ = await expectStatus(.notFound) { _ = try await Self.get("lonely", paladins) }
        }
        try await Self.serve(Self.yaml(providers: two), in: directory) { assembly, paladins, battalions in
            #expect(assembly.skippedDefinitions.isEmpty)
            let lonely = try await Self.get("lonely", paladins)
            #expect(lonely.definition?.provider == "spare")
            let needsLonely = try await Self.getBattalion("needs-lonely", battalions)
            #expect(needsLonely.version == 1)
        }
    }

    @Test("concurrent writes are serialized: of 16 creates of one name exactly one succeeds; of 16 updates expecting version 1 exactly one")
    func concurrentWritesAreSerialized() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.serve(Self.yaml(), in: directory) { _, paladins, _ in
            let created = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<16 {
                    group.addTask { (try? await paladins.createPaladin(Self.paladin("one", prompt: "v\(index)"))) != nil }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(created == 1)
            let updated = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<16 {
                    group.addTask {
                        var update = Paladin_V1_UpdatePaladinRequest()
                        update.definition = Self.paladin("one", prompt: "u\(index)").definition
                        update.expectedVersion = 1
                        return (try? await paladins.updatePaladin(update)) != nil
                    }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(updated == 1)
            let one = try await Self.get("one", paladins)
            #expect(one.version == 2)
        }
        try await Self.serve(Self.yaml(), in: directory) { _, paladins, _ in
            let afterRestart = try await Self.get("one", paladins)
            #expect(afterRestart.version == 2)
        }
    }
}
