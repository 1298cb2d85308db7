import Foundation

/// An open SQLite database in WAL mode: one writer connection on its own thread (group commit)
/// and `readers` reader connections on theirs. Both stores of a file share one.
///
/// Durability: `synchronous=NORMAL` in WAL mode. Every acknowledged write is in the WAL file
/// when its caller resumes, so it survives a crash of the process (kill -9); a power loss or OS
/// crash may lose the last commits before a checkpoint (never corrupts). See docs/decisions.md.
public final class SQLiteDatabase: Sendable {
    /// The configuration it was opened with.
    public let configuration: StoreConfiguration
    private let writer: DatabaseWorker
    private let readers: DatabaseWorker

    /// Opens (creating it and its directory when missing) and migrates the database.
    /// - Throws: `StoreError` (directory, schema too new) or `SQLiteError`.
    public init(_ configuration: StoreConfiguration = StoreConfiguration()) throws {
        self.configuration = configuration
        let path = configuration.path
        let memory = path == ":memory:" || path.hasPrefix("file::memory:")
        if !memory {
            try Self.createPrivately(path)
        }
        let timeout = Int32(clamping: configuration.busyTimeout.components.seconds * 1000
                            + configuration.busyTimeout.components.attoseconds / 1_000_000_000_000_000)
        let write = try SQLiteConnection(path: path)
        write.setBusyTimeout(milliseconds: timeout)
        _ = try write.text("PRAGMA journal_mode=WAL")
        try write.execute("PRAGMA synchronous=NORMAL")
        try Migrator.migrate(write)
        var readConnections: [SQLiteConnection] = []
        for _ in 0..<(memory ? 0 : max(1, configuration.readers)) {
            let read = try SQLiteConnection(path: path, readOnly: true)
            read.setBusyTimeout(milliseconds: timeout)
            // Reads map the file (no read syscall per page) and keep 16 MiB of pages each.
            _ = try read.integer("PRAGMA mmap_size = 1073741824")
            try read.execute("PRAGMA cache_size = -16384")
            readConnections.append(read)
        }
        let maxQueued = configuration.maxQueuedJobs
        if memory {
            // A private in-memory database has one connection: reads go through the writer.
            writer = DatabaseWorker(connections: [write], grouped: true, name: "paladin-db", maxQueued: maxQueued,
                                    background: Self.indexSearch)
            readers = writer
        } else {
            writer = DatabaseWorker(connections: [write], grouped: true, name: "paladin-db-writer", maxQueued: maxQueued,
                                    background: Self.indexSearch)
            readers = DatabaseWorker(connections: readConnections, grouped: false, name: "paladin-db-reader", maxQueued: maxQueued)
        }
    }

    /// Creates the database's directory (0700) and an empty file (0600) when they are missing,
    /// so sessions and runs are readable by the server's user only; SQLite gives its -wal and
    /// -shm files the database file's mode. Existing ones keep the modes they have.
    private static func createPrivately(_ path: String) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        // Checked first: Foundation applies the attributes to a directory that already exists.
        if !FileManager.default.fileExists(atPath: directory) {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError.cannotCreateDirectory(directory)
            }
        }
        let descriptor = open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0o600)
        if descriptor >= 0 { _ = Foundation.close(descriptor) }
    }

    /// Runs `body` on the writer thread inside a transaction (shared with other writes queued at
    /// the same time); returns once it is committed.
    /// - Parameter evenIfCancelled: run it also when the calling task is cancelled (a record that
    ///   must survive its caller, such as a run's steps); by default a cancelled caller's write is
    ///   skipped.
    public func write<T: Sendable>(evenIfCancelled: Bool = false,
                                   _ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        try await writer.run(skipIfCancelled: !evenIfCancelled, body)
    }

    /// Runs `body` on a reader thread inside a read transaction (one consistent snapshot).
    public func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws -> T) async throws -> T {
        if readers === writer { return try await writer.run(skipIfCancelled: true, body) }
        return try await readers.run(skipIfCancelled: true) { connection in
            try connection.transaction(.deferred) { try body(connection) }
        }
    }

    /// The writer's background work: fill the search index.
    private static func indexSearch(_ connection: SQLiteConnection) throws -> Bool {
        try SearchIndexer.indexPending(connection) > 0
    }

    /// Indexes every entry appended so far for search (the writer does it in the background;
    /// search is complete either way, this only moves the cost). For tests and bulk loads.
    public func catchUpSearchIndex() async throws {
        while try await write({ try SearchIndexer.indexPending($0, limit: 10_000) }) > 0 {}
    }

    /// Finishes queued work and closes every connection. Later calls throw `StoreError.closed`.
    public func close() {
        writer.close()
        if readers !== writer { readers.close() }
    }

    deinit { close() }
}
