import Foundation
import PaladinCore
import Testing

/// The package's one JSON writer: structure, escapes, number forms, compact and pretty layout.
@Suite("JSONWriter")
struct JSONWriterTests {
    @Test func compactAndPrettyLayout() {
        func document(pretty: Bool) -> String {
            var json = JSONWriter(pretty: pretty)
            json.beginObject()
            json.key("name"); json.string("x")
            json.key("none"); json.string(nil as String?)
            json.key("list")
            json.beginArray()
            for value in [1, -2] { json.element(); json.int(value) }
            json.endArray()
            json.key("empty"); json.beginObject(); json.endObject()
            json.key("ok"); json.bool(true)
            json.endObject()
            return json.string
        }
        #expect(document(pretty: false) == #"{"name":"x","none":null,"list":[1,-2],"empty":{},"ok":true}"#)
        #expect(document(pretty: true) == """
            {
              "name": "x",
              "none": null,
              "list": [
                1,
                -2
              ],
              "empty": {},
              "ok": true
            }
            """)
    }

    @Test func arrayWritesEachElementAndStopsAtAThrow() {
        var json = JSONWriter()
        json.array([1, 2, 3]) { json, value in json.int(value) }
        #expect(json.string == "[1,2,3]")
        struct Stop: Error {}
        var partial = JSONWriter()
        #expect(throws: Stop.self) {
            try partial.array([1, 2]) { json, value throws(Stop) in
                if value == 2 { throw Stop() }
                json.int(value)
            }
        }
    }

    @Test func stringsEscapeOnlyWhatJSONRequires() {
        var json = JSONWriter()
        json.string(String((0..<0x20).map { Character(Unicode.Scalar($0)!) }) + "\"\\/\u{7F}é👍")
        let expected = #""\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f"#
            + #"\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\/"#
            + "\u{7F}é👍\""
        #expect(json.string == expected)
    }

    @Test func stringsReadBackByteForByte() throws {
        let texts = ["", "plain", "a\"b\\c\nd", String(repeating: "abcdefgh\u{1}", count: 40), "漢字 👩‍👩‍👧‍👦 e\u{301}",
                     "\u{202E}rtl\u{2028}sep", String(repeating: "\"", count: 100)]
        for text in texts {
            var json = JSONWriter()
            json.beginArray()
            json.element()
            json.string(text)
            json.endArray()
            let parsed = try JSONSerialization.jsonObject(with: Data(json.bytes)) as? [String]
            #expect(parsed?.first.map { Array($0.utf8) } == Array(text.utf8))
        }
    }

    @Test(arguments: [(0.5, "0.5"), (3, "3"), (-0.0, "0"), (1e15, "1000000000000000.0"), (1e16, "1e+16"), (-123.25, "-123.25"), (0.1 + 0.2, "0.30000000000000004"),
                      (.nan, "null"), (.infinity, "null"), (-.infinity, "null")])
    func numbers(value: Double, text: String) {
        var json = JSONWriter()
        json.number(value)
        #expect(json.string == text)
    }

    @Test func rawTextIsCopiedAsIs() {
        var json = JSONWriter()
        json.beginObject()
        json.key("schema"); json.raw(#" {"type":"object"} "#)
        json.endObject()
        json.raw("\n")
        #expect(json.string == #"{"schema": {"type":"object"} }"# + "\n")
    }
}
