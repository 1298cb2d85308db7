import NIOCore
import NIOSSL
import NIOTLS

/// Sits after `NIOSSLServerHandler`: when the handshake completes, reads the client's verified
/// certificate (if any) and fires a `PeerCertificateIdentity` so the connection handler learns
/// who the peer proved to be before any application byte arrives; then leaves the pipeline,
/// so reads after the handshake pass one handler fewer.
final class PeerIdentityHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard case TLSUserEvent.handshakeCompleted = event else { return context.fireUserInboundEventTriggered(event) }
        if let tls = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
           let certificate = tls.peerCertificate {
            context.fireUserInboundEventTriggered(PeerCertificateIdentity(names: Self.names(of: certificate)))
        }
        context.fireUserInboundEventTriggered(event)
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    static func names(of certificate: NIOSSLCertificate) -> [String] {
        var names = certificate.subjectName.filter { $0.type == .commonName }.map(\.value)
        for name in certificate._subjectAlternativeNames()
        where [.dnsName, .uri, .email].contains(name.nameType) {
            names.append(name.contents.withUnsafeBufferPointer { String(decoding: $0, as: UTF8.self) })
        }
        return names
    }
}
