/// Limits that hold before a connection is authenticated.
public enum HandshakeLimits {
    /// Largest HELLO payload a server accepts, in bytes: before authentication a peer may not
    /// make the server buffer or decode more than this. It equals the smallest `max_frame_size`
    /// a server may be configured with, so any HELLO a client can count on being accepted fits.
    public static let maxHelloSize = 16 * 1024
}
