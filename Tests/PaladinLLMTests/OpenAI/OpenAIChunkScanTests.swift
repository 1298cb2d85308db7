import Testing
@testable import PaladinLLM

/// The byte-level fast path for stream chunks: every field it reads, escapes, nulls, and the
/// shapes it must refuse so that `JSONDecoder` decides instead. Each accepted chunk is also
/// checked against `JSONDecoder`'s reading of the same text.
@Suite struct OpenAIChunkScanTests {
    /// Scans `text`, requires the scan to succeed and agree with the general decoder.
    func scanned(_ text: String) -> OpenAIChunk? {
        let fast = OpenAIChunk.scan(text)
        #expect(fast != nil, "scan refused \(text)")
        #expect(fast == OpenAIChunk.decodeGeneral(text), "scan and JSONDecoder differ on \(text)")
        return fast
    }

    @Test func readsTextDeltaAndSkipsOtherMembers() {
        let chunk = scanned(#"{"id":"c-1","object":"chat.completion.chunk","created":1700000000,"model":"m","system_fingerprint":null,"choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"logprobs":null,"finish_reason":null}]}"#)
        #expect(chunk?.choices?.first?.delta?.content == "Hel")
        #expect(chunk?.choices?.first?.finish_reason == nil)
        #expect(chunk?.usage == nil)
    }

    @Test func readsFinishReasonAndUsage() {
        let finish = scanned(#"{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}"#)
        #expect(finish?.choices?.first?.finish_reason == "tool_calls")
        #expect(finish?.choices?.first?.delta == OpenAIChunk.Delta())
        let usage = scanned(#" { "choices" : [ ] , "usage" : { "prompt_tokens" : 12 , "completion_tokens" : 0, "total_tokens": 12, "prompt_tokens_details": {"cached_tokens": 0} } } "#)
        #expect(usage?.choices == [])
        #expect(usage?.usage == OpenAIChunk.Usage(prompt_tokens: 12, completion_tokens: 0))
    }

    @Test func readsToolCallDeltas() {
        let chunk = scanned(#"{"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_9","type":"function","function":{"name":"search","arguments":"{\"q\":"}},{"index":2,"function":{"arguments":"\"x\"}"}}]}}]}"#)
        let calls = chunk?.choices?.first?.delta?.tool_calls
        #expect(calls?.count == 2)
        #expect(calls?.first == OpenAIChunk.ToolCallDelta(index: 1, id: "call_9", function: .init(name: "search", arguments: #"{"q":"#)))
        #expect(calls?.last == OpenAIChunk.ToolCallDelta(index: 2, id: nil, function: .init(name: nil, arguments: #""x"}"#)))
    }

    @Test func unescapesStrings() {
        let chunk = scanned(#"{"choices":[{"delta":{"content":"a\nb\t\"q\" \\ \/ \b\f\r \u00e9\u2713 \ud83d\ude00 \u0041 é✓"}}]}"#)
        #expect(chunk?.choices?.first?.delta?.content == "a\nb\t\"q\" \\ / \u{8}\u{C}\r é✓ 😀 A é✓")
    }

    @Test func readsNullsAsAbsent() {
        let chunk = scanned(#"{"choices":[{"delta":{"content":null,"tool_calls":null},"finish_reason":null}],"usage":null,"error":null}"#)
        #expect(chunk?.choices?.first?.delta == OpenAIChunk.Delta(content: nil, tool_calls: nil))
        #expect(chunk?.usage == nil)
        let nullDelta = scanned(#"{"choices":[{"delta":null}],"choices_extra":[1,-2.5e3,true,false,{"a":[[]]}]}"#)
        #expect(nullDelta?.choices?.first?.delta == nil)
        let nullCall = scanned(#"{"choices":[{"delta":{"tool_calls":[{"index":null,"id":null,"function":null}]}}]}"#)
        #expect(nullCall?.choices?.first?.delta?.tool_calls == [OpenAIChunk.ToolCallDelta()])
    }

    @Test(arguments: [
        #"{"error":{"message":"overloaded","code":"server_error"}}"#,        // an error: the slow path reports it
        #"{"choices":[{"delta":{"content":5}}]}"#,                           // another type
        #"{"usage":{"prompt_tokens":1.5}}"#,                                 // not an integer
        #"{"usage":{"prompt_tokens":99999999999999999999}}"#,                // overflow
        #"{"choices":[{"delta":{"content":"\ud83d"}}]}"#,                    // lone surrogate
        #"{"choices":[{"delta":{"content":"\x"}}]}"#,                        // bad escape
        #"{"cho\u0069ces":[]}"#,                                             // escaped key
        #"{"choices":[]"#,                                                    // truncated
        #"{"choices":[]} x"#,                                                 // trailing bytes
        #"{"choices":[],}"#,                                                  // trailing comma
        #"{"a":01}"#,                                                         // leading zero
        #"{"a":tru}"#,                                                        // bad literal
        "{\"choices\":[{\"delta\":{\"content\":\"a\u{1}b\"}}]}",             // raw control character
        #"[1,2]"#,                                                            // not an object
        String(repeating: #"{"a":["#, count: 40) + "1" + String(repeating: "]}", count: 40),  // too deep
        "",
    ])
    func refusesWhatItDoesNotExpect(_ text: String) {
        #expect(OpenAIChunk.scan(text) == nil)
    }

    @Test func decodeFallsBackToJSONDecoder() {
        let error = OpenAIChunk.decode(#"{"error":{"message":"x"}}"#)
        #expect(error?.error != nil)
        let float = OpenAIChunk.decode(#"{"choices":[],"usage":{"prompt_tokens":3.0,"completion_tokens":2}}"#)
        #expect(float?.usage?.completion_tokens == 2)
        #expect(OpenAIChunk.decode(#"{"choices":[{"delta":{"content":5}}]}"#) == nil)
    }
}
