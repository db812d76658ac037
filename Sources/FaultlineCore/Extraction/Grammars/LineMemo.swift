/// Parse results of trace lines, remembered by the line's text, per grammar instance.
///
/// Trace lines repeat: every event of one bug prints the same frames, so a day of logs with thousands of
/// events holds a few hundred distinct frame lines. A hit costs one fast digest of the line's bytes and one
/// compare instead of PCRE2 matches and capture copies. The value must depend on the text alone. Bounded
/// (see ``SlotMemo``); a grammar owns its memos alone.
struct LineMemo<Value> {
    private let slots: SlotMemo<(text: String, value: Value)>

    init(slots: Int = 8_192) {
        self.slots = SlotMemo(slots: slots)
    }

    /// Lines longer than this are computed every time: they rarely repeat, and remembering a few thousand of
    /// them could hold gigabytes (a line may be up to `reader.max-line-bytes` long).
    static var maximumLength: Int { 4_096 }

    /// The remembered value for `text`, or `compute(text)`, remembered.
    func value(for text: String, _ compute: (String) -> Value) -> Value {
        var bytes = text
        let (digest, length) = bytes.withUTF8 { (ContentHasher.digest(UnsafeRawBufferPointer($0)), $0.count) }
        return slots.lookup(digest: digest, remember: length <= Self.maximumLength, matches: { $0.text == text },
                            make: { (text, compute(text)) }, read: { $0.value })
    }
}
