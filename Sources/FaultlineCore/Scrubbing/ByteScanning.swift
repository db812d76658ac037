#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A set of bytes, tested with two shifts and a mask: the scrubber's prefilters classify every byte they look at.
struct ByteClass: Sendable, Hashable {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    init(_ characters: String) {
        for byte in characters.utf8 { insert(byte) }
    }

    init(ranges: ClosedRange<UInt8>..., plus characters: String = "") {
        for range in ranges { for byte in range { insert(byte) } }
        for byte in characters.utf8 { insert(byte) }
    }

    init<Bytes: Sequence<UInt8>>(bytes: Bytes) {
        for byte in bytes { insert(byte) }
    }

    private mutating func insert(_ byte: UInt8) {
        let bit = UInt64(1) << UInt64(byte & 63)
        switch byte >> 6 {
        case 0: words.0 |= bit
        case 1: words.1 |= bit
        case 2: words.2 |= bit
        default: words.3 |= bit
        }
    }

    @inline(__always)
    func contains(_ byte: UInt8) -> Bool {
        withUnsafeBytes(of: words) { bits in
            (bits.load(fromByteOffset: Int(byte >> 3), as: UInt8.self) >> (byte & 7)) & 1 == 1
        }
    }

    /// The class as four words, bit `b & 63` of word `b >> 6` for byte `b`.
    var bitWords: [UInt64] { [words.0, words.1, words.2, words.3] }

    static func == (lhs: ByteClass, rhs: ByteClass) -> Bool {
        lhs.words == rhs.words
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(words.0)
        hasher.combine(words.1)
        hasher.combine(words.2)
        hasher.combine(words.3)
    }

    /// A class from its bit words, so the constants below are laid out at compile time (no lazy initialisation on the
    /// hot path).
    private init(bits: (UInt64, UInt64, UInt64, UInt64)) {
        words = bits
    }

    // Bit words of the classes in their comments; ByteClassTests checks them against the characters.
    /// Every byte.
    static let all = ByteClass(bits: (~0, ~0, ~0, ~0))
    /// `0-9`
    static let digits = ByteClass(bits: (0x03FF000000000000, 0x0000000000000000, 0x0000000000000000, 0x0000000000000000))
    /// `0-9a-fA-F`
    static let hexDigits = ByteClass(bits: (0x03FF000000000000, 0x0000007E0000007E, 0x0000000000000000, 0x0000000000000000))
    /// `a-zA-Z`
    static let letters = ByteClass(bits: (0x0000000000000000, 0x07FFFFFE07FFFFFE, 0x0000000000000000, 0x0000000000000000))
    /// `a-zA-Z0-9`
    static let alphanumerics = ByteClass(bits: (0x03FF000000000000, 0x07FFFFFE07FFFFFE, 0x0000000000000000, 0x0000000000000000))
    /// Letters, digits, `_` and `-`: what API tokens are made of.
    static let tokenCharacters = ByteClass(bits: (0x03FF200000000000, 0x07FFFFFE87FFFFFE, 0x0000000000000000, 0x0000000000000000))
}

/// Byte-level searches over one line. Every function is bounded by the line and allocates nothing.
enum ByteScan {
    /// Whether two byte buffers hold the same bytes, with `memcmp` (the generic `elementsEqual` compares one
    /// byte per iteration through the collection protocols).
    @inline(__always)
    static func equal(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard let left = a.baseAddress, let right = b.baseAddress else { return true }
        return memcmp(left, right, a.count) == 0
    }

    /// The offset of the first `byte` at or after `start`, with glibc's vectorised `memchr`.
    @inline(__always)
    static func find(_ byte: UInt8, in line: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        guard start < line.count, let base = line.baseAddress else { return nil }
        guard let found = memchr(base + start, Int32(byte), line.count - start) else { return nil }
        return UnsafeRawPointer(found) - base
    }

    /// The offset of the first occurrence of `needle` at or after `start`: `memchr` for the needle's `anchor`-th
    /// byte (the rarest one), then a compare.
    static func find(_ needle: Literal, in line: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        let count = needle.bytes.count
        var cursor = start + needle.anchor
        while let hit = find(needle.bytes[needle.anchor], in: line, from: cursor) {
            let candidate = hit - needle.anchor
            if candidate + count > line.count { return nil }
            if needle.matches(line, at: candidate) { return candidate }
            cursor = hit + 1
        }
        return nil
    }

    /// The offset of the first occurrence of `needle` in any ASCII letter case at or after `start`.
    static func findIgnoringCase(_ needle: Literal, in line: UnsafeRawBufferPointer, from start: Int = 0) -> Int? {
        let anchorLower = needle.bytes[needle.anchor]
        let isLetter = anchorLower >= UInt8(ascii: "a") && anchorLower <= UInt8(ascii: "z")
        let anchorUpper = anchorLower & 0xDF
        var nextLower = find(anchorLower, in: line, from: start + needle.anchor)
        var nextUpper = isLetter ? find(anchorUpper, in: line, from: start + needle.anchor) : nil
        while true {
            let hit: Int
            switch (nextLower, nextUpper) {
            case (nil, nil): return nil
            case (let lower?, nil): hit = lower
            case (nil, let upper?): hit = upper
            case (let lower?, let upper?): hit = min(lower, upper)
            }
            let candidate = hit - needle.anchor
            if candidate + needle.bytes.count > line.count { return nil }
            if needle.matchesIgnoringCase(line, at: candidate) { return candidate }
            if hit == nextLower { nextLower = find(anchorLower, in: line, from: hit + 1) }
            if isLetter, hit == nextUpper { nextUpper = find(anchorUpper, in: line, from: hit + 1) }
        }
    }

    /// The start of the first run of at least `minimumLength` bytes of `byteClass` at or after `start`, found by
    /// probing every `minimumLength`-th byte: a run that long must cover a probe, so text with few such bytes
    /// costs about one look per `minimumLength` bytes.
    static func findRun(of byteClass: ByteClass, minimumLength: Int, in line: UnsafeRawBufferPointer,
                        from start: Int = 0) -> Range<Int>? {
        var probe = start + minimumLength - 1
        var floor = start
        while probe < line.count {
            guard byteClass.contains(line[probe]) else {
                floor = probe + 1
                probe += minimumLength
                continue
            }
            var runStart = probe
            while runStart > floor, byteClass.contains(line[runStart - 1]) { runStart -= 1 }
            var runEnd = probe + 1
            while runEnd < line.count, byteClass.contains(line[runEnd]) { runEnd += 1 }
            if runEnd - runStart >= minimumLength { return runStart..<runEnd }
            floor = runEnd + 1
            probe = runEnd + minimumLength
        }
        return nil
    }

    /// Whether `line[range]` holds only bytes of `byteClass`.
    static func all(_ line: UnsafeRawBufferPointer, _ range: Range<Int>, in byteClass: ByteClass) -> Bool {
        for index in range where !byteClass.contains(line[index]) { return false }
        return true
    }

    /// The number of consecutive bytes of `byteClass` starting at `start` (at most `limit`).
    @inline(__always)
    static func runLength(_ line: UnsafeRawBufferPointer, from start: Int, of byteClass: ByteClass, limit: Int = .max) -> Int {
        var end = start
        while end < line.count, end - start < limit, byteClass.contains(line[end]) { end += 1 }
        return end - start
    }

    /// The number of consecutive bytes of `byteClass` ending just before `end` (at most `limit`).
    @inline(__always)
    static func runLength(_ line: UnsafeRawBufferPointer, endingAt end: Int, of byteClass: ByteClass, limit: Int = .max) -> Int {
        var start = end
        while start > 0, end - start < limit, byteClass.contains(line[start - 1]) { start -= 1 }
        return end - start
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }
}

/// A literal searched for in lines, with the byte `memchr` looks for: the one least common in log text.
struct Literal: Sendable, Hashable {
    let bytes: [UInt8]
    let anchor: Int

    /// - Parameter text: ASCII; for case-insensitive searches, give it in lowercase.
    init(_ text: String) {
        bytes = Array(text.utf8)
        precondition(!bytes.isEmpty, "an empty literal")
        var best = 0
        for index in bytes.indices where Literal.commonness(bytes[index]) < Literal.commonness(bytes[best]) {
            best = index
        }
        anchor = best
    }

    /// How often a byte appears in typical log lines, roughly: digits, spaces and the common letters everywhere;
    /// `z`, `q`, `x`, `j`, `k`, `v`, `w`, `y`, `b` and most punctuation rare.
    private static func commonness(_ byte: UInt8) -> Int {
        switch ByteScan.lowercased(byte) {
        case UInt8(ascii: " "), UInt8(ascii: "0")...UInt8(ascii: "9"): return 100
        case UInt8(ascii: "e"), UInt8(ascii: "t"), UInt8(ascii: "a"), UInt8(ascii: "o"), UInt8(ascii: "i"),
             UInt8(ascii: "n"), UInt8(ascii: "s"), UInt8(ascii: "r"): return 80
        case UInt8(ascii: "c"), UInt8(ascii: "l"), UInt8(ascii: "d"), UInt8(ascii: "m"), UInt8(ascii: "u"),
             UInt8(ascii: "p"), UInt8(ascii: "h"), UInt8(ascii: "g"): return 60
        case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"), UInt8(ascii: "/"): return 70
        case UInt8(ascii: "_"), UInt8(ascii: "="): return 55
        case UInt8(ascii: "f"), UInt8(ascii: "b"), UInt8(ascii: "y"), UInt8(ascii: "w"), UInt8(ascii: "v"): return 35
        case UInt8(ascii: "k"), UInt8(ascii: "j"), UInt8(ascii: "x"), UInt8(ascii: "q"), UInt8(ascii: "z"): return 20
        default: return 25
        }
    }

    @inline(__always)
    func matches(_ line: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        guard offset >= 0, offset + bytes.count <= line.count else { return false }
        for index in bytes.indices where line[offset + index] != bytes[index] { return false }
        return true
    }

    @inline(__always)
    func matchesIgnoringCase(_ line: UnsafeRawBufferPointer, at offset: Int) -> Bool {
        guard offset >= 0, offset + bytes.count <= line.count else { return false }
        for index in bytes.indices where ByteScan.lowercased(line[offset + index]) != bytes[index] { return false }
        return true
    }
}
