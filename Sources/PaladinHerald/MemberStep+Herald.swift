import PaladinCore

extension MemberStep {
    /// What the Markdown and table formats show for the step: its output, and its error (if any)
    /// on a line of its own.
    var heraldOutput: String {
        guard let error else { return output }
        return output.isEmpty ? "error: \(error)" : "\(output)\nerror: \(error)"
    }
}
