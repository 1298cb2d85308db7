/// What a pattern runs with: its members, options, observer and the run's clock and log.
/// Make one per run.
public struct BattalionContext: Sendable {
    public let members: [String: any BattalionMember]
    public let options: BattalionOptions
    public let observer: (any BattalionObserver)?
    /// Steps of this run as they finish.
    public let log: StepLog
    /// Successes of an interrupted run this one resumes; nil for a fresh run.
    public let prior: PriorSteps?
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant

    /// - Parameter resuming: the steps of an interrupted run of the same battalion and input
    ///   (see `PriorSteps`): members whose success is recorded there are not called again.
    public init(members: [any BattalionMember], options: BattalionOptions = BattalionOptions(),
                observer: (any BattalionObserver)? = nil, resuming prior: [MemberStep] = []) {
        self.prior = prior.isEmpty ? nil : PriorSteps(prior)
        var byName: [String: any BattalionMember] = [:]
        byName.reserveCapacity(members.count)  // one allocation, no rehashing while it fills
        self.log = StepLog(capacity: members.count)
        for member in members { byName[member.name] = member }
        self.members = byName
        self.options = options
        self.observer = observer
        self.start = ContinuousClock.now
    }

    /// The member named `name`.
    /// - Throws: `BattalionError` listing the known members when there is none.
    public func member(_ name: String) throws -> any BattalionMember {
        guard let member = members[name] else {
            throw BattalionError("unknown member \"\(name)\"; known: \(members.keys.sorted().joined(separator: ", "))")
        }
        return member
    }

    /// Time since the run started.
    var elapsed: Duration { clock.now - start }
}
