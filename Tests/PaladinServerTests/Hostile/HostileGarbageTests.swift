import NIOCore
import PaladinServer
import PaladinWire
import Testing

/// Seeded garbage after a valid handshake: the server must never crash or hang. Each connection
/// either ends with one GOAWAY (a non-OK code) and a close, or stays open and still answers; a
/// new client is served afterwards.
@Suite("Hostile: random garbage", .timeLimit(.minutes(1)))
struct HostileGarbageTests {
    /// How the garbage is made.
    enum Shape: String, Sendable, CaseIterable, CustomTestStringConvertible {
        /// 4 KiB of uniformly random bytes (mostly: a header with a huge length).
        case randomBytes
        /// Frames with valid lengths but random types, flags, stream ids and payloads.
        case randomFrames
        /// Valid traffic (requests, pings, cancels) with random bytes overwritten.
        case mutatedTraffic

        var testDescription: String { rawValue }
    }

    /// What happened to one connection.
    enum Outcome: Sendable, Equatable {
        case goAway(code: UInt32, message: String)
        case stillOpen
    }

    static let seeds: [UInt64] = Array(1...20)
    static let size = 4096

    @Test("20 seeds × 4 KiB of garbage after the handshake never crash or hang the server", arguments: Shape.allCases)
    func garbage(_ shape: Shape) async throws {
        try await withTestServer { server in
            let outcomes = try await withThrowingTaskGroup(of: (UInt64, Outcome).self) { group in
                for seed in Self.seeds {
                    group.addTask { (seed, try await Self.run(seed: seed, shape: shape, port: server.port)) }
                }
                var outcomes: [UInt64: Outcome] = [:]
                for try await (seed, outcome) in group { outcomes[seed] = outcome }
                return outcomes
            }
            #expect(outcomes.count == Self.seeds.count)
            for (seed, outcome) in outcomes {
                if case .goAway(let code, let message) = outcome {
                    #expect(code != 0 && !message.isEmpty, "seed \(seed): GOAWAY code \(code) \"\(message)\"")
                }
            }
            try await server.expectStillServingNewClients()
        }
    }

    /// One connection: handshake, garbage, then watch what the server does (bounded in time).
    static func run(seed: UInt64, shape: Shape, port: Int) async throws -> Outcome {
        let raw = try await RawConnection.connect(port: port)
        do {
            let outcome = try await run(seed: seed, shape: shape, on: raw)
            await raw.close()
            return outcome
        } catch {
            await raw.close()
            throw error
        }
    }

    private static func run(seed: UInt64, shape: Shape, on raw: RawConnection) async throws -> Outcome {
        var random = SplitMix64(seed: seed &* 0x9E37_79B9 &+ UInt64(shape.rawValue.count))
        try await raw.handshake()
        let garbage: [UInt8]
        switch shape {
        case .randomBytes: garbage = (0..<size).map { _ in random.byte() }
        case .randomFrames: garbage = randomFrames(&random)
        case .mutatedTraffic: garbage = mutatedTraffic(&random)
        }
        // Several writes, as a real peer would; the server may close half-way.
        var offset = 0
        while offset < garbage.count {
            let end = min(garbage.count, offset + 1 + Int(random.next() % 1024))
            do { try await raw.send(Array(garbage[offset..<end])) } catch { break }
            offset = end
        }
        // A final PING tells "still open and answering" apart from "quiet".
        try? await raw.send(frame: .ping, streamID: 0, bytes: [0xF0, 0x0D, 0, 0, 0, 0, 0, UInt8(seed)])

        var goAway: Paladin_V1_GoAway?
        var ended: Set<UInt32> = []
        while true {
            switch await raw.nextEvent(timeout: .milliseconds(1500)) {
            case .frame(let frame):
                if goAway != nil {
                    Issue.record("seed \(seed): \(RawConnection.describe(frame)) after the GOAWAY")
                    continue
                }
                switch frame.type {
                case .goAway:
                    goAway = try Paladin_V1_GoAway(decoding: frame.payload)
                case .ping where frame.flags.contains(.ack):
                    if Array(frame.payload.readableBytesView) == [0xF0, 0x0D, 0, 0, 0, 0, 0, UInt8(seed)] {
                        return .stillOpen  // the connection survived the garbage and still answers
                    }
                case .message, .end:
                    #expect(frame.streamID != 0, "seed \(seed): \(RawConnection.describe(frame)) on stream 0")
                    // Exactly one END per stream, nothing on a stream after its END.
                    #expect(!ended.contains(frame.streamID), "seed \(seed): \(RawConnection.describe(frame)) after that stream's END")
                    if frame.type == .end {
                        ended.insert(frame.streamID)
                        #expect(throws: Never.self, "seed \(seed): END payload is not a Status") {
                            _ = try Paladin_V1_Status(decoding: frame.payload)
                        }
                    }
                default:
                    Issue.record("seed \(seed): unexpected \(RawConnection.describe(frame))")
                }
            case .closed:
                let goAway = try #require(goAway, "seed \(seed) (\(shape)): the server closed without a GOAWAY")
                return .goAway(code: goAway.code, message: goAway.message)
            case .unparseable(let reason):
                Issue.record("seed \(seed): the server sent unparseable bytes: \(reason)")
                return .stillOpen
            case .timedOut:
                if let goAway {
                    Issue.record("seed \(seed): no close within 1.5 s of GOAWAY{\(goAway.code), \"\(goAway.message)\"}")
                    return .goAway(code: goAway.code, message: goAway.message)
                }
                // Quiet and open: the garbage ended inside a frame the server is still waiting for.
                return .stillOpen
            }
        }
    }

    /// Frames with sane lengths and random everything else, about `size` bytes in all.
    static func randomFrames(_ random: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = []
        while bytes.count < size {
            let type = random.next() % 10 < 7 ? FrameType(rawValue: UInt8(1 + random.next() % 7)) : FrameType(rawValue: random.byte())
            let flags = FrameFlags(rawValue: random.byte())
            let stream: UInt32 = random.next() % 3 == 0 ? 0 : UInt32(random.next() % 64)
            let payload: [UInt8] = type == .ping && random.next() % 2 == 0
                ? (0..<8).map { _ in random.byte() }
                : (0..<Int(random.next() % 80)).map { _ in random.byte() }
            bytes += RawConnection.frame(type, flags: flags, streamID: stream, bytes: payload)
        }
        return bytes
    }

    /// A plausible session (calls, watches, cancels, pings, unknown frames) with about 1 byte
    /// in 50 overwritten.
    static func mutatedTraffic(_ random: inout SplitMix64) -> [UInt8] {
        var bytes: [UInt8] = []
        var stream: UInt32 = 1
        while bytes.count < size {
            switch random.next() % 6 {
            case 0: bytes += RawConnection.healthCheck(streamID: stream)
            case 1: bytes += RawConnection.request(streamID: stream, method: RawConnection.healthWatchPath)
            case 2: bytes += RawConnection.frame(.cancel, streamID: stream &- 2)
            case 3: bytes += RawConnection.frame(.ping, streamID: 0, bytes: (0..<8).map { _ in random.byte() })
            case 4: bytes += RawConnection.request(streamID: stream, method: "paladin.v1.GarrisonService/History",
                                                    message: [0x0A, 0x02, 0x73, 0x31], metadata: [("x-request-id", "\(stream)")])
            default: bytes += RawConnection.frame(FrameType(rawValue: 0x40), flags: .ignorable, streamID: 0, bytes: [1, 2, 3])
            }
            stream += 2
        }
        for _ in 0..<(bytes.count / 50) {
            bytes[Int(random.next() % UInt64(bytes.count))] = random.byte()
        }
        return bytes
    }

    /// A small, fast, seedable generator (SplitMix64), so a failing seed can be replayed.
    struct SplitMix64 {
        private var state: UInt64
        init(seed: UInt64) { state = seed }

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
    }
}
