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

    static func role(_ code: Int64) -> Role {
        switch code {
        case 0: .system
        case 2: .assistant
        case 3: .tool
        default: .user
        }
    }

    static func encode(_ metadata: [String: String]) -> String? {
        guard !metadata.isEmpty,
              let data = try? JSONSerialization.data(withJSONObject: metadata, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func decode(_ text: String?) -> [String: String] {
        guard let text, let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)),
              let metadata = object as? [String: String] else { return [:] }
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
    static func entry(_ statement: SQLiteStatement, sessionID: String) -> GarrisonEntry {
        GarrisonEntry(id: UInt64(statement.int64(0)), sessionID: sessionID, role: role(statement.int64(1)),
                      content: statement.string(2), tokenCount: statement.int(3), importance: statement.int(4),
                      createdAtMicros: statement.int64(5), metadata: decode(statement.optionalString(6)))
    }
}
