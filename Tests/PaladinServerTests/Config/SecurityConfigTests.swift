import Crypto
@testable import PaladinServer
import Testing

/// `server.tls`, `auth` and secret-bearing provider headers in the configuration file.
@Suite("Security configuration")
struct SecurityConfigTests {
    private func problems(_ yaml: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try PaladinConfig.parse(yaml, environment: environment)
            return []
        } catch let error as ConfigError {
            return error.problems.map { "\($0.path): \($0.message)" }
        } catch {
            return ["\(error)"]
        }
    }

    @Test("server.tls: files, client certificates, minimum version; a client CA implies require")
    func tls() throws {
        let config = try PaladinConfig.parse("""
        server:
          tls:
            cert_file: /etc/paladin/server.pem
            key_file: /etc/paladin/server.key
            client_ca_file: /etc/paladin/ca.pem
            min_version: "1.3"
        """)
        let tls = try #require(config.server.tls)
        #expect(tls.certificateChainFile == "/etc/paladin/server.pem")
        #expect(tls.privateKeyFile == "/etc/paladin/server.key")
        #expect(tls.clientCAFile == "/etc/paladin/ca.pem")
        #expect(tls.clientCertificates == .require)
        #expect(tls.minimumVersion == .tls13)
        #expect(problems("server:\n  tls:\n    cert_file: a.pem\n") == ["server.tls.key_file: required: the PEM file with the certificate's private key"])
        #expect(problems("server:\n  tls: {cert_file: a, key_file: b, client_certificates: optional}\n")
            == ["server.tls.client_ca_file: required when client_certificates is optional"])
    }

    @Test("auth.principals: each credential kind; the token of token_env is kept only as its digest")
    func principals() throws {
        let digest = Array(SHA256.hash(data: Array("ci-token".utf8)))
        let hex = digest.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        let config = try PaladinConfig.parse("""
        auth:
          principals:
            ops: {tenant: acme, role: admin, token_env: OPS_TOKEN}
            ci: {tenant: acme, token_sha256: \(hex)}
            svc-a: {role: operator, mtls: spiffe://paladin.test/svc-a}
        """, environment: ["OPS_TOKEN": "ops-token"])
        #expect(config.auth.principals == [
            PrincipalSpec(principal: Principal(name: "ops", tenant: "acme", role: .admin),
                          credential: .bearerTokenDigest(Array(SHA256.hash(data: Array("ops-token".utf8))))),
            PrincipalSpec(principal: Principal(name: "ci", tenant: "acme", role: .reader), credential: .bearerTokenDigest(digest)),
            PrincipalSpec(principal: Principal(name: "svc-a", tenant: "default", role: .operator),
                          credential: .certificateIdentity("spiffe://paladin.test/svc-a")),
        ])
    }

    @Test("auth mistakes are reported with their paths", arguments: [
        ("auth:\n  principals:\n    a: {role: root, mtls: x}\n", "auth.principals.a.role: expected one of admin, operator, reader"),
        ("auth:\n  principals:\n    a: {mtls: x, token_env: T}\n", "auth.principals.a: needs exactly one of token_sha256, token_env or mtls (found 2)"),
        ("auth:\n  principals:\n    a: {token_env: UNSET}\n", "auth.principals.a.token_env: environment variable UNSET is not set or empty"),
        ("auth:\n  principals:\n    a: {token_sha256: abc}\n", "auth.principals.a.token_sha256: expected 64 hex digits: the SHA-256 of the token (printf %s TOKEN | sha256sum)"),
        ("auth:\n  jwt: {issuer: i, audience: a}\n", "auth.jwt: needs exactly one of jwks_file, public_key_file or hmac_secret_env"),
        ("auth:\n  jwt: {issuer: i, audience: a, hmac_secret_env: SHORT}\n", "auth.jwt.hmac_secret_env: environment variable SHORT must hold a secret of at least 32 bytes"),
    ])
    func authMistakes(_ yaml: String, _ problem: String) {
        #expect(problems(yaml, environment: ["SHORT": "too-short"]).contains(problem), "\(problems(yaml))")
    }

    @Test("provider headers: literal values for plain headers, {env: NAME} for credentials; a literal credential is refused")
    func headers() throws {
        let base = "providers:\n  p: {kind: openai, base_url: 'http://127.0.0.1:1/v1', headers: {%@}}\n"
        let config = try PaladinConfig.parse(base.replacingOccurrences(of: "%@", with: "X-Team: search, Authorization: {env: P_AUTH}"),
                                             environment: ["P_AUTH": "Bearer abc"])
        guard case .http(let provider)? = config.providers["p"] else {
            Issue.record("provider p not read as HTTP: \(String(describing: config.providers["p"]))")
            return
        }
        #expect(provider.headers == ["X-Team": "search", "Authorization": "Bearer abc"])
        #expect(problems(base.replacingOccurrences(of: "%@", with: "X-Api-Key: abc"))
            == ["providers.p.headers.X-Api-Key: looks like a credential: give it as {env: VARIABLE} so the secret stays out of the file"])
        #expect(problems(base.replacingOccurrences(of: "%@", with: "Authorization: {env: UNSET}"))
            == ["providers.p.headers.Authorization.env: environment variable UNSET is not set or empty"])
    }

    @Test("the bind rule: loopback always; elsewhere TLS and a principal, or --insecure")
    func bindPolicy() {
        for host in ["127.0.0.1", "127.1.2.3", "::1", "[::1]", "localhost"] {
            #expect(BindPolicy.refusal(host: host, tls: false, authenticated: false, insecure: false) == nil, "\(host)")
        }
        for host in ["0.0.0.0", "::", "10.0.0.5", "example.com", "127.0.0.1.example.com"] {
            #expect(BindPolicy.refusal(host: host, tls: false, authenticated: false, insecure: false) != nil, "\(host)")
            #expect(BindPolicy.refusal(host: host, tls: false, authenticated: false, insecure: true) == nil)
        }
        #expect(BindPolicy.refusal(host: "0.0.0.0", tls: true, authenticated: true, insecure: false) == nil)
        #expect(BindPolicy.refusal(host: "0.0.0.0", tls: true, authenticated: false, insecure: false)
            == "refusing to listen on 0.0.0.0 without a principal (auth.principals or auth.jwt): anyone who can reach the port could read and change every tenant's data; configure them, or pass --insecure")
    }
}
