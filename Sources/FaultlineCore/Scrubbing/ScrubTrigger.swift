/// A cheap byte-level prefilter: a detector's PCRE2 pattern runs on a line only when its trigger fires.
///
/// Triggers may fire on lines the pattern then rejects (they are supersets), never the other way round: a
/// trigger that misses a line its pattern would match is a bug, and every rule's examples check it.
enum ScrubTrigger: Sendable, Hashable {
    /// Every line (custom rules: PCRE2's own start-of-match optimisations are the prefilter).
    case always
    /// A byte occurs (`memchr`).
    case byte(UInt8)
    /// One of these literals occurs, byte for byte.
    case literals([Literal])
    /// One of these words occurs in any ASCII letter case (give them in lowercase).
    case words([Literal])
    /// Four dot-separated runs of one to three digits (`10.0.0.1`).
    case dottedQuad
    /// `::`, or six colons between runs of at most four hex digits: the shapes of IPv6 text.
    case ipv6Shape
    /// At least `minimumDigits` digits in a row, single spaces or dashes allowed between them (card numbers).
    case digitRun(minimumDigits: Int)
    /// `ddd-dd-dddd`.
    case socialSecurityShape
    /// A run of at least `minimumLength` bytes of a class (IBANs, UUIDs, MAC addresses, phone numbers).
    case run(ByteClass, minimumLength: Int)
    /// A run of at least `minimumLength` token bytes (letters, digits, `_`, `-`) that starts, or continues after a
    /// `_` or `-`, with one of these prefixes: API keys.
    case tokenPrefix([Literal], minimumLength: Int)
    /// An `=` or `:` after a key whose name ends with a sensitive word (`password`, `api_key`, `sessionId`).
    case sensitiveAssignment

    /// Whether the line may hold a match.
    func fires(on line: UnsafeRawBufferPointer) -> Bool {
        switch self {
        case .always:
            return true
        case .byte(let byte):
            return ByteScan.find(byte, in: line) != nil
        case .literals(let literals):
            return literals.contains { ByteScan.find($0, in: line) != nil }
        case .words(let words):
            return words.contains { ByteScan.findIgnoringCase($0, in: line) != nil }
        case .dottedQuad:
            return Self.hasDottedQuad(line)
        case .ipv6Shape:
            return Self.hasIPv6Shape(line)
        case .digitRun(let minimumDigits):
            return Self.hasDigitRun(line, minimumDigits: minimumDigits)
        case .socialSecurityShape:
            return Self.hasSocialSecurityShape(line)
        case .run(let byteClass, let minimumLength):
            return ByteScan.findRun(of: byteClass, minimumLength: minimumLength, in: line) != nil
        case .tokenPrefix(let prefixes, let minimumLength):
            return Self.hasTokenPrefix(line, prefixes: prefixes, minimumLength: minimumLength)
        case .sensitiveAssignment:
            return SensitiveKeys.hasAssignment(line)
        }
    }

    private static func hasDottedQuad(_ line: UnsafeRawBufferPointer) -> Bool {
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
            if groups == 4 { return true }
        }
        return false
    }

    private static func hasIPv6Shape(_ line: UnsafeRawBufferPointer) -> Bool {
        var cursor = 0
        var chain = 0
        var previousColon = -2
        while let colon = ByteScan.find(UInt8(ascii: ":"), in: line, from: cursor) {
            if colon == previousColon + 1 { return true }  // "::"
            let between = colon - previousColon - 1
            if previousColon >= 0, between <= 4, ByteScan.all(line, (previousColon + 1)..<colon, in: .hexDigits) {
                chain += 1
                if chain >= 5 { return true }  // six colons joined by hex groups
            } else {
                chain = 0
            }
            previousColon = colon
            cursor = colon + 1
        }
        return false
    }

    private static let digitsAndSeparators = ByteClass(ranges: UInt8(ascii: "0")...UInt8(ascii: "9"), plus: " -")

    private static func hasDigitRun(_ line: UnsafeRawBufferPointer, minimumDigits: Int) -> Bool {
        var cursor = 0
        while let run = ByteScan.findRun(of: digitsAndSeparators, minimumLength: minimumDigits, in: line, from: cursor) {
            var digits = 0
            var previousWasSeparator = true
            for index in run {
                let isDigit = ByteClass.digits.contains(line[index])
                if isDigit {
                    digits += 1
                    if digits >= minimumDigits { return true }
                } else if previousWasSeparator {
                    digits = 0  // two separators in a row end a number
                }
                previousWasSeparator = !isDigit
            }
            cursor = run.upperBound
        }
        return false
    }

    private static func hasSocialSecurityShape(_ line: UnsafeRawBufferPointer) -> Bool {
        var cursor = 0
        while let dash = ByteScan.find(UInt8(ascii: "-"), in: line, from: cursor) {
            cursor = dash + 1
            guard dash >= 3, dash + 8 <= line.count, line[dash + 3] == UInt8(ascii: "-") else { continue }
            if ByteScan.all(line, (dash - 3)..<dash, in: .digits),
               ByteScan.all(line, (dash + 1)..<(dash + 3), in: .digits),
               ByteScan.all(line, (dash + 4)..<(dash + 8), in: .digits) {
                return true
            }
        }
        return false
    }

    private static func hasTokenPrefix(_ line: UnsafeRawBufferPointer, prefixes: [Literal], minimumLength: Int) -> Bool {
        var cursor = 0
        while let run = ByteScan.findRun(of: .tokenCharacters, minimumLength: minimumLength, in: line, from: cursor) {
            var start = run.lowerBound
            while start < run.upperBound {
                if prefixes.contains(where: { $0.matches(line, at: start) }) { return true }
                // Next candidate: just after the next `_` or `-` inside the run.
                var next = start + 1
                while next < run.upperBound, line[next - 1] != UInt8(ascii: "_"), line[next - 1] != UInt8(ascii: "-") {
                    next += 1
                }
                start = next
            }
            cursor = run.upperBound
        }
        return false
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
    private static let quotesAndSpaces = ByteClass(" \t\"'\\")

    /// Whether an `=` or `:` in the line follows a sensitive key name.
    static func hasAssignment(_ line: UnsafeRawBufferPointer) -> Bool {
        var nextEquals = ByteScan.find(UInt8(ascii: "="), in: line)
        var nextColon = ByteScan.find(UInt8(ascii: ":"), in: line)
        while true {
            let operatorOffset: Int
            switch (nextEquals, nextColon) {
            case (nil, nil): return false
            case (let equals?, nil): operatorOffset = equals
            case (nil, let colon?): operatorOffset = colon
            case (let equals?, let colon?): operatorOffset = min(equals, colon)
            }
            if keyBefore(operatorOffset, in: line) { return true }
            if operatorOffset == nextEquals { nextEquals = ByteScan.find(UInt8(ascii: "="), in: line, from: operatorOffset + 1) }
            if operatorOffset == nextColon { nextColon = ByteScan.find(UInt8(ascii: ":"), in: line, from: operatorOffset + 1) }
        }
    }

    /// Whether the key name just before `operatorOffset` (quotes and up to three spaces skipped) is sensitive.
    private static func keyBefore(_ operatorOffset: Int, in line: UnsafeRawBufferPointer) -> Bool {
        var end = operatorOffset
        var skipped = 0
        while end > 0, skipped < 4, quotesAndSpaces.contains(line[end - 1]) { end -= 1; skipped += 1 }
        guard end > 0, ByteClass.letters.contains(line[end - 1]) else { return false }  // digits: times, ports
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
            }
        }
        return withUnsafeBytes(of: &tail) { buffer in
            endings.contains { ending in
                guard ending.count <= length else { return false }
                let offset = 16 - ending.count
                for position in ending.indices where buffer[offset + position] != ending[position] { return false }
                return true
            }
        }
    }
}
