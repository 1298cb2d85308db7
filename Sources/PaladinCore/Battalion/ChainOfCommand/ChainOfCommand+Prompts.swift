import Foundation

extension ChainOfCommand {
    /// What the commander is asked first: the specialists (with their descriptions' first
    /// lines, for paladins) and the task, to be answered with `SELECT:` and `REASON:` lines.
    func selectionPrompt(for task: String, in context: BattalionContext) -> String {
        var prompt = "You lead these specialists:\n"
        for name in specialists {
            let summary = context.paladin(name)?.definition.description
                .split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            prompt += summary.isEmpty ? "- \(name)\n" : "- \(name): \(summary)\n"
        }
        prompt += "\nTask:\n\(task)\n\n"
        prompt += "Choose the specialists this task needs. Answer with one line \"SELECT: name, name\" "
        prompt += "and optionally one line \"REASON: why\"."
        return prompt
    }

    /// The specialists a selection reply names (known ones, once each, in its order), and the
    /// reasoning: the commander's REASON, ignored names, and the fallback to every specialist.
    func selection(in reply: String) -> (selected: [String], reasoning: String) {
        let named = ReplyParsing.list(after: "SELECT", in: reply) ?? []
        var selected: [String] = []
        var unknown: [String] = []
        for name in named {
            if let known = specialists.first(where: { $0 == name }) ?? specialists.first(where: { $0.lowercased() == name.lowercased() }) {
                if !selected.contains(known) { selected.append(known) }
            } else {
                unknown.append(name)
            }
        }
        var notes: [String] = []
        if selected.isEmpty {
            selected = specialists
            notes.append("commander \(commander) made no valid selection; every specialist was used")
        } else {
            notes.append("commander \(commander) selected \(selected.joined(separator: ", "))")
        }
        if let reason = Self.reason(in: reply) { notes.append("reason: \(reason)") }
        if !unknown.isEmpty { notes.append("ignored unknown \(unknown.joined(separator: ", "))") }
        return (selected, notes.joined(separator: "; "))
    }

    /// What follows `REASON:` on the first line that has it (case-insensitive).
    static func reason(in reply: String) -> String? {
        for line in reply.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.lowercased().hasPrefix("reason:") else { continue }
            let reason = trimmed.dropFirst("reason:".count).trimmingCharacters(in: .whitespaces)
            return reason.isEmpty ? nil : reason
        }
        return nil
    }

    /// What the commander is asked last: the task and each specialist's answer, labelled by
    /// name in selection order; failed specialists are named as such.
    func synthesisPrompt(for task: String, answers: [MemberStep]) -> String {
        var prompt = "Task:\n\(task)\n\nYour specialists answered:\n"
        for step in answers {
            if step.status == .succeeded {
                prompt += "\n[\(step.member)]\n\(step.output)\n"
            } else {
                prompt += "\n[\(step.member)] (failed, no answer)\n"
            }
        }
        prompt += "\nWrite the final answer to the task from their answers."
        return prompt
    }
}
