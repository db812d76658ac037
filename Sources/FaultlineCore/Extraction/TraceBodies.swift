/// Bodies of records (the grammars' trace, the message, the unparsed lines; scrubbed when the worker scrubs),
/// remembered by the records' trace lines.
///
/// A record whose message and trace repeat another's word for word (one failure logged again and again, as
/// production logs do) gets the body built for the first: no grammar runs, nothing is scrubbed again. Only
/// the prefix (timestamp, thread, logger) is read per record. A body is reused only when every trace line and
/// ``EventBuilder/PreparedRecord/hasPrefix`` are equal: a digest picks the slot, the texts decide.
///
/// Direct-mapped and bounded, like ``LineVerdicts``: a newer record with the same slot replaces the older one.
struct TraceBodies {
    private struct Entry {
        var texts: [String]
        var hasPrefix: Bool
        var body: EventBuilder.RecordBody
    }

    private var slots: [Entry?]
    private let mask: Int

    init(slots: Int = 1_024) {
        precondition(slots > 0 && slots & (slots - 1) == 0, "slots must be a power of two")
        self.slots = Array(repeating: nil, count: slots)
        mask = slots - 1
    }

    /// The remembered body for `record`, or `make(record)`, remembered.
    mutating func body(
        for record: EventBuilder.PreparedRecord, _ make: (EventBuilder.PreparedRecord) -> EventBuilder.RecordBody
    ) -> EventBuilder.RecordBody {
        let slot = Self.digest(record) & mask
        if let entry = slots[slot], entry.hasPrefix == record.hasPrefix, entry.texts.count == record.traceLines.count,
           zip(entry.texts, record.traceLines).allSatisfy({ $0 == $1.text }) {
            return entry.body
        }
        let body = make(record)
        slots[slot] = Entry(texts: record.traceLines.map(\.text), hasPrefix: record.hasPrefix, body: body)
        return body
    }

    private static func digest(_ record: EventBuilder.PreparedRecord) -> Int {
        var digest: UInt64 = record.hasPrefix ? 1 : 0
        for line in record.traceLines {
            var text = line.text
            let lineDigest = text.withUTF8 { ContentHasher.digest(UnsafeRawBufferPointer($0)) }
            digest = (digest ^ lineDigest) &* 0x9E37_79B9_7F4A_7C15
            digest ^= digest >> 29
        }
        return Int(truncatingIfNeeded: digest)
    }
}
