import PaladinCore
import Synchronization

/// The approval gate of one run attempt: answers from the run's recorded decisions, and for a
/// step nobody was asked about yet records a pending approval and stops the run (`pause`), so
/// the run waits in the store, not in a task.
final class RunApprovals: ApprovalGate {
    private let rules: [String: ApprovalRule]
    private let recorded: [String: ApprovalRecord]
    private let pause: @Sendable () -> Void
    private let requested = Mutex<[ApprovalRecord]>([])

    /// - Parameters:
    ///   - rules: the members that need approval, with their rules.
    ///   - recorded: the run's approvals so far (from earlier attempts).
    ///   - pause: stops the run; called at the first new request.
    init(rules: [String: ApprovalRule], recorded: [ApprovalRecord], pause: @escaping @Sendable () -> Void) {
        self.rules = rules
        self.recorded = Dictionary(recorded.map { ($0.step, $0) }, uniquingKeysWith: { _, last in last })
        self.pause = pause
    }

    /// The rules of the members of `battalion` that need approval; empty when none does.
    static func rules(of members: [any BattalionMember]) -> [String: ApprovalRule] {
        var rules: [String: ApprovalRule] = [:]
        for case let paladin as PaladinAgent in members {
            if let rule = paladin.definition.approval { rules[paladin.name] = rule }
        }
        return rules
    }

    /// Approvals asked for in this attempt, in the order they were asked.
    var newRequests: [ApprovalRecord] { requested.withLock { $0 } }

    func requiresApproval(_ member: String) -> Bool { rules[member] != nil }

    func check(member: String, occurrence: Int, input: String) -> ApprovalCheck {
        let step = ApprovalRecord.step(member, occurrence)
        if let record = recorded[step] {
            switch record.decision {
            case .approved: return .proceed(input: record.editedInput ?? input)
            case .rejected: return .rejected("rejected by the approver" + (record.comment.isEmpty ? "" : ": \(record.comment)"))
            case .expired: return .rejected("nobody approved it before its deadline")
            case .pending: return .pause
            }
        }
        guard let rule = rules[member] else { return .proceed(input: input) }
        let now = WallClock.nowMicros()
        let record = ApprovalRecord(step: step, member: member, input: input, reason: rule.reason(member: member, input: input),
                                    requestedAtMicros: now,
                                    deadlineMicros: rule.timeout.map { now + $0.components.seconds * 1_000_000 + $0.components.attoseconds / 1_000_000_000_000 })
        let first = requested.withLock { requested in
            requested.append(record)
            return requested.count == 1
        }
        if first { pause() }
        return .pause
    }
}
