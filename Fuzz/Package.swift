// swift-tools-version:6.1
import Foundation
import PackageDescription

// The libFuzzer target over the wire decoder: FrameParser, protobuf-c decode of every message
// the server and client decode, and the string-field validator (docs/benchmarks.md, "Fuzzing").
//
// A package of its own so that the main package never builds it: it is only useful built with
// `-sanitize=fuzzer,address` (scripts/fuzz does that): its `main` hands the command line to
// libFuzzer's driver with `LLVMFuzzerTestOneInput` as the function under test.

// A path dependency is named after its directory, which differs between checkouts.
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
let paladin = root.lastPathComponent

let package = Package(
    name: "PaladinFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: ".."),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    ],
    targets: [
        // The declaration of libFuzzer's LLVMFuzzerRunDriver.
        .target(name: "CFuzzerDriver"),
        .executableTarget(
            name: "paladin-wire-fuzz",
            dependencies: [
                "CFuzzerDriver",
                .product(name: "PaladinWire", package: paladin),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Sources/PaladinWireFuzz"
        ),
    ],
    swiftLanguageModes: [.v6]
)
