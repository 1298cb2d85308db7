import NIOCore
import NIOSSL
import NIOTLS

/// Sits after `NIOSSLServerHandler`: when the handshake completes, reads the client's verified
/// certificate (if any) and fires a `PeerCertificateIdentity` so the connection handler learns
/// who the peer proved to be before any application byte arrives.
final class PeerIdentityHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event,
           let tls = try? context.pipeline.syncOperations.handler(type: NIOSSLServerHandler.self),
           let certificate = tls.peerCertificate {
            context.fireUserInboundEventTriggered(PeerCertificateIdentity(names: Self.names(of: certificate)))
        }
        context.fireUserInboundEventTriggered(event)
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
