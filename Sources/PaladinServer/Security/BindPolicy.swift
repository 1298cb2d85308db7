/// The rule `serve` applies before binding: a port other machines can reach must be encrypted
/// and authenticated, unless the operator says `--insecure`.
public enum BindPolicy {
    /// Why binding `host` is refused, in one line, or `nil` when it is allowed.
    public static func refusal(host: String, tls: Bool, authenticated: Bool, insecure: Bool) -> String? {
        if insecure || isLoopback(host) || (tls && authenticated) { return nil }
        let missing = [tls ? nil : "TLS (server.tls)", authenticated ? nil : "a principal (auth.principals or auth.jwt)"]
            .compactMap { $0 }.joined(separator: " and ")
        return "refusing to listen on \(host) without \(missing): anyone who can reach the port could read and change every tenant's data; configure them, or pass --insecure"
    }

    /// 127.0.0.0/8, ::1 and `localhost`: only this machine can connect.
    public static func isLoopback(_ host: String) -> Bool {
        let trimmed = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        if trimmed == "localhost" || trimmed == "::1" { return true }
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }
}
