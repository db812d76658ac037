/// Parse results of trace lines, remembered by the line's text, per grammar instance.
///
/// Trace lines repeat: every event of one bug prints the same frames, so a day of logs with thousands of
/// events holds a few hundred distinct frame lines. A hit costs one fast digest of the line's bytes and one
/// compare instead of PCRE2 matches and capture copies. The value must depend on the text alone.
///
/// Direct-mapped and bounded, like ``LineVerdicts``: a line's digest picks its slot, a newer line with the
/// same slot replaces the older one, so memory stays flat on records whose lines never repeat (messages with
/// ids in them). A value type over one shared storage object, which a grammar owns alone.
struct LineMemo<Value> {
    private let storage: Storage

    init(slots: Int = 8_192) {
        storage = Storage(slots: slots)
    }

    /// The remembered value for `text`, or `compute(text)`, remembered.
    func value(for text: String, _ compute: (String) -> Value) -> Value {
        var bytes = text
        let digest = bytes.withUTF8 { ContentHasher.digest(UnsafeRawBufferPointer($0)) }
        return storage.value(for: text, digest: digest, compute)
    }

    /// The slots, allocated by hand so that a hit compares and returns without copying the entry.
    private final class Storage {
        private let digests: UnsafeMutableBufferPointer<UInt64>
        private let texts: UnsafeMutablePointer<String>
        private let values: UnsafeMutablePointer<Value>
        private let occupied: UnsafeMutableBufferPointer<Bool>
        private let mask: Int

        init(slots: Int) {
            precondition(slots > 0 && slots & (slots - 1) == 0, "slots must be a power of two")
            digests = .allocate(capacity: slots)
            digests.initialize(repeating: 0)
            texts = .allocate(capacity: slots)
            values = .allocate(capacity: slots)
            occupied = .allocate(capacity: slots)
            occupied.initialize(repeating: false)
            mask = slots - 1
        }

        deinit {
            for slot in occupied.indices where occupied[slot] {
                (texts + slot).deinitialize(count: 1)
                (values + slot).deinitialize(count: 1)
            }
            digests.deallocate()
            texts.deallocate()
            values.deallocate()
            occupied.deallocate()
        }

        func value(for text: String, digest: UInt64, _ compute: (String) -> Value) -> Value {
            let slot = Int(truncatingIfNeeded: digest) & mask
            if occupied[slot] {
                if digests[slot] == digest && texts[slot] == text { return values[slot] }
                let value = compute(text)
                digests[slot] = digest
                texts[slot] = text
                values[slot] = value
                return value
            }
            let value = compute(text)
            digests[slot] = digest
            (texts + slot).initialize(to: text)
            (values + slot).initialize(to: value)
            occupied[slot] = true
            return value
        }
    }
}
