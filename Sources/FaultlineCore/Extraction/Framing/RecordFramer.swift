/// Decides for each line whether it starts a record, and at which level, mostly without PCRE2.
///
/// Matching every line with a prefix pattern would cost more than reading it. Instead the framer learns,
/// per file and per format, a cheap *shape*: the byte classes of a start line's first bytes (digit,
/// letter, or an exact separator) and the offsets where the level word sits. A line whose first bytes fit
/// a learned shape and that has a known level word at a learned offset is classified by a few byte
/// compares. Only the rest — continuation lines that do not start with whitespace, lines of a format not
/// met yet, lines whose level sits elsewhere — go to the slow path: the formats' PCRE2 patterns and the
/// trace grammars' starter patterns. The slow path teaches the fast path as it goes.
struct RecordFramer {
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
    private let formatPatterns: [Pattern]
    private let formatMatchers: [Matcher]
    /// All formats at once, to reject a continuation line with one match.
    private let anyFormat: Matcher
    private let traceStarter: Matcher?

    /// Learned shapes, per format, and the formats in the order they were learned (most lines are of the
    /// first). Plain values without references, so the per-line path does no reference counting.
    private var shapes: [Shape]
    private var learned: [Int]

    /// Lines the slow path classified (with PCRE2), for the benchmark and tests.
    private(set) var slowClassified = 0

    /// How many leading bytes a shape covers.
    static let shapeLength = 16

    /// A learned start-line shape: the separator bytes (anything but letters and digits) at fixed positions
    /// in the first 16 bytes, as two masked 64-bit words, and where the level word sits.
    struct Shape {
        var mask: (UInt64, UInt64) = (0, 0)
        var value: (UInt64, UInt64) = (0, 0)
        /// Byte offsets where this format's level word was seen (`levelOffsetCount` of them).
        var levelOffsets: (Int32, Int32, Int32, Int32, Int32, Int32, Int32, Int32) = (0, 0, 0, 0, 0, 0, 0, 0)
        var levelOffsetCount = 0
        /// The shortest line this shape was learned from (the mask covers only that many bytes).
        var minimumLength = 0
        var oneLetterLevel = false
        var hasLevel = false
        var isLearned = false

        func levelOffset(_ slot: Int) -> Int {
            withUnsafeBytes(of: levelOffsets) { Int($0.load(fromByteOffset: slot * 4, as: Int32.self)) }
        }

        mutating func addLevelOffset(_ offset: Int) {
            guard levelOffsetCount < 8, !(0..<levelOffsetCount).contains(where: { levelOffset($0) == offset }) else {
                return
            }
            withUnsafeMutableBytes(of: &levelOffsets) {
                $0.storeBytes(of: Int32(offset), toByteOffset: levelOffsetCount * 4, as: Int32.self)
            }
            levelOffsetCount += 1
        }
    }

    init(formats: [RecordFormat], traceStarters: [String]) {
        self.formats = formats
        self.formatPatterns = formats.map { format in
            do { return try Pattern(format.pattern) } catch { fatalError("record format \(format.name): \(error)") }
        }
        self.formatMatchers = formatPatterns.map { Matcher($0) }
        let combined = formats.map { "(?:" + Self.withoutNamedGroups($0.pattern) + ")" }.joined(separator: "|")
        do {
            self.anyFormat = Matcher(try Pattern(combined))
            self.traceStarter = traceStarters.isEmpty
                ? nil : Matcher(try Pattern(traceStarters.map { "(?:\($0))" }.joined(separator: "|")))
        } catch {
            fatalError("record framing patterns: \(error)")
        }
        self.shapes = Array(repeating: Shape(), count: formats.count)
        self.learned = []
        self.learned.reserveCapacity(formats.count)
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
    mutating func reset() {
        for index in shapes.indices { shapes[index] = Shape() }
        learned.removeAll(keepingCapacity: true)
    }

    /// Classifies one line: by byte compares when a learned shape fits, else with PCRE2 (learning from it).
    mutating func classify(_ line: UnsafeRawBufferPointer) -> Kind {
        if let kind = classifyQuickly(line) { return kind }
        slowClassified += 1
        return classifySlowly(line)
    }

    /// The byte-compare path; `nil` when it cannot tell.
    @inline(__always)
    func classifyQuickly(_ line: UnsafeRawBufferPointer) -> Kind? {
        guard let first = line.first else { return .continuation }
        if first == 0x20 || first == 0x09 { return .continuation }  // no format starts with whitespace
        let head = Self.head(of: line)
        for position in 0..<learned.count {
            let index = learned[position]
            let shape = shapes[index]
            guard line.count >= shape.minimumLength, head.0 & shape.mask.0 == shape.value.0,
                  head.1 & shape.mask.1 == shape.value.1
            else { continue }
            if !shape.hasLevel { return .start(format: index, level: nil) }
            for slot in 0..<shape.levelOffsetCount {
                if let level = Self.levelWord(in: line, at: shape.levelOffset(slot), oneLetter: shape.oneLetterLevel) {
                    return .start(format: index, level: level)
                }
            }
        }
        return nil
    }

    private mutating func classifySlowly(_ line: UnsafeRawBufferPointer) -> Kind {
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

    /// Records a format's shape from a line it matched, or narrows the shape it has to the separators
    /// all its lines share.
    private mutating func learn(format index: Int, from line: UnsafeRawBufferPointer, levelRange: Range<Int>?) {
        let head = Self.head(of: line)
        var mask: (UInt64, UInt64) = (0, 0)
        for position in 0..<min(Self.shapeLength, line.count) {
            let byte = line[position]
            guard !Self.isDigit(byte) && !Self.isLetter(byte) else { continue }
            if position < 8 { mask.0 |= 0xFF << (8 * UInt64(position)) } else { mask.1 |= 0xFF << (8 * UInt64(position - 8)) }
        }
        var shape = shapes[index]
        if shape.isLearned {
            // Keep only the separators that are the same in this line too.
            let same0 = ~(head.0 ^ shape.value.0), same1 = ~(head.1 ^ shape.value.1)
            var keep: (UInt64, UInt64) = (0, 0)
            for lane in 0..<8 {
                let byte: UInt64 = 0xFF << (8 * UInt64(lane))
                if same0 & byte == byte { keep.0 |= byte }
                if same1 & byte == byte { keep.1 |= byte }
            }
            shape.mask = (shape.mask.0 & mask.0 & keep.0, shape.mask.1 & mask.1 & keep.1)
            shape.minimumLength = min(shape.minimumLength, min(Self.shapeLength, line.count))
        } else {
            shape.isLearned = true
            shape.mask = mask
            shape.minimumLength = min(Self.shapeLength, line.count)
            shape.hasLevel = levelRange != nil
            shape.oneLetterLevel = levelRange?.count == 1
            learned.append(index)
        }
        shape.value = (head.0 & shape.mask.0, head.1 & shape.mask.1)
        if let levelRange { shape.addLevelOffset(levelRange.lowerBound) }
        shapes[index] = shape
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
        // Lower-case the four bytes (letters only), then compare as one integer, most frequent levels first.
        let word = line.loadUnaligned(fromByteOffset: offset, as: UInt32.self) | 0x2020_2020
        let words = LevelWords.shared
        if word == words.info { return .info }
        if word == words.debug { return .debug }
        if word == words.warn { return .warning }
        if word == words.error || word == words.severe || word == words.nginxErr { return .error }
        if word == words.trace || word == words.fine { return .trace }
        if word == words.fatal || word == words.crit || word == words.panic || word == words.emerg
            || word == words.alert {
            return .critical
        }
        if word == words.notice { return .notice }
        if word == words.config { return .debug }
        return nil
    }

    /// The four-byte level prefixes, lower-cased, as integers.
    struct LevelWords: Sendable {
        static let shared = LevelWords()
        let info = RecordFramer.word("info"), debug = RecordFramer.word("debu"), warn = RecordFramer.word("warn")
        let error = RecordFramer.word("erro")
        let severe = RecordFramer.word("seve"), nginxErr = RecordFramer.word("err]"), trace = RecordFramer.word("trac"), fine = RecordFramer.word("fine")
        let fatal = RecordFramer.word("fata"), crit = RecordFramer.word("crit"), panic = RecordFramer.word("pani"), emerg = RecordFramer.word("emer")
        let alert = RecordFramer.word("aler"), notice = RecordFramer.word("noti"), config = RecordFramer.word("conf")
    }

    /// Four ASCII letters as the little-endian integer `levelWord` compares with (lower case, `| 0x20`).
    fileprivate static func word(_ text: StaticString) -> UInt32 {
        let bytes = text.utf8Start
        return (UInt32(bytes[0]) | UInt32(bytes[1]) << 8 | UInt32(bytes[2]) << 16 | UInt32(bytes[3]) << 24)
            | 0x2020_2020
    }
}
