/// A bordered text table whose columns line up in a terminal: every cell is one line no wider
/// than the column limit (see `DisplayWidth.cell(_:maxWidth:)`), padded by display width, so
/// every line of the rendering has the same display width.
struct TextTable {
    var headers: [String]
    /// Per column: pad on the left (numbers) instead of the right.
    var rightAligned: [Bool]
    /// Body cells, row by row, `headers.count` per row.
    private(set) var cells: [String] = []
    /// Body rows (by index) with a rule above them.
    private(set) var rulesBefore: [Int] = []

    init(headers: [String], rightAligned: [Bool], rows: Int) {
        self.headers = headers
        self.rightAligned = rightAligned
        cells.reserveCapacity(rows * headers.count)
    }

    /// Starts a group of rows: a rule separates it from what is above.
    mutating func rule() { rulesBefore.append(cells.count / headers.count) }

    /// Appends one row; missing cells are empty, extra ones are dropped.
    mutating func row(_ values: String...) {
        for column in headers.indices { cells.append(column < values.count ? values[column] : "") }
    }

    /// The table, one line per row and rule, each line ending in `\n`.
    func render(style: HeraldTableStyle, maxColumnWidth: Int) -> String {
        let borders = TableBorders(style: style)
        let columns = headers.count
        let fitted = (headers + cells).map { DisplayWidth.fit($0, maxWidth: maxColumnWidth) }
        var widths = [Int](repeating: 0, count: columns)
        var bytes = 0
        for (index, cell) in fitted.enumerated() {
            widths[index % columns] = max(widths[index % columns], cell.width)
            bytes += cell.byteCount + 3
        }
        let rows = fitted.count / columns
        let lineBytes = widths.reduce(0) { $0 + 3 * ($1 + 3) } + 4
        var buffer = TextBuffer(capacity: bytes + lineBytes * (rows + rulesBefore.count + 2))
        line(borders.top, widths, &buffer)
        for row in 0..<rows {
            if row == 1 || (row > 1 && rulesBefore.contains(row - 1)) { line(borders.middle, widths, &buffer) }
            buffer.append(borders.vertical)
            for column in 0..<columns {
                let cell = fitted[row * columns + column]
                let padding = widths[column] - cell.width
                let right = column < rightAligned.count && rightAligned[column]
                buffer.append(byte: UInt8(ascii: " "), count: right ? padding + 1 : 1)
                buffer.append(cell)
                buffer.append(byte: UInt8(ascii: " "), count: right ? 1 : padding + 1)
                buffer.append(borders.vertical)
            }
            buffer.append(byte: UInt8(ascii: "\n"))
        }
        line(borders.bottom, widths, &buffer)
        return buffer.string
    }

    private func line(_ rule: TableBorders.Rule, _ widths: [Int], _ buffer: inout TextBuffer) {
        buffer.append(rule.left)
        for (column, width) in widths.enumerated() {
            buffer.append(rule.fill, count: width + 2)
            buffer.append(column == widths.count - 1 ? rule.right : rule.junction)
        }
        buffer.append(byte: UInt8(ascii: "\n"))
    }
}
