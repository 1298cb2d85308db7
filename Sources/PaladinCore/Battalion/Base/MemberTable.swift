/// A run's members, found by name. Built once per `BattalionContext`, so it is made cheap to build:
/// up to `linearLimit` members it is the members array as given (one retain) with their names,
/// and a name is found by comparing names, starting at a hint (the position the caller expects,
/// usually right); beyond, a dictionary from name to position. A repeated name means the last member given under
/// it, as in a dictionary filled in order.
struct MemberTable: Sendable {
    /// A member's name and, for a paladin, the agent, read once: finding a member compares
    /// strings, and running a paladin needs no existential copy or call.
    struct Entry: Sendable {
        let name: String
        let agent: PaladinAgent?
    }

    /// Members with distinct names, in the order given.
    let members: [any BattalionMember]
    /// Their names and agents, in the same order.
    let entries: [Entry]
    /// Position by name; only beyond `linearLimit` members.
    private let positions: [String: Int]?

    /// Above this many members, names are hashed instead of compared one by one.
    static let linearLimit = 32

    init(_ given: [any BattalionMember]) {
        let entries = given.map { Entry(name: $0.name, agent: $0.asPaladinAgent) }
        if given.count <= 1 || (given.count <= Self.linearLimit && Self.areDistinct(entries)) {
            self.members = given
            self.entries = entries
            positions = nil
            return
        }
        // Many members, or a repeated name: a dictionary, and the members without repeats.
        var positions: [String: Int] = [:]
        positions.reserveCapacity(given.count)
        var members: [any BattalionMember] = []
        members.reserveCapacity(given.count)
        var kept: [Entry] = []
        kept.reserveCapacity(given.count)
        for (member, entry) in zip(given, entries) {
            if let at = positions[entry.name] {  // the last member given under a name wins
                members[at] = member
                kept[at] = entry
            } else {
                positions[entry.name] = members.count
                members.append(member)
                kept.append(entry)
            }
        }
        self.members = members
        self.entries = kept
        self.positions = members.count > Self.linearLimit ? positions : nil
    }

    /// The position of the member named `name`, trying `hint` first; nil when there is none.
    func position(of name: String, hint: Int = 0) -> Int? {
        if let positions { return positions[name] }
        if hint >= 0 && hint < entries.count && entries[hint].name == name { return hint }
        for index in entries.indices where index != hint && entries[index].name == name { return index }
        return nil
    }

    /// The member named `name` (see `position(of:hint:)`).
    func member(named name: String, hint: Int = 0) -> (any BattalionMember)? {
        position(of: name, hint: hint).map { members[$0] }
    }

    /// Whether no two of (at most `linearLimit`) names are equal: a cheap key of each name (its
    /// length, first and last byte) goes into a small open-addressing table on the stack; names
    /// are compared in full only when keys match.
    private static func areDistinct(_ entries: [Entry]) -> Bool {
        let slots = 64  // a power of two, at least twice `linearLimit`
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: slots) { table in
            table.initialize(repeating: -1)  // entry index per slot; -1 is empty
            for index in entries.indices {
                let key = Self.key(entries[index].name)
                var slot = (key &* 0x9E37_79B9) & (slots - 1)
                while table[slot] >= 0 {
                    let other = table[slot]
                    if Self.key(entries[other].name) == key && entries[other].name == entries[index].name { return false }
                    slot = (slot + 1) & (slots - 1)
                }
                table[slot] = index
            }
            return true
        }
    }

    /// Length, first and last byte: equal names get equal keys, however they are stored.
    private static func key(_ name: String) -> Int {
        name.utf8.withContiguousStorageIfAvailable { bytes in
            bytes.count << 16 | Int(bytes.first ?? 0) << 8 | Int(bytes.last ?? 0)
        } ?? (name.utf8.count << 16 | Int(name.utf8.first ?? 0) << 8 | Int(name.utf8.last ?? 0))
    }
}
