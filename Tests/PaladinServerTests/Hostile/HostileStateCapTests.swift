import NIOCore
import PaladinCore
import PaladinServer
import PaladinWire
import Testing

/// State caps (issue 17): a client that fills a session with system entries, defines an
/// oversized battalion or campaign, fills the catalog, or sends a megabyte-long name gets a
/// clear END with the right code and a message naming the config key, and the server keeps
/// serving others.
@Suite("Hostile: state caps", .timeLimit(.minutes(1)))
struct HostileStateCapTests {
    static let appendPath = "paladin.v1.GarrisonService/Append"
    static let createBattalionPath = "paladin.v1.BattalionService/CreateBattalion"
    static let createPaladinPath = "paladin.v1.PaladinService/CreatePaladin"

    /// An AppendRequest of `count` empty entries of `role` to `session`.
    static func append(_ count: Int, _ role: Paladin_V1_Role, to session: String) -> [UInt8] {
        var request = Paladin_V1_AppendRequest()
        request.sessionID = session
        var entry = Paladin_V1_GarrisonEntry()
        entry.role = role
        request.entries = Array(repeating: entry, count: count)
        return request.serializedBytes()
    }

    /// Reads the next frame and returns the status of the END on `streamID` (skipping nothing).
    static func end(on raw: RawConnection, streamID: UInt32,
                    sourceLocation: SourceLocation = #_sourceLocation) async throws -> (Paladin_V1_Status, Int) {
        let frame = try #require(try await raw.nextFrame(timeout: .seconds(10)), "closed instead of ending stream \(streamID)",
                                 sourceLocation: sourceLocation)
        try #require(frame.type == .end && frame.streamID == streamID,
                     "expected END on stream \(streamID), got \(RawConnection.describe(frame))", sourceLocation: sourceLocation)
        return (try Paladin_V1_Status(decoding: frame.payload), frame.payload.readableBytes)
    }

    /// Reads frames on `streamID` up to its END and returns the END's status.
    static func reply(on raw: RawConnection, streamID: UInt32) async throws -> Paladin_V1_Status {
        while true {
            let frame = try #require(try await raw.nextFrame(timeout: .seconds(10)), "closed instead of answering")
            guard frame.streamID == streamID else { continue }
            if frame.type == .end { return try Paladin_V1_Status(decoding: frame.payload) }
        }
    }

    @Test("1,000 empty system entries fill a session of 1,000; the next system or user entry is RESOURCE_EXHAUSTED naming garrison.max_entries_per_session")
    func systemEntriesFillASession() async throws {
        var limits = GarrisonLimits()
        limits.maxEntriesPerSession = 1_000
        let services = PaladinServices(garrison: InMemoryGarrisonStore(limits: limits))
        try await withTestServer(services: services) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            try await raw.send(RawConnection.request(streamID: 1, method: Self.appendPath,
                                                     message: Self.append(1_000, .system, to: "full")))
            let first = try await Self.reply(on: raw, streamID: 1)
            #expect(first.code == StatusCode.ok.rawValue, "1,000 system entries fit: \(first.message)")
            let refused = "session \"full\" would hold 1001 system entries and no room for others; system entries are "
                + "never evicted and a session holds at most 1000 entries (garrison.max_entries_per_session)"
            try await raw.send(RawConnection.request(streamID: 3, method: Self.appendPath,
                                                     message: Self.append(1, .system, to: "full")))
            try await raw.expectEnd(streamID: 3, code: .resourceExhausted, message: refused)
            try await raw.send(RawConnection.request(streamID: 5, method: Self.appendPath,
                                                     message: Self.append(1, .user, to: "full")))
            let (status, _) = try await Self.end(on: raw, streamID: 5)
            #expect(status.code == StatusCode.resourceExhausted.rawValue && status.message.contains("garrison.max_entries_per_session"),
                    "a user entry has no room either: \(status.message)")
            // The session still holds its 1,000 system entries, and nothing else.
            #expect(try await services.garrison.history(sessionID: "full", limit: 0).count == 1_000)
            try await raw.expectHealthCheckWorks(streamID: 7)
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a CreateBattalion of 300 members is INVALID_ARGUMENT naming catalog.max_members")
    func battalionOverTheMemberCap() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            var request = Paladin_V1_CreateBattalionRequest()
            var definition = Paladin_V1_BattalionDefinition()
            definition.name = "big"
            var formation = Paladin_V1_FormationSpec()
            formation.members = (0..<300).map { "m\($0)" }
            definition.pattern = .formation(formation)
            request.definition = definition
            try await raw.send(RawConnection.request(streamID: 1, method: Self.createBattalionPath, message: request.serializedBytes()))
            try await raw.expectEnd(streamID: 1, code: .invalidArgument,
                                    message: "definition.formation.members has 300 members; at most 256 are allowed (catalog.max_members)")
            try await raw.expectHealthCheckWorks(streamID: 3)
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a 150,000-node campaign chain is refused by the member cap before validation")
    func hugeCampaignIsRefusedByTheCap() async throws {
        try await withTestServer(configure: { $0.limits.maxFrameSize = 16 * 1024 * 1024 }) { server in
            let before = try HostileBackpressureTests.residentBytes()
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            let count = 150_000
            var campaign = Paladin_V1_CampaignSpec()
            campaign.members = (0..<count).map { "m\($0)" }
            campaign.edges = (1..<count).map { index in
                var edge = Paladin_V1_CampaignEdge()
                edge.from = "m\(index - 1)"
                edge.to = "m\(index)"
                return edge
            }
            campaign.entryPoints = ["m0"]
            var definition = Paladin_V1_BattalionDefinition()
            definition.name = "chain"
            definition.pattern = .campaign(campaign)
            var request = Paladin_V1_CreateBattalionRequest()
            request.definition = definition
            try await raw.send(RawConnection.request(streamID: 1, method: Self.createBattalionPath, message: request.serializedBytes()))
            // A 10 s wait: building and sending the request is the slow part on a loaded machine.
            let (status, _) = try await Self.end(on: raw, streamID: 1)
            #expect(status.code == StatusCode.invalidArgument.rawValue)
            #expect(status.message == "definition.campaign.members has 150000 members; at most 256 are allowed (catalog.max_members)")
            // The process (client and server) built, sent and decoded a 4 MB request.
            let grown = try HostileBackpressureTests.residentBytes() - before
            #expect(grown < 256 << 20, "RSS grew by \(grown >> 20) MiB")
            try await raw.expectHealthCheckWorks(streamID: 3)
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a catalog of max_paladins refuses the next CreatePaladin with RESOURCE_EXHAUSTED naming catalog.max_paladins")
    func catalogOverMaxPaladins() async throws {
        var limits = CatalogLimits()
        limits.maxPaladins = 3
        let services = PaladinServices(providers: ProviderRegistry(["offline": ScriptedProvider()]), catalogLimits: limits)
        try await withTestServer(services: services) { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            for index in 0..<4 {
                var request = Paladin_V1_CreatePaladinRequest()
                request.definition = paladinDefinition("p\(index)")
                try await raw.send(RawConnection.request(streamID: UInt32(2 * index + 1), method: Self.createPaladinPath,
                                                         message: request.serializedBytes()))
                let status = try await Self.reply(on: raw, streamID: UInt32(2 * index + 1))
                if index < 3 {
                    #expect(status.code == StatusCode.ok.rawValue, "paladin \(index): \(status.message)")
                } else {
                    #expect(status.code == StatusCode.resourceExhausted.rawValue)
                    #expect(status.message == "the catalog holds its maximum of 3 paladins (catalog.max_paladins)")
                }
            }
            try await raw.expectHealthCheckWorks(streamID: 9)
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }

    @Test("a 1 MiB service name or method name comes back cut short: the END is small and decodes")
    func megabyteNamesAreNotEchoed() async throws {
        try await withTestServer { server in
            let raw = try await RawConnection.connect(port: server.port)
            try await raw.handshake()
            let name = String(repeating: "é", count: 512 * 1024)
            var check = Paladin_V1_HealthCheckRequest()
            check.service = name
            try await raw.send(RawConnection.request(streamID: 1, method: RawConnection.healthCheckPath, message: check.serializedBytes()))
            let (status, size) = try await Self.end(on: raw, streamID: 1)
            #expect(status.code == StatusCode.notFound.rawValue)
            #expect(size < 1024, "END of \(size) bytes")
            #expect(status.message.hasPrefix("unknown service \"éé") && status.message.hasSuffix("…(1048576 bytes)\""),
                    "\(status.message.prefix(300))")
            try await raw.send(RawConnection.request(streamID: 3, method: "paladin.v1.Nowhere/" + name))
            let (unknown, unknownSize) = try await Self.end(on: raw, streamID: 3)
            #expect(unknown.code == StatusCode.unimplemented.rawValue, "\(unknown.message.prefix(200))")
            #expect(unknownSize <= RPCError.maxMessageBytes + 64, "END of \(unknownSize) bytes")
            try await raw.expectHealthCheckWorks(streamID: 5)
            await raw.close()
            try await server.expectStillServingNewClients()
        }
    }
}
