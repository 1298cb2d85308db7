import Synchronization

/// Calls that mark the measured part of a run for callgrind. `scripts/perf-check` passes
/// `--zero-before=*CallgrindMarkerO17measurementStarts*` and
/// `--dump-before=*CallgrindMarkerO15measurementEnds*` (patterns on the mangled names: renaming
/// either means changing the script). Entering the first sets every thread's counters to zero,
/// entering the second writes them out, so process start-up, set-up, warm-up and exit are never
/// counted. Async code resumes in continuation functions, which callgrind's per-thread
/// `--toggle-collect` cannot follow; zeroing and dumping act on every thread.
enum CallgrindMarker {
    /// The iterations being measured. The atomic store and load are side effects the optimizer
    /// keeps, and they differ, so it neither drops the calls nor merges the two functions into
    /// one symbol (callgrind matches the symbols by name).
    private static let measured = Atomic<Int>(0)

    /// Called right before the measured iterations.
    @inline(never)
    static func measurementStarts(iterations: Int) {
        measured.store(iterations, ordering: .relaxed)
    }

    /// Called right after the measured iterations; returns what `measurementStarts` was given.
    @inline(never)
    static func measurementEnds() -> Int {
        measured.load(ordering: .relaxed)
    }
}
