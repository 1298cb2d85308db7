import CSQLite

/// Typed binds; `index` is 1-based as in SQLite. Bind errors surface on `step`.
extension SQLiteStatement {
    public func bind(_ value: Int64, at index: Int32) {
        sqlite3_bind_int64(handle, index, value)
    }

    public func bind(_ value: Int, at index: Int32) {
        sqlite3_bind_int64(handle, index, Int64(value))
    }

    /// Binds text (copied by SQLite).
    public func bind(_ value: String, at index: Int32) {
        var value = value
        value.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress {
                    _ = sqlite3_bind_text(handle, index, base, Int32(chars.count), sqliteTransient)
                } else {
                    _ = sqlite3_bind_text(handle, index, "", 0, sqliteTransient)
                }
            }
        }
    }

    /// Binds a blob (copied by SQLite); an empty array is a zero-length blob, not NULL.
    public func bind(_ value: [UInt8], at index: Int32) {
        value.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), sqliteTransient)
        }
    }

    /// Binds NULL for nil.
    public func bind(_ value: String?, at index: Int32) {
        if let value { bind(value, at: index) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds NULL for nil.
    public func bind(_ value: Int64?, at index: Int32) {
        if let value { bind(value, at: index) } else { sqlite3_bind_null(handle, index) }
    }

    /// Binds NULL for nil.
    public func bind(_ value: Int?, at index: Int32) {
        bind(value.map(Int64.init), at: index)
    }
}
