/// Compiles a `RegexNode` to a `RegexProgram`: counted repetitions are expanded into copies
/// (`x{2,4}` is `xx(x(x)?)?`), so the program's size, capped at `maxInstructions`, bounds the
/// matcher's work per scalar of text.
struct RegexCompiler {
    private var instructions: [RegexInstruction] = []
    private var sets: [RegexScalarSet] = []
    private var setIndex: [RegexScalarSet: Int] = [:]
    private let maxInstructions: Int

    /// The program of `node`, ending in `.match`.
    /// - Throws: `LinearRegexError` when it would have more than `maxInstructions` before `.match`.
    static func compile(_ node: RegexNode, maxInstructions: Int) throws(LinearRegexError) -> RegexProgram {
        var compiler = RegexCompiler(maxInstructions: maxInstructions)
        try compiler.emit(node)
        compiler.instructions.append(.match)  // not counted: a pattern of `maxInstructions` literals fits
        return RegexProgram(instructions: compiler.instructions, sets: compiler.sets)
    }

    private init(maxInstructions: Int) {
        self.maxInstructions = maxInstructions
    }

    @discardableResult
    private mutating func append(_ instruction: RegexInstruction) throws(LinearRegexError) -> Int {
        guard instructions.count < maxInstructions else {
            throw LinearRegexError("the pattern compiles to more than \(maxInstructions) instructions "
                                   + "(nested counted repetitions multiply)", at: 0)
        }
        instructions.append(instruction)
        return instructions.count - 1
    }

    private mutating func emit(_ node: RegexNode) throws(LinearRegexError) {
        switch node {
        case .empty:
            break
        case .scalar(let scalar):
            try append(.scalar(scalar))
        case .set(let set):
            let index = setIndex[set] ?? sets.count
            if index == sets.count {
                sets.append(set)
                setIndex[set] = index
            }
            try append(.set(index))
        case .assertion(let assertion):
            try append(.assertion(assertion))
        case .concatenation(let parts):
            for part in parts { try emit(part) }
        case .alternation(let branches):
            var jumps: [Int] = []
            for (position, branch) in branches.enumerated() {
                guard position < branches.count - 1 else {
                    try emit(branch)
                    break
                }
                let split = try append(.split(0, 0))
                try emit(branch)
                jumps.append(try append(.jump(0)))
                instructions[split] = .split(split + 1, instructions.count)
            }
            for jump in jumps { instructions[jump] = .jump(instructions.count) }
        case .repetition(let body, let min, let max):
            try emitRepetition(body, min: min, max: max)
        }
    }

    private mutating func emitRepetition(_ body: RegexNode, min: Int, max: Int?) throws(LinearRegexError) {
        // A body of no instructions ((?:){1000}) repeats nothing; copying it would still loop.
        guard !Self.compilesToNothing(body) else { return }
        guard let max else {
            if min == 0 {  // L: split body, end; body; jump L
                let split = try append(.split(0, 0))
                try emit(body)
                try append(.jump(split))
                instructions[split] = .split(split + 1, instructions.count)
            } else {  // body{min-1}; L: body; split L, end
                for _ in 0..<(min - 1) { try emit(body) }
                let loop = instructions.count
                try emit(body)
                let split = try append(.split(0, 0))
                instructions[split] = .split(loop, split + 1)
            }
            return
        }
        for _ in 0..<min { try emit(body) }
        var splits: [Int] = []
        for _ in min..<max {  // (body(body(...)?)?)?: each optional copy may end the repetition
            let split = try append(.split(0, 0))
            splits.append(split)
            try emit(body)
        }
        for split in splits { instructions[split] = .split(split + 1, instructions.count) }
    }

    private static func compilesToNothing(_ node: RegexNode) -> Bool {
        switch node {
        case .empty: true
        case .concatenation(let parts): parts.allSatisfy(compilesToNothing)
        case .repetition(let body, _, let max): max == 0 || compilesToNothing(body)
        default: false
        }
    }
}
