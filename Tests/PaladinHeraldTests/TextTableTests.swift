import PaladinHerald
import Testing

/// `TextTable` as API: the bare-column layout list commands print, aligned by display width.
@Suite("Herald text table")
struct TextTableTests {
    @Test func wideCharactersAlignByDisplayWidthInColumns() {
        var table = TextTable(headers: ["NAME", "KIND", "NOTE"])
        table.row("漢字", "テスト", "wide")
        table.row("ab", "x", "ascii")
        table.row("👍🏽", "👩‍👩‍👧‍👦", "emoji")
        table.row("e\u{301}", "한", "marks")
        let expected = """
            NAME  KIND    NOTE
            漢字  テスト  wide
            ab    x       ascii
            👍🏽    👩‍👩‍👧‍👦      emoji
            e\u{301}     한      marks

            """
        let rendered = table.renderColumns(maxColumnWidth: 60)
        #expect(rendered == expected)
        // Every row's last column starts at the same display column.
        for line in rendered.split(separator: "\n") {
            let lastCell = line.split(separator: " ").last!
            let start = line[..<lastCell.startIndex]
            #expect(DisplayWidth.of(String(start)) == 14, "\(line)")
        }
    }

    @Test func wideCharactersAlignByDisplayWidthWithBorders() {
        var table = TextTable(headers: ["name", "count"], rightAligned: [false, true])
        table.row("漢字テスト", "1")
        table.row("👩‍👩‍👧‍👦", "22")
        table.rule()
        table.row("a", "333")
        let expected = """
            +------------+-------+
            | name       | count |
            +------------+-------+
            | 漢字テスト |     1 |
            | 👩‍👩‍👧‍👦         |    22 |
            +------------+-------+
            | a          |   333 |
            +------------+-------+

            """
        #expect(table.render(style: .ascii, maxColumnWidth: 60) == expected)
    }

    @Test func aTableWithoutColumnsIsEmpty() {
        var table = TextTable(headers: [])
        table.rule()
        table.row("ignored")
        #expect(table.renderColumns(maxColumnWidth: 10) == "")
        #expect(!table.render(style: .ascii, maxColumnWidth: 10).contains("ignored"))
    }

    @Test func columnsCutAtTheLimitWithAnEllipsis() {
        var table = TextTable(headers: ["ID", "DESCRIPTION"])
        table.row("1", String(repeating: "a", count: 100))
        table.row("2", String(repeating: "漢", count: 40))
        table.row("3", "line one\nline two")
        let lines = table.renderColumns(maxColumnWidth: 60).split(separator: "\n").map(String.init)
        #expect(lines[1] == "1   " + String(repeating: "a", count: 59) + "…")
        #expect(lines[2] == "2   " + String(repeating: "漢", count: 29) + "…")
        #expect(lines[3] == "3   line one⏎line two")
        for line in lines { #expect(DisplayWidth.of(line) <= 4 + 60) }
    }

    @Test func rightAlignedColumnsPadOnTheLeftAndNothingTrails() {
        var table = TextTable(headers: ["NAME", "TOKENS"], rightAligned: [false, true])
        table.row("alpha", "7")
        table.row("b", "12345")
        #expect(table.renderColumns(maxColumnWidth: 60) == "NAME   TOKENS\nalpha       7\nb       12345\n")
        var left = TextTable(headers: ["A", "B"])
        left.row("long cell", "x")
        #expect(left.renderColumns(maxColumnWidth: 60) == "A          B\nlong cell  x\n")
    }

    @Test func aTableWithNoRowsIsItsHeader() {
        let table = TextTable(headers: ["NAME", "PATTERN", "DESCRIPTION"])
        #expect(table.renderColumns(maxColumnWidth: 60) == "NAME  PATTERN  DESCRIPTION\n")
    }

    @Test func rowsWithMissingOrExtraCellsKeepTheColumnCount() {
        var table = TextTable(headers: ["A", "B"])
        table.row(["1"])
        table.row(["2", "3", "4"])
        #expect(table.renderColumns(maxColumnWidth: 60) == "A  B\n1  \n2  3\n")
    }
}
