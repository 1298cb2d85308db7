import Foundation

/// A plain left-aligned table for list commands (cells are cut at 60 characters).
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        let cells = ([header] + rows).map { $0.map { cell -> String in
            let flat = cell.replacingOccurrences(of: "\n", with: " ")
            return flat.count > 60 ? String(flat.prefix(59)) + "…" : flat
        } }
        var widths = Array(repeating: 0, count: header.count)
        for row in cells { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        let lines = cells.map { row in
            row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
        return rows.isEmpty ? lines[0] + "\n(none)" : lines.joined(separator: "\n")
    }
}
