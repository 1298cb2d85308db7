/// One row of the Commander's Auto heuristic: a pattern, the words that suggest it, and how
/// many members it needs.
struct CommanderRule: Sendable {
    /// The pattern's `patternName`.
    let pattern: String
    /// Whole words or phrases (see `WordMatching`), in the order they are tried.
    let keywords: [String]
    let minMembers: Int

    /// The reference heuristic table (paladin-ai 0.5.1 §2.2) in priority order; the first row
    /// with a matching keyword and enough members wins, else Formation.
    static let table: [CommanderRule] = [
        CommanderRule(pattern: "conclave", keywords: [
            "synthesize", "synthesise", "synthesis", "compare", "comparison", "perspectives", "consensus",
            "aggregate", "expert panel", "panel of experts", "mixture of experts",
        ], minMembers: 3),
        CommanderRule(pattern: "council", keywords: [
            "discuss", "discussion", "debate", "deliberate", "brainstorm", "dialogue", "round table", "roundtable",
        ], minMembers: 2),
        CommanderRule(pattern: "grove", keywords: [
            "route", "routing", "expertise", "best agent", "most qualified", "skilled in",
        ], minMembers: 2),
        CommanderRule(pattern: "campaign", keywords: [
            "workflow", "graph", "conditional", "depends on", "after", "before", "when", "complex", "multi-stage",
        ], minMembers: 2),
        CommanderRule(pattern: "formation", keywords: [
            "sequential", "sequentially", "pipeline", "chain", "step by step", "in order", "first", "next",
        ], minMembers: 1),
        CommanderRule(pattern: "phalanx", keywords: [
            "parallel", "concurrent", "concurrently", "simultaneously", "together", "at the same time",
        ], minMembers: 1),
        CommanderRule(pattern: "chain_of_command", keywords: [
            "delegate", "hierarchy", "specialist", "specialists", "expert", "experts", "coordinator", "manager", "lead",
        ], minMembers: 2),
    ]
}
