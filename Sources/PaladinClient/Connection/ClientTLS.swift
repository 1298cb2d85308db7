import NIOCore
import NIOSSL

/// TLS for a client connection: which CAs to trust and, for mTLS, the client's certificate.
/// Paths, not bytes, so the configuration stays a plain value.
public struct ClientTLS: Sendable, Hashable {
    /// PEM file of CAs that sign the server's certificate; `nil` trusts the system's roots.
    public var caFile: String?
    /// PEM file with the client certificate chain, for servers that require mTLS.
    public var certificateFile: String?
    /// PEM file with the client certificate's private key.
    public var keyFile: String?
    /// Name checked against the server certificate (and sent as SNI); by default the host
    /// connected to. An IP address is checked against the certificate's IP SANs.
    public var serverName: String?

    public init(caFile: String? = nil, certificateFile: String? = nil, keyFile: String? = nil, serverName: String? = nil) {
        self.caFile = caFile
        self.certificateFile = certificateFile
        self.keyFile = keyFile
        self.serverName = serverName
    }

    /// The NIOSSL context for these files: TLS 1.2 or later, full verification.
    func makeContext() throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let caFile { configuration.trustRoots = .file(caFile) }
        switch (certificateFile, keyFile) {
        case (let certificate?, let key?):
            configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
        case (nil, nil):
            break
        default:
            throw ClientTLSError("a client certificate needs both its certificate and its key file")
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// The name to verify for `host`: `serverName`, else `host` unless it is an IP address
    /// (NIOSSL then checks the peer's address against the certificate's IP SANs).
    func verifiedName(for host: String) -> String? {
        if let serverName { return serverName }
        let isAddress = (try? SocketAddress(ipAddress: host, port: 0)) != nil
        return isAddress ? nil : host
    }
}

/// A client TLS setup problem; `PaladinConnection.connect` reports it as INVALID_ARGUMENT.
struct ClientTLSError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
