import Foundation
import PaladinCore
import PaladinHerald
import Testing

/// NDJSON streaming lines: one line per event, each a JSON object tagged with its event kind.
@Suite("Herald NDJSON")
struct HeraldNDJSONTests {
    @Test func paladinEventsGolden() {
        #expect(Herald.ndjson(PaladinEvent.delta("Hel\nlo")) == #"{"event":"delta","text":"Hel\nlo"}"# + "\n")
        #expect(Herald.ndjson(PaladinEvent.toolCall(ToolCall(id: "c1", name: "search", arguments: #"{"q":1}"#)))
            == #"{"event":"tool_call","id":"c1","name":"search","arguments":"{\"q\":1}"}"# + "\n")
        #expect(Herald.ndjson(PaladinEvent.toolResult(ToolResult(callID: "c1", name: "search", output: "none", isError: true)))
            == #"{"event":"tool_result","call_id":"c1","name":"search","output":"none","is_error":true}"# + "\n")
        let final = Herald.ndjson(PaladinEvent.final(HeraldFixtures.paladin))
        #expect(final == #"{"event":"final","result":"# + Herald.render(HeraldFixtures.paladin, as: .json) + "}\n")
    }

    @Test func battalionEventsGolden() {
        #expect(Herald.ndjson(BattalionEvent.memberStarted("scout")) == #"{"event":"member_started","member":"scout"}"# + "\n")
        #expect(Herald.ndjson(BattalionEvent.memberDelta(member: "scout", text: "a\"b"))
            == #"{"event":"member_delta","member":"scout","text":"a\"b"}"# + "\n")
        #expect(Herald.ndjson(BattalionEvent.memberFinished(HeraldFixtures.battalion.steps[1]))
            == #"{"event":"member_finished","step":{"member":"writer","status":"failed","output":"","error":"timed out","#
            + #""started_ms":12.345,"duration_ms":3.000,"usage":{"prompt_tokens":5,"completion_tokens":0,"total_tokens":5},"#
            + #""attempts":2}}"# + "\n")
        let result = Herald.ndjson(BattalionEvent.result(HeraldFixtures.battalion))
        #expect(result == #"{"event":"result","result":"# + Herald.render(HeraldFixtures.battalion, as: .json) + "}\n")
    }

    @Test func oneLinePerEventAndEachLineParses() throws {
        var events: [PaladinEvent] = []
        var battalionEvents: [BattalionEvent] = []
        for text in HeraldFixtures.nasty {
            events += [.delta(text), .toolCall(ToolCall(id: text, name: text, arguments: text)),
                       .toolResult(ToolResult(callID: text, name: text, output: text))]
            battalionEvents += [.memberStarted(text), .memberDelta(member: text, text: text),
                                .memberFinished(MemberStep(member: text, status: .cancelled, output: text, error: text))]
        }
        events.append(.final(PaladinResult(paladin: "p", output: HeraldFixtures.nasty.joined())))
        battalionEvents.append(.result(HeraldFixtures.battalion))

        let stream = events.map(Herald.ndjson).joined()
        let lines = stream.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == events.count + 1 && lines.last == "")
        var kinds: [String] = []
        for line in lines.dropLast() { kinds.append(try HeraldFixtures.parseObject(String(line))["event"] as? String ?? "?") }
        #expect(Set(kinds) == ["delta", "tool_call", "tool_result", "final"])
        #expect(kinds.last == "final")

        let battalionStream = battalionEvents.map(Herald.ndjson).joined()
        let battalionLines = battalionStream.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(battalionLines.count == battalionEvents.count)
        for (line, event) in zip(battalionLines, battalionEvents) {
            let object = try HeraldFixtures.parseObject(String(line))
            if case .memberDelta(let member, let text) = event {
                #expect(object["event"] as? String == "member_delta")
                #expect(object["member"] as? String == member && object["text"] as? String == text)
            }
        }
    }

    @Test func prettyOptionsNeverReachNDJSON() {
        // ndjson has no options: a result inside a line is always compact.
        let line = Herald.ndjson(BattalionEvent.result(HeraldFixtures.battalion))
        #expect(line.firstIndex(of: "\n") == line.index(before: line.endIndex))
    }
}
