/// What a pattern runs with: its members, options, observer and the run's clock and log.
/// Make one per run.
public struct BattalionContext: Sendable {
    public let members: [String: any BattalionMember]
    public let options: BattalionOptions
    public let observer: (any BattalionObserver)?
    /// Steps of this run as they finish.
    public let log = StepLog()
    let clock = ContinuousClock()
    let start: ContinuousClock.Instant

    public init(members: [any BattalionMember], options: BattalionOptions = BattalionOptions(),
                observer: (any BattalionObserver)? = nil) {
        var byName: [String: any BattalionMember] = [:]
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
