import CPaladinProto

/// Finds, in a built protobuf-c message, the path of the first string field whose C string is
/// one of `CArena.stringsHoldingNUL`, to name it in `WireError.stringHoldsNUL`.
///
/// Only the error path runs it: it walks the message with its descriptors, as protobuf-c's
/// packer does, comparing string pointers.
enum NULFieldLocator {
    /// The path, e.g. `"results[2].content"`, or `nil` if no string field holds one of `targets`.
    static func path(
        in message: UnsafeRawPointer, descriptor: UnsafePointer<ProtobufCMessageDescriptor>,
        targets: Set<UnsafeRawPointer>
    ) -> String? {
        let fields = UnsafeBufferPointer(start: descriptor.pointee.fields, count: Int(descriptor.pointee.n_fields))
        for field in fields {
            let name = String(cString: field.name)
            let slot = message + Int(field.offset)
            if field.label == PROTOBUF_C_LABEL_REPEATED {
                let count = message.load(fromByteOffset: Int(field.quantifier_offset), as: Int.self)
                guard count > 0, let array = slot.load(as: UnsafeRawPointer?.self) else { continue }
                for index in 0..<count {
                    let element = array + index * MemoryLayout<UnsafeRawPointer?>.stride
                    if let found = locate(element, field: field, targets: targets) {
                        return "\(name)[\(index)]" + found
                    }
                }
            } else {
                if field.flags & UInt32(PROTOBUF_C_FIELD_FLAG_ONEOF.rawValue) != 0,
                   message.load(fromByteOffset: Int(field.quantifier_offset), as: UInt32.self) != field.id {
                    continue
                }
                if let found = locate(slot, field: field, targets: targets) { return name + found }
            }
        }
        return nil
    }

    /// For a string or message slot: `""` when the slot's string is a target, the sub-path
    /// (`".name"`) when a sub-message holds one, else `nil`.
    private static func locate(_ slot: UnsafeRawPointer, field: ProtobufCFieldDescriptor, targets: Set<UnsafeRawPointer>) -> String? {
        switch field.type {
        case PROTOBUF_C_TYPE_STRING:
            guard let string = slot.load(as: UnsafeRawPointer?.self), targets.contains(string) else { return nil }
            return ""
        case PROTOBUF_C_TYPE_MESSAGE:
            guard let sub = slot.load(as: UnsafeRawPointer?.self) else { return nil }
            let subDescriptor = field.descriptor.assumingMemoryBound(to: ProtobufCMessageDescriptor.self)
            return path(in: sub, descriptor: subDescriptor, targets: targets).map { "." + $0 }
        default:
            return nil
        }
    }
}
