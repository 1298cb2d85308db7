import Crypto

/// Decides who a connection's peer is from its HELLO bearer token and its verified client
/// certificate. Pure and shared by every connection; a JWT is handed back for `JWTVerifier`
/// to check asynchronously.
public struct Authenticator: Sendable {
    /// The answer for one HELLO.
    enum Outcome: Equatable {
        case authenticated(Principal)
        /// UNAUTHENTICATED, with this message (never the token).
        case refused(String)
        /// The token is a JWT: verify it before answering HELLO.
        case verifyJWT(String)
    }

    private let tokens: [(digest: [UInt8], principal: Principal)]
    private let certificates: [String: Principal]
    private let acceptsJWT: Bool

    /// Whether any principal is configured; without one every peer is `Principal.anonymous`.
    public var isRequired: Bool { !tokens.isEmpty || !certificates.isEmpty || acceptsJWT }

    public init(principals: [PrincipalSpec], acceptsJWT: Bool = false) {
        var tokens: [(digest: [UInt8], principal: Principal)] = []
        var certificates: [String: Principal] = [:]
        for spec in principals {
            switch spec.credential {
            case .bearerTokenDigest(let digest): tokens.append((digest, spec.principal))
            case .certificateIdentity(let identity): certificates[identity] = spec.principal
            }
        }
        self.tokens = tokens
        self.certificates = certificates
        self.acceptsJWT = acceptsJWT
    }

    /// Everyone is the anonymous admin: a server with no `auth` section.
    public static let open = Authenticator(principals: [])

    /// A bearer token decides when one is sent (a JWT when `auth.jwt` is set and the token
    /// has a JWT's shape); otherwise the client certificate's names.
    func authenticate(token: String, certificateNames: [String]) -> Outcome {
        guard isRequired else { return .authenticated(.anonymous) }
        if !token.isEmpty {
            if acceptsJWT && Self.looksLikeJWT(token) { return .verifyJWT(token) }
            let digest = Array(SHA256.hash(data: Array(token.utf8)))
            // Every digest is compared, in constant time, so timing tells nothing of which
            // principal (if any) came close.
            var match: Principal?
            for entry in tokens where constantTimeEquals(entry.digest, digest) {
                match = match ?? entry.principal
            }
            return match.map { .authenticated($0) } ?? .refused("invalid auth token")
        }
        for name in certificateNames {
            if let principal = certificates[name] { return .authenticated(principal) }
        }
        if !certificateNames.isEmpty {
            return .refused("client certificate \(certificateNames.first!) is not a configured principal")
        }
        return .refused("authentication required: send a bearer token in HELLO or a client certificate")
    }

    static func looksLikeJWT(_ token: String) -> Bool {
        token.utf8.count(where: { $0 == UInt8(ascii: ".") }) == 2 && token.hasPrefix("eyJ")
    }
}

/// Equal length and equal bytes, in time that depends only on the length.
func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
    guard a.count == b.count else { return false }
    var difference: UInt8 = 0
    for index in a.indices { difference |= a[index] ^ b[index] }
    return difference == 0
}
