/// Where the server's TLS material lives and whether clients must present certificates
/// (`server.tls` in the configuration). Files, not bytes, so a SIGHUP can reload them.
public struct TLSSettings: Sendable, Hashable {
    /// Whether a client certificate is asked for and checked against `clientCAFile`.
    public enum ClientCertificates: String, Sendable, Hashable, CaseIterable {
        /// No client certificate is asked for.
        case none
        /// Asked for; a client without one connects, one with a bad one is refused.
        case optional
        /// The handshake fails without a certificate the client CA signed (mTLS).
        case require
    }

    /// PEM file with the server certificate, then any intermediates.
    public var certificateChainFile: String
    /// PEM file with the certificate's private key.
    public var privateKeyFile: String
    /// PEM file with the CAs that sign client certificates; needed unless `clientCertificates`
    /// is `.none`.
    public var clientCAFile: String?
    /// Default `.none`, or `.require` when a client CA file is named.
    public var clientCertificates: ClientCertificates
    /// Oldest protocol accepted: TLS 1.2 (default) or 1.3.
    public var minimumVersion: MinimumVersion = .tls12

    /// The oldest TLS version a client may speak.
    public enum MinimumVersion: String, Sendable, Hashable, CaseIterable {
        case tls12 = "1.2"
        case tls13 = "1.3"
    }

    public init(certificateChainFile: String, privateKeyFile: String, clientCAFile: String? = nil,
                clientCertificates: ClientCertificates? = nil) {
        self.certificateChainFile = certificateChainFile
        self.privateKeyFile = privateKeyFile
        self.clientCAFile = clientCAFile
        self.clientCertificates = clientCertificates ?? (clientCAFile == nil ? .none : .require)
    }
}
