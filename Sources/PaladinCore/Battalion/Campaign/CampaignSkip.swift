/// Records members a pattern decided not to run, so every member of a run has a step.
enum CampaignSkip {
    /// Appends a `.skipped` step for `member` to the run's log, with `reason` as its error.
    /// The observer is not told: it only hears members that started.
    @discardableResult
    static func record(_ member: String, reason: String, in context: BattalionContext) -> MemberStep {
        let step = MemberStep(member: member, status: .skipped, error: reason, startedAt: context.elapsed)
        context.log.append(step)
        return step
    }
}
