import NIOCore
import PaladinWire

/// paladin.v1.ServerInfo: version, protocol, methods (implemented or not) and limits.
enum ServerInfoService {
    static func register(in router: inout ServiceRouter, configuration: ServerConfiguration, startedAt: NIODeadline) {
        let implemented = router
        router.registerInline(Paladin_V1_ServerInfo.get) { _, _ throws(RPCError) in
            var response = Paladin_V1_ServerInfoResponse()
            response.version = PaladinVersion.current
            response.protocolMajor = UInt32(Preface.currentMajor)
            response.protocolMinor = UInt32(Preface.currentMinor)
            response.methods = PaladinContract.methods.map { method in
                var descriptor = Paladin_V1_MethodDescriptor()
                descriptor.name = method.path
                descriptor.kind = method.kind == .unary ? .unary : .serverStreaming
                descriptor.implemented = implemented.isImplemented(method.path) || method.path == Paladin_V1_ServerInfo.get.path
                return descriptor
            }
            var limits = Paladin_V1_ServerLimits()
            limits.maxFrameSize = UInt32(clamping: configuration.limits.maxFrameSize)
            limits.maxConcurrentStreams = UInt32(clamping: configuration.limits.maxConcurrentStreams)
            limits.maxMetadataSize = UInt32(clamping: configuration.limits.maxMetadataSize)
            limits.maxConnections = UInt32(clamping: configuration.limits.maxConnections)
            limits.maxTimeoutUs = configuration.limits.maxTimeoutMicroseconds
            response.limits = limits
            response.uptimeSeconds = UInt64(max(0, (NIODeadline.now() - startedAt).nanoseconds / 1_000_000_000))
            return response
        }
    }
}
