/// The characters that draw a table's frame in one `HeraldTableStyle`.
struct TableBorders {
    /// Left, junction, right and fill characters of one horizontal rule.
    typealias Rule = (left: StaticString, junction: StaticString, right: StaticString, fill: StaticString)

    var top: Rule
    var middle: Rule
    var bottom: Rule
    var vertical: StaticString

    static let unicode = TableBorders(top: ("┌", "┬", "┐", "─"), middle: ("├", "┼", "┤", "─"),
                                      bottom: ("└", "┴", "┘", "─"), vertical: "│")
    static let ascii = TableBorders(top: ("+", "+", "+", "-"), middle: ("+", "+", "+", "-"),
                                    bottom: ("+", "+", "+", "-"), vertical: "|")

    init(style: HeraldTableStyle) {
        switch style {
        case .unicode: self = .unicode
        case .ascii: self = .ascii
        }
    }

    private init(top: Rule, middle: Rule, bottom: Rule, vertical: StaticString) {
        self.top = top
        self.middle = middle
        self.bottom = bottom
        self.vertical = vertical
    }
}
