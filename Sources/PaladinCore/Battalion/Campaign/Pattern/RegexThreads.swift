/// The matcher's working memory, allocated once per search: the threads (program positions)
/// alive at the current text position and at the next, a mark per instruction saying in which
/// generation it was last added (so each is in a list once and an empty loop cannot spin), and
/// the stack that follows jumps and splits.
struct RegexThreads {
    private(set) var current: UnsafeMutablePointer<Int32>
    private(set) var currentCount = 0
    private var next: UnsafeMutablePointer<Int32>
    private var nextCount = 0
    private let stack: UnsafeMutablePointer<Int32>
    private let marks: UnsafeMutablePointer<UInt32>
    private let capacity: Int
    /// The generation of the current list; the next list's is one more.
    private var generation: UInt32 = 1

    init(capacity: Int) {
        self.capacity = capacity
        current = .allocate(capacity: capacity)
        next = .allocate(capacity: capacity)
        stack = .allocate(capacity: 2 * capacity + 1)  // each instruction, once marked, pushes at most two
        marks = .allocate(capacity: capacity)
        marks.initialize(repeating: 0, count: capacity)
    }

    func deallocate() {
        current.deallocate()
        next.deallocate()
        stack.deallocate()
        marks.deallocate()
    }

    /// Empties the next list, before the threads of the current one step into it.
    mutating func beginNext() {
        nextCount = 0
        if generation >= UInt32.max - 1 {  // restart the marks rather than let them wrap
            marks.update(repeating: 0, count: capacity)
            generation = 1
        }
    }

    /// Starts a new generation for a position reached by skipping, with no thread alive.
    mutating func skipped() {
        beginNext()
        generation += 1
    }

    /// Makes the next list current.
    mutating func swapLists() {
        swap(&current, &next)
        currentCount = nextCount
        generation += 1
    }

    /// Adds `pc` to the next list, following jumps, splits and assertions from it at
    /// `position`; true when that reaches `.match`. A consuming instruction (the usual case, as
    /// in `a{1000}`) is added directly, without the stack.
    @inline(__always)
    mutating func addNext(_ pc: Int, _ steps: UnsafeBufferPointer<RegexStep>, at position: RegexPosition) -> Bool {
        switch steps[pc].operation {
        case .scalar, .set:
            if marks[pc] != generation + 1 {
                marks[pc] = generation + 1
                next[nextCount] = Int32(pc)
                nextCount += 1
            }
            return false
        default:
            return add(pc, toNext: true, steps, at: position)
        }
    }

    /// Adds `pc` and what it reaches without consuming, at `position`, to the current or the
    /// next list; true when that reaches `.match`.
    mutating func add(_ pc: Int, toNext: Bool, _ steps: UnsafeBufferPointer<RegexStep>, at position: RegexPosition) -> Bool {
        let mark = toNext ? generation + 1 : generation
        var depth = 1
        stack[0] = Int32(pc)
        while depth > 0 {
            depth -= 1
            let pc = Int(stack[depth])
            guard marks[pc] != mark else { continue }
            marks[pc] = mark
            let step = steps[pc]
            switch step.operation {
            case .match:
                return true
            case .jump:
                stack[depth] = step.first
                depth += 1
            case .split:
                stack[depth] = step.second
                stack[depth + 1] = step.first
                depth += 2
            case .assertion:
                if position.satisfies(RegexAssertion.allCases[Int(step.first)]) {
                    stack[depth] = Int32(pc + 1)
                    depth += 1
                }
            case .scalar, .set:
                if toNext {
                    next[nextCount] = Int32(pc)
                    nextCount += 1
                } else {
                    current[currentCount] = Int32(pc)
                    currentCount += 1
                }
            }
        }
        return false
    }
}
