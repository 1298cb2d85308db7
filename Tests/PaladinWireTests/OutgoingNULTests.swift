import NIOCore
import Testing

@testable import PaladinWire

/// protobuf-c strings end at the first NUL, so a Swift string holding U+0000 cannot be encoded
/// whole: the checked encoders refuse it naming the field, the unchecked ones put U+FFFD in its
/// place; neither ever cuts the string short silently.
@Suite("Outgoing strings holding U+0000")
struct OutgoingNULTests {
    @Test("encodeChecked and checkedSerializedBytes name the field that holds U+0000")
    func checkedEncodersRefuse() {
        var response = Paladin_V1_ExecuteResponse()
        response.output = "model said \u{0} then more"
        let error = WireError.stringHoldsNUL(message: "paladin.v1.ExecuteResponse", field: "output")
        #expect(throws: error) { try response.checkedSerializedBytes() }
        var buffer = ByteBuffer()
        #expect(throws: error) { try response.encodeChecked(into: &buffer) }
        #expect(buffer.readableBytes == 0, "nothing is written when the encoding is refused")
    }

    @Test("the path reaches repeated, nested, map and oneof fields")
    func pathsOfNestedFields() {
        var entry = Paladin_V1_GarrisonEntry()
        entry.content = "fine"
        var bad = entry
        bad.content = "a\u{0}b"
        var append = Paladin_V1_AppendRequest()
        append.entries = [entry, bad]
        #expect(throws: WireError.stringHoldsNUL(message: "paladin.v1.AppendRequest", field: "entries[1].content")) {
            try append.checkedSerializedBytes()
        }
        var meta = entry
        meta.metadata = ["k": "v\u{0}"]
        append.entries = [meta]
        #expect(throws: WireError.stringHoldsNUL(message: "paladin.v1.AppendRequest", field: "entries[0].metadata[0].value")) {
            try append.checkedSerializedBytes()
        }
        var formation = Paladin_V1_FormationSpec()
        formation.members = ["a", "\u{0}"]
        var definition = Paladin_V1_BattalionDefinition()
        definition.pattern = .formation(formation)
        #expect(throws: WireError.stringHoldsNUL(message: "paladin.v1.BattalionDefinition", field: "formation.members[1]")) {
            try definition.checkedSerializedBytes()
        }
    }

    @Test("strings without U+0000 encode as before; the unchecked encoders show U+FFFD, not a cut")
    func uncheckedEncodersReplace() throws {
        var response = Paladin_V1_ExecuteResponse()
        response.output = "héllo ⚔"
        #expect(try response.checkedSerializedBytes() == response.serializedBytes())
        response.output = "before\u{0}after"
        let decoded = try Paladin_V1_ExecuteResponse(decoding: response.serializedBytes())
        #expect(decoded.output == "before\u{FFFD}after")
    }
}
