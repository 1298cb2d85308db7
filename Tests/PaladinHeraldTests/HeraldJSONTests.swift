import Foundation
import PaladinCore
import PaladinHerald
import Testing

/// The JSON format: exact output for a small fixed result, validity and lossless round trips for
/// nasty strings, and the fields the 0.5.1 reference dropped.
@Suite("Herald JSON")
struct HeraldJSONTests {
    @Test func battalionCompactGolden() {
        let expected = #"{"pattern":"formation","status":"failed","final_output":"Plan: run `swift build`.\nDone.","error":"writer failed","reasoning":"fixed order","duration_ms":15.500,"steps":[{"member":"scout","status":"succeeded","output":"Found 2 leads | both \"good\"","error":null,"started_ms":0.000,"duration_ms":12.345,"usage":{"prompt_tokens":10,"completion_tokens":20,"total_tokens":30},"attempts":1},{"member":"writer","status":"failed","output":"","error":"timed out","started_ms":12.345,"duration_ms":3.000,"usage":{"prompt_tokens":5,"completion_tokens":0,"total_tokens":5},"attempts":2}],"totals":{"steps":2,"succeeded":1,"failed":1,"skipped":0,"cancelled":0,"usage":{"prompt_tokens":15,"completion_tokens":20,"total_tokens":35}}}"#
        #expect(Herald.render(HeraldFixtures.battalion, as: .json) == expected)
    }

    @Test func battalionPrettyGolden() {
        let expected = #"""
        {
          "pattern": "formation",
          "status": "failed",
          "final_output": "Plan: run `swift build`.\nDone.",
          "error": "writer failed",
          "reasoning": "fixed order",
          "duration_ms": 15.500,
          "steps": [
            {
              "member": "scout",
              "status": "succeeded",
              "output": "Found 2 leads | both \"good\"",
              "error": null,
              "started_ms": 0.000,
              "duration_ms": 12.345,
              "usage": {
                "prompt_tokens": 10,
                "completion_tokens": 20,
                "total_tokens": 30
              },
              "attempts": 1
            },
            {
              "member": "writer",
              "status": "failed",
              "output": "",
              "error": "timed out",
              "started_ms": 12.345,
              "duration_ms": 3.000,
              "usage": {
                "prompt_tokens": 5,
                "completion_tokens": 0,
                "total_tokens": 5
              },
              "attempts": 2
            }
          ],
          "totals": {
            "steps": 2,
            "succeeded": 1,
            "failed": 1,
            "skipped": 0,
            "cancelled": 0,
            "usage": {
              "prompt_tokens": 15,
              "completion_tokens": 20,
              "total_tokens": 35
            }
          }
        }
        """#
        #expect(Herald.render(HeraldFixtures.battalion, as: .json, options: HeraldOptions(pretty: true)) == expected)
    }

    @Test func paladinCompactGolden() {
        let expected = #"{"paladin":"scout","stop_reason":"final","output":"The answer is 42.","turns":2,"duration_ms":1500.000,"usage":{"prompt_tokens":7,"completion_tokens":9,"total_tokens":16},"tool_calls":[{"id":"c1","name":"search","arguments":"{\"q\":\"x|y\"}"}],"tool_results":[{"call_id":"c1","name":"search","output":"3 hits","is_error":false}]}"#
        #expect(Herald.render(HeraldFixtures.paladin, as: .json) == expected)
    }

    @Test func paladinPrettyGolden() {
        let expected = #"""
        {
          "paladin": "scout",
          "stop_reason": "final",
          "output": "The answer is 42.",
          "turns": 2,
          "duration_ms": 1500.000,
          "usage": {
            "prompt_tokens": 7,
            "completion_tokens": 9,
            "total_tokens": 16
          },
          "tool_calls": [
            {
              "id": "c1",
              "name": "search",
              "arguments": "{\"q\":\"x|y\"}"
            }
          ],
          "tool_results": [
            {
              "call_id": "c1",
              "name": "search",
              "output": "3 hits",
              "is_error": false
            }
          ]
        }
        """#
        #expect(Herald.render(HeraldFixtures.paladin, as: .json, options: HeraldOptions(pretty: true)) == expected)
    }

    /// The reference JsonHerald's battalion document had no `final_output` at all.
    @Test func battalionJSONIncludesFinalOutputWhichReferenceOmitted() throws {
        let object = try HeraldFixtures.parseObject(Herald.render(HeraldFixtures.battalion, as: .json))
        #expect(object["final_output"] as? String == HeraldFixtures.battalion.finalOutput)
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.count == 2)
        #expect(steps[1]["error"] as? String == "timed out")
        #expect(steps[0]["error"] is NSNull)
        let totals = try #require(object["totals"] as? [String: Any])
        let usage = try #require(totals["usage"] as? [String: Any])
        #expect(usage["total_tokens"] as? Int == 35)
        #expect(object["reasoning"] as? String == "fixed order")
    }

    @Test(arguments: [false, true])
    func nastyStringsStayValidAndRoundTrip(pretty: Bool) throws {
        for text in HeraldFixtures.nasty {
            let step = MemberStep(member: text, status: .succeeded, output: text, error: text)
            let result = BattalionResult(pattern: text, status: .completed, finalOutput: text, steps: [step],
                                         error: text, reasoning: text)
            let object = try HeraldFixtures.parseObject(Herald.render(result, as: .json, options: HeraldOptions(pretty: pretty)))
            #expect(object["final_output"] as? String == text)
            #expect(object["pattern"] as? String == text)
            let parsedStep = try #require((object["steps"] as? [[String: Any]])?.first)
            #expect(parsedStep["member"] as? String == text)
            #expect(parsedStep["output"] as? String == text)
            // Byte-exact too, not just canonically equivalent.
            #expect((parsedStep["error"] as? String).map { Array($0.utf8) } == Array(text.utf8))

            let paladin = PaladinResult(paladin: text, output: text, toolCalls: [ToolCall(id: text, name: text, arguments: text)],
                                        toolResults: [ToolResult(callID: text, name: text, output: text, isError: true)])
            let parsed = try HeraldFixtures.parseObject(Herald.render(paladin, as: .json, options: HeraldOptions(pretty: pretty)))
            #expect(parsed["output"] as? String == text)
            #expect((parsed["tool_calls"] as? [[String: Any]])?.first?["arguments"] as? String == text)
        }
    }

    @Test func controlCharactersUseShortOrUnicodeEscapes() {
        let text = String((0..<0x20).map { Character(Unicode.Scalar($0)!) }) + "\"\\\u{7F}é👍"
        let json = Herald.render(PaladinResult(paladin: "p", output: text), as: .json)
        let expected = #""output":"\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\"#
            + "\u{7F}é👍\","
        #expect(json.contains(expected))
        for byte in json.utf8 { #expect(byte >= 0x20) }
    }

    @Test func longPlainRunsAroundEscapesAreCopiedIntact() throws {
        // Escapes at every offset of the text, between plain runs of every length.
        for offset in 0..<20 {
            let text = String(repeating: "abcdefgh", count: 3).prefix(offset) + "\"\n\\" + String(repeating: "xyz漢", count: 5)
            let object = try HeraldFixtures.parseObject(Herald.render(PaladinResult(paladin: "p", output: String(text)), as: .json))
            #expect(object["output"] as? String == String(text))
        }
    }

    @Test func escapeHeavyTextGrowsTheBufferWithoutLosingBytes() throws {
        // Up to six output bytes per input byte: the storage grows well past its first estimate.
        let text = String(repeating: "\u{1}\"\n\\é", count: 5000)
        let json = Herald.render(PaladinResult(paladin: "p", output: text), as: .json)
        let object = try HeraldFixtures.parseObject(json)
        #expect((object["output"] as? String).map { Array($0.utf8) } == Array(text.utf8))
        #expect(json.utf8.count > 5000 * 12)
    }

    @Test func durationsAreMillisecondsWithThreeDecimals() {
        func json(_ duration: Duration) -> String { Herald.render(PaladinResult(paladin: "p", output: "", duration: duration), as: .json) }
        #expect(json(.zero).contains(#""duration_ms":0.000,"#))
        #expect(json(.nanoseconds(1_499)).contains(#""duration_ms":0.001,"#))
        #expect(json(.nanoseconds(1_500)).contains(#""duration_ms":0.002,"#))
        #expect(json(.seconds(90)).contains(#""duration_ms":90000.000,"#))
        #expect(json(.milliseconds(-2)).contains(#""duration_ms":-2.000,"#))
    }

    @Test func everyStatusAndStopReasonIsItsRawValue() throws {
        for status in [RunOutcome.completed, .failed, .cancelled, .timedOut] {
            let object = try HeraldFixtures.parseObject(Herald.render(BattalionResult(pattern: "p", status: status, finalOutput: "", steps: []), as: .json))
            #expect(object["status"] as? String == status.rawValue)
        }
        for reason in [StopReason.final, .maxTurns, .stopWord, .length] {
            let object = try HeraldFixtures.parseObject(Herald.render(PaladinResult(paladin: "p", output: "", stopReason: reason), as: .json))
            #expect(object["stop_reason"] as? String == reason.rawValue)
        }
    }

    @Test func emptyCollectionsAreEmptyArrays() {
        let pretty = Herald.render(BattalionResult(pattern: "p", status: .completed, finalOutput: "", steps: []), as: .json,
                                   options: HeraldOptions(pretty: true))
        #expect(pretty.contains("\"steps\": [],\n"))
        #expect(Herald.render(PaladinResult(paladin: "p", output: ""), as: .json).hasSuffix(#""tool_calls":[],"tool_results":[]}"#))
    }
}
