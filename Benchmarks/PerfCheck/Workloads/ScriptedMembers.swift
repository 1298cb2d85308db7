import PaladinCore

/// Paladins answered by a `ScriptedProvider` with one fixed reply and no request recording: the
/// core's own cost, without a model's.
enum ScriptedMembers {
    /// What every scripted paladin answers.
    static let reply = "ok"

    /// A paladin named `name` on its own scripted provider.
    static func agent(named name: String) throws -> PaladinAgent {
        let provider = ScriptedProvider(defaultReply: .text(reply), recordRequests: false)
        return try PaladinAgent(PaladinDefinition(name: name, systemPrompt: "You are \(name).", model: "scripted"),
                                provider: provider)
    }

    /// `count` paladins, `p1` to `p<count>`, sharing one scripted provider.
    static func make(count: Int) throws -> [any BattalionMember] {
        let provider = ScriptedProvider(defaultReply: .text(reply), recordRequests: false)
        return try (1...count).map { index in
            try PaladinAgent(PaladinDefinition(name: "p\(index)", systemPrompt: "You are p\(index).", model: "scripted"),
                             provider: provider)
        }
    }
}
