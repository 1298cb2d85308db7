import CSQLite

/// Typed columns of the current row; `index` is 0-based as in SQLite.
extension SQLiteStatement {
    public func int64(_ index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    public func int(_ index: Int32) -> Int {
        Int(sqlite3_column_int64(handle, index))
    }

    /// The text of a column ("" for NULL).
    public func string(_ index: Int32) -> String {
        guard let text = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The text of a column ("" for NULL); nil when its bytes are not valid UTF-8 (where
    /// `string` would replace them).
    public func validatedString(_ index: Int32) -> String? {
        guard let text = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(validating: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// The bytes of a blob column (empty for NULL).
    public func bytes(_ index: Int32) -> [UInt8] {
        guard let blob = sqlite3_column_blob(handle, index) else { return [] }
        let count = Int(sqlite3_column_bytes(handle, index))  // after _blob, as SQLite asks
        return Array(UnsafeRawBufferPointer(start: blob, count: count))
    }

    public func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(handle, index) == SQLITE_NULL
    }

    /// The text of a column, nil for NULL.
    public func optionalString(_ index: Int32) -> String? {
        isNull(index) ? nil : string(index)
    }

    /// The integer of a column, nil for NULL.
    public func optionalInt64(_ index: Int32) -> Int64? {
        isNull(index) ? nil : int64(index)
    }
}
