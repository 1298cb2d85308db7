// swift-tools-version:6.1
import PackageDescription

// Orchestration-core micro-benchmarks of PaladinCore (Garrison, Formation, Phalanx) and PaladinHerald,
// reproducing the workloads of paladin-ai 0.5.1's legacy Criterion suites. Kept in its own
// package so that neither the main package nor Benchmarks/ pulls it in.
// Run from this folder: `swift package --allow-writing-to-package-directory benchmark`.
// See docs/benchmarks-core.md.
let package = Package(
    name: "PaladinCoreBench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Paladin", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Core",
            dependencies: [
                .product(name: "PaladinCore", package: "Paladin"),
                .product(name: "PaladinHerald", package: "Paladin"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Core",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
