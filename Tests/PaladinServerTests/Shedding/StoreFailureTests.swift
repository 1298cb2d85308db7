import Foundation
import PaladinClient
import PaladinCore
import PaladinServer
import PaladinStore
import PaladinWire
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// What the disk can do to the server: a corrupt row is DATA_LOSS (never a trap), a full disk
/// fails writes with RESOURCE_EXHAUSTED, a read-only file fails them with FAILED_PRECONDITION;
/// in every case reads and other calls are still served.
@Suite("Store failures", .timeLimit(.minutes(1)), .serialized)
struct StoreFailureTests {
    private static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appending(path: "paladin-shed-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static func entry(_ content: String, role: Paladin_V1_Role = .user) -> Paladin_V1_GarrisonEntry {
        var entry = Paladin_V1_GarrisonEntry()
        entry.role = role
        entry.content = content
        return entry
    }

    private static func append(_ contents: [String], to session: String, _ client: Paladin_V1_GarrisonServiceClient) async throws {
        var request = Paladin_V1_AppendRequest()
        request.sessionID = session
        request.entries = contents.map { entry($0) }
        _ = try await client.append(request)
    }

    private static func history(_ session: String, _ client: Paladin_V1_GarrisonServiceClient) async throws -> [String] {
        var request = Paladin_V1_HistoryRequest()
        request.sessionID = session
        return try await client.history(request).entries.map(\.content)
    }

    private static func expectServing(_ connection: PaladinConnection) async throws {
        let health = try await Paladin_V1_HealthClient(connection).check(Paladin_V1_HealthCheckRequest())
        #expect(health.status == .serving)
    }

    /// A server on a SQLite file in `directory`, built as `paladin serve` builds it.
    private static func withStoreServer(in directory: URL, _ body: (TestServer, ServerAssembly) async throws -> Void) async throws {
        let config = try PaladinConfig.parse("store: { path: \"\(directory.appending(path: "paladin.db").path)\" }")
        let assembly = try await ServerAssembly.build(config)
        defer { assembly.close() }
        try await withTestServer(services: assembly.services) { try await body($0, assembly) }
    }

    @Test("corrupt rows (negative id, unknown role, invalid UTF-8, bad enums) are DATA_LOSS naming table and column")
    func corruptRowsAreDataLoss() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.withStoreServer(in: directory) { server, _ in
            let connection = try await server.connect()
            let garrison = Paladin_V1_GarrisonServiceClient(connection)
            for session in ["good", "neg", "role", "utf8", "meta", "policy"] {
                try await Self.append(["hello \(session)"], to: session, garrison)
            }
            // Rows no write of the store produces, written behind the server's back.
            let file = try SQLiteConnection(path: directory.appending(path: "paladin.db").path)
            file.setBusyTimeout(milliseconds: 5000)
            func key(_ session: String) -> String { "(SELECT key FROM sessions WHERE id = '\(session)')" }
            try file.execute("""
                INSERT INTO entries (id, session, role, content, token_count, importance, created_at)
                    VALUES (-5, \(key("neg")), 0, 'negative', 1, 0, 1);
                INSERT INTO entries (session, role, content, token_count, importance, created_at)
                    VALUES (\(key("role")), 9, 'odd role', 1, 0, 1);
                INSERT INTO entries (session, role, content, token_count, importance, created_at)
                    VALUES (\(key("utf8")), 1, CAST(X'C328' AS TEXT), 1, 0, 1);
                INSERT INTO entries (session, role, content, token_count, importance, created_at, metadata)
                    VALUES (\(key("meta")), 1, 'meta', 1, 0, 1, '[1, 2]');
                UPDATE sessions SET policy_eviction = 'bogus', policy_max_entries = 5, policy_preserve_recent = 0
                    WHERE id = 'policy';
                INSERT INTO runs (id, battalion, pattern, input, status, started_at)
                    VALUES ('run-bad', 'one', 'formation', 'in', 'exploded', 1);
                """)
            let expected = [("neg", "entries.id"), ("role", "entries.role"), ("utf8", "entries.content"),
                            ("meta", "entries.metadata"), ("policy", "sessions.policy_eviction")]
            for (session, column) in expected {
                let error = await expectStatus(.dataLoss) { _ = try await Self.history(session, garrison) }
                #expect(error?.message.hasPrefix("stored data is corrupt: \(column) of ") == true, "\(error?.message ?? "")")
            }
            let runs = Paladin_V1_BattalionServiceClient(connection)
            var get = Paladin_V1_GetRunRequest()
            get.id = "run-bad"
            let error = await expectStatus(.dataLoss) { _ = try await runs.getRun(get) }
            #expect(error?.message.hasPrefix("stored data is corrupt: runs.status of run run-bad") == true)
            await expectStatus(.dataLoss) { _ = try await runs.listRuns(Paladin_V1_ListRunsRequest()) }
            // Everything else still works.
            #expect(try await Self.history("good", garrison) == ["hello good"])
            try await Self.expectServing(connection)
            await connection.close()
        }
    }

    @Test("a full database fails writes with RESOURCE_EXHAUSTED; reads and Health are still served")
    func diskFull() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Self.withStoreServer(in: directory) { server, assembly in
            let connection = try await server.connect()
            let garrison = Paladin_V1_GarrisonServiceClient(connection)
            try await Self.append(["kept"], to: "before", garrison)
            // The file may not grow any more: what a full disk does to SQLite (SQLITE_FULL).
            let database = try #require(assembly.database)
            _ = try await database.write { db in
                try db.integer("PRAGMA max_page_count = \(try db.integer("PRAGMA page_count"))")
            }
            let big = String(repeating: "x", count: 256 * 1024)
            let error = await expectStatus(.resourceExhausted) { try await Self.append([big], to: "after", garrison) }
            #expect(error?.message.hasPrefix("database is full") == true, "\(error?.message ?? "")")
            #expect(try await Self.history("before", garrison) == ["kept"])
            try await Self.expectServing(connection)
            await connection.close()
        }
    }

    #if os(Linux)
    /// Runs a command; its exit status (-1 when it cannot start).
    private static func run(_ path: String, _ arguments: [String]) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return -1 }
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Whether this process may mount a tmpfs (root with the capability; a container may refuse
    /// it): tried once on a scratch directory, so the test below is skipped, visibly, when not.
    private static let canMountTmpfs: Bool = {
        guard getuid() == 0, let directory = try? directory() else { return false }
        defer { try? FileManager.default.removeItem(at: directory) }
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", directory.path]) == 0 else { return false }
        _ = run("/bin/umount", ["-l", directory.path])
        return true
    }()

    @Test("a really full file system (a 1 MiB tmpfs) fails writes with RESOURCE_EXHAUSTED; reads are still served",
          .enabled(if: canMountTmpfs, "mounting a tmpfs needs root and the capability; diskFull covers SQLITE_FULL without it"))
    func fullFileSystem() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try #require(Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", directory.path]) == 0)
        defer { _ = Self.run("/bin/umount", ["-l", directory.path]) }
        try await Self.withStoreServer(in: directory) { server, _ in
            let connection = try await server.connect()
            let garrison = Paladin_V1_GarrisonServiceClient(connection)
            try await Self.append(["kept"], to: "before", garrison)
            let chunk = String(repeating: "y", count: 64 * 1024)
            var failure: RPCError?
            for index in 0..<64 where failure == nil {
                do { try await Self.append([chunk], to: "fill-\(index)", garrison) } catch let error as RPCError { failure = error }
            }
            let error = try #require(failure, "1 MiB never filled up")
            #expect(error.code == .resourceExhausted && error.message.hasPrefix("database is full"), "\(error)")
            #expect(try await Self.history("before", garrison) == ["kept"])
            try await Self.expectServing(connection)
            await connection.close()
        }
    }

    /// Opens the database in a thread whose file-system user is `nobody`, so the file's
    /// permissions bind even when the tests run as root (root ignores them otherwise). The
    /// database's own threads start from that thread and keep its file-system user.
    private static func openUnprivileged(_ configuration: StoreConfiguration) async throws -> SQLiteDatabase {
        typealias SetFSUID = @convention(c) (UInt32) -> Int32
        let setfsuid = try #require(dlsym(dlopen(nil, RTLD_NOW), "setfsuid").map { unsafeBitCast($0, to: SetFSUID.self) })
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                let previous = getuid() == 0 ? setfsuid(65534) : -1
                continuation.resume(with: Result { try SQLiteDatabase(configuration) })
                if previous >= 0 { _ = setfsuid(UInt32(previous)) }
            }
            thread.start()
        }
    }

    @Test("a read-only database file fails writes with FAILED_PRECONDITION; reads and Health are still served")
    func readOnlyFile() async throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appending(path: "paladin.db").path
        do {
            let database = try SQLiteDatabase(StoreConfiguration(path: path))
            _ = try await SQLiteGarrisonStore(database: database).append([GarrisonEntry(sessionID: "", role: .user, content: "kept")],
                                                                        to: "before")
            database.close()
        }
        // The files are created private (0600); the read-only deployment this stands for lets
        // the server's user read them all, the -wal and -shm left by the last reader included.
        for file in [path, "\(path)-wal", "\(path)-shm"] where FileManager.default.fileExists(atPath: file) {
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: file)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory.path)
        let database = try await Self.openUnprivileged(StoreConfiguration(path: path))
        defer { database.close() }
        let runStore = SQLiteRunStore(database: database)
        #expect(try await runStore.markInterrupted() == [], "start-up needs no write when no run was left running")
        let services = PaladinServices(garrison: SQLiteGarrisonStore(database: database), runStore: runStore)
        try await withTestServer(services: services) { server in
            let connection = try await server.connect()
            let garrison = Paladin_V1_GarrisonServiceClient(connection)
            let error = await expectStatus(.failedPrecondition) { try await Self.append(["more"], to: "after", garrison) }
            #expect(error?.message == "database is read-only; writes fail, reads still work")
            #expect(try await Self.history("before", garrison) == ["kept"])
            try await Self.expectServing(connection)
            await connection.close()
        }
    }
    #endif
}
