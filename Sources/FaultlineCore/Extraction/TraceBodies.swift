/// Bodies of records (the grammars' trace, the message, the unparsed lines; scrubbed when the worker scrubs),
/// remembered by the records' trace lines.
///
/// A record whose message and trace repeat another's word for word (one failure logged again and again, as
/// production logs do) gets the body built for the first: no grammar runs, nothing is scrubbed again. Only
/// the prefix (timestamp, thread, logger) is read per record. A body is reused only when every trace line and
/// ``EventBuilder/PreparedRecord/hasPrefix`` are equal: a digest picks the slot, the texts decide.
///
/// Bounded: see ``SlotMemo``.
struct TraceBodies {
    private struct Entry {
        var texts: [String]
        var hasPrefix: Bool
        var body: EventBuilder.RecordBody
    }

    private let slots: SlotMemo<Entry>

    init(slots: Int = 1_024) {
        self.slots = SlotMemo(slots: slots)
    }

    /// The remembered body for `record`, or `make(record)`, remembered.
    func body(
        for record: EventBuilder.PreparedRecord, _ make: (EventBuilder.PreparedRecord) -> EventBuilder.RecordBody
    ) -> EventBuilder.RecordBody {
        let (digest, length) = Self.digest(record)
        return slots.lookup(
            digest: digest, remember: length <= Self.maximumLength,
            matches: { entry in
                entry.hasPrefix == record.hasPrefix && entry.texts.count == record.traceLines.count
                    && zip(entry.texts, record.traceLines).allSatisfy { $0 == $1.text }
            },
            make: { Entry(texts: record.traceLines.map(\.text), hasPrefix: record.hasPrefix, body: make(record)) },
            read: { $0.body })
    }

    /// Records with more text than this are built every time: a thousand remembered goroutine dumps would
    /// hold hundreds of megabytes.
    static var maximumLength: Int { 65_536 }

    /// The record's digest, and its text's length in bytes.
    private static func digest(_ record: EventBuilder.PreparedRecord) -> (UInt64, Int) {
        var digest: UInt64 = record.hasPrefix ? 1 : 0
        var length = 0
        for line in record.traceLines {
            var text = line.text
            let lineDigest = text.withUTF8 { bytes in
                length += bytes.count
                return ContentHasher.digest(UnsafeRawBufferPointer(bytes))
            }
            digest = (digest ^ lineDigest) &* 0x9E37_79B9_7F4A_7C15
            digest ^= digest >> 29
        }
        return (digest, length)
    }
}
