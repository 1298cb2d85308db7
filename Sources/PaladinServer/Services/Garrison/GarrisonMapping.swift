import PaladinCore
import PaladinWire

/// Converts garrison values between the wire (`Paladin_V1_*`) and the domain (`PaladinCore`).
enum GarrisonMapping {
    static func entry(from message: Paladin_V1_GarrisonEntry, field: String) throws(RPCError) -> GarrisonEntry {
        guard let role = role(from: message.role) else {
            throw RPCError(.invalidArgument, "\(field).role must be system, user, assistant or tool", details: ["field": "\(field).role"])
        }
        // Importance (0...100) is checked by the store, as every GarrisonStore must.
        return GarrisonEntry(sessionID: message.sessionID, role: role, content: message.content,
                             tokenCount: Int(message.tokenCount), importance: Int(message.importance),
                             metadata: message.metadata)
    }

    static func message(from entry: GarrisonEntry) -> Paladin_V1_GarrisonEntry {
        var message = Paladin_V1_GarrisonEntry()
        message.id = entry.id
        message.sessionID = entry.sessionID
        message.role = role(from: entry.role)
        message.content = entry.content
        message.tokenCount = UInt32(clamping: entry.tokenCount)
        message.importance = UInt32(clamping: entry.importance)
        message.createdAtUs = entry.createdAtMicros
        message.metadata = entry.metadata
        return message
    }

    static func message(from summary: SessionSummary) -> Paladin_V1_SessionSummary {
        var message = Paladin_V1_SessionSummary()
        message.sessionID = summary.sessionID
        message.entryCount = UInt32(clamping: summary.entryCount)
        message.tokenCount = UInt64(max(0, summary.tokenCount))
        message.createdAtUs = summary.createdAtMicros
        message.lastActivityUs = summary.lastActivityMicros
        return message
    }

    static func role(from wire: Paladin_V1_Role) -> Role? {
        switch wire {
        case .system: .system
        case .user: .user
        case .assistant: .assistant
        case .tool: .tool
        default: nil
        }
    }

    static func role(from role: Role) -> Paladin_V1_Role {
        switch role {
        case .system: .system
        case .user: .user
        case .assistant: .assistant
        case .tool: .tool
        }
    }
}
