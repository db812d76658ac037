/// Verdicts about whole lines, remembered by their bytes: what PCRE2 said about a line the byte shapes could
/// not classify, and whether a line links two traces of a chain.
///
/// The lines that reach PCRE2 on the framing path are mostly trace lines (`Traceback (most recent call
/// last):`, `goroutine 1 [running]:`, a Go function line, `KeyError: 'id'`), and those repeat with every event
/// of a bug. A remembered verdict costs one 64-bit hash of the line and one compare.
///
/// Direct-mapped and bounded: a slot holds one line; a newer line with the same slot replaces it. Each slot
/// keeps the line's bytes, so a verdict is only ever reused for the very same line.
struct LineVerdicts<Verdict> {
    private struct Slot {
        var digest: UInt64 = 0
        var bytes: [UInt8] = []
        var verdict: Verdict?
    }

    private var slots: [Slot]
    private let mask: Int
    /// Lines longer than this are not remembered (they rarely repeat and would cost memory).
    private let maximumLength: Int

    init(slots: Int = 4_096, maximumLength: Int = 512) {
        precondition(slots > 0 && slots & (slots - 1) == 0, "slots must be a power of two")
        self.slots = Array(repeating: Slot(), count: slots)
        self.mask = slots - 1
        self.maximumLength = maximumLength
    }

    /// The remembered verdict for `line`, or `compute(line)`; remembered when `shouldRemember` says so.
    mutating func verdict(for line: UnsafeRawBufferPointer, shouldRemember: (Verdict) -> Bool = { _ in true },
                          _ compute: (UnsafeRawBufferPointer) -> Verdict) -> Verdict {
        guard line.count <= maximumLength else { return compute(line) }
        let digest = ContentHasher.digest(line)
        let index = Int(truncatingIfNeeded: digest) & mask
        if let verdict = slots[index].verdict, slots[index].digest == digest, slots[index].bytes.count == line.count,
           slots[index].bytes.withUnsafeBytes({ ByteScan.equal($0, line) }) {
            return verdict
        }
        let verdict = compute(line)
        if shouldRemember(verdict) {
            slots[index].digest = digest
            slots[index].bytes.removeAll(keepingCapacity: true)
            slots[index].bytes.append(contentsOf: line)
            slots[index].verdict = verdict
        }
        return verdict
    }
}
