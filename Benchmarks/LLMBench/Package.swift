// swift-tools-version:6.1
import PackageDescription

// The PaladinLLM transfer benchmark, kept out of the main package's build and tests.
// `paladin-llm-bench` starts a fake OpenAI-compatible SSE server (itself, in `serve` mode, as a
// separate process) and runs rounds of concurrent streaming completions against it, reporting
// threads, CPU time per request and memory. See docs/benchmarks-llm.md.
let package = Package(
    name: "PaladinLLMBench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Paladin", path: "../.."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        .executableTarget(
            name: "paladin-llm-bench",
            dependencies: [
                .product(name: "PaladinLLM", package: "Paladin"),
                .product(name: "PaladinCore", package: "Paladin"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            path: "Sources/LLMBench"
        ),
    ],
    swiftLanguageModes: [.v6]
)
