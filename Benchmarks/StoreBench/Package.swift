// swift-tools-version:6.1
import PackageDescription

// SQLite store benchmarks (PaladinStore): appends single, concurrent and batched; history(50)
// and search on a store of 1,000,000 entries across 10,000 sessions; the reference's garrison
// workloads on SQLite. Kept in its own package so neither the main package nor its tests pull
// it in. Run from this folder: `swift package --allow-writing-to-package-directory benchmark`.
// See docs/benchmarks-store.md.
let package = Package(
    name: "PaladinStoreBench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Paladin", path: "../.."),
        .package(url: "https://github.com/ordo-one/benchmark.git", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "Store",
            dependencies: [
                .product(name: "PaladinCore", package: "Paladin"),
                .product(name: "PaladinStore", package: "Paladin"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Store",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
