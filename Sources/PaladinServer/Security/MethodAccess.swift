import PaladinWire

/// The least role each method of the contract needs. Every method of `PaladinContract` is
/// listed (a test checks it), so a new method cannot be served without a decision.
/// `Run` and `RunStream` are a reader's calls because they also attach to runs; starting a run
/// through them checks for an operator in the battalion service.
enum MethodAccess {
    static let required: [String: AccessRole] = [
        "paladin.v1.Health/Check": .reader,
        "paladin.v1.Health/Watch": .reader,
        "paladin.v1.ServerInfo/Get": .reader,
        "paladin.v1.PaladinService/GetPaladin": .reader,
        "paladin.v1.PaladinService/ListPaladins": .reader,
        "paladin.v1.PaladinService/Execute": .operator,
        "paladin.v1.PaladinService/ExecuteStream": .operator,
        "paladin.v1.PaladinService/CreatePaladin": .operator,
        "paladin.v1.PaladinService/UpdatePaladin": .operator,
        "paladin.v1.PaladinService/DeletePaladin": .operator,
        "paladin.v1.BattalionService/GetBattalion": .reader,
        "paladin.v1.BattalionService/ListBattalions": .reader,
        "paladin.v1.BattalionService/GetRun": .reader,
        "paladin.v1.BattalionService/ListRuns": .reader,
        "paladin.v1.BattalionService/RunStream": .reader,
        "paladin.v1.BattalionService/Run": .reader,
        "paladin.v1.BattalionService/StartRun": .operator,
        "paladin.v1.BattalionService/CancelRun": .operator,
        "paladin.v1.BattalionService/ApproveStep": .operator,
        "paladin.v1.BattalionService/CreateBattalion": .operator,
        "paladin.v1.BattalionService/UpdateBattalion": .operator,
        "paladin.v1.BattalionService/DeleteBattalion": .operator,
        "paladin.v1.GarrisonService/History": .reader,
        "paladin.v1.GarrisonService/Search": .reader,
        "paladin.v1.GarrisonService/ListSessions": .reader,
        "paladin.v1.GarrisonService/Append": .operator,
        "paladin.v1.GarrisonService/Clear": .operator,
        "paladin.v1.GarrisonService/DeleteSession": .operator,
    ]

    /// PERMISSION_DENIED when `principal` may not call `method`; methods not listed need admin.
    static func check(_ principal: Principal, _ method: String) -> RPCError? {
        let needed = required[method] ?? .admin
        guard principal.role < needed else { return nil }
        return RPCError(.permissionDenied, "\(principal.name) (role \(principal.role.rawValue)) may not call \(method): it needs role \(needed.rawValue)")
    }
}
