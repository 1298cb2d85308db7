import Foundation

/// One run of a `Council`: the turn loop, its transcript and why it stopped.
struct CouncilSession {
    /// Ends the run as failed (FailFast), with this message.
    private struct Failure: Error { var message: String }

    let council: Council
    let topic: String
    let context: BattalionContext
    /// `[Round r] name: text` lines, in speaking order.
    private(set) var transcript: [String] = []
    /// Each participant's latest successful message; removed when its latest turn failed.
    private var latest: [String: String] = [:]
    private var lastMessage: String?
    private var lastSpeaker = -1
    private var notes: [String] = []

    init(council: Council, topic: String, context: BattalionContext) {
        self.council = council
        self.topic = topic
        self.context = context
    }

    private var participants: [String] { council.participants }
    private var failFast: Bool { context.options.errorStrategy == .failFast }

    mutating func run() async throws -> PatternOutcome {
        do {
            let reason = try await discuss()
            guard let lastMessage else {
                return PatternOutcome(finalOutput: "", failure: "no participant spoke", reasoning: explain(reason))
            }
            let conclusion = try await conclude(reason: reason) ?? lastMessage
            return PatternOutcome(finalOutput: conclusion, reasoning: explain(reason))
        } catch let failure as Failure {
            return PatternOutcome(finalOutput: lastMessage ?? "", failure: failure.message, reasoning: explain(nil))
        }
    }

    /// Runs rounds until a condition holds; returns why it stopped.
    private mutating func discuss() async throws -> String {
        let cap = council.maxRounds
        for round in stride(from: 1, through: cap, by: 1) {
            for index in participants.indices {
                try Task.checkCancellation()
                let speaker = council.turns == .moderator ? try await pick(round: round, turn: index + 1) : participants[index]
                if let text = try await speak(speaker, round: round), council.termination == .keyword,
                   let keyword = council.keyword, WordMatching.contains(keyword, in: text) {
                    return "keyword \"\(keyword)\" said by \(speaker) in round \(round)"
                }
            }
            switch council.termination {
            case .consensus where participants.allSatisfy({ latest[$0].map(Self.agrees) ?? false }):
                return "consensus after round \(round)"
            case .moderatorDecision where round < cap:
                if try await moderatorConcludes(round: round) { return "moderator concluded after round \(round)" }
            default: break
            }
        }
        let unmet = switch council.termination {
        case .maxRounds: ""
        case .consensus: " without consensus"
        case .moderatorDecision: " without the moderator concluding"
        case .keyword: " without the keyword \"\(council.keyword ?? "")\""
        }
        return "max rounds (\(cap)) reached" + unmet
    }

    private static func agrees(_ text: String) -> Bool { WordMatching.contains("agree", in: text) }

    /// One turn; returns the message, or nil when the speaker failed (and the strategy goes on).
    private mutating func speak(_ name: String, round: Int) async throws -> String? {
        lastSpeaker = participants.firstIndex(of: name) ?? lastSpeaker
        let cue = "You are \(name). Round \(round) of at most \(council.maxRounds): give your contribution, "
            + "building on what was said. Be concise." + cueSuffix
        let step = try await ask(name, prompt(intro: "You take part in a council discussion.", ending: cue))
        guard step.status == .succeeded else {
            if failFast { throw Failure(message: "participant \(name) failed in round \(round): \(step.error ?? "")") }
            transcript.append("[Round \(round)] \(name): (failed)")
            latest[name] = nil
            return nil
        }
        let text = step.output.trimmingCharacters(in: .whitespacesAndNewlines)
        transcript.append("[Round \(round)] \(name): \(text)")
        latest[name] = text
        lastMessage = text
        return text
    }

    private var cueSuffix: String {
        switch council.termination {
        case .consensus: "\nIf you agree with where the discussion has landed, include the word AGREE."
        case .keyword: "\nSay \"\(council.keyword ?? "")\" when you think the discussion is finished."
        default: ""
        }
    }

    /// Asks the moderator who speaks next; falls back to round-robin order, with a note.
    private mutating func pick(round: Int, turn: Int) async throws -> String {
        let fallback = participants[(lastSpeaker + 1) % participants.count]
        let moderator = council.moderator ?? ""
        let ending = "Round \(round), turn \(turn) of \(participants.count). Name who speaks next, as \"NEXT: <name>\"."
        let step = try await ask(moderator, prompt(intro: "You moderate a council discussion.", ending: ending))
        guard step.status == .succeeded else {
            if failFast { throw Failure(message: "moderator \(moderator) failed in round \(round): \(step.error ?? "")") }
            notes.append("round \(round) turn \(turn): the moderator failed; \(fallback) spoke (round-robin order)")
            return fallback
        }
        let named = ReplyParsing.list(after: "NEXT", in: step.output)?.first.map { String($0.drop { $0 == "@" }) }
        if let named, let match = participants.first(where: { $0 == named })
            ?? participants.first(where: { $0.lowercased() == named.lowercased() }) {
            return match
        }
        let what = named.map { "named \"\($0)\", not a participant" } ?? "named no one"
        notes.append("round \(round) turn \(turn): the moderator \(what); \(fallback) spoke (round-robin order)")
        return fallback
    }

    /// Whether the moderator ends the discussion after `round` (a failed answer means no).
    private mutating func moderatorConcludes(round: Int) async throws -> Bool {
        let moderator = council.moderator ?? ""
        let ending = "Round \(round) of at most \(council.maxRounds) is over. Answer CONCLUDE to end the discussion now, "
            + "or CONTINUE for another round."
        let step = try await ask(moderator, prompt(intro: "You moderate a council discussion.", ending: ending))
        guard step.status == .succeeded else {
            if failFast { throw Failure(message: "moderator \(moderator) failed to decide after round \(round): \(step.error ?? "")") }
            notes.append("the moderator failed to decide after round \(round); the discussion went on")
            return false
        }
        return WordMatching.contains("conclude", in: step.output)
    }

    /// The moderator's closing summary, or nil without a moderator (or when it failed and the
    /// strategy goes on: the last message concludes).
    private mutating func conclude(reason: String) async throws -> String? {
        guard let moderator = council.moderator else { return nil }
        let ending = "The discussion has ended (\(reason)). Write the council's conclusion: the answer it reached "
            + "on the topic, and any disagreement that remains."
        let step = try await ask(moderator, prompt(intro: "You moderate a council discussion.", ending: ending))
        guard step.status == .succeeded else {
            if failFast { throw Failure(message: "moderator \(moderator) failed to conclude: \(step.error ?? "")") }
            notes.append("the moderator failed to conclude; the last message stands")
            return nil
        }
        return step.output
    }

    /// Runs a member (through `MemberRunner`); throws when it was cancelled.
    private func ask(_ name: String, _ input: String) async throws -> MemberStep {
        let step = await MemberRunner.run(name, input: input, in: context)
        if step.status == .cancelled { throw CancellationError() }
        return step
    }

    private func prompt(intro: String, ending: String) -> String {
        let lines = transcript.isEmpty ? "(no messages yet)" : transcript.joined(separator: "\n")
        return intro + "\n\nDiscussion topic:\n" + topic + "\n\nParticipants: " + participants.joined(separator: ", ")
            + "\n\nTranscript so far:\n" + lines + "\n\n" + ending
    }

    private func explain(_ reason: String?) -> String {
        ([reason].compactMap { $0 } + notes).joined(separator: "; ")
    }
}
