/// The software version reported in HELLO and ServerInfo.
public enum PaladinVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
