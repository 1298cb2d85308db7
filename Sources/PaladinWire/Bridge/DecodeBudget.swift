#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import CPaladinProto

/// The memory protobuf-c may allocate while decoding one message, enforced by a
/// `ProtobufCAllocator` that counts the bytes it hands out and refuses (returns NULL) past the
/// budget.
///
/// protobuf-c allocates a scan record for every field it reads, plus an array slot and a block
/// per repeated element or unknown field, so a payload of 2-byte empty entries or unknown varints
/// makes it allocate many times its own size. With the budget, such a payload fails with
/// `WireError.decodeBudgetExceeded` after at most `limit(forPayloadSize:)` bytes instead.
/// protobuf-c checks every allocation and frees what it had built when one fails.
public enum DecodeBudget {
    /// Bytes allowed per payload byte. A message with real content (strings, numbers, sub-messages
    /// holding a few fields each) needs well under this; only payloads made mostly of empty
    /// fields or elements come near it.
    public static let bytesPerPayloadByte = 16
    /// Bytes allowed on top of the per-byte share, so small messages (the struct itself, the
    /// scan slabs of a few dozen fields) never reach the budget.
    public static let baseBytes = 64 * 1024

    /// Bytes charged per allocation on top of its size: what `malloc` keeps per block (header
    /// and rounding), so the budget tracks the memory really taken by many tiny allocations.
    static let blockOverhead = 16

    /// The budget for decoding a payload of `payloadSize` bytes.
    public static func limit(forPayloadSize payloadSize: Int) -> Int {
        baseBytes + bytesPerPayloadByte * payloadSize
    }

    /// What the allocator counts; `allocator_data` points at it for the length of one decode.
    struct Account {
        /// Bytes that may still be handed out.
        var remaining: Int
        /// Bytes charged so far (sizes plus `blockOverhead` each).
        var allocated = 0
        /// An allocation was refused.
        var exceeded = false
    }

    /// How one budgeted decode went.
    struct Outcome<T> {
        /// What `body` made of the C message; `nil` when protobuf-c refused the bytes.
        var value: T?
        /// protobuf-c refused because an allocation would have passed the budget.
        var exceeded: Bool
        /// Bytes charged for protobuf-c's allocations (never more than the budget).
        var allocated: Int
    }

    /// Decodes `bytes` as a `descriptor` message with a budgeted allocator and hands the C
    /// message to `body`, freeing it afterwards.
    static func withUnpacked<T>(
        _ bytes: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>,
        limit: Int? = nil, _ body: (UnsafeMutablePointer<ProtobufCMessage>) -> T
    ) -> Outcome<T> {
        var account = Account(remaining: limit ?? self.limit(forPayloadSize: bytes.count))
        return withUnsafeMutablePointer(to: &account) { accountPointer in
            var allocator = ProtobufCAllocator(alloc: budgetedAlloc, free: budgetedFree, allocator_data: UnsafeMutableRawPointer(accountPointer))
            return withUnsafeMutablePointer(to: &allocator) { allocatorPointer in
                // protobuf-c wants a non-NULL pointer even for an empty message.
                var empty: UInt8 = 0
                let decoded: UnsafeMutablePointer<ProtobufCMessage>? = withUnsafeMutablePointer(to: &empty) { emptyPointer in
                    let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(emptyPointer)
                    return protobuf_c_message_unpack(descriptor, allocatorPointer, bytes.count, base)
                }
                guard let decoded else {
                    return Outcome(value: nil, exceeded: accountPointer.pointee.exceeded, allocated: accountPointer.pointee.allocated)
                }
                defer { protobuf_c_message_free_unpacked(decoded, allocatorPointer) }
                return Outcome(value: body(decoded), exceeded: false, allocated: accountPointer.pointee.allocated)
            }
        }
    }
}

/// `ProtobufCAllocator.alloc`: `malloc` while the account has room, NULL (a refusal protobuf-c
/// handles) once it has not.
private let budgetedAlloc: @convention(c) (UnsafeMutableRawPointer?, Int) -> UnsafeMutableRawPointer? = { data, size in
    let account = data.unsafelyUnwrapped.assumingMemoryBound(to: DecodeBudget.Account.self)
    let charge = size + DecodeBudget.blockOverhead
    guard charge <= account.pointee.remaining else {
        account.pointee.exceeded = true
        return nil
    }
    account.pointee.remaining -= charge
    account.pointee.allocated += charge
    return malloc(max(size, 1))
}

/// `ProtobufCAllocator.free`: plain `free`; freed bytes are not given back to the budget, so it
/// bounds everything allocated during one decode.
private let budgetedFree: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void = { _, pointer in
    free(pointer)
}
