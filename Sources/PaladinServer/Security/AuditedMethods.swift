import PaladinWire

/// The writes the audit log records, and how to name each one's target from its request:
/// catalog changes, garrison changes, starting a detached run, cancelling, approving.
/// A request that does not decode gets an empty target (the call itself fails on it).
enum AuditedMethods {
    typealias Target = @Sendable ([UInt8]) -> String

    static let targets: [String: Target] = [
        Paladin_V1_PaladinService.createPaladin.path: target(Paladin_V1_CreatePaladinRequest.self) { "paladin \($0.definition?.name ?? "")" },
        Paladin_V1_PaladinService.updatePaladin.path: target(Paladin_V1_UpdatePaladinRequest.self) { "paladin \($0.definition?.name ?? "")" },
        Paladin_V1_PaladinService.deletePaladin.path: target(Paladin_V1_DeletePaladinRequest.self) { "paladin \($0.name)" },
        Paladin_V1_BattalionService.createBattalion.path: target(Paladin_V1_CreateBattalionRequest.self) { "battalion \($0.definition?.name ?? "")" },
        Paladin_V1_BattalionService.updateBattalion.path: target(Paladin_V1_UpdateBattalionRequest.self) { "battalion \($0.definition?.name ?? "")" },
        Paladin_V1_BattalionService.deleteBattalion.path: target(Paladin_V1_DeleteBattalionRequest.self) { "battalion \($0.name)" },
        Paladin_V1_BattalionService.startRun.path: target(Paladin_V1_RunRequest.self) { "battalion \($0.battalion)" },
        Paladin_V1_BattalionService.cancelRun.path: target(Paladin_V1_CancelRunRequest.self) { "run \($0.id)" },
        Paladin_V1_BattalionService.approveStep.path: target(Paladin_V1_ApproveStepRequest.self) { "run \($0.runID) step \($0.step)" },
        Paladin_V1_GarrisonService.append.path: target(Paladin_V1_AppendRequest.self) { "session \($0.sessionID)" },
        Paladin_V1_GarrisonService.clear.path: target(Paladin_V1_ClearRequest.self) { "session \($0.sessionID)" },
        Paladin_V1_GarrisonService.deleteSession.path: target(Paladin_V1_DeleteSessionRequest.self) { "session \($0.sessionID)" },
    ]

    private static func target<Request: ProtoMessage>(_ type: Request.Type,
                                                      _ name: @escaping @Sendable (Request) -> String) -> Target {
        { payload in (try? Request(decoding: payload)).map(name) ?? "" }
    }
}
