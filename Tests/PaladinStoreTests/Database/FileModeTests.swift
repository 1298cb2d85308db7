import Foundation
import PaladinStore
import Testing

/// The database is private to the server's user: directory 0700, files 0600.
@Suite("Database file modes")
struct FileModeTests {
    private func mode(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return (attributes[.posixPermissions] as! NSNumber).intValue & 0o777
    }

    @Test("a new database: its directory is 0700, the database and its -wal and -shm files 0600")
    func newDatabaseIsPrivate() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("paladin-modes-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: root) }
        let path = "\(root)/state/paladin.db"
        let database = try SQLiteDatabase(StoreConfiguration(path: path))
        #expect(try mode("\(root)/state") == 0o700)
        for file in [path, "\(path)-wal", "\(path)-shm"] where FileManager.default.fileExists(atPath: file) {
            #expect(try mode(file) == 0o600, "\(file)")
        }
        #expect(FileManager.default.fileExists(atPath: "\(path)-wal"))
        _ = database
    }
}
