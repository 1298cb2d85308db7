// Test support for PaladinStoreTests' crash-safety test: appends to a SQLite garrison in a
// tight loop from 4 concurrent tasks and prints each acknowledged entry id on its own line,
// until killed. Usage: paladin-store-crash-helper <database path>
import Foundation
import PaladinCore
import PaladinStore

/// Writes `line` to stdout unbuffered, in one write(2): lines from the tasks never interleave.
func emit(_ line: String) {
    var bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeMutableBytes { write(1, $0.baseAddress, $0.count) }
}

guard CommandLine.arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: paladin-store-crash-helper <database path>\n".utf8))
    exit(2)
}
let database = try SQLiteDatabase(StoreConfiguration(path: CommandLine.arguments[1], sessionTTL: nil))
let store = SQLiteGarrisonStore(database: database)
emit("ready")
await withTaskGroup(of: Void.self) { group in
    for writer in 0..<4 {
        group.addTask {
            var count = 0
            while true {
                count += 1
                let entry = GarrisonEntry(sessionID: "", role: .user, content: "writer \(writer) entry \(count)")
                do {
                    let outcome = try await store.append([entry], to: "crash-\(writer)")
                    emit("\(outcome.ids[0])")
                } catch {
                    FileHandle.standardError.write(Data("append failed: \(error)\n".utf8))
                    exit(1)
                }
            }
        }
    }
}
