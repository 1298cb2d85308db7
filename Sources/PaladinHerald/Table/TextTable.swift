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
    public mutating func rule() { rulesBefore.append(cells.count / headers.count) }

    /// Appends one row; missing cells are empty, extra ones are dropped.
    public mutating func row(_ values: String...) { row(values) }

    /// Appends one row; missing cells are empty, extra ones are dropped.
    public mutating func row(_ values: [String]) {
        for column in headers.indices { cells.append(column < values.count ? values[column] : "") }
    }

    /// The table framed by `style`'s borders, the header ruled off from the body: one line per
    /// row and rule, each ending in `\n`. Every line has the same display width.
    public func render(style: HeraldTableStyle, maxColumnWidth: Int) -> String {
        let (fitted, widths) = fit(maxColumnWidth: maxColumnWidth)
        let borders = TableBorders(style: style)
        let columns = headers.count
        let rows = fitted.count / columns
        let cellBytes = fitted.reduce(0) { $0 + $1.byteCount + 3 }
        let lineBytes = widths.reduce(0) { $0 + 3 * ($1 + 3) } + 4
        var buffer = TextBuffer(capacity: cellBytes + lineBytes * (rows + rulesBefore.count + 2))
        line(borders.top, widths, &buffer)
        for row in 0..<rows {
            if row == 1 || (row > 1 && rulesBefore.contains(row - 1)) { line(borders.middle, widths, &buffer) }
            buffer.append(borders.vertical)
            for column in 0..<columns {
                buffer.append(byte: UInt8(ascii: " "))
                pad(fitted[row * columns + column], to: widths[column], column: column, &buffer)
                buffer.append(byte: UInt8(ascii: " "))
                buffer.append(borders.vertical)
            }
            buffer.append(byte: UInt8(ascii: "\n"))
        }
        line(borders.bottom, widths, &buffer)
        return buffer.string
    }

    /// The table as bare columns: the header line, then one line per row, columns separated by
    /// two spaces, no borders or rules and no spaces after the last cell; each line ends in `\n`.
    public func renderColumns(maxColumnWidth: Int) -> String {
        let (fitted, widths) = fit(maxColumnWidth: maxColumnWidth)
        let columns = headers.count
        let rows = fitted.count / columns
        let lineBytes = widths.reduce(0) { $0 + $1 + 2 }
        var buffer = TextBuffer(capacity: fitted.reduce(0) { $0 + $1.byteCount } + lineBytes * rows)
        for row in 0..<rows {
            for column in 0..<columns {
                let cell = fitted[row * columns + column]
                if column > 0 { buffer.append(byte: UInt8(ascii: " "), count: 2) }
                if column == columns - 1 && !isRightAligned(column) {
                    buffer.append(cell)
                } else {
                    pad(cell, to: widths[column], column: column, &buffer)
                }
            }
            buffer.append(byte: UInt8(ascii: "\n"))
        }
        return buffer.string
    }

    /// Every cell, header first, fitted to `maxColumnWidth`, and each column's display width.
    private func fit(maxColumnWidth: Int) -> (cells: [FittedCell], widths: [Int]) {
        let columns = headers.count
        let fitted = (headers + cells).map { DisplayWidth.fit($0, maxWidth: maxColumnWidth) }
        var widths = [Int](repeating: 0, count: columns)
        for (index, cell) in fitted.enumerated() { widths[index % columns] = max(widths[index % columns], cell.width) }
        return (fitted, widths)
    }

    /// `cell` padded with spaces to `width` columns, on the side its column's alignment asks for.
    private func pad(_ cell: FittedCell, to width: Int, column: Int, _ buffer: inout TextBuffer) {
        let padding = width - cell.width
        let right = isRightAligned(column)
        if right { buffer.append(byte: UInt8(ascii: " "), count: padding) }
        buffer.append(cell)
        if !right { buffer.append(byte: UInt8(ascii: " "), count: padding) }
    }

    private func isRightAligned(_ column: Int) -> Bool { column < rightAligned.count && rightAligned[column] }

    private func line(_ rule: TableBorders.Rule, _ widths: [Int], _ buffer: inout TextBuffer) {
        buffer.append(rule.left)
        for (column, width) in widths.enumerated() {
            buffer.append(rule.fill, count: width + 2)
            buffer.append(column == widths.count - 1 ? rule.right : rule.junction)
        }
        buffer.append(byte: UInt8(ascii: "\n"))
    }
}
