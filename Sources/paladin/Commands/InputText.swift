import Foundation

/// Reads a command's text argument: itself, or standard input when it is `-`.
enum InputText {
    static func read(_ argument: String) -> String {
        guard argument == "-" else { return argument }
        return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }
}
