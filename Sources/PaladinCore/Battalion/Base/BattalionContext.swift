/// What a pattern runs with: its members, options, observer and the run's clock and log.
/// Make one per run.
public struct BattalionContext: Sendable {
    /// The members by name. A repeated name means the last member given under it.
    public let members: [String: any BattalionMember]
    public let options: BattalionOptions
    public let observer: (any BattalionObserver)?
    /// Steps of this run as they finish.
    public let log: StepLog
    /// Successes of an interrupted run this one resumes; nil for a fresh run.
    public let prior: PriorSteps?
    /// Asks for human approval where a member needs it; nil: none needed.
    public let approvals: (any ApprovalGate)?
    /// How many times each member has been called so far (approval steps are keyed by it);
    /// counted only when approvals are asked for.
    let occurrences: OccurrenceCounter?
    /// When the run started: step times and the run's duration are measured from here.
    let start: ContinuousClock.Instant

    /// - Parameter resuming: the steps of an interrupted run of the same battalion and input
    ///   (see `PriorSteps`): members whose success is recorded there are not called again.
    public init(members: [any BattalionMember], options: BattalionOptions = BattalionOptions(),
                observer: (any BattalionObserver)? = nil, resuming prior: [MemberStep] = [],
                approvals: (any ApprovalGate)? = nil) {
        self.approvals = approvals
        self.occurrences = approvals == nil ? nil : OccurrenceCounter()
        self.members = Dictionary(members.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
        self.options = options
        self.observer = observer
        self.log = StepLog()
        self.prior = prior.isEmpty ? nil : PriorSteps(prior)
        self.start = .now
    }

    /// The member named `name`.
    /// - Throws: `BattalionError` listing the known members when there is none.
    public func member(_ name: String) throws -> any BattalionMember {
        guard let member = members[name] else {
            let known = members.keys.sorted().joined(separator: ", ")
            throw BattalionError("unknown member \"\(name)\"; known: \(known)")
        }
        return member
    }

    /// The paladin behind member `name`, if the member is one (for prompts that describe members).
    func paladin(_ name: String) -> PaladinAgent? { members[name] as? PaladinAgent }

    /// Time since the run started.
    var elapsed: Duration { start.duration(to: .now) }
}
