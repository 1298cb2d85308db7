import Foundation
import PaladinWire

/// The cursor a paged call hands back as `next_page_token`: which call it belongs to, a hash of
/// the request fields the listing depends on (session, query, filters), and the keyset position
/// to continue after (a number and a string, whichever the call needs). Encoded as unpadded
/// base64url of a small versioned byte layout ending in a checksum of the rest, so a token that
/// was cut or changed is refused; clients must treat it as opaque. The position is not secret:
/// any position is safe to continue from, so a token crafted on purpose can only skip or repeat
/// items of the same listing, never reach another session's or call's items, since its scope
/// hash must match the request.
struct PageToken: Hashable {
    /// Which call issued the token.
    enum Kind: UInt8 {
        case history = 1, search, sessions, runs, paladins, battalions
    }

    static let version: UInt8 = 1
    /// Longest token accepted, characters; the longest cursor string (a session id or a
    /// catalog name) fits well within it.
    static let maxLength = 512

    var kind: Kind
    var scope: UInt64
    var number: Int64
    var text: String

    init(kind: Kind, scope: UInt64, number: Int64 = 0, text: String = "") {
        self.kind = kind
        self.scope = scope
        self.number = number
        self.text = text
    }

    /// The token's wire form.
    var encoded: String {
        var bytes: [UInt8] = [Self.version, kind.rawValue]
        withUnsafeBytes(of: scope.bigEndian) { bytes.append(contentsOf: $0) }
        withUnsafeBytes(of: number.bigEndian) { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: text.utf8)
        withUnsafeBytes(of: Self.checksum(bytes).bigEndian) { bytes.append(contentsOf: $0) }
        return Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes `token` issued by `kind` for a request of `scope`; nil when `token` is empty.
    /// - Throws: INVALID_ARGUMENT (field `page_token`) when it is malformed, from another call or
    ///   for other request fields.
    static func decode(_ token: String, kind: Kind, scope: UInt64) throws(RPCError) -> PageToken? {
        guard !token.isEmpty else { return nil }
        guard token.utf8.count <= maxLength,
              token.utf8.allSatisfy({ Self.isBase64URL($0) }) else { throw invalid("is not a page token") }
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), data.count >= 22 else { throw invalid("is not a page token") }
        let checked = [UInt8](data)
        let bytes = Array(checked.dropLast(4))
        let check = checked.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard check == Self.checksum(bytes) else { throw invalid("is damaged") }
        guard bytes[0] == version else { throw invalid("is of an unknown version") }
        guard bytes[1] == kind.rawValue else { throw invalid("was issued by another call") }
        let tokenScope = bytes[2..<10].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard tokenScope == scope else { throw invalid("was issued for a request with other fields") }
        let number = Int64(bitPattern: bytes[10..<18].reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        guard let text = String(validating: bytes[18...], as: UTF8.self) else { throw invalid("is not a page token") }
        return PageToken(kind: kind, scope: scope, number: number, text: text)
    }

    /// A 64-bit FNV-1a hash of `fields`, each ended by a zero byte: ties a token to the request
    /// fields its listing depends on.
    static func scope(_ fields: String...) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for field in fields {
            for byte in field.utf8 + [0] {
                hash ^= UInt64(byte)
                hash &*= 0x0000_0100_0000_01b3
            }
        }
        return hash
    }

    /// A 32-bit FNV-1a hash of `bytes`: catches a token that was cut or changed.
    private static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.reduce(UInt32(0x811c_9dc5)) { ($0 ^ UInt32($1)) &* 0x0100_0193 }
    }

    private static func isBase64URL(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): true
        default: false
        }
    }

    private static func invalid(_ reason: String) -> RPCError {
        RPCError(.invalidArgument, "page_token \(reason): pass a next_page_token unchanged, with the same request fields",
                 details: ["field": "page_token"])
    }
}
