// swift-tools-version:6.1
import PackageDescription

// Paladin's benchmarks, kept out of the main package so that its build and tests never pull in
// the benchmark framework. See docs/benchmarks.md.
//
// - `paladin-rpc-bench`: loopback RPC load generator (Health/Check) against `paladin serve`,
//   with the real PaladinClient and with a minimal NIO client (pre-encoded frames).
// - `Codec`: ordo-one/benchmark micro-benchmarks of the wire codec (`swift package benchmark`).
let package = Package(
    name: "PaladinBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Paladin", path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "paladin-rpc-bench",
            dependencies: [
                .product(name: "PaladinClient", package: "Paladin"),
                .product(name: "PaladinWire", package: "Paladin"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Sources/RPCBench"
        ),
        .executableTarget(
            name: "Codec",
            dependencies: [
                .product(name: "PaladinClient", package: "Paladin"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Codec",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
