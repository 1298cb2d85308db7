import NIOCore
import Testing
@testable import PaladinServer

/// The guard alone: frames that start no work, too many too fast in a row, end a connection.
struct ControlFrameFloodGuardTests {
    private let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    /// Feeds `guardian` frames at `times` (milliseconds after `start`); whether each was allowed.
    private func feed(_ guardian: inout ControlFrameFloodGuard, at times: [Int64]) -> [Bool] {
        times.map { guardian.idleFrameArrived(at: start + .milliseconds($0)) }
    }

    @Test func framesInQuickSuccessionPastTheLimitAreRefused() {
        var guardian = ControlFrameFloodGuard(maxStrikes: 3, minInterval: .milliseconds(100))
        // The first frame is no strike; the next three are; the fifth is one too many.
        #expect(feed(&guardian, at: [0, 1, 2, 3, 4]) == [true, true, true, true, false])
    }

    @Test func aRequestOrAQuietGapClearsTheStrikes() {
        var guardian = ControlFrameFloodGuard(maxStrikes: 2, minInterval: .milliseconds(100))
        #expect(feed(&guardian, at: [0, 1, 2]) == [true, true, true])
        guardian.workArrived()  // without it, the frame at 3 would be the third strike
        #expect(feed(&guardian, at: [3, 4]) == [true, true])
        #expect(feed(&guardian, at: [200, 201, 202, 203]) == [true, true, true, false])  // after a quiet gap
    }

    @Test func framesSpacedByTheIntervalNeverStrike() {
        var guardian = ControlFrameFloodGuard(maxStrikes: 1, minInterval: .milliseconds(100))
        #expect(feed(&guardian, at: (0..<1000).map { $0 * 100 }).allSatisfy { $0 })
    }

    @Test func zeroStrikesTurnsTheGuardOff() {
        var guardian = ControlFrameFloodGuard(maxStrikes: 0, minInterval: .seconds(1))
        #expect(feed(&guardian, at: Array(repeating: 0, count: 1000)).allSatisfy { $0 })
    }
}
