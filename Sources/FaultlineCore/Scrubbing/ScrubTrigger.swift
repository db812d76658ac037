/// A cheap byte-level prefilter: a detector's PCRE2 pattern runs on a line only when its trigger fires, and
/// starts where the trigger first fired (less the detector's ``ScrubDetector/lookback``).
///
/// Triggers may fire on lines the pattern then rejects (they are supersets), never the other way round: every
/// match of a detector's pattern holds an occurrence of its trigger, at most `lookback` bytes after the match's
/// start. Every rule's examples check it.
enum ScrubTrigger: Sendable, Hashable {
    /// Every line (custom rules: PCRE2's own start-of-match optimisations are the prefilter).
    case always
    /// A byte occurs (`memchr`).
    case byte(UInt8)
    /// One of these literals occurs, byte for byte.
    case literals([Literal])
    /// One of these words occurs in any ASCII letter case (give them in lowercase).
    case words([Literal])
    /// Four dot-separated runs of one to three digits (`10.0.0.1`); fires at the first digit.
    case dottedQuad
    /// `::`, or six colons between runs of at most four hex digits: the shapes of IPv6 text.
    case ipv6Shape
    /// At least `minimumDigits` digits in a row, single spaces or dashes allowed between them (card numbers);
    /// fires at the start of the run of digits, spaces and dashes.
    case digitRun(minimumDigits: Int)
    /// `ddd-dd-dddd`, at its first digit.
    case socialSecurityShape
    /// A run of at least `minimumLength` bytes of a class (IBANs, UUIDs, MAC addresses, phone numbers), at its start.
    case run(ByteClass, minimumLength: Int)
    /// A run of at least `minimumLength` token bytes (letters, digits, `_`, `-`) that starts, or continues after a
    /// `_` or `-`, with one of these prefixes: API keys. Fires where the prefix starts.
    case tokenPrefix(TokenPrefixes)
    /// A run of at least `minimumLength` value bytes (letters, digits, `+/_-`) that follows, after one to four of
    /// `` \t:=>"'(``, a word ending with one of these keywords (any case): a secret next to its name without an
    /// assignment (`api key 9fK2…`). Fires where the keyword starts.
    case keywordBeforeToken([Literal], minimumLength: Int)
    /// An `=` or `:` after a key whose name ends with a sensitive word (`password`, `api_key`, `sessionId`); fires
    /// at the start of the key's name.
    case sensitiveAssignment

    /// Where the trigger first fires in the line, or `nil` when the line cannot hold a match.
    func firstOccurrence(in line: UnsafeRawBufferPointer) -> Int? {
        switch self {
        case .always:
            return 0
        case .byte(let byte):
            return ByteScan.find(byte, in: line)
        case .literals(let literals):
            return Self.earliest(literals) { ByteScan.find($0, in: line) }
        case .words(let words):
            return Self.earliest(words) { ByteScan.findIgnoringCase($0, in: line) }
        case .dottedQuad:
            return Self.firstDottedQuad(line)
        case .ipv6Shape:
            return Self.firstIPv6Shape(line)
        case .digitRun(let minimumDigits):
            return Self.firstDigitRun(line, minimumDigits: minimumDigits)
        case .socialSecurityShape:
            return Self.firstSocialSecurityShape(line)
        case .run(let byteClass, let minimumLength):
            return ByteScan.findRun(of: byteClass, minimumLength: minimumLength, in: line)?.lowerBound
        case .tokenPrefix(let prefixes):
            return prefixes.firstOccurrence(in: line)
        case .keywordBeforeToken(let keywords, let minimumLength):
            return Self.firstKeywordBeforeToken(line, keywords: keywords, minimumLength: minimumLength)
        case .sensitiveAssignment:
            return SensitiveKeys.firstAssignment(line)
        }
    }

    /// Whether the line may hold a match.
    func fires(on line: UnsafeRawBufferPointer) -> Bool {
        firstOccurrence(in: line) != nil
    }

    private static func earliest(_ needles: [Literal], _ find: (Literal) -> Int?) -> Int? {
        var best: Int? = nil
        for needle in needles {
            if let found = find(needle), found < (best ?? .max) { best = found }
        }
        return best
    }

    private static func firstDottedQuad(_ line: UnsafeRawBufferPointer) -> Int? {
        var cursor = 0
        while let dot = ByteScan.find(UInt8(ascii: "."), in: line, from: cursor) {
            cursor = dot + 1
            let leading = ByteScan.runLength(line, endingAt: dot, of: .digits, limit: 4)
            guard leading >= 1, leading <= 3 else { continue }
            var position = dot + 1
            var groups = 1
            while groups < 4 {
                let digits = ByteScan.runLength(line, from: position, of: .digits, limit: 4)
                guard digits >= 1, digits <= 3 else { break }
                position += digits
                groups += 1
                if groups < 4 {
                    guard position < line.count, line[position] == UInt8(ascii: ".") else { break }
                    position += 1
                }
            }
            if groups == 4 { return dot - leading }
        }
        return nil
    }

    private static func firstIPv6Shape(_ line: UnsafeRawBufferPointer) -> Int? {
        var cursor = 0
        var chain = 0
        var chainStart = 0
        var previousColon = -2
        while let colon = ByteScan.find(UInt8(ascii: ":"), in: line, from: cursor) {
            if colon == previousColon + 1 { return previousColon }  // "::"
            let between = colon - previousColon - 1
            if previousColon >= 0, between <= 4, ByteScan.all(line, (previousColon + 1)..<colon, in: .hexDigits) {
                if chain == 0 { chainStart = previousColon }
                chain += 1
                // Six colons joined by hex groups: fires at the first, where the dispatch's check fires too.
                if chain >= 5 { return chainStart }
            } else {
                chain = 0
            }
            previousColon = colon
            cursor = colon + 1
        }
        return nil
    }

    static let valueCharacters = ByteClass(ranges: UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                                                  UInt8(ascii: "0")...UInt8(ascii: "9"), plus: "+/_-")
    static let keywordSeparators = ByteClass(" \t:=>\"'(")

    private static func firstKeywordBeforeToken(_ line: UnsafeRawBufferPointer, keywords: [Literal], minimumLength: Int) -> Int? {
        var cursor = 0
        while let run = ByteScan.findRun(of: valueCharacters, minimumLength: minimumLength, in: line, from: cursor) {
            cursor = run.upperBound
            let separators = ByteScan.runLength(line, endingAt: run.lowerBound, of: keywordSeparators, limit: 5)
            guard separators >= 1, separators <= 4 else { continue }
            let end = run.lowerBound - separators
            for keyword in keywords {
                let start = end - keyword.bytes.count
                if keyword.matchesIgnoringCase(line, at: start),
                   start == 0 || !ByteClass.alphanumerics.contains(line[start - 1]) {
                    return start
                }
            }
        }
        return nil
    }

    private static let digitsAndSeparators = ByteClass(ranges: UInt8(ascii: "0")...UInt8(ascii: "9"), plus: " -")

    private static func firstDigitRun(_ line: UnsafeRawBufferPointer, minimumDigits: Int) -> Int? {
        var cursor = 0
        while let run = ByteScan.findRun(of: digitsAndSeparators, minimumLength: minimumDigits, in: line, from: cursor) {
            var digits = 0
            var previousWasSeparator = true
            for index in run {
                let isDigit = ByteClass.digits.contains(line[index])
                if isDigit {
                    digits += 1
                    if digits >= minimumDigits { return run.lowerBound }
                } else if previousWasSeparator {
                    digits = 0  // two separators in a row end a number
                }
                previousWasSeparator = !isDigit
            }
            cursor = run.upperBound
        }
        return nil
    }

    private static func firstSocialSecurityShape(_ line: UnsafeRawBufferPointer) -> Int? {
        var cursor = 0
        while let dash = ByteScan.find(UInt8(ascii: "-"), in: line, from: cursor) {
            cursor = dash + 1
            guard dash >= 3, dash + 8 <= line.count, line[dash + 3] == UInt8(ascii: "-") else { continue }
            if ByteScan.all(line, (dash - 3)..<dash, in: .digits),
               ByteScan.all(line, (dash + 1)..<(dash + 3), in: .digits),
               ByteScan.all(line, (dash + 4)..<(dash + 8), in: .digits) {
                return dash - 3
            }
        }
        return nil
    }
}

/// The prefixes of ``ScrubTrigger/tokenPrefix(_:)``, found by `memchr` for a few anchor bytes: each prefix's first
/// `_` or `-` (`ghp_`, `xoxb-`, `sk_live_`), or its first byte when it has none (`AKIA`, `AIza`).
final class TokenPrefixes: @unchecked Sendable, Hashable {
    // @unchecked: `pairBits` is written in `init` only, then read.
    let literals: [Literal]
    let minimumLength: Int
    /// One bit per pair of bytes in ``neighbours``, for a reject without touching an array.
    private let pairBits: UnsafeMutableBufferPointer<UInt64>
    /// The distinct anchor bytes, and per anchor the prefixes anchored on it with the anchor's index in each.
    private let anchorBytes: [UInt8]
    private let anchored: [[(literal: Literal, offset: Int)]]
    /// Per anchor: the two bytes before it (or after it, for prefixes anchored on their first byte) in any of its
    /// prefixes, as `first << 8 | second`: a hit whose neighbours are none of these is dropped at once.
    private let neighbours: [[UInt16]]

    init(_ prefixes: [String], minimumLength: Int) {
        literals = prefixes.map(Literal.init)
        self.minimumLength = minimumLength
        var anchorBytes: [UInt8] = []
        var anchored: [[(literal: Literal, offset: Int)]] = []
        for literal in literals {
            let offset = literal.bytes.firstIndex { $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") } ?? 0
            let byte = literal.bytes[offset]
            if let index = anchorBytes.firstIndex(of: byte) {
                anchored[index].append((literal, offset))
            } else {
                anchorBytes.append(byte)
                anchored.append([(literal, offset)])
            }
        }
        self.anchorBytes = anchorBytes
        self.anchored = anchored
        neighbours = anchored.map { prefixes in
            prefixes.map { literal, offset in
                let pair = offset >= 2 ? (offset - 2, offset - 1) : (offset + 1, offset + 2)
                return UInt16(literal.bytes[pair.0]) << 8 | UInt16(literal.bytes[pair.1])
            }
        }
        pairBits = .allocate(capacity: 1024)
        pairBits.initialize(repeating: 0)
        for pair in neighbours.joined() { pairBits[Int(pair >> 6)] |= 1 << UInt64(pair & 63) }
    }

    deinit { pairBits.deallocate() }

    static func == (lhs: TokenPrefixes, rhs: TokenPrefixes) -> Bool {
        lhs.literals == rhs.literals && lhs.minimumLength == rhs.minimumLength
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(literals)
        hasher.combine(minimumLength)
    }

    /// Whether a prefix's token starts around an anchor byte at `hit`; returns the token's start.
    func check(_ line: UnsafeRawBufferPointer, at hit: Int) -> Int? {
        let anchor = line[hit]
        // Whichever group the anchor is in, the two bytes before it (or after it) must be a pair some prefix has there.
        func isKnownPair(at start: Int) -> Bool {
            guard start >= 0, start + 2 <= line.count else { return false }
            let pair = Int(line[start]) << 8 | Int(line[start + 1])
            return (pairBits[pair >> 6] >> UInt64(pair & 63)) & 1 == 1
        }
        guard isKnownPair(at: hit - 2) || isKnownPair(at: hit + 1) else { return nil }
        var found: Int? = nil
        for index in anchorBytes.indices where anchorBytes[index] == anchor { found = index }
        guard let group = found else { return nil }
        let isFirstByte = anchored[group][0].offset == 0
        let pairStart = isFirstByte ? hit + 1 : hit - 2
        guard pairStart >= 0, pairStart + 2 <= line.count else { return nil }
        let pair = UInt16(line[pairStart]) << 8 | UInt16(line[pairStart + 1])
        guard neighbours[group].contains(pair) else { return nil }
        for (literal, offset) in anchored[group] {
            let start = hit - offset
            if start >= 0, literal.matches(line, at: start),
               start == 0 || !ByteClass.alphanumerics.contains(line[start - 1]),
               ByteScan.runLength(line, from: start, of: .tokenCharacters, limit: minimumLength) == minimumLength {
                return start
            }
        }
        return nil
    }

    /// What ``check(_:at:)`` needs next to `anchor` to find a prefix there: the bytes around it in the prefixes
    /// anchored on it.
    func neighbourFilter(at anchor: UInt8) -> NeighbourFilter {
        guard let group = anchorBytes.lastIndex(of: anchor) else { return .none }
        return .around(anchored[group].map { ($0.literal.bytes, $0.offset) }, ignoringCase: false)
    }

    /// The bytes ``check(_:at:)`` is called at.
    var anchors: ByteClass { ByteClass(String(decoding: anchorBytes, as: UTF8.self)) }

    /// How far after a token's start its anchor byte may be.
    var slack: Int { anchored.flatMap { $0.map(\.offset) }.max() ?? 0 }

    /// Where the first token begins that starts with one of the prefixes, after a byte that is no letter or digit,
    /// and has at least `minimumLength` token bytes.
    func firstOccurrence(in line: UnsafeRawBufferPointer) -> Int? {
        var best = Int.max
        for group in anchorBytes.indices {
            let anchor = anchorBytes[group]
            let isFirstByte = anchored[group][0].offset == 0
            var cursor = 0
            search: while let hit = ByteScan.find(anchor, in: line, from: cursor), hit < best {
                cursor = hit + 1
                let pairStart = isFirstByte ? hit + 1 : hit - 2
                guard pairStart >= 0, pairStart + 2 <= line.count else { continue }
                let pair = UInt16(line[pairStart]) << 8 | UInt16(line[pairStart + 1])
                guard neighbours[group].contains(pair) else { continue }
                for (literal, offset) in anchored[group] {
                    let start = hit - offset
                    guard start >= 0, literal.matches(line, at: start),
                          start == 0 || !ByteClass.alphanumerics.contains(line[start - 1]),
                          ByteScan.runLength(line, from: start, of: .tokenCharacters, limit: minimumLength) == minimumLength
                    else { continue }
                    best = min(best, start)
                    break search
                }
            }
        }
        return best == .max ? nil : best
    }
}

/// The key names whose values `@password` replaces, as the trigger sees them: a key is sensitive when its name,
/// lowercased and without `_`, `-` and `.`, ends with one of these words. The rule's pattern then decides
/// exactly (word boundaries, `token_count` is not a token).
enum SensitiveKeys {
    static let endings: [[UInt8]] = [
        "password", "passwd", "passphrase", "pwd", "secret", "token", "apikey", "auth", "credential", "credentials",
        "privatekey", "secretkey", "accesskey", "session", "sessionid", "sessionkey", "sessid", "sid", "cookie", "otp",
    ].map { Array($0.utf8) }

    private static let keyCharacters = ByteClass(ranges: UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                                                 UInt8(ascii: "0")...UInt8(ascii: "9"), plus: "_-.")
    private static let separators = ByteClass("_-.")
    /// The last letters of ``endings``, in both cases: keys ending otherwise are rejected at once.
    private static let lastLetters = ByteClass("dehlnpstyDEHLNPSTY")
    private static let quotesAndSpaces = ByteClass(" \t\"'\\")

    /// The last two letters of each of ``endings``: bit `first << 8 | second` of 65,536.
    private static let lastPairs: [UInt64] = {
        var bits = [UInt64](repeating: 0, count: 1024)
        for ending in endings {
            let pair = Int(ending[ending.count - 2]) << 8 | Int(ending[ending.count - 1])
            bits[pair >> 6] |= 1 << UInt64(pair & 63)
        }
        return bits
    }()

    /// ``keyBefore(_:in:)`` needs a quote, a space or a key's last letter just before the operator.
    static let neighbourFilter = NeighbourFilter(previous: ByteClass(bytes: (0...255).map(UInt8.init).filter {
        quotesAndSpaces.contains($0) || lastLetters.contains($0)
    }), next: .all, either: false)

    /// The start of the first key name with a sensitive ending that an `=` or `:` follows.
    static func firstAssignment(_ line: UnsafeRawBufferPointer) -> Int? {
        var nextEquals = ByteScan.find(UInt8(ascii: "="), in: line)
        var nextColon = ByteScan.find(UInt8(ascii: ":"), in: line)
        while true {
            let operatorOffset: Int
            switch (nextEquals, nextColon) {
            case (nil, nil): return nil
            case (let equals?, nil): operatorOffset = equals
            case (nil, let colon?): operatorOffset = colon
            case (let equals?, let colon?): operatorOffset = min(equals, colon)
            }
            if let keyStart = keyBefore(operatorOffset, in: line) { return keyStart }
            if operatorOffset == nextEquals { nextEquals = ByteScan.find(UInt8(ascii: "="), in: line, from: operatorOffset + 1) }
            if operatorOffset == nextColon { nextColon = ByteScan.find(UInt8(ascii: ":"), in: line, from: operatorOffset + 1) }
        }
    }

    /// The start of the key name just before `operatorOffset` (quotes and up to three spaces skipped) when the name
    /// is sensitive.
    static func keyBefore(_ operatorOffset: Int, in line: UnsafeRawBufferPointer) -> Int? {
        var end = operatorOffset
        var skipped = 0
        while end > 0, skipped < 4, quotesAndSpaces.contains(line[end - 1]) { end -= 1; skipped += 1 }
        guard end > 0, lastLetters.contains(line[end - 1]) else { return nil }  // digits: times, ports
        // The key's last letters, lowercased, separators dropped, right-aligned in a small buffer.
        var tail: (UInt64, UInt64) = (0, 0)
        var length = 0
        var index = end
        withUnsafeMutableBytes(of: &tail) { buffer in
            while index > 0, length < 16, keyCharacters.contains(line[index - 1]) {
                index -= 1
                let byte = line[index]
                if separators.contains(byte) { continue }
                length += 1
                buffer[16 - length] = ByteScan.lowercased(byte)
                // Every ending is three letters or more: its last two must be the key's.
                if length == 2 {
                    let pair = Int(buffer[14]) << 8 | Int(buffer[15])
                    if (lastPairs[pair >> 6] >> UInt64(pair & 63)) & 1 == 0 { length = 0; return }
                }
            }
        }
        guard length > 2 else { return nil }
        let isSensitive = withUnsafeBytes(of: &tail) { buffer in
            endings.contains { ending in
                guard ending.count <= length else { return false }
                let offset = 16 - ending.count
                for position in ending.indices where buffer[offset + position] != ending[position] { return false }
                return true
            }
        }
        guard isSensitive else { return nil }
        return end - ByteScan.runLength(line, endingAt: end, of: keyCharacters, limit: 64)
    }
}
