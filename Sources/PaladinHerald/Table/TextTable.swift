/// A text table whose columns line up in a terminal: every cell is one line no wider than the
/// column limit (see `DisplayWidth.cell(_:maxWidth:)`), padded by display width, so wide (CJK,
/// emoji) and zero-width characters do not push the columns out of line.
///
/// Herald's `.table` format draws it with borders; list commands print it as bare columns.
public struct TextTable: Sendable {
    /// The header cells; their count is the table's column count.
    public var headers: [String]
    /// Per column: pad on the left (numbers) instead of the right. Missing entries are `false`.
    public var rightAligned: [Bool]
    /// Body cells, row by row, `headers.count` per row.
    private(set) var cells: [String] = []
    /// Body rows (by index) with a rule above them.
    private(set) var rulesBefore: [Int] = []

    /// An empty table with `headers`; `rows` is how many body rows to make room for.
    public init(headers: [String], rightAligned: [Bool] = [], rows: Int = 0) {
        self.headers = headers
        self.rightAligned = rightAligned
        cells.reserveCapacity(rows * headers.count)
    }

    /// Starts a group of rows: a rule separates it from what is above (bordered rendering only).
    public mutating func rule() { rulesBefore.append(headers.isEmpty ? 0 : cells.count / headers.count) }

    /// Appends one row; missing cells are empty, extra ones are dropped.
    public mutating func row(_ values: String...) { row(values) }

    /// Appends one row; missing cells are empty, extra ones are dropped.
    public mutating func row(_ values: [String]) {
        for column in headers.indices { cells.append(column < values.count ? values[column] : "") }
    }

    /// The table framed by `style`'s borders, the header ruled off from the body: one line per
    /// row and rule, each ending in `\n`. Every line has the same display width.
    public func render(style: HeraldTableStyle, maxColumnWidth: Int) -> String {
        let (lines, widths) = fit(maxColumnWidth: maxColumnWidth)
        let borders = TableBorders(style: style)
        var text = horizontalRule(borders.top, widths)
        for (row, line) in lines.enumerated() {
            if row == 1 || (row > 1 && rulesBefore.contains(row - 1)) { text += horizontalRule(borders.middle, widths) }
            text.append(borders.vertical)
            for (column, cell) in line.enumerated() {
                text += " " + pad(cell, to: widths[column], column: column) + " "
                text.append(borders.vertical)
            }
            text += "\n"
        }
        return text + horizontalRule(borders.bottom, widths)
    }

    /// The table as bare columns: the header line, then one line per row, columns separated by
    /// two spaces, no borders or rules and no spaces after the last cell; each line ends in `\n`.
    public func renderColumns(maxColumnWidth: Int) -> String {
        let (lines, widths) = fit(maxColumnWidth: maxColumnWidth)
        let last = headers.count - 1
        var text = ""
        for line in lines {
            for (column, cell) in line.enumerated() {
                if column > 0 { text += "  " }
                // The last column is not padded on the right, so no line ends in spaces.
                if column == last && !isRightAligned(column) {
                    text += cell.text
                } else {
                    text += pad(cell, to: widths[column], column: column)
                }
            }
            text += "\n"
        }
        return text
    }

    /// Every row, header first, its cells fitted to `maxColumnWidth`, and each column's display width.
    private func fit(maxColumnWidth: Int) -> (lines: [[Cell]], widths: [Int]) {
        let columns = headers.count
        guard columns > 0 else { return ([], []) }  // no columns: an empty table
        let fitted = (headers + cells).map { DisplayWidth.cell($0, maxWidth: maxColumnWidth) }
        var widths = [Int](repeating: 0, count: columns)
        for (index, cell) in fitted.enumerated() { widths[index % columns] = max(widths[index % columns], cell.width) }
        let lines = stride(from: 0, to: fitted.count, by: columns).map { Array(fitted[$0..<$0 + columns]) }
        return (lines, widths)
    }

    /// `cell` padded with spaces to `width` columns, on the side its column's alignment asks for.
    private func pad(_ cell: Cell, to width: Int, column: Int) -> String {
        let padding = String(run: " ", count: width - cell.width)
        return isRightAligned(column) ? padding + cell.text : cell.text + padding
    }

    private func isRightAligned(_ column: Int) -> Bool { column < rightAligned.count && rightAligned[column] }

    /// One horizontal rule across every column, ending in `\n`.
    private func horizontalRule(_ rule: TableBorders.Rule, _ widths: [Int]) -> String {
        var text = String(rule.left)
        for (column, width) in widths.enumerated() {
            text += String(run: rule.fill, count: width + 2)
            text.append(column == widths.count - 1 ? rule.right : rule.junction)
        }
        return text + "\n"
    }

    /// A fitted cell: its one-line text and the columns it occupies.
    private typealias Cell = (text: String, width: Int)
}
