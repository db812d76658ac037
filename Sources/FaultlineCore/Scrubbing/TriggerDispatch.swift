/// Triggers evaluated together in one pass over a line.
///
/// Most triggers fire at a byte they can name in advance (an anchor): `.` for a dotted quad, `=` and `:` for a
/// sensitive assignment, the rarest byte of a literal. Instead of a `memchr` loop per trigger, the scrubber walks the
/// line once and, at each anchor byte, asks only the triggers anchored on it (``Scrubber`` runs the loop over this
/// table). The other triggers (digit runs, byte runs) keep their own probing scans.
struct TriggerDispatch: Sendable {
    /// Per byte value, the anchored triggers to ask: a range of ``slots`` packed as `start << 32 | end`, 0 for none.
    let table: [UInt64]
    let slots: [Int]
    /// Per entry of ``slots``: what the bytes next to the anchor must be for that trigger to fire there.
    let filters: [NeighbourFilter]
    /// Per trigger: whether the one pass answers it (else its own ``ScrubTrigger/firstOccurrence(in:)`` does).
    let isAnchored: [Bool]
    /// Per trigger: how far after the start it reports the anchor may lie; the scrubber starts that much earlier.
    let slack: [Int]

    init(_ triggers: [ScrubTrigger]) {
        var byByte = [[Int]](repeating: [], count: 256)
        var isAnchored: [Bool] = []
        var slack: [Int] = []
        for (slot, trigger) in triggers.enumerated() {
            guard let anchors = trigger.anchors else {
                isAnchored.append(false)
                slack.append(0)
                continue
            }
            isAnchored.append(true)
            slack.append(trigger.slack)
            for byte in 0...255 where anchors.contains(UInt8(byte)) { byByte[byte].append(slot) }
        }
        var table: [UInt64] = []
        var slots: [Int] = []
        var filters: [NeighbourFilter] = []
        for (byte, list) in byByte.enumerated() {
            table.append(list.isEmpty ? 0 : UInt64(slots.count) << 32 | UInt64(slots.count + list.count))
            slots += list
            filters += list.map { triggers[$0].neighbourFilter(at: UInt8(byte)) }
        }
        self.table = table
        self.slots = slots
        self.filters = filters
        self.isAnchored = isAnchored
        self.slack = slack
    }
}

/// A necessary condition for an anchored trigger to fire at one of its anchor bytes, on the bytes just before and
/// just after it: the line loop tests it (two bit tests) before asking the trigger, so the many anchor bytes that
/// cannot start an occurrence (`c` of `com.acme`, `h` of `http`, `.` between words, `-` between letters) cost no
/// call. Only asked for anchors that are neither the line's first nor its last byte.
struct NeighbourFilter: Sendable {
    var previous: ByteClass
    var next: ByteClass
    /// One of the two neighbours in its class suffices; else both must be.
    var either: Bool

    /// The filter as nine words for the line loop: ``previous``'s four, ``next``'s four, then 1 for ``either``.
    var words: [UInt64] { previous.bitWords + next.bitWords + [either ? 1 : 0] }

    static let none = NeighbourFilter(previous: .all, next: .all, either: false)

    @inline(__always)
    func admits(previous byteBefore: UInt8, next byteAfter: UInt8) -> Bool {
        either ? previous.contains(byteBefore) || next.contains(byteAfter)
            : previous.contains(byteBefore) && next.contains(byteAfter)
    }

    /// The neighbours of the anchor of each literal (both letter cases when `ignoringCase`); a literal anchored at
    /// its first or last byte leaves that side open.
    static func around(_ literals: [(bytes: [UInt8], anchor: Int)], ignoringCase: Bool) -> NeighbourFilter {
        var before: [UInt8] = [], after: [UInt8] = []
        var anyBefore = false, anyAfter = false
        for (bytes, anchor) in literals {
            if anchor > 0 { before.append(bytes[anchor - 1]) } else { anyBefore = true }
            if anchor + 1 < bytes.count { after.append(bytes[anchor + 1]) } else { anyAfter = true }
        }
        func byteClass(_ list: [UInt8], open: Bool) -> ByteClass {
            if open { return .all }
            return ByteClass(bytes: ignoringCase ? list + list.map(ScrubTrigger.upperCased) : list)
        }
        return NeighbourFilter(previous: byteClass(before, open: anyBefore), next: byteClass(after, open: anyAfter),
                               either: false)
    }
}

extension ScrubTrigger {
    /// What ``check(_:at:)`` needs next to `anchor`, one of ``anchors``, to fire there (see ``NeighbourFilter``).
    func neighbourFilter(at anchor: UInt8) -> NeighbourFilter {
        switch self {
        case .always, .digitRun, .run, .byte:
            return .none
        case .literals(let literals):
            return .around(literals.filter { $0.bytes[$0.anchor] == anchor }.map { ($0.bytes, $0.anchor) }, ignoringCase: false)
        case .words(let words), .keywordBeforeToken(let words, _):
            return .around(words.filter { $0.bytes[$0.anchor] == ByteScan.lowercased(anchor) }.map { ($0.bytes, $0.anchor) },
                           ignoringCase: true)
        case .dottedQuad, .socialSecurityShape:
            // A digit before the first dot and after it; three digits before the SSN's first dash, two after it.
            return NeighbourFilter(previous: .digits, next: .digits, either: false)
        case .ipv6Shape:
            // `::`, or the last of six colons after a hex group.
            return NeighbourFilter(previous: .hexDigits, next: ByteClass(":"), either: true)
        case .tokenPrefix(let prefixes):
            return prefixes.neighbourFilter(at: anchor)
        case .sensitiveAssignment:
            return SensitiveKeys.neighbourFilter
        }
    }

    static func upperCased(_ byte: UInt8) -> UInt8 { upper(byte) }

    /// The bytes at which this trigger may fire, or `nil` for triggers that scan on their own (runs).
    var anchors: ByteClass? {
        switch self {
        case .always, .digitRun, .run: return nil
        case .byte(let byte): return ByteClass(String(decoding: [byte], as: UTF8.self))
        case .literals(let literals): return ByteClass(String(decoding: literals.map { $0.bytes[$0.anchor] }, as: UTF8.self))
        case .words(let words), .keywordBeforeToken(let words, _):
            return ByteClass(String(decoding: words.flatMap { [$0.bytes[$0.anchor], Self.upper($0.bytes[$0.anchor])] }, as: UTF8.self))
        case .dottedQuad: return ByteClass(".")
        case .ipv6Shape: return ByteClass(":")
        case .socialSecurityShape: return ByteClass("-")
        case .tokenPrefix(let prefixes): return prefixes.anchors
        case .sensitiveAssignment: return ByteClass("=:")
        }
    }

    /// How far after the start ``check(_:at:)`` reports its anchor byte may be.
    var slack: Int {
        switch self {
        case .literals(let literals), .words(let literals), .keywordBeforeToken(let literals, _):
            return literals.map(\.anchor).max() ?? 0
        case .tokenPrefix(let prefixes): return prefixes.slack
        default: return 0
        }
    }

    private static func upper(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte & 0xDF : byte
    }

    /// Whether the trigger fires at `position`, a byte of ``anchors``; returns where its occurrence starts.
    func check(_ line: UnsafeRawBufferPointer, at position: Int) -> Int? {
        switch self {
        case .always, .digitRun, .run:
            return nil
        case .byte:
            return position
        case .literals(let literals):
            for literal in literals where literal.bytes[literal.anchor] == line[position] {
                if literal.matches(line, at: position - literal.anchor) { return position - literal.anchor }
            }
            return nil
        case .words(let words):
            let byte = ByteScan.lowercased(line[position])
            for word in words where word.bytes[word.anchor] == byte {
                if word.matchesIgnoringCase(line, at: position - word.anchor) { return position - word.anchor }
            }
            return nil
        case .keywordBeforeToken(let keywords, let minimumLength):
            return Self.keywordBeforeToken(line, at: position, keywords: keywords, minimumLength: minimumLength)
        case .dottedQuad:
            return Self.dottedQuad(line, at: position)
        case .ipv6Shape:
            return Self.ipv6Shape(line, at: position)
        case .socialSecurityShape:
            return Self.socialSecurityShape(line, at: position)
        case .tokenPrefix(let prefixes):
            return prefixes.check(line, at: position)
        case .sensitiveAssignment:
            return SensitiveKeys.keyBefore(position, in: line)
        }
    }

    /// `keyword`, separators, then at least `minimumLength` value bytes, with the keyword's anchor at `position`.
    static func keywordBeforeToken(_ line: UnsafeRawBufferPointer, at position: Int, keywords: [Literal], minimumLength: Int) -> Int? {
        let byte = ByteScan.lowercased(line[position])
        for keyword in keywords where keyword.bytes[keyword.anchor] == byte {
            let start = position - keyword.anchor
            guard keyword.matchesIgnoringCase(line, at: start),
                  start == 0 || !ByteClass.alphanumerics.contains(line[start - 1]) else { continue }
            let end = start + keyword.bytes.count
            let separators = ByteScan.runLength(line, from: end, of: Self.keywordSeparators, limit: 5)
            guard separators >= 1, separators <= 4 else { continue }
            if ByteScan.runLength(line, from: end + separators, of: Self.valueCharacters, limit: minimumLength) == minimumLength {
                return start
            }
        }
        return nil
    }

    /// The first digit of a dotted quad whose first dot is at `position`.
    static func dottedQuad(_ line: UnsafeRawBufferPointer, at position: Int) -> Int? {
        let leading = ByteScan.runLength(line, endingAt: position, of: .digits, limit: 4)
        guard leading >= 1, leading <= 3 else { return nil }
        var cursor = position
        for group in 1...3 {
            guard cursor < line.count, line[cursor] == UInt8(ascii: ".") else { return nil }
            let digits = ByteScan.runLength(line, from: cursor + 1, of: .digits, limit: 4)
            guard digits >= 1, digits <= 3 else { return nil }
            cursor += 1 + digits
            if group == 3 { return position - leading }
        }
        return nil
    }

    /// `::` at `position`, or the first of six colons joined by hex groups that ends at `position`.
    static func ipv6Shape(_ line: UnsafeRawBufferPointer, at position: Int) -> Int? {
        if position + 1 < line.count, line[position + 1] == UInt8(ascii: ":") { return position }
        // Six colons joined by groups of one to four hex digits, this one the last.
        var colons = 1
        var cursor = position
        while colons < 6 {
            let group = ByteScan.runLength(line, endingAt: cursor, of: .hexDigits, limit: 5)
            guard group >= 1, group <= 4, cursor - group - 1 >= 0, line[cursor - group - 1] == UInt8(ascii: ":") else {
                return nil
            }
            cursor -= group + 1
            colons += 1
        }
        return cursor
    }

    /// `ddd-dd-dddd` whose first dash is at `position`.
    static func socialSecurityShape(_ line: UnsafeRawBufferPointer, at position: Int) -> Int? {
        let dash = position
        guard dash >= 3, dash + 8 <= line.count, line[dash + 3] == UInt8(ascii: "-"),
              ByteScan.all(line, (dash - 3)..<dash, in: .digits),
              ByteScan.all(line, (dash + 1)..<(dash + 3), in: .digits),
              ByteScan.all(line, (dash + 4)..<(dash + 8), in: .digits) else { return nil }
        return dash - 3
    }
}
