import CFuzzerDriver
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fuzz executable: libFuzzer's driver (its usual command line) over `fuzzOneInput`.
@main
enum PaladinWireFuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        // Build the tables before the first input so a contract the fuzzer does not cover
        // fails at start-up, not at the first REQUEST.
        _ = FuzzedContract.requestByMethod
        exit(LLVMFuzzerRunDriver(&argc, &argv, paladinWireFuzzOneInput))
    }
}

/// One input, parsed and decoded, every invariant checked.
///
/// The first byte is control (see `FuzzInput`), the rest is what a peer would send on a
/// connection. A broken invariant stops the process with a message (`Invariant.fail`), which
/// libFuzzer reports as a crash and saves the input for.
@_cdecl("LLVMFuzzerTestOneInput")
public func paladinWireFuzzOneInput(_ start: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    let input = FuzzInput(UnsafeRawBufferPointer(start: start, count: count))
    let outcome = WireParseCheck.run(input)
    for item in outcome.items {
        guard case .frame(let frame) = item else { continue }
        FrameDecodeCheck.run(frame)
        TextValidatorCheck.run(frame.payload)
    }
    return 0
}
