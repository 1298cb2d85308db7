import NIOCore

/// Notices a peer that floods the connection with frames that start no work: PINGs, and CANCELs
/// of stream ids never opened. Each costs the server a little and a reply or a look-up, so a
/// stream of them can keep it busy for nothing; gRPC's keepalive enforcement ends such a
/// connection the same way.
///
/// Such a frame is a strike when it comes within `minInterval` of the previous one; a quieter
/// one, or a call opened, clears the strikes. More than `maxStrikes` in a row end the connection.
/// A plain value: the handler feeds it frames and the time they arrived.
struct ControlFrameFloodGuard {
    /// Strikes allowed in a row; 0 turns the guard off.
    let maxStrikes: Int
    /// Frames closer together than this are strikes.
    let minInterval: TimeAmount
    private var strikes = 0
    private var lastFrame: NIODeadline?

    init(maxStrikes: Int, minInterval: TimeAmount) {
        self.maxStrikes = maxStrikes
        self.minInterval = minInterval
    }

    /// A call was opened: the peer is working, not flooding.
    mutating func workArrived() {
        strikes = 0
    }

    /// A frame that starts no work arrived at `now`.
    /// - Returns: `false` when the peer has now sent too many of them too fast.
    mutating func idleFrameArrived(at now: NIODeadline) -> Bool {
        guard maxStrikes > 0 else { return true }
        if let lastFrame, now - lastFrame < minInterval {
            strikes += 1
        } else {
            strikes = 0
        }
        lastFrame = now
        return strikes <= maxStrikes
    }
}
