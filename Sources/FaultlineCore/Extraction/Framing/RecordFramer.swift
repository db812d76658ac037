/// Decides for each line whether it starts a record, and at which level, mostly without PCRE2.
///
/// Matching every line with a prefix pattern would cost more than reading it. Instead the framer learns,
/// per file and per format, a cheap *shape*: the byte classes of a start line's first bytes (digit,
/// letter, or an exact separator) and the offsets where the level word sits. A line whose first bytes fit
/// a learned shape and that has a known level word at a learned offset is classified by a few byte
/// compares. Only the rest — continuation lines that do not start with whitespace, lines of a format not
/// met yet, lines whose level sits elsewhere — go to the slow path: the formats' PCRE2 patterns and the
/// trace grammars' starter patterns. The slow path teaches the fast path as it goes.
final class RecordFramer {
    /// What a line is.
    enum Kind: Equatable {
        /// A record start of format `format` (an index into ``formats``); `level` if the format has one.
        case start(format: Int, level: Level?)
        /// The start of a trace printed without a log prefix (`Traceback …`, `panic: …`).
        case traceStart
        /// Anything else: part of the current record.
        case continuation
    }

    let formats: [RecordFormat]
    /// Per format: whether the level is on the record's second line (kept apart from `formats` so the per-line
    /// path reads a `Bool`, not a struct of strings).
    let levelOnNextLine: [Bool]
    /// The formats' patterns, compiled once (the builders reuse them).
    let formatPatterns: [Pattern]
    private let formatMatchers: [Matcher]
    /// All formats at once, to reject a continuation line with one match.
    private let anyFormat: Matcher
    private let traceStarter: Matcher?
    private let chainSeparator: Matcher?

    /// Learned shapes in the order they were learned (most lines are of the first), and for each format
    /// the index of its shape, or -1. Shapes are plain values, read through a buffer pointer on the per-line
    /// path: no copies, no reference counting, no bounds checks there.
    // Unchecked: a framer belongs to one task, and these are read for every line.
    @exclusivity(unchecked) private var shapes: ContiguousArray<Shape> = []
    @exclusivity(unchecked) private var shapeOfFormat: [Int]

    /// Lines the slow path classified (with PCRE2), for the benchmark and tests.
    private(set) var slowClassified = 0
    /// What PCRE2 said about lines the shapes could not classify, and about chain separators.
    private var slowVerdicts = LineVerdicts<Kind>()
    private var chainSeparatorVerdicts = LineVerdicts<Bool>(slots: 1_024)

    /// How many leading bytes a shape covers.
    static let shapeLength = 16

    /// A learned start-line shape: the separator bytes (anything but letters and digits) at fixed positions
    /// in the first 16 bytes, as two masked 64-bit words, and where the level word sits.
    struct Shape {
        var mask0: UInt64 = 0, mask1: UInt64 = 0
        var value0: UInt64 = 0, value1: UInt64 = 0
        /// Up to four byte offsets where the format's level word was seen, 16 bits each.
        var levelOffsets: UInt64 = 0
        var levelOffsetCount = 0
        /// The shortest line this shape was learned from (the masks cover only that many bytes).
        var minimumLength = 0
        var format = 0
        var oneLetterLevel = false
        var hasLevel = false

        @inline(__always)
        func levelOffset(_ slot: Int) -> Int { Int((levelOffsets >> (16 * UInt64(slot))) & 0xFFFF) }

        mutating func addLevelOffset(_ offset: Int) {
            guard levelOffsetCount < 4, offset < 0xFFFF,
                  !(0..<levelOffsetCount).contains(where: { levelOffset($0) == offset })
            else { return }
            levelOffsets |= UInt64(offset) << (16 * UInt64(levelOffsetCount))
            levelOffsetCount += 1
        }
    }

    init(formats: [RecordFormat], traceStarters: [String], chainSeparators: [String] = []) {
        self.formats = formats
        self.levelOnNextLine = formats.map(\.levelOnNextLine)
        self.formatPatterns = formats.map { format in
            do { return try Pattern(format.pattern) } catch { fatalError("record format \(format.name): \(error)") }
        }
        self.formatMatchers = formatPatterns.map { Matcher($0) }
        let combined = formats.map { "(?:" + Self.withoutNamedGroups($0.pattern) + ")" }.joined(separator: "|")
        do {
            self.anyFormat = Matcher(try Pattern(combined))
            self.traceStarter = traceStarters.isEmpty
                ? nil : Matcher(try Pattern(traceStarters.map { "(?:\($0))" }.joined(separator: "|")))
            self.chainSeparator = chainSeparators.isEmpty
                ? nil : Matcher(try Pattern(chainSeparators.map { "(?:\($0))" }.joined(separator: "|")))
        } catch {
            fatalError("record framing patterns: \(error)")
        }
        self.shapeOfFormat = Array(repeating: -1, count: formats.count)
        self.shapes.reserveCapacity(formats.count)
    }

    /// Named groups turned into plain groups, so patterns can be combined without name clashes.
    static func withoutNamedGroups(_ pattern: String) -> String {
        var result = ""
        var index = pattern.startIndex
        while index < pattern.endIndex {
            if pattern[index...].hasPrefix("(?<"), let close = pattern[index...].firstIndex(of: ">"),
               !pattern[index...].hasPrefix("(?<=") && !pattern[index...].hasPrefix("(?<!") {
                result += "(?:"
                index = pattern.index(after: close)
            } else {
                result.append(pattern[index])
                index = pattern.index(after: index)
            }
        }
        return result
    }

    /// Forgets what was learned, for the next logical file.
    func reset() {
        shapes.removeAll(keepingCapacity: true)
        for index in shapeOfFormat.indices { shapeOfFormat[index] = -1 }
    }

    /// Classifies one line: by byte compares when a learned shape fits, else with PCRE2 (learning from it).
    func classify(_ line: UnsafeRawBufferPointer) -> Kind {
        if let kind = classifyQuickly(line) { return kind }
        // A record start teaches the byte shapes, so only the other verdicts are worth remembering.
        return slowVerdicts.verdict(for: line, shouldRemember: { if case .start = $0 { false } else { true } }) {
            slowClassified += 1
            return classifySlowly($0)
        }
    }

    /// The byte-compare path; `nil` when it cannot tell.
    @inline(__always)
    func classifyQuickly(_ line: UnsafeRawBufferPointer) -> Kind? {
        guard let first = line.first else { return .continuation }
        if first == 0x20 || first == 0x09 {
            // No format starts with whitespace; the one indented starter (Python's `  + Exception Group
            // Traceback`) shows itself by a `+` after the indent, so only those lines go to PCRE2.
            var position = 1
            while position < line.count && position < 16 && (line[position] == 0x20 || line[position] == 0x09) {
                position += 1
            }
            return position < line.count && line[position] == UInt8(ascii: "+") ? nil : .continuation
        }
        let (head0, head1) = Self.head(of: line)
        let count = line.count
        return shapes.withUnsafeBufferPointer { shapes -> Kind? in
            for index in 0..<shapes.count {
                let shape = shapes.baseAddress! + index
                guard count >= shape.pointee.minimumLength, head0 & shape.pointee.mask0 == shape.pointee.value0,
                      head1 & shape.pointee.mask1 == shape.pointee.value1
                else { continue }
                if !shape.pointee.hasLevel { return .start(format: shape.pointee.format, level: nil) }
                let oneLetter = shape.pointee.oneLetterLevel
                for slot in 0..<shape.pointee.levelOffsetCount {
                    if let level = Self.levelWord(in: line, at: shape.pointee.levelOffset(slot), oneLetter: oneLetter) {
                        return .start(format: shape.pointee.format, level: level)
                    }
                }
            }
            return nil
        }
    }

    private func classifySlowly(_ line: UnsafeRawBufferPointer) -> Kind {
        if (try? anyFormat.matches(line)) == true {
            for (index, matcher) in formatMatchers.enumerated() {
                guard let match = try? matcher.firstMatch(in: line) else { continue }
                let levelRange = match["level"]
                learn(format: index, from: line, levelRange: levelRange)
                let level = levelRange.flatMap { range in
                    Level(word: String(decoding: UnsafeRawBufferPointer(rebasing: line[range]), as: UTF8.self))
                }
                return .start(format: index, level: level)
            }
        }
        if let traceStarter, (try? traceStarter.matches(line)) == true { return .traceStart }
        return .continuation
    }

    /// Whether a line links two traces of one chain (see ``TraceGrammar/chainSeparatorPatterns``).
    func isChainSeparator(_ line: UnsafeRawBufferPointer) -> Bool {
        guard let chainSeparator, !line.isEmpty else { return false }
        return chainSeparatorVerdicts.verdict(for: line) { (try? chainSeparator.matches($0)) == true }
    }

    /// Records a format's shape from a line it matched, or narrows the shape it has to the separators
    /// all its lines share.
    private func learn(format index: Int, from line: UnsafeRawBufferPointer, levelRange: Range<Int>?) {
        let head = Self.head(of: line)
        var mask: (UInt64, UInt64) = (0, 0)
        for position in 0..<min(Self.shapeLength, line.count) {
            let byte = line[position]
            guard !Self.isDigit(byte) && !Self.isLetter(byte) else { continue }
            if position < 8 { mask.0 |= 0xFF << (8 * UInt64(position)) } else { mask.1 |= 0xFF << (8 * UInt64(position - 8)) }
        }
        let existing = shapeOfFormat[index]
        var shape = existing >= 0 ? shapes[existing] : Shape()
        if existing >= 0 {
            // Keep only the separators that are the same in this line too.
            let same0 = ~(head.0 ^ shape.value0), same1 = ~(head.1 ^ shape.value1)
            var keep: (UInt64, UInt64) = (0, 0)
            for lane in 0..<8 {
                let byte: UInt64 = 0xFF << (8 * UInt64(lane))
                if same0 & byte == byte { keep.0 |= byte }
                if same1 & byte == byte { keep.1 |= byte }
            }
            shape.mask0 &= mask.0 & keep.0
            shape.mask1 &= mask.1 & keep.1
            shape.minimumLength = min(shape.minimumLength, min(Self.shapeLength, line.count))
        } else {
            shape.mask0 = mask.0
            shape.mask1 = mask.1
            shape.minimumLength = min(Self.shapeLength, line.count)
            shape.format = index
            shape.hasLevel = levelRange != nil
            shape.oneLetterLevel = levelRange?.count == 1
        }
        shape.value0 = head.0 & shape.mask0
        shape.value1 = head.1 & shape.mask1
        if let levelRange { shape.addLevelOffset(levelRange.lowerBound) }
        if existing >= 0 {
            shapes[existing] = shape
        } else {
            shapeOfFormat[index] = shapes.count
            shapes.append(shape)
        }
    }

    /// The first 16 bytes of a line as two little-endian words, zero-padded.
    @inline(__always)
    private static func head(of line: UnsafeRawBufferPointer) -> (UInt64, UInt64) {
        if line.count >= 16 {
            return (line.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                    line.loadUnaligned(fromByteOffset: 8, as: UInt64.self))
        }
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: line) }
        return words
    }

    @inline(__always)
    private static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    @inline(__always)
    private static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }

    /// The level word at `offset`, read from four bytes (or one, for klog and Ruby's one-letter levels).
    @inline(__always)
    static func levelWord(in line: UnsafeRawBufferPointer, at offset: Int, oneLetter: Bool) -> Level? {
        if oneLetter {
            guard offset < line.count else { return nil }
            let next = offset + 1 < line.count ? line[offset + 1] : 0x20
            guard !isLetter(next) else { return nil }
            switch line[offset] {
            case UInt8(ascii: "T"): return .trace
            case UInt8(ascii: "D"): return .debug
            case UInt8(ascii: "I"): return .info
            case UInt8(ascii: "W"): return .warning
            case UInt8(ascii: "E"): return .error
            case UInt8(ascii: "F"): return .critical
            case UInt8(ascii: "U"): return .info
            default: return nil
            }
        }
        guard offset + 4 <= line.count else {
            // Three-letter words at the very end are not levels we know; "err]" style needs four bytes.
            return nil
        }
        // Lower-case the four bytes (letters only), then compare as one little-endian integer with the level
        // words' first four letters, most frequent first. The constants are checked by a test against `word`.
        switch line.loadUnaligned(fromByteOffset: offset, as: UInt32.self) | 0x2020_2020 {
        case 0x6f66_6e69: return .info                                          // "info"
        case 0x7562_6564: return .debug                                         // "debu"
        case 0x6e72_6177: return .warning                                       // "warn"
        case 0x6f72_7265, 0x6576_6573, 0x7d72_7265: return .error               // "erro", "seve", "err]"
        case 0x6361_7274, 0x656e_6966: return .trace                            // "trac", "fine"
        case 0x6174_6166, 0x7469_7263, 0x696e_6170, 0x7265_6d65, 0x7265_6c61:   // "fata", "crit", "pani",
            return .critical                                                    // "emer", "aler"
        case 0x6974_6f6e: return .notice                                        // "noti"
        case 0x666e_6f63: return .debug                                         // "conf"
        default: return nil
        }
    }

    /// The level-word constants `levelWord` compares with, by word: for the test that checks them.
    static let levelWordConstants: [(word: StaticString, value: UInt32, level: Level)] = [
        ("info", 0x6f66_6e69, .info), ("debu", 0x7562_6564, .debug), ("warn", 0x6e72_6177, .warning),
        ("erro", 0x6f72_7265, .error), ("seve", 0x6576_6573, .error), ("err]", 0x7d72_7265, .error),
        ("trac", 0x6361_7274, .trace), ("fine", 0x656e_6966, .trace), ("fata", 0x6174_6166, .critical),
        ("crit", 0x7469_7263, .critical), ("pani", 0x696e_6170, .critical), ("emer", 0x7265_6d65, .critical),
        ("aler", 0x7265_6c61, .critical), ("noti", 0x6974_6f6e, .notice), ("conf", 0x666e_6f63, .debug),
    ]

    /// Four ASCII letters as the little-endian integer `levelWord` compares with (lower case, `| 0x20`).
    static func word(_ text: StaticString) -> UInt32 {
        let bytes = text.utf8Start
        return (UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
            | 0x2020_2020
    }
}
