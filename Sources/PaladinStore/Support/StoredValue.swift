import PaladinCore

/// Checks of values read back from rows, so a row no write of this store produces (edited by
/// hand, damaged on disk) fails as `StoreError.corruptRow` instead of trapping in a conversion
/// or an overflowing sum later.
struct StoredValue {
    let table: String
    /// Names the row in the error; its text is built only when a value is corrupt.
    let row: Row

    /// A row's identity, kept as its parts: rows are read on hot paths, errors are rare.
    enum Row {
        case session(key: Int64)
        case sessionEntry(key: Int64, entry: Int64)
        case entry(session: String, id: Int64)
        case run(String)
        case runStep(runSeq: Int64, step: Int)
        case approval(runSeq: Int64, step: String)
        case catalog(kind: String, name: String)

        /// "session s1, entry 7" and the like.
        var description: String {
            switch self {
            case .session(let key): "session key \(key)"
            case .sessionEntry(let key, let entry): "session key \(key), entry \(entry)"
            case .entry(let session, let id): "session \(session), entry \(id)"
            case .run(let id): "run \(id.prefix(80))"
            case .runStep(let runSeq, let step): "run seq \(runSeq), step \(step)"
            case .approval(let runSeq, let step): "run seq \(runSeq), approval \(step.prefix(80))"
            case .catalog(let kind, let name): "\(kind.prefix(16)) \(name.prefix(80))"
            }
        }
    }

    /// Largest count or total a row may hold: far above anything stored, and low enough that
    /// sums of a few such values cannot overflow.
    static let maxTotal: Int64 = 1 << 52

    func corrupt(_ column: String, _ problem: String) -> StoreError {
        .corruptRow(table: table, column: column, row: row.description, problem: problem)
    }

    /// A row id or key: never negative.
    func id(_ value: Int64, _ column: String) throws -> UInt64 {
        guard let id = UInt64(exactly: value) else { throw corrupt(column, "negative id \(value)") }
        return id
    }

    /// A count, size or total: `0...maxTotal` unless a smaller `max` is given.
    func count(_ value: Int64, _ column: String, max: Int64 = StoredValue.maxTotal) throws -> Int {
        guard value >= 0, value <= max else { throw corrupt(column, "\(value) is out of range 0...\(max)") }
        return Int(value)
    }

    /// A text column that must be valid UTF-8 ("" for NULL).
    func text(_ statement: SQLiteStatement, _ index: Int32, _ column: String) throws -> String {
        guard let text = statement.validatedString(index) else { throw corrupt(column, "not valid UTF-8") }
        return text
    }

    /// As `text`, nil for NULL.
    func optionalText(_ statement: SQLiteStatement, _ index: Int32, _ column: String) throws -> String? {
        statement.isNull(index) ? nil : try text(statement, index, column)
    }

    /// A value of a string enumeration (a status, a policy name).
    func value<T: RawRepresentable<String>>(_ type: T.Type, _ raw: String, _ column: String) throws -> T {
        guard let value = T(rawValue: raw) else { throw corrupt(column, "unknown value \"\(raw.prefix(64))\"") }
        return value
    }
}
