import PaladinCore
import PaladinWire

/// ApproveStep: a person's decision on a step a run waits for.
extension BattalionService {
    static func registerApprovals(in router: inout ServiceRouter, catalog: Catalog, runs: RunManager) {
        router.registerUnary(Paladin_V1_BattalionService.approveStep) { request, _ in
            guard !request.runID.isEmpty else { throw BattalionMapping.invalid("run_id", "is required") }
            guard !request.step.isEmpty, request.step.utf8.count <= 200 else {
                throw BattalionMapping.invalid("step", "is required: the Approval.step of the run, e.g. \"review#1\"")
            }
            guard request.comment.utf8.count <= 4096 else { throw BattalionMapping.invalid("comment", "is longer than 4096 bytes") }
            let decision: ApprovalRecord.Decision
            switch request.decision {
            case .approved: decision = .approved
            case .rejected: decision = .rejected
            default: throw BattalionMapping.invalid("decision", "must be APPROVED or REJECTED")
            }
            if decision == .rejected, !request.editedInput.isEmpty {
                throw BattalionMapping.invalid("edited_input", "goes with APPROVED only")
            }
            let record = try await runs.decide(runID: request.runID, step: request.step, decision, comment: request.comment,
                                               editedInput: request.editedInput.isEmpty ? nil : request.editedInput,
                                               catalog: catalog)
            return RunMapping.run(record)
        }
    }
}
