import NIOCore

/// The 8 bytes a client sends first: `"PLDN"`, major, minor, two zero bytes.
public struct Preface: Hashable, Sendable {
    /// Bytes in a preface.
    public static let size = 8
    /// ASCII "PLDN".
    public static let magic: [UInt8] = [0x50, 0x4C, 0x44, 0x4E]
    /// The protocol major version this code speaks.
    public static let currentMajor: UInt8 = 1
    /// The protocol minor version this code speaks.
    public static let currentMinor: UInt8 = 0

    public var major: UInt8
    public var minor: UInt8

    public init(major: UInt8 = Preface.currentMajor, minor: UInt8 = Preface.currentMinor) {
        self.major = major
        self.minor = minor
    }

    /// Why a preface was refused.
    public enum Failure: Error, Hashable, Sendable {
        /// Not "PLDN" or non-zero reserved bytes: the peer does not speak this protocol.
        case badMagic
        /// A major version other than 1.
        case unsupportedVersion(major: UInt8, minor: UInt8)
    }

    /// Parses 8 bytes; checks the magic, reserved bytes and major version.
    public static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> Preface {
        let b = Array(bytes)
        guard b.count == size, Array(b[0..<4]) == magic, b[6] == 0, b[7] == 0 else { throw .badMagic }
        guard b[4] == currentMajor else { throw .unsupportedVersion(major: b[4], minor: b[5]) }
        return Preface(major: b[4], minor: b[5])
    }

    /// The 8 bytes on the wire.
    public var bytes: [UInt8] { Preface.magic + [major, minor, 0, 0] }

    /// Appends the 8 bytes to `buffer`.
    public func write(to buffer: inout ByteBuffer) {
        buffer.writeBytes(bytes)
    }
}
