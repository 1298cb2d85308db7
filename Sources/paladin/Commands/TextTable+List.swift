import PaladinHerald

extension TextTable {
    /// How list commands print: Herald's bare columns (left-aligned, two spaces apart, measured in
    /// display columns, cells cut at 60 columns with `…`), and `(none)` under the header when there
    /// are no rows. No newline at the end: `print` adds it.
    static func list(header: [String], rows: [[String]]) -> String {
        var table = TextTable(headers: header, rows: rows.count)
        for row in rows { table.row(row) }
        var text = table.renderColumns(maxColumnWidth: 60)
        if rows.isEmpty { text += "(none)" } else { text.removeLast() }
        return text
    }
}
