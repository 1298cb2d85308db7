/// A compiled regular expression: the instructions of its Thompson NFA, starting at 0, the
/// scalar sets they refer to, and the same program flattened for the matcher.
struct RegexProgram: Sendable {
    var instructions: [RegexInstruction]
    var sets: [RegexScalarSet]
    /// `instructions` as fixed-size steps, so the matcher's loop reads plain integers.
    let steps: [RegexStep]
    /// The ASCII scalars that can start a match, as a 128-bit map, and whether any non-ASCII
    /// scalar can; `nil` when a match can start without consuming (`x*`, `^$`), so no position
    /// may be skipped.
    let firstScalars: (low: UInt64, high: UInt64, nonASCII: Bool)?

    init(instructions: [RegexInstruction], sets: [RegexScalarSet]) {
        self.instructions = instructions
        self.sets = sets
        steps = instructions.map(RegexStep.init)
        firstScalars = Self.firstScalars(instructions, sets)
    }

    /// What the instructions reachable from 0 without consuming can consume, taking every
    /// assertion as true (a superset, which is what skipping needs).
    private static func firstScalars(_ instructions: [RegexInstruction],
                                     _ sets: [RegexScalarSet]) -> (low: UInt64, high: UInt64, nonASCII: Bool)? {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var nonASCII = false
        var seen = Set<Int>()
        var stack = [0]
        while let pc = stack.popLast() {
            guard seen.insert(pc).inserted else { continue }
            switch instructions[pc] {
            case .match:
                return nil
            case .jump(let target):
                stack.append(target)
            case .split(let first, let second):
                stack += [first, second]
            case .assertion:
                stack.append(pc + 1)
            case .scalar(let scalar):
                if scalar.value < 64 {
                    low |= 1 << UInt64(scalar.value)
                } else if scalar.value < 128 {
                    high |= 1 << UInt64(scalar.value - 64)
                } else {
                    nonASCII = true
                }
            case .set(let index):
                low |= sets[index].asciiLow
                high |= sets[index].asciiHigh
                nonASCII = true
            }
        }
        return (low, high, nonASCII)
    }
}
