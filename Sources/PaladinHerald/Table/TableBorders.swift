/// The characters that draw a table's frame in one `HeraldTableStyle`.
struct TableBorders {
    /// Left, junction, right and fill characters of one horizontal rule.
    typealias Rule = (left: Character, junction: Character, right: Character, fill: Character)

    var top: Rule
    var middle: Rule
    var bottom: Rule
    var vertical: Character

    init(style: HeraldTableStyle) {
        switch style {
        case .unicode:
            top = ("┌", "┬", "┐", "─")
            middle = ("├", "┼", "┤", "─")
            bottom = ("└", "┴", "┘", "─")
            vertical = "│"
        case .ascii:
            top = ("+", "+", "+", "-")
            middle = top
            bottom = top
            vertical = "|"
        }
    }
}
