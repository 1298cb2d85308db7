/// What a pattern runs with: its members, options, observer and the run's clock and log.
/// Make one per run.
public struct BattalionContext: Sendable {
    /// The members by name. Built on each access: patterns find members with `member(_:)`.
    public var members: [String: any BattalionMember] {
        Dictionary(table.members.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }
    /// The members, found by name without hashing (a run builds one per context).
    let table: MemberTable
    public let options: BattalionOptions
    public let observer: (any BattalionObserver)?
    /// Whether there is an observer, and `observer?.wantsDeltas`, read once when the context is
    /// made: each member step tests a flag instead of copying the optional existential.
    let hasObserver: Bool
    let observerWantsDeltas: Bool
    /// Steps of this run as they finish.
    public let log: StepLog
    /// Successes of an interrupted run this one resumes; nil for a fresh run.
    public let prior: PriorSteps?
    /// When the run started (`MonotonicClock`).
    let startNanoseconds: Int64

    /// - Parameter resuming: the steps of an interrupted run of the same battalion and input
    ///   (see `PriorSteps`): members whose success is recorded there are not called again.
    public init(members: [any BattalionMember], options: BattalionOptions = BattalionOptions(),
                observer: (any BattalionObserver)? = nil, resuming prior: [MemberStep] = []) {
        self.init(roster: BattalionRoster(members), options: options, observer: observer, resuming: prior)
    }

    /// A run of `roster`'s members: the members are not indexed again (see `BattalionRoster`).
    /// - Parameter resuming: as in `init(members:options:observer:resuming:)`.
    public init(roster: BattalionRoster, options: BattalionOptions = BattalionOptions(),
                observer: (any BattalionObserver)? = nil, resuming prior: [MemberStep] = []) {
        self.prior = prior.isEmpty ? nil : PriorSteps(prior)
        self.table = roster.table
        self.log = StepLog(capacity: table.members.count)
        self.options = options
        // Tested against nil before it is bound: binding first (`if let`) copied and destroyed the
        // optional existential through Optional's generic witnesses even when it was nil (~145
        // instructions a run; decision 44).
        if observer == nil {
            self.observer = nil
            hasObserver = false
            observerWantsDeltas = false
        } else {
            self.observer = observer
            hasObserver = true
            observerWantsDeltas = observer!.wantsDeltas
        }
        self.startNanoseconds = MonotonicClock.nanoseconds()
    }

    /// The member named `name`.
    /// - Throws: `BattalionError` listing the known members when there is none.
    public func member(_ name: String) throws -> any BattalionMember {
        guard let member = table.member(named: name) else {
            let known = table.members.map(\.name).sorted().joined(separator: ", ")
            throw BattalionError("unknown member \"\(name)\"; known: \(known)")
        }
        return member
    }

    /// Time since the run started.
    var elapsed: Duration { MonotonicClock.since(startNanoseconds) }
}
