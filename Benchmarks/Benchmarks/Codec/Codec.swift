// Wire-codec micro-benchmarks (ordo-one/benchmark): run with `swift package benchmark` from
// Benchmarks/. Each benchmark does its operation `scalingFactor` times per measured iteration;
// the figures marked `*` in the output are per operation (wall clock, mallocs).
//
// PaladinWire is not a product of the main package. Its types are public and the module is
// built as part of the PaladinClient product this target depends on, so `import PaladinWire`
// resolves through SwiftPM's (undeclared) transitive module visibility. See docs/benchmarks.md.

import Benchmark
import NIOCore
import PaladinWire

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        scalingFactor: .kilo,
        maxDuration: .seconds(2),
        maxIterations: 1_000
    )

    // The golden `request_health_check` Request: method, metadata x-request-id=42, timeout 5 s,
    // message = HealthCheckRequest{} (encodes to zero bytes).
    func goldenRequest() -> Paladin_V1_Request {
        var request = Paladin_V1_Request()
        request.method = "paladin.v1.Health/Check"
        var entry = Paladin_V1_MetadataEntry()
        entry.key = "x-request-id"
        entry.value = "42"
        request.metadata = [entry]
        request.timeoutUs = 5_000_000
        request.message = Paladin_V1_HealthCheckRequest().serializedBytes()
        return request
    }

    Benchmark("Request(HealthCheck) encode") { benchmark in
        let request = goldenRequest()
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        for _ in benchmark.scaledIterations {
            buffer.clear()
            blackHole(request.encode(into: &buffer))
        }
    }

    Benchmark("Request(HealthCheck) decode") { benchmark in
        var encoded = ByteBuffer()
        goldenRequest().encode(into: &encoded)
        for _ in benchmark.scaledIterations {
            let request = try Paladin_V1_Request(decoding: encoded)
            blackHole(try Paladin_V1_HealthCheckRequest(decoding: request.message))
        }
    }

    Benchmark("Request(HealthCheck) encode+decode") { benchmark in
        let request = goldenRequest()
        var buffer = ByteBufferAllocator().buffer(capacity: 256)
        for _ in benchmark.scaledIterations {
            buffer.clear()
            Paladin_V1_HealthCheckRequest().encode(into: &buffer)
            var wire = request
            wire.message = Array(buffer.readableBytesView)
            buffer.clear()
            wire.encode(into: &buffer)
            let decoded = try Paladin_V1_Request(decoding: buffer)
            blackHole(try Paladin_V1_HealthCheckRequest(decoding: decoded.message))
        }
    }

    // 64 REQUEST frames in one buffer, as one read of a pipelining client delivers them.
    func burst(frames: Int) -> ByteBuffer {
        var buffer = ByteBufferAllocator().buffer(capacity: frames * 64)
        let request = goldenRequest()
        for i in 0..<frames {
            FrameWriter.write(.request, flags: .endStream, streamID: UInt32(2 * i + 1), message: request, to: &buffer)
        }
        return buffer
    }

    Benchmark("FrameParser 64-frame burst") { benchmark in
        let bytes = burst(frames: 64)
        for _ in benchmark.scaledIterations {
            var parser = FrameParser(expectPreface: false, maxFrameSize: 4 * 1024 * 1024)
            parser.append(bytes)
            var count = 0
            while let item = try parser.next() {
                if case .frame = item { count += 1 }
            }
            precondition(count == 64)
            blackHole(count)
        }
    }

    // What the server does per burst before routing: frames, then each payload to a Request.
    Benchmark("FrameParser 64-frame burst + Request decode") { benchmark in
        let bytes = burst(frames: 64)
        for _ in benchmark.scaledIterations {
            var parser = FrameParser(expectPreface: false, maxFrameSize: 4 * 1024 * 1024)
            parser.append(bytes)
            while let item = try parser.next() {
                if case .frame(let frame) = item { blackHole(try Paladin_V1_Request(decoding: frame.payload)) }
            }
        }
    }

    // The server's reply to one Health/Check: MESSAGE{SERVING} + END{} into the connection's buffer.
    Benchmark("Health/Check response frames write") { benchmark in
        var out = ByteBufferAllocator().buffer(capacity: 1024)
        var response = Paladin_V1_HealthCheckResponse()
        response.status = .serving
        for i in benchmark.scaledIterations {
            out.clear()
            FrameWriter.write(.message, streamID: UInt32(i + 1), message: response, to: &out)
            FrameHeader(length: 0, type: .end, streamID: UInt32(i + 1)).write(to: &out)
            blackHole(out.readableBytes)
        }
    }

    func entry() -> Paladin_V1_GarrisonEntry {
        var entry = Paladin_V1_GarrisonEntry()
        entry.id = 123_456
        entry.sessionID = "session-0001"
        entry.role = .user
        entry.content = "The paladin reviews the battalion's plan and asks for a shorter route through the pass."
        entry.tokenCount = 21
        entry.importance = 50
        entry.createdAtUs = 1_764_000_000_000_000
        entry.metadata = ["lang": "en", "source": "cli", "trace-id": "4bf92f3577b34da6", "tenant": "acme"]
        return entry
    }

    Benchmark("GarrisonEntry (4 metadata) encode") { benchmark in
        let value = entry()
        var buffer = ByteBufferAllocator().buffer(capacity: 512)
        for _ in benchmark.scaledIterations {
            buffer.clear()
            blackHole(value.encode(into: &buffer))
        }
    }

    Benchmark("GarrisonEntry (4 metadata) decode") { benchmark in
        var encoded = ByteBuffer()
        entry().encode(into: &encoded)
        for _ in benchmark.scaledIterations {
            blackHole(try Paladin_V1_GarrisonEntry(decoding: encoded))
        }
    }
}
