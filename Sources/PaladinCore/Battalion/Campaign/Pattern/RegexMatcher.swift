/// Runs a `RegexProgram` over a text: a Thompson NFA simulation that keeps the set of program
/// positions alive at each scalar, so its work is O(program size x text length) whatever the
/// pattern, with no backtracking.
///
/// The text is read as Unicode scalars decoded from its UTF-8. A search is unanchored: a new
/// thread starts at every position, and the first thread to reach `.match` ends the search.
/// While no thread is alive, positions whose scalar cannot start a match are skipped byte by
/// byte (`RegexProgram.firstScalars`).
enum RegexMatcher {
    /// Whether the program matches somewhere in `text`.
    static func matches(_ program: RegexProgram, in text: String) -> Bool {
        if let found = text.utf8.withContiguousStorageIfAvailable({ search(program, $0) }) { return found }
        return Array(text.utf8).withUnsafeBufferPointer { search(program, $0) }
    }

    private static func search(_ program: RegexProgram, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        program.steps.withUnsafeBufferPointer { steps in
            program.sets.withUnsafeBufferPointer { sets in
                var threads = RegexThreads(capacity: steps.count)
                defer { threads.deallocate() }
                return search(steps, sets, program.firstScalars, bytes, &threads)
            }
        }
    }

    private static func search(_ steps: UnsafeBufferPointer<RegexStep>, _ sets: UnsafeBufferPointer<RegexScalarSet>,
                               _ first: (low: UInt64, high: UInt64, nonASCII: Bool)?,
                               _ bytes: UnsafeBufferPointer<UInt8>, _ threads: inout RegexThreads) -> Bool {
        var position = 0
        var before: Unicode.Scalar?
        var (after, width) = RegexUTF8.decode(bytes, at: 0)
        while true {
            if threads.currentCount == 0, let first {
                let start = RegexUTF8.skip(bytes, from: position, unless: first)
                guard start < bytes.count else { return false }  // no match can start, or be empty
                if start != position {
                    threads.skipped()  // a new position: marks of the old one must not hide threads here
                    position = start
                    before = RegexUTF8.scalar(bytes, before: start)
                    (after, width) = RegexUTF8.decode(bytes, at: start)
                }
            }
            // The current list holds the threads that reached this position; start one more.
            let here = RegexPosition(before: before, after: after, afterIsLast: position + width == bytes.count)
            if threads.add(0, toNext: false, steps, at: here) { return true }
            guard let scalar = after else { return false }
            let following = position + width
            let (nextAfter, nextWidth) = RegexUTF8.decode(bytes, at: following)
            let there = RegexPosition(before: scalar, after: nextAfter, afterIsLast: following + nextWidth == bytes.count)
            threads.beginNext()
            for index in 0..<threads.currentCount {
                let pc = Int(threads.current[index])
                let step = steps[pc]
                let consumed = switch step.operation {
                case .scalar: UInt32(bitPattern: step.first) == scalar.value
                default: sets[Int(step.first)].contains(scalar)
                }
                if consumed && threads.addNext(pc + 1, steps, at: there) { return true }
            }
            threads.swapLists()
            position = following
            before = scalar
            (after, width) = (nextAfter, nextWidth)
        }
    }
}
