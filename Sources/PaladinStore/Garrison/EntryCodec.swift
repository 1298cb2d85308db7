import Foundation
import PaladinCore

/// Maps `GarrisonEntry` fields to columns: roles as small integers (system is 0, which the
/// partial index of messages relies on), metadata as a JSON object (NULL when empty).
enum EntryCodec {
    static func code(_ role: Role) -> Int64 {
        switch role {
        case .system: 0
        case .user: 1
        case .assistant: 2
        case .tool: 3
        }
    }

    /// The role of a stored code; nil for a code no write produces.
    static func role(_ code: Int64) -> Role? {
        switch code {
        case 0: .system
        case 1: .user
        case 2: .assistant
        case 3: .tool
        default: nil
        }
    }

    static func encode(_ metadata: [String: String]) -> String? {
        guard !metadata.isEmpty,
              let data = try? JSONSerialization.data(withJSONObject: metadata, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// The metadata of a stored JSON object (empty for NULL); nil when the text is not one.
    static func decode(_ text: String?) -> [String: String]? {
        guard let text else { return [:] }
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
              let metadata = object as? [String: String] else { return nil }
        return metadata
    }

    /// SQL for the bytes a row counts against the byte limit, as `GarrisonEntry.storedBytes`
    /// counts them: the content and every metadata key and value, in UTF-8 (json_each decodes
    /// the stored JSON object back to its keys and values).
    static let storedBytesSQL = """
        (length(CAST(content AS BLOB)) + coalesce((SELECT sum(length(CAST(key AS BLOB)) + length(CAST(value AS BLOB))) \
        FROM json_each(metadata)), 0))
        """

    /// Columns `entryColumns` selects, in order.
    static let columns = "id, role, content, token_count, importance, created_at, metadata"

    /// The entry on the statement's current row (selected with `columns`).
    /// - Throws: `StoreError.corruptRow` for a value no write produces.
    static func entry(_ statement: SQLiteStatement, sessionID: String) throws -> GarrisonEntry {
        let rawID = statement.int64(0)
        let check = StoredValue(table: "entries", row: .entry(session: sessionID, id: rawID))
        let id = try check.id(rawID, "id")
        guard let role = role(statement.int64(1)) else { throw check.corrupt("role", "unknown role \(statement.int64(1))") }
        let content = try check.text(statement, 2, "content")
        let tokens = try check.count(statement.int64(3), "token_count", max: Int64(GarrisonEntry.maxTokenCount))
        let importance = try check.count(statement.int64(4), "importance", max: 100)
        guard let metadata = decode(try check.optionalText(statement, 6, "metadata")) else {
            throw check.corrupt("metadata", "not a JSON object of strings")
        }
        return GarrisonEntry(id: id, sessionID: sessionID, role: role, content: content, tokenCount: tokens,
                             importance: importance, createdAtMicros: statement.int64(5), metadata: metadata)
    }
}
