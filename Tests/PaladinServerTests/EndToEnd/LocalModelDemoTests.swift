import Foundation
import PaladinClient
import PaladinServer
import PaladinWire
import Testing

/// The README's main job, in CI: the embedded defaults (with the model's actual address) served
/// on the real local model, and the code-review battalion streamed over the wire. The model's
/// answers are weak; this checks the flow, not the review.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["PALADIN_LOCAL_MODEL_URL"] != nil,
                "set PALADIN_LOCAL_MODEL_URL (scripts/local-model start)"))
struct LocalModelDemoTests {
    @Test func theCodeReviewBattalionRunsOnTheLocalModel() async throws {
        let url = ProcessInfo.processInfo.environment["PALADIN_LOCAL_MODEL_URL"]!
        var yaml = PaladinConfig.embeddedDefaultsYAML.replacingOccurrences(of: "http://127.0.0.1:8088/v1", with: url)
        yaml = yaml.replacingOccurrences(of: "path: .paladin/paladin.db", with: "path: \":memory:\"")
        let assembly = try await ServerAssembly.build(try PaladinConfig.parse(yaml))
        try await withTestServer(services: assembly.services) { server in
            let connection = try await server.connect()
            var request = Paladin_V1_RunRequest()
            request.battalion = "code-review"
            request.input = "func add(a: Int, b: Int) -> Int { a + b }"
            var finished: [String] = []
            var deltas = 0
            var result: Paladin_V1_BattalionRun?
            let stream = Paladin_V1_BattalionServiceClient(connection)
                .runStream(request, options: CallOptions(timeout: .seconds(600)))
            for try await event in stream {
                switch event.event {
                case .memberDelta?: deltas += 1
                case .memberFinished(let f)?: finished.append(f.step?.member ?? "")
                case .result(let run)?: result = run
                default: break
                }
            }
            #expect(result?.status == .completed, "\(result?.error ?? "no result")")
            #expect(Set(finished) == ["intake", "security", "performance", "style", "synthesis"])
            #expect(finished.first == "intake" && finished.last == "synthesis")
            #expect(deltas > 5, "the members' answers were streamed token by token")
            #expect(!(result?.finalOutput.isEmpty ?? true))
            await connection.close()
        }
        assembly.close()
    }
}
