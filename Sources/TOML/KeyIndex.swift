/// The positions of a large table's entries by key: open addressing over a seeded FNV-1a hash of
/// each key's UTF-8, a slot holding a position + 1 (0: empty), at most half the slots used.
///
/// A `Dictionary<String, Int>` hashed every key with SipHash and rehashed them all at each growth:
/// over half of the time spent parsing files with big tables. The seed is random per process, so
/// a file cannot be written to make its keys collide.
struct KeyIndex {
    private var slots: [UInt32] = []
    private var used = 0

    private static let seed = UInt64.random(in: .min ... .max)

    /// Records that `key` is at `position`, the next position of `entries` (which holds every key
    /// recorded so far, at the positions recorded). The caller has checked that `key` is new.
    mutating func insert(_ key: String, at position: Int, in entries: [TOMLTable.Entry]) {
        if (used + 1) * 2 > slots.count {
            slots = [UInt32](repeating: 0, count: max(64, slots.count * 2))
            used = 0
            for existing in 0..<position { place(entries[existing].key, at: existing) }
        }
        place(key, at: position)
    }

    /// The position of `key` in `entries`, or nil.
    func position(of key: String, in entries: [TOMLTable.Entry]) -> Int? {
        guard !slots.isEmpty else { return nil }
        let mask = slots.count - 1
        let length = key.utf8.count
        var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
        while true {
            let stored = slots[slot]
            if stored == 0 { return nil }
            let candidate = entries[Int(stored) - 1].key
            if candidate.utf8.count == length && candidate == key { return Int(stored) - 1 }
            slot = (slot + 1) & mask
        }
    }

    private mutating func place(_ key: String, at position: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: Self.hash(key)) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = UInt32(truncatingIfNeeded: position + 1)
        used += 1
    }

    private static func hash(_ key: String) -> UInt64 {
        func fnv<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt64 {
            var hash = seed ^ 0xcbf2_9ce4_8422_2325
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
            // FNV's low bits (the slot) depend weakly on the last bytes: mix the high bits in.
            hash ^= hash >> 32
            hash = hash &* 0xd6e8_feb8_6659_fd93
            return hash ^ (hash >> 32)
        }
        return key.utf8.withContiguousStorageIfAvailable { fnv($0) } ?? fnv(key.utf8)
    }
}
