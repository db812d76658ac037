/// A bounded memo for what repeats in logs (trace lines, whole record bodies, scrubbed frames and names):
/// entries in direct-mapped slots, picked by a 64-bit digest of the key.
///
/// The digest only picks the slot; the caller's `matches` decides whether the slot's entry is for this key,
/// so a result is reused only for an equal input. A new entry replaces whatever its slot held, so memory stays
/// bounded on input that never repeats (messages with ids in them). The slots are allocated by hand, so a
/// lookup reads the entry in place instead of copying it. One owner at a time: not `Sendable`.
final class SlotMemo<Entry> {
    private let digests: UnsafeMutableBufferPointer<UInt64>
    private let entries: UnsafeMutablePointer<Entry>
    private let occupied: UnsafeMutableBufferPointer<Bool>
    private let mask: Int

    /// - Parameter slots: a power of two.
    init(slots: Int) {
        precondition(slots > 0 && slots & (slots - 1) == 0, "slots must be a power of two")
        digests = .allocate(capacity: slots)
        digests.initialize(repeating: 0)
        entries = .allocate(capacity: slots)
        occupied = .allocate(capacity: slots)
        occupied.initialize(repeating: false)
        mask = slots - 1
    }

    deinit {
        for slot in occupied.indices where occupied[slot] { (entries + slot).deinitialize(count: 1) }
        digests.deallocate()
        entries.deallocate()
        occupied.deallocate()
    }

    /// `read` of the entry in `digest`'s slot when `matches` accepts it; otherwise `make()` takes the slot and
    /// is read. With `remember` false (a key too large to keep), `make()` is read and nothing is stored.
    @inline(__always)
    func lookup<Result>(
        digest: UInt64, remember: Bool = true, matches: (Entry) -> Bool, make: () -> Entry,
        read: (Entry) -> Result
    ) -> Result {
        guard remember else { return read(make()) }
        let slot = Int(truncatingIfNeeded: digest) & mask
        if occupied[slot] {
            if digests[slot] == digest && matches(entries[slot]) { return read(entries[slot]) }
            entries[slot] = make()
        } else {
            (entries + slot).initialize(to: make())
            occupied[slot] = true
        }
        digests[slot] = digest
        return read(entries[slot])
    }
}
