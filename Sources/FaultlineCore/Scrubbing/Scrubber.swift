/// Scrubs text with a ``ScrubPolicy``: one per thread (it owns PCRE2 matchers and scratch space), cheap to create.
///
/// Per line: each rule's byte-level trigger decides whether its PCRE2 pattern runs at all; matches go through the
/// rule's validator; overlapping replacements merge; the line is rewritten only when something was found.
///
/// ```swift
/// let scrubber = Scrubber(try ScrubPolicy(settings: configuration.scrubbing, pseudonymKey: nil))
/// scrubber.scrub("mail bob@example.com from 10.0.0.7")   // "mail [email] from [ip]"
/// ```
public final class Scrubber {
    public let policy: ScrubPolicy
    private let matchers: [Matcher]
    private let pseudonymizer: Pseudonymizer?
    /// The policy's triggers, each in a box of its own so that evaluating one copies nothing.
    private let triggers: [TriggerBox]
    /// The same boxes, unretained: ``triggers`` keeps them alive, so the line loop need not retain them per byte.
    private let unmanagedTriggers: [Unmanaged<TriggerBox>]
    // Per-line scratch space. Only this object touches it, one call at a time: no exclusivity checks needed.
    @exclusivity(unchecked) private var findings: [Finding] = []
    /// Per trigger, for the current line: where it first fired, or `notFired`.
    private let occurrences: UnsafeMutableBufferPointer<Int>
    /// ``TriggerDispatch``'s table and slots, copied where the line loop reads them without retaining anything.
    private let dispatchTable: UnsafeMutableBufferPointer<UInt64>
    private let dispatchSlots: UnsafeMutableBufferPointer<Int>
    /// Per byte value, 1 when the table has triggers for it: what the line loop skips on.
    private let dispatchFlags: UnsafeMutableBufferPointer<UInt8>
    /// Per entry of the slots, its ``NeighbourFilter`` as nine words (``NeighbourFilter/words``).
    private let dispatchFilters: UnsafeMutableBufferPointer<UInt64>
    private let anchoredSlots: [Int]
    private static let notFired = -1
    /// Inside a PEM key block whose BEGIN line came earlier (``scrubLine(_:into:)`` follows blocks across lines).
    @exclusivity(unchecked) private var keyBlockLines: Int? = nil
    @exclusivity(unchecked) private var counts: [Int]
    /// Frames and names scrubbed before, for events (see ``RepeatedScrubs``).
    let repeated = RepeatedScrubs()
    /// Lines replaced whole because a pattern hit a PCRE2 resource limit on them (custom patterns only, in practice).
    public private(set) var unscrubbableLines = 0

    /// A span to replace: byte range, and the detector that found it.
    private struct Finding {
        var range: Range<Int>
        var detector: Int
    }

    public init(_ policy: ScrubPolicy) {
        self.policy = policy
        matchers = policy.detectors.map { Matcher($0.pattern) }
        pseudonymizer = policy.pseudonyms.map(Pseudonymizer.init)
        triggers = policy.triggers.map(TriggerBox.init)
        unmanagedTriggers = triggers.map { Unmanaged.passUnretained($0) }
        counts = Array(repeating: 0, count: policy.ruleNames.count)
        occurrences = .allocate(capacity: max(1, policy.triggers.count))
        dispatchTable = .allocate(capacity: 256)
        _ = dispatchTable.initialize(from: policy.dispatch.table)
        dispatchSlots = .allocate(capacity: max(1, policy.dispatch.slots.count))
        _ = dispatchSlots.initialize(from: policy.dispatch.slots)
        dispatchFlags = .allocate(capacity: 256)
        _ = dispatchFlags.initialize(from: policy.dispatch.table.map { $0 == 0 ? 0 : 1 })
        dispatchFilters = .allocate(capacity: max(1, policy.dispatch.filters.count * 9))
        _ = dispatchFilters.initialize(from: policy.dispatch.filters.flatMap(\.words))
        anchoredSlots = policy.triggers.indices.filter { policy.dispatch.isAnchored[$0] }
        findings.reserveCapacity(16)
    }

    deinit {
        occurrences.deallocate()
        dispatchTable.deallocate()
        dispatchSlots.deallocate()
        dispatchFilters.deallocate()
        dispatchFlags.deallocate()
    }


    /// How many values each rule replaced so far, in ``ScrubPolicy/ruleNames`` order.
    public var replacementCounts: [(rule: String, count: Int)] {
        Array(zip(policy.ruleNames, counts)).map { (rule: $0.0, count: $0.1) }
    }

    /// Every line of `text` (split at `\n`; a `\r` before it is kept out of the match), scrubbed. Returns `text`
    /// itself when nothing was found.
    public func scrub(_ text: String) -> String {
        var copy = text
        return copy.withUTF8 { bytes -> String in
            let raw = UnsafeRawBufferPointer(bytes)
            keyBlockLines = nil
            defer { keyBlockLines = nil }
            guard ByteScan.find(UInt8(ascii: "\n"), in: raw) != nil else {
                var output: [UInt8] = []
                return scrubLine(raw, into: &output) ? String(decoding: output, as: UTF8.self) : text
            }
            var output: [UInt8] = []
            output.reserveCapacity(raw.count + 16)
            var changed = false
            var start = 0
            while start <= raw.count {
                let newline = ByteScan.find(UInt8(ascii: "\n"), in: raw, from: start)
                var end = newline ?? raw.count
                let hasCR = end > start && raw[end - 1] == UInt8(ascii: "\r")
                if hasCR { end -= 1 }
                if scrubLine(UnsafeRawBufferPointer(rebasing: raw[start..<end]), into: &output) { changed = true }
                if hasCR { output.append(UInt8(ascii: "\r")) }
                guard let newline else { break }
                output.append(UInt8(ascii: "\n"))
                start = newline + 1
            }
            return changed ? String(decoding: output, as: UTF8.self) : text
        }
    }

    /// Scrubs one line (its bytes without the terminator) and appends the result to `output`.
    ///
    /// Returns whether anything was replaced. When nothing is found the line's bytes are appended unchanged, invalid
    /// UTF-8 included, and no `String` is made. A PEM key block whose lines come one call after another is followed
    /// from its BEGIN line to its END line.
    @discardableResult
    public func scrubLine(_ line: UnsafeRawBufferPointer, into output: inout [UInt8]) -> Bool {
        if keyBlockLines != nil, let replaced = continueKeyBlock(line, into: &output) { return replaced }
        findings.removeAll(keepingCapacity: true)
        scanAnchoredTriggers(line)
        for slot in policy.triggers.indices {
            let occurrence = policy.dispatch.isAnchored[slot] ? occurrences[slot] : firstOccurrence(ofTrigger: slot, in: line)
            guard occurrence != Self.notFired else { continue }
            let earliest = occurrence - policy.dispatch.slack[slot]
            for index in policy.detectorsByTrigger[slot] {
                do {
                    try collect(detector: index, from: max(0, earliest - policy.detectors[index].lookback), in: line)
                } catch {
                    // A resource limit: the line cannot be checked, so none of it is let through.
                    unscrubbableLines += 1
                    output.append(contentsOf: "[unscrubbable line]".utf8)
                    return true
                }
            }
        }
        if policy.followsKeyBlocks { noteKeyBlockStart(line) }
        guard !findings.isEmpty else {
            output.append(contentsOf: line)
            return false
        }
        emit(line, into: &output)
        return true
    }

    /// Forgets a PEM key block in progress: call between unrelated inputs of ``scrubLine(_:into:)``.
    public func endOfInput() {
        keyBlockLines = nil
    }

    // MARK: Matching

    /// One pass over the line for every anchored trigger (``TriggerDispatch``): most bytes cost a table load.
    private func scanAnchoredTriggers(_ line: UnsafeRawBufferPointer) {
        var waiting = 0
        for slot in anchoredSlots {
            occurrences[slot] = Self.notFired
            waiting += 1
        }
        guard waiting > 0, let base = line.baseAddress else { return }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let count = line.count
        let table = dispatchTable, slots = dispatchSlots, filters = dispatchFilters, occurrences = self.occurrences
        let flags = dispatchFlags
        unmanagedTriggers.withUnsafeBufferPointer { triggers in
            var position = 0
            while position < count {
                // Bytes that anchor nothing are skipped four at a time, then one at a time up to the next anchor.
                while position &+ 4 <= count,
                      flags[Int(bytes[position])] | flags[Int(bytes[position &+ 1])]
                        | flags[Int(bytes[position &+ 2])] | flags[Int(bytes[position &+ 3])] == 0 {
                    position &+= 4
                }
                while position < count, flags[Int(bytes[position])] == 0 { position &+= 1 }
                guard position < count else { return }
                let entry = table[Int(bytes[position])]
                // The bytes next to the anchor rule most triggers out before they are asked (``NeighbourFilter``).
                let inside = position > 0 && position + 1 < count
                let before = inside ? bytes[position - 1] : 0
                let after = inside ? bytes[position + 1] : 0
                let beforeWord = Int(before >> 6), beforeBit = UInt64(before & 63)
                let afterWord = 4 + Int(after >> 6), afterBit = UInt64(after & 63)
                for index in Int(entry >> 32)..<Int(entry & 0xFFFF_FFFF) {
                    let slot = slots[index]
                    guard occurrences[slot] == Self.notFired,
                          !inside || Self.admits(filters.baseAddress.unsafelyUnwrapped + index &* 9,
                                                 beforeWord, beforeBit, afterWord, afterBit),
                          let start = triggers[slot]._withUnsafeGuaranteedRef({ $0.check(line, at: position) }) else { continue }
                    occurrences[slot] = start
                    waiting -= 1
                }
                if waiting == 0 { return }
                position &+= 1
            }
        }
    }

    /// Whether a ``NeighbourFilter`` in its nine words admits the bytes around an anchor (given as word and bit).
    @inline(__always)
    private static func admits(_ filter: UnsafeMutablePointer<UInt64>, _ beforeWord: Int, _ beforeBit: UInt64,
                               _ afterWord: Int, _ afterBit: UInt64) -> Bool {
        let before = filter[beforeWord] >> beforeBit, after = filter[afterWord] >> afterBit
        return (filter[8] != 0 ? before | after : before & after) & 1 == 1
    }

    /// Where trigger `slot` first fires in the line, or `notFired`.
    private func firstOccurrence(ofTrigger slot: Int, in line: UnsafeRawBufferPointer) -> Int {
        triggers[slot].firstOccurrence(in: line) ?? Self.notFired
    }

    /// Runs detector `index` over the line from `start` and records what it finds.
    private func collect(detector index: Int, from start: Int, in line: UnsafeRawBufferPointer) throws(PatternError) {
        let matcher = matchers[index]
        let valueGroup = policy.detectors[index].valueGroup
        let validator = policy.detectors[index].validator
        var start = start
        while start <= line.count, let match = try matcher.firstMatch(in: line, from: start) {
            let range = match.range
            start = range.isEmpty ? range.upperBound + 1 : range.upperBound
            var value = valueGroup.flatMap { match[$0] } ?? range
            if let validator {
                guard let accepted = validator.accept(line, match: match, value: value) else { continue }
                value = accepted
            }
            guard !value.isEmpty, !isAllowed(line, value) else { continue }
            findings.append(Finding(range: value, detector: index))
        }
    }

    private func isAllowed(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        for allowed in policy.allowList where allowed.count == range.count {
            if allowed.withUnsafeBytes({ ByteScan.equal($0, UnsafeRawBufferPointer(rebasing: line[range])) }) { return true }
        }
        return false
    }

    // MARK: Writing

    /// Writes the line with every finding replaced; overlapping findings merge into one placeholder, named by the
    /// one that starts first (then the longer one, then the earlier rule).
    private func emit(_ line: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        if findings.count > 1 {
            findings.sort {
                ($0.range.lowerBound, -$0.range.upperBound, $0.detector) < ($1.range.lowerBound, -$1.range.upperBound, $1.detector)
            }
        }
        var written = 0
        var index = 0
        while index < findings.count {
            var merged = findings[index]
            index += 1
            while index < findings.count, findings[index].range.lowerBound < merged.range.upperBound {
                merged.range = merged.range.lowerBound..<max(merged.range.upperBound, findings[index].range.upperBound)
                index += 1
            }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[written..<merged.range.lowerBound]))
            appendReplacement(for: UnsafeRawBufferPointer(rebasing: line[merged.range]),
                              detector: policy.detectors[merged.detector], into: &output)
            written = merged.range.upperBound
        }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[written...]))
    }

    private func appendReplacement(for value: UnsafeRawBufferPointer, detector: ScrubPolicy.CompiledDetector,
                                   into output: inout [UInt8]) {
        counts[detector.ruleIndex] += 1
        if detector.isPaymentCard, policy.cardMasking == .lastFour {
            var digitsLeft = value.count { ByteClass.digits.contains($0) }
            for byte in value {
                let isDigit = ByteClass.digits.contains(byte)
                output.append(isDigit && digitsLeft > 4 ? UInt8(ascii: "*") : byte)
                if isDigit { digitsLeft -= 1 }
            }
            return
        }
        output.append(UInt8(ascii: "["))
        output.append(contentsOf: detector.label)
        if let pseudonymizer {
            output.append(UInt8(ascii: ":"))
            output.append(contentsOf: pseudonymizer.pseudonym(for: value, lowercased: detector.valuesIgnoreCase))
        }
        output.append(UInt8(ascii: "]"))
    }

    // MARK: PEM blocks over several lines

    private static let beginMarker = Literal("-----BEGIN ")
    private static let endMarker = Literal("-----END ")
    private static let keyMarkers = [Literal("KEY-----"), Literal("KEY BLOCK-----")]
    private static let base64Body = ByteClass(ranges: UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                                              UInt8(ascii: "0")...UInt8(ascii: "9"), plus: "+/= \t")
    private static let keyHeaders = ["Proc-Type:", "DEK-Info:", "Comment:"].map(Literal.init)
    /// More lines than the largest RSA key's body: past that, a missing END line no longer swallows the log.
    private static let maximumKeyBlockLines = 400

    /// A line that opens a key block and does not close it: the following lines are its body.
    private func noteKeyBlockStart(_ line: UnsafeRawBufferPointer) {
        guard let begin = ByteScan.find(Self.beginMarker, in: line) else { return }
        let afterBegin = begin + Self.beginMarker.bytes.count
        let window = UnsafeRawBufferPointer(rebasing: line[afterBegin..<min(line.count, afterBegin + 64)])
        guard Self.keyMarkers.contains(where: { ByteScan.find($0, in: window) != nil }) else { return }
        if ByteScan.find(Self.endMarker, in: line, from: afterBegin) == nil { keyBlockLines = 0 }
    }

    /// Handles a line after a key block's BEGIN line: its body becomes the placeholder; the END line ends the
    /// block. Returns `nil` when the line is not part of the block, which then ends and the line is scrubbed as usual.
    private func continueKeyBlock(_ line: UnsafeRawBufferPointer, into output: inout [UInt8]) -> Bool? {
        guard let seen = keyBlockLines, seen < Self.maximumKeyBlockLines else {
            keyBlockLines = nil
            return nil
        }
        let pemDetector = policy.detectors.first { policy.ruleNames[$0.ruleIndex] == ScrubRule.pemKey.name }!
        if let end = ByteScan.find(Self.endMarker, in: line) {
            keyBlockLines = nil
            let body = UnsafeRawBufferPointer(rebasing: line[..<end])
            let hasBody = body.contains { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }
            if hasBody { appendReplacement(for: body, detector: pemDetector, into: &output) }
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: line[(hasBody ? end : 0)...]))
            return hasBody
        }
        let isHeader = Self.keyHeaders.contains { $0.matches(line, at: 0) }
        guard isHeader || ByteScan.all(line, line.indices, in: Self.base64Body) else {
            keyBlockLines = nil
            return nil
        }
        keyBlockLines = seen + 1
        guard line.contains(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else {
            output.append(contentsOf: line)
            return false
        }
        appendReplacement(for: line, detector: pemDetector, into: &output)
        return true
    }
}

@available(*, unavailable, message: "a Scrubber owns PCRE2 matchers; create one per thread from a shared ScrubPolicy")
extension Scrubber: Sendable {}

/// A trigger held by reference, its payload in stored properties: the line loop asks it in place, copying no enum
/// and retaining no array per byte. Literal and keyword triggers keep their words in one flat buffer.
private final class TriggerBox {
    private enum Kind { case byte, literals, words, keywordBeforeToken, dottedQuad, ipv6, socialSecurity, tokenPrefix, assignment, unanchored }
    let trigger: ScrubTrigger
    private let kind: Kind
    private let literals: [Literal]
    private let minimumLength: Int
    private let prefixes: TokenPrefixes?
    /// The literals' bytes back to back, and per literal its start in them, its length and its anchor's index.
    private let bytes: UnsafeMutableBufferPointer<UInt8>
    private let starts: UnsafeMutableBufferPointer<Int>
    private let lengths: UnsafeMutableBufferPointer<Int>
    private let anchorIndexes: UnsafeMutableBufferPointer<Int>
    private let anchorBytes: UnsafeMutableBufferPointer<UInt8>

    init(_ trigger: ScrubTrigger) {
        self.trigger = trigger
        var literals: [Literal] = []
        var minimumLength = 0
        var prefixes: TokenPrefixes? = nil
        switch trigger {
        case .byte: kind = .byte
        case .literals(let list): kind = .literals; literals = list
        case .words(let list): kind = .words; literals = list
        case .keywordBeforeToken(let list, let length): kind = .keywordBeforeToken; literals = list; minimumLength = length
        case .dottedQuad: kind = .dottedQuad
        case .ipv6Shape: kind = .ipv6
        case .socialSecurityShape: kind = .socialSecurity
        case .tokenPrefix(let list): kind = .tokenPrefix; prefixes = list
        case .sensitiveAssignment: kind = .assignment
        case .always, .digitRun, .run: kind = .unanchored
        }
        self.literals = literals
        self.minimumLength = minimumLength
        self.prefixes = prefixes
        let flat = literals.flatMap(\.bytes)
        bytes = .allocate(capacity: max(1, flat.count))
        _ = bytes.initialize(from: flat)
        starts = .allocate(capacity: max(1, literals.count))
        lengths = .allocate(capacity: max(1, literals.count))
        anchorIndexes = .allocate(capacity: max(1, literals.count))
        anchorBytes = .allocate(capacity: max(1, literals.count))
        var offset = 0
        for (index, literal) in literals.enumerated() {
            starts[index] = offset
            lengths[index] = literal.bytes.count
            anchorIndexes[index] = literal.anchor
            anchorBytes[index] = literal.bytes[literal.anchor]
            offset += literal.bytes.count
        }
    }

    deinit {
        bytes.deallocate()
        starts.deallocate()
        lengths.deallocate()
        anchorIndexes.deallocate()
        anchorBytes.deallocate()
    }

    @inline(__always)
    func firstOccurrence(in line: UnsafeRawBufferPointer) -> Int? { trigger.firstOccurrence(in: line) }

    /// Whether literal `index` is at `start` in the line, byte for byte or in any ASCII letter case.
    @inline(__always)
    private func literal(_ index: Int, isAt start: Int, in line: UnsafeRawBufferPointer, ignoringCase: Bool) -> Bool {
        let length = lengths[index]
        guard start >= 0, start + length <= line.count else { return false }
        let first = starts[index]
        for offset in 0..<length {
            let byte = ignoringCase ? ByteScan.lowercased(line[start + offset]) : line[start + offset]
            if byte != bytes[first + offset] { return false }
        }
        return true
    }

    /// ``ScrubTrigger/check(_:at:)``, answered from the stored payload.
    func check(_ line: UnsafeRawBufferPointer, at position: Int) -> Int? {
        switch kind {
        case .byte:
            return position
        case .literals, .words:
            let ignoringCase = kind == .words
            let byte = ignoringCase ? ByteScan.lowercased(line[position]) : line[position]
            for index in 0..<literals.count where anchorBytes[index] == byte {
                let start = position - anchorIndexes[index]
                if literal(index, isAt: start, in: line, ignoringCase: ignoringCase) { return start }
            }
            return nil
        case .keywordBeforeToken:
            let byte = ByteScan.lowercased(line[position])
            for index in 0..<literals.count where anchorBytes[index] == byte {
                let start = position - anchorIndexes[index]
                guard literal(index, isAt: start, in: line, ignoringCase: true),
                      start == 0 || !ByteClass.alphanumerics.contains(line[start - 1]) else { continue }
                let end = start + lengths[index]
                let separators = ByteScan.runLength(line, from: end, of: ScrubTrigger.keywordSeparators, limit: 5)
                guard separators >= 1, separators <= 4 else { continue }
                if ByteScan.runLength(line, from: end + separators, of: ScrubTrigger.valueCharacters, limit: minimumLength)
                    == minimumLength {
                    return start
                }
            }
            return nil
        case .dottedQuad:
            return ScrubTrigger.dottedQuad(line, at: position)
        case .ipv6:
            return ScrubTrigger.ipv6Shape(line, at: position)
        case .socialSecurity:
            return ScrubTrigger.socialSecurityShape(line, at: position)
        case .assignment:
            return SensitiveKeys.keyBefore(position, in: line)
        case .tokenPrefix:
            return prefixes!.check(line, at: position)
        case .unanchored:
            return nil
        }
    }
}
