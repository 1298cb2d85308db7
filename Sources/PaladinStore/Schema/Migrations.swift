/// Every schema version, oldest first. Never edit a shipped step: append a new one.
enum Migrations {
    static let all: [Migration] = [garrison, search, runs, deferredIndexing, metadataBytes, catalog, runVersions, runAttempts, runApprovals]

    /// The version a fully migrated database has.
    static var latest: Int { all.last?.version ?? 0 }

    /// v1: sessions and their entries. Role 0 is system. `sessions` keeps running totals so
    /// eviction and listing need no scan; `policy_*` NULL means the store's default policy.
    static let garrison = Migration(version: 1, summary: "garrison sessions and entries", sql: """
        CREATE TABLE sessions (
            key INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            created_at INTEGER NOT NULL,
            last_activity INTEGER NOT NULL,
            policy_eviction TEXT,
            policy_max_entries INTEGER,
            policy_max_tokens INTEGER,
            policy_preserve_recent INTEGER,
            message_count INTEGER NOT NULL DEFAULT 0,
            system_count INTEGER NOT NULL DEFAULT 0,
            token_total INTEGER NOT NULL DEFAULT 0,
            bytes INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX sessions_by_activity ON sessions(last_activity);
        CREATE TABLE entries (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session INTEGER NOT NULL,
            role INTEGER NOT NULL,
            content TEXT NOT NULL,
            token_count INTEGER NOT NULL,
            importance INTEGER NOT NULL,
            created_at INTEGER NOT NULL,
            metadata TEXT
        );
        CREATE INDEX entries_by_session ON entries(session, id);
        CREATE INDEX entries_messages_by_session ON entries(session, id) WHERE role != 0;
        CREATE TABLE totals (key INTEGER PRIMARY KEY CHECK (key = 1), bytes INTEGER NOT NULL);
        INSERT INTO totals VALUES (1, 0);
        """)

    /// v2: full-text search. An external-content FTS5 table with the trigram tokenizer (case-
    /// insensitive substring matching, like the in-memory store's search), kept by triggers.
    static let search = Migration(version: 2, summary: "FTS5 trigram index over entries", sql: """
        CREATE VIRTUAL TABLE entries_fts USING fts5(content, content='entries', content_rowid='id',
                                                    tokenize='trigram');
        CREATE TRIGGER entries_fts_insert AFTER INSERT ON entries BEGIN
            INSERT INTO entries_fts(rowid, content) VALUES (new.id, new.content);
        END;
        CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries BEGIN
            INSERT INTO entries_fts(entries_fts, rowid, content) VALUES ('delete', old.id, old.content);
        END;
        INSERT INTO entries_fts(entries_fts) VALUES ('rebuild');
        """)

    /// v3: battalion runs and their steps. Steps keep durations in nanoseconds.
    static let runs = Migration(version: 3, summary: "battalion runs and steps", sql: """
        CREATE TABLE runs (
            seq INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            battalion TEXT NOT NULL,
            pattern TEXT NOT NULL,
            input TEXT NOT NULL,
            status TEXT NOT NULL,
            final_output TEXT NOT NULL DEFAULT '',
            error TEXT,
            reasoning TEXT,
            started_at INTEGER NOT NULL,
            finished_at INTEGER
        );
        CREATE INDEX runs_by_status ON runs(status);
        CREATE INDEX runs_by_battalion ON runs(battalion, seq);
        CREATE INDEX runs_by_start ON runs(started_at);
        CREATE TABLE run_steps (
            run_seq INTEGER NOT NULL,
            position INTEGER NOT NULL,
            member TEXT NOT NULL,
            status TEXT NOT NULL,
            output TEXT NOT NULL,
            error TEXT,
            started_at_ns INTEGER NOT NULL,
            duration_ns INTEGER NOT NULL,
            prompt_tokens INTEGER NOT NULL,
            completion_tokens INTEGER NOT NULL,
            attempts INTEGER NOT NULL,
            PRIMARY KEY (run_seq, position)
        ) WITHOUT ROWID;
        """)

    /// v4: the FTS index is filled off the append path. Appends no longer pay for indexing
    /// (trigram indexing costs several times an insert; docs/decisions.md, FTS5); the writer
    /// thread indexes new rows in batches when idle (`SearchIndexer`), and search also scans the
    /// rows above `indexed_through`. Deletes remove from the index only rows already indexed.
    static let deferredIndexing = Migration(version: 4, summary: "FTS index filled in the background", sql: """
        CREATE TABLE search_index_state (key INTEGER PRIMARY KEY CHECK (key = 1), indexed_through INTEGER NOT NULL);
        INSERT INTO search_index_state VALUES (1, (SELECT coalesce(max(id), 0) FROM entries));
        DROP TRIGGER entries_fts_insert;
        DROP TRIGGER entries_fts_delete;
        CREATE TRIGGER entries_fts_delete AFTER DELETE ON entries
        WHEN old.id <= (SELECT indexed_through FROM search_index_state WHERE key = 1) BEGIN
            INSERT INTO entries_fts(entries_fts, rowid, content) VALUES ('delete', old.id, old.content);
        END;
        """)

    /// v5: entry metadata counts toward the byte limit (`GarrisonEntry.storedBytes`): the
    /// sessions' and the store's byte totals are recomputed with it.
    static let metadataBytes = Migration(version: 5, summary: "metadata bytes in the byte totals", sql: """
        UPDATE sessions SET bytes = (
            SELECT coalesce(sum(length(CAST(content AS BLOB)) + coalesce((SELECT sum(length(CAST(key AS BLOB))
                + length(CAST(value AS BLOB))) FROM json_each(metadata)), 0)), 0)
            FROM entries WHERE entries.session = sessions.key);
        UPDATE totals SET bytes = (SELECT coalesce(sum(bytes), 0) FROM sessions) WHERE key = 1;
        """)

    /// v6: paladins and battalions created over the wire (`SQLiteCatalogStore`); `definition`
    /// is the wire definition's protobuf encoding.
    static let catalog = Migration(version: 6, summary: "paladins and battalions created over the wire", sql: """
        CREATE TABLE catalog (
            kind TEXT NOT NULL,
            name TEXT NOT NULL,
            version INTEGER NOT NULL,
            definition BLOB NOT NULL,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (kind, name)
        ) WITHOUT ROWID;
        """)

    /// v7: the versions of the definitions a run started with. `member_versions` is
    /// "name=version" pairs separated by spaces (names are A-Z a-z 0-9 _ -); 0 and '' for runs
    /// stored before.
    static let runVersions = Migration(version: 7, summary: "definition versions of runs", sql: """
        ALTER TABLE runs ADD COLUMN battalion_version INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE runs ADD COLUMN member_versions TEXT NOT NULL DEFAULT '';
        """)

    /// v8: the attempt number of a run (1, then one more per resume).
    static let runAttempts = Migration(version: 8, summary: "attempt numbers of runs", sql: """
        ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
        """)

    /// v9: steps of runs that wait or waited for a person's decision. `deadline` and
    /// `decided_at` are microseconds since the epoch; the partial index finds what expires.
    static let runApprovals = Migration(version: 9, summary: "approvals of run steps", sql: """
        CREATE TABLE run_approvals (
            run_seq INTEGER NOT NULL,
            step TEXT NOT NULL,
            position INTEGER NOT NULL,
            member TEXT NOT NULL,
            input TEXT NOT NULL,
            reason TEXT NOT NULL,
            requested_at INTEGER NOT NULL,
            deadline INTEGER,
            decision TEXT NOT NULL,
            comment TEXT NOT NULL,
            edited_input TEXT,
            decided_at INTEGER,
            PRIMARY KEY (run_seq, step)
        ) WITHOUT ROWID;
        CREATE INDEX run_approvals_deadline ON run_approvals (deadline) WHERE decision = 'pending' AND deadline IS NOT NULL;
        """)
}
