/// One execution of a `Campaign`: which members finished how, and which are running.
struct CampaignRun {
    let campaign: Campaign
    let input: String
    let context: BattalionContext
    private let entries: Set<String>
    /// Incoming edges of each member.
    private let incoming: [String: [CampaignEdge]]
    /// Finished members (succeeded, failed, cancelled or skipped).
    private var finished: [String: MemberStep] = [:]
    private var started: Set<String> = []

    init(campaign: Campaign, input: String, context: BattalionContext) {
        self.campaign = campaign
        self.input = input
        self.context = context
        entries = Set(campaign.effectiveEntryPoints)
        incoming = Dictionary(grouping: campaign.edges, by: \.to)
    }

    mutating func execute() async throws -> PatternOutcome {
        var failure: String?
        var cancelled = false
        await withTaskGroup(of: MemberStep.self) { group in
            startReady(in: &group)
            while let step = await group.next() {
                finished[step.member] = step
                guard failure == nil && !cancelled else { continue }
                if step.status == .cancelled || Task.isCancelled {
                    cancelled = true
                    group.cancelAll()
                } else if step.status == .failed && context.options.errorStrategy == .failFast {
                    failure = "member \(step.member) failed: \(step.error ?? "")"
                    group.cancelAll()
                } else {
                    startReady(in: &group)
                }
            }
        }
        if cancelled || Task.isCancelled { throw CancellationError() }
        if let failure {
            for name in campaign.members where finished[name] == nil {
                finished[name] = CampaignSkip.record(name, reason: "not run: the run failed (FailFast)", in: context)
            }
            return PatternOutcome(finalOutput: "", failure: failure)
        }
        return outcome()
    }

    /// Starts every ready member; skips (and records) ready members without a satisfied
    /// incoming edge, repeating until nothing more becomes ready.
    private mutating func startReady(in group: inout TaskGroup<MemberStep>) {
        var progress = true
        while progress {
            progress = false
            for name in campaign.members where !started.contains(name) {
                let edges = incoming[name] ?? []
                guard edges.allSatisfy({ finished[$0.from] != nil }) else { continue }
                started.insert(name)
                let memberInput: String
                if entries.contains(name) {
                    memberInput = input
                } else if let joined = joinedInput(edges) {
                    memberInput = joined
                } else {
                    finished[name] = CampaignSkip.record(name, reason: skipReason(edges), in: context)
                    progress = true
                    continue
                }
                let context = self.context
                group.addTask { await MemberRunner.run(name, input: memberInput, in: context) }
            }
        }
    }

    /// The outputs of the satisfied parents, in declaration order; `nil` when none is satisfied.
    private func joinedInput(_ edges: [CampaignEdge]) -> String? {
        let satisfied = Set(edges.filter { edge in
            guard let step = finished[edge.from], step.status == .succeeded else { return false }
            return edge.isSatisfied(by: step.output)
        }.map(\.from))
        guard !satisfied.isEmpty else { return nil }
        return campaign.members.filter(satisfied.contains).compactMap { finished[$0]?.output }.joined(separator: "\n---\n")
    }

    private func skipReason(_ edges: [CampaignEdge]) -> String {
        guard !edges.isEmpty else { return "no incoming edges and not an entry point" }
        let why = edges.map { edge -> String in
            let status = finished[edge.from]?.status ?? .skipped
            return status == .succeeded ? "\(edge.from): \(edge.condition) not met" : "\(edge.from) \(status.rawValue)"
        }
        return "no satisfied incoming edge (" + why.joined(separator: "; ") + ")"
    }

    private func outcome() -> PatternOutcome {
        let skipped = campaign.members.compactMap { name in
            finished[name].flatMap { $0.status == .skipped ? "\(name) (\($0.error ?? ""))" : nil }
        }
        let reasoning = skipped.isEmpty ? nil : "skipped: " + skipped.joined(separator: ", ")
        let sinks = campaign.sinks
        let outputs = sinks.compactMap { finished[$0]?.status == .succeeded ? finished[$0]?.output : nil }
        guard !outputs.isEmpty else {
            let states = sinks.map { "\($0) \(finished[$0]?.status.rawValue ?? "not run")" }
            return PatternOutcome(finalOutput: "", failure: "no sink member succeeded: " + states.joined(separator: ", "),
                                  reasoning: reasoning)
        }
        return PatternOutcome(finalOutput: outputs.joined(separator: "\n---\n"), reasoning: reasoning)
    }
}
