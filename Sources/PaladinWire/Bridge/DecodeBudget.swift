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
    /// Bytes allowed on top of the per-byte share. Small messages made of many tiny elements (a
    /// thousand empty system entries: about 30 bytes decoded per wire byte) must decode, so the
    /// base covers any payload of a few tens of KiB whatever its shape; only large payloads are
    /// held to the per-byte share.
    public static let baseBytes = 1024 * 1024

    /// Bytes charged per allocation on top of its size: what `malloc` keeps per block (header
    /// and rounding), so the budget tracks the memory really taken by many tiny allocations.
    static let blockOverhead = 16

    /// The budget for decoding a payload of `payloadSize` bytes.
    public static func limit(forPayloadSize payloadSize: Int) -> Int {
        baseBytes + bytesPerPayloadByte * payloadSize
    }

    /// What the allocator counts; `allocator_data` points at it for the length of one decode.
    struct Account {
        /// The budget this account started with.
        let limit: Int
        /// Bytes that may still be handed out.
        var remaining: Int
        /// An allocation was refused.
        var exceeded = false

        /// Bytes charged so far (sizes plus `blockOverhead` each).
        var allocated: Int { limit - remaining }

        /// An account with the budget of a `payloadSize`-byte payload (or `limit` bytes).
        init(payloadSize: Int, limit: Int? = nil) {
            self.limit = limit ?? DecodeBudget.limit(forPayloadSize: payloadSize)
            remaining = self.limit
        }
    }

    /// Unpacks `bytes` as a `descriptor` message, charging every allocation to `account`.
    ///
    /// Not generic, so a decode instantiates no generic metadata. The blocks come from `malloc`,
    /// so the message is freed with `protobuf_c_message_free_unpacked(message, nil)` (the default
    /// allocator's `free`).
    /// - Returns: `nil` when protobuf-c refuses the bytes; `account.exceeded` then tells whether
    ///   the budget ran out.
    static func unpack(
        _ bytes: UnsafeRawBufferPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>, account: inout Account
    ) -> UnsafeMutablePointer<ProtobufCMessage>? {
        withUnsafeMutablePointer(to: &account) { accountPointer in
            var allocator = ProtobufCAllocator(alloc: budgetedAlloc, free: budgetedFree, allocator_data: UnsafeMutableRawPointer(accountPointer))
            // protobuf-c wants a non-NULL pointer even for an empty message.
            var empty: UInt8 = 0
            return withUnsafeMutablePointer(to: &empty) { emptyPointer in
                let base = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? UnsafePointer(emptyPointer)
                return protobuf_c_message_unpack(descriptor, &allocator, bytes.count, base)
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
    return malloc(max(size, 1))
}

/// `ProtobufCAllocator.free`: plain `free`; freed bytes are not given back to the budget, so it
/// bounds everything allocated during one decode.
private let budgetedFree: @convention(c) (UnsafeMutableRawPointer?, UnsafeMutableRawPointer?) -> Void = { _, pointer in
    free(pointer)
}
