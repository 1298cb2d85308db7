import ArgumentParser
import PaladinWire

/// `--format json|markdown|table`: ask the server to render the result with Herald.
enum OutputFormatOption: String, ExpressibleByArgument, CaseIterable {
    case json, markdown, table

    var wire: Paladin_V1_OutputFormat {
        switch self {
        case .json: .json
        case .markdown: .markdown
        case .table: .table
        }
    }
}
