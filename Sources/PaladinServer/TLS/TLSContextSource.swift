import NIOSSL
import Synchronization

/// The server's current TLS context, built from `TLSSettings`' files and rebuilt by `reload()`
/// (on SIGHUP). A connection takes the context current when it is accepted, so a reload
/// changes the certificate new connections see and leaves open ones as they are.
public final class TLSContextSource: Sendable {
    private let settings: TLSSettings
    private let context: Mutex<NIOSSLContext>

    /// Reads the files; throws `TLSSetupError` naming the file that cannot be used.
    public init(_ settings: TLSSettings) throws(TLSSetupError) {
        self.settings = settings
        self.context = Mutex(try Self.makeContext(settings))
    }

    /// The context for a new connection.
    var current: NIOSSLContext { context.withLock { $0 } }

    /// Re-reads the files. On failure the previous context stays in use and the error says why.
    public func reload() throws(TLSSetupError) {
        let fresh = try Self.makeContext(settings)
        context.withLock { $0 = fresh }
    }

    private static func makeContext(_ settings: TLSSettings) throws(TLSSetupError) -> NIOSSLContext {
        let chain: [NIOSSLCertificate]
        do { chain = try NIOSSLCertificate.fromPEMFile(settings.certificateChainFile) } catch {
            throw TLSSetupError("cannot read certificate chain \(settings.certificateChainFile): \(error)")
        }
        guard !chain.isEmpty else { throw TLSSetupError("no certificate in \(settings.certificateChainFile)") }
        let key: NIOSSLPrivateKey
        do { key = try NIOSSLPrivateKey(file: settings.privateKeyFile, format: .pem) } catch {
            throw TLSSetupError("cannot read private key \(settings.privateKeyFile): \(error)")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = settings.minimumVersion == .tls13 ? .tlsv13 : .tlsv12
        switch settings.clientCertificates {
        case .none:
            configuration.certificateVerification = .none
        case .optional, .require:
            guard let caFile = settings.clientCAFile else {
                throw TLSSetupError("client certificates are \(settings.clientCertificates.rawValue) but no client CA file is named")
            }
            let roots: [NIOSSLCertificate]
            do { roots = try NIOSSLCertificate.fromPEMFile(caFile) } catch {
                throw TLSSetupError("cannot read client CA file \(caFile): \(error)")
            }
            configuration.trustRoots = .certificates(roots)
            configuration.certificateVerification = settings.clientCertificates == .require
                ? .noHostnameVerification : .optionalVerification
        }
        do { return try NIOSSLContext(configuration: configuration) } catch {
            throw TLSSetupError("cannot use \(settings.certificateChainFile) with \(settings.privateKeyFile): \(error)")
        }
    }
}

/// Why the TLS files cannot be used.
public struct TLSSetupError: Error, CustomStringConvertible, Sendable {
    public let description: String
    init(_ description: String) { self.description = description }
}
