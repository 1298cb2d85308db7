import Foundation
import PaladinCore
import PaladinStore
import Testing

/// A child process appends in a tight loop and prints each acknowledged id; it is killed with
/// SIGKILL at a random moment; every id it printed must be in the reopened database.
@Suite("Crash safety")
struct CrashSafetyTests {
    /// `paladin-store-crash-helper`, built beside the test bundle by `swift build --build-tests`.
    static func helperPath() throws -> String {
        var directory = Bundle.main.bundleURL
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directory = bundle.bundleURL.deletingLastPathComponent()
        }
        let candidates = [directory, Bundle.main.bundleURL, URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
            .map { $0.appendingPathComponent("paladin-store-crash-helper").path }
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            throw HelperMissing(searched: candidates)
        }
        return found
    }

    struct HelperMissing: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "paladin-store-crash-helper not built (run swift build --build-tests); looked in \(searched)"
        }
    }

    @Test(arguments: [0, 1, 2])
    func everyAcknowledgedAppendSurvivesSIGKILL(round: Int) async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.path()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Self.helperPath())
        process.arguments = [path]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        // Let it run a random while (after it is ready), then kill it mid-append.
        let reader = output.fileHandleForReading
        var received = Data()
        let deadline = ContinuousClock.now + .seconds(20)
        let wanted = Int.random(in: 200...3_000)
        while ContinuousClock.now < deadline {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            received.append(chunk)
            if received.count(where: { $0 == UInt8(ascii: "\n") }) > wanted { break }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        received.append(reader.readDataToEndOfFile())
        #expect(process.terminationReason == .uncaughtSignal)
        let lines = String(decoding: received, as: UTF8.self).split(separator: "\n")
        #expect(lines.first == "ready")
        // A line cut by the kill is not an acknowledgement we can read; drop a partial last one.
        let complete = received.last == UInt8(ascii: "\n") ? lines.dropFirst() : lines.dropFirst().dropLast()
        let acknowledged = Set(complete.compactMap { UInt64($0) })
        #expect(acknowledged.count > 100, "the helper appended before it was killed")

        let database = try SQLiteDatabase(StoreConfiguration(path: path, sessionTTL: nil))
        defer { database.close() }
        #expect(try await database.read { try $0.text("PRAGMA integrity_check") } == "ok")
        let store = SQLiteGarrisonStore(database: database)
        var stored = Set<UInt64>()
        for writer in 0..<4 {
            stored.formUnion(try await store.history(sessionID: "crash-\(writer)", limit: 0).map(\.id))
        }
        let lost = acknowledged.subtracting(stored)
        #expect(lost.isEmpty, "acknowledged but lost: \(lost.sorted().prefix(10))")
    }
}
