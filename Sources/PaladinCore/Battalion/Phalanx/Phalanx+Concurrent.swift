extension Phalanx {
    /// Runs members concurrently, each in a child task, at most `limit` at once (0: all), and
    /// returns their steps in member order. A child task starts on the caller's thread and runs
    /// there until its member first waits (`addImmediateTask`), so starting members costs no
    /// thread hop and members still overlap wherever they wait. A step that stops the run (a
    /// failure under FailFast, or a success when `stopAtFirstSuccess`) cancels the members still
    /// running, which end cancelled; members of the first wave (`limit`) not started by then are
    /// recorded cancelled without being called, and those beyond it never start (`.skipped`).
    static func runConcurrently(_ names: [String], input: String, limit: Int, in context: BattalionContext,
                                stopAtFirstSuccess: Bool = false) async throws -> [MemberStep] {
        let width = limit > 0 ? min(limit, names.count) : names.count
        let failFast = context.options.errorStrategy == .failFast
        let stopsTheRun: @Sendable (MemberStep) -> Bool = {
            ($0.status == .failed && failFast) || ($0.status == .succeeded && stopAtFirstSuccess)
        }
        var steps = [MemberStep?](repeating: nil, count: names.count)
        // Raised by the member whose step stops the run, so that a member that answered without
        // waiting stops the starting of the rest even before the group hands its result back.
        let stop = StopFlag()
        await withTaskGroup(of: (Int, MemberStep).self) { group in
            var next = 0
            var stopped = false
            func startNext() {
                let index = next
                next += 1
                guard !stop.isRaised else {
                    // A member of the first wave that the run stopped before it began: recorded
                    // cancelled, as it would have ended had it been running; never called.
                    steps[index] = MemberRunner.notStarted(names[index], in: context)
                    return
                }
                let operation: @Sendable () async -> (Int, MemberStep) = {
                    let step = await MemberRunner.run(names[index], input: input, in: context)
                    if stopsTheRun(step) { stop.raise() }
                    return (index, step)
                }
                if #available(macOS 26, *) {
                    group.addImmediateTask(operation: operation)
                } else {
                    group.addTask(operation: operation)
                }
            }
            while next < width { startNext() }
            for await (index, step) in group {
                steps[index] = step
                if !stopped && stopsTheRun(step) {
                    stopped = true
                    group.cancelAll()
                }
                if !stopped && next < names.count { startNext() }
            }
        }
        try Task.checkCancellation()
        return names.indices.map { index in
            steps[index] ?? MemberStep(member: names[index], status: .skipped, startedAt: context.elapsed)
        }
    }
}
