/// What a principal may do, each role including the ones below it.
public enum AccessRole: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Reads: Get, List, History, Search, watching runs, Health, ServerInfo.
    case reader
    /// Also runs work and writes its tenant's data: Execute, runs, cancel, approve, garrison
    /// writes, paladin and battalion definitions.
    case `operator`
    /// Everything, and may act on another tenant's data by naming it (metadata `paladin-tenant`).
    case admin

    private var rank: Int {
        switch self {
        case .reader: 0
        case .operator: 1
        case .admin: 2
        }
    }

    public static func < (lhs: AccessRole, rhs: AccessRole) -> Bool { lhs.rank < rhs.rank }
}
