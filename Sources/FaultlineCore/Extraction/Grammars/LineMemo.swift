/// Parse results of trace lines, remembered by the line's text, per grammar instance.
///
/// Trace lines repeat: every event of one bug prints the same frames, so a day of logs with thousands of
/// events holds a few hundred distinct frame lines. A hit costs one fast hash of the line's bytes and one
/// compare instead of PCRE2 matches and capture copies. The value must depend on the text alone.
///
/// Bounded: once it holds `capacity` lines it starts over, so memory stays flat on records whose lines never
/// repeat (messages with ids in them).
struct LineMemo<Value> {
    private var entries: [Key: Value] = [:]
    private let capacity: Int

    init(capacity: Int = 8_192) {
        self.capacity = capacity
    }

    /// The remembered value for `text`, or `compute(text)`, remembered.
    mutating func value(for text: String, _ compute: (String) -> Value) -> Value {
        let key = Key(text)
        if let hit = entries[key] { return hit }
        let value = compute(text)
        if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = value
        return value
    }

    /// A line with its 64-bit content hash: `Hasher` then mixes 8 bytes instead of the whole line.
    private struct Key: Hashable {
        let text: String
        let digest: UInt64

        init(_ text: String) {
            var text = text
            self.digest = text.withUTF8 { ContentHasher.hash(UnsafeRawBufferPointer($0)) }
            self.text = text
        }

        static func == (lhs: Key, rhs: Key) -> Bool {
            lhs.digest == rhs.digest && lhs.text == rhs.text
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(digest)
        }
    }
}
