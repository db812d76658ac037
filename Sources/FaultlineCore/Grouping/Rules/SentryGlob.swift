/// A glob as Sentry's fingerprint rules and stack trace rules match it (Relay's globset-based `is_glob_match`).
///
/// The whole value must match. `*` and `?` are wildcards, `[abc]`, `[a-z]` and `[!abc]` character classes,
/// `{a,b}` alternatives; a backslash escapes the next character in plain globs. A pattern that does not parse
/// (an unbalanced `[` or `{`, nested braces) is kept and **never matches**, as in Sentry, rather than failing
/// the rule set.
///
/// Two kinds:
/// - ``Kind/plain(caseSensitive:)``: `*` matches anything, `/` and line breaks included.
/// - ``Kind/path``: for `path`, `package` and `release`. Backslashes become `/` in pattern and value; matching
///   ignores ASCII case; `*`, `?` and classes do not match `/`, `**` as a whole path component does
///   (`**/x`, `x/**`, `x/**/y`); a value that does not start with `/` is tried again with one in front.
///
/// ```swift
/// SentryGlob("**/node_modules/**", kind: .path).matches("/app/node_modules/express/router.js")  // true
/// SentryGlob("*Error", kind: .plain(caseSensitive: true)).matches("TypeError")                  // true
/// ```
public struct SentryGlob: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case plain(caseSensitive: Bool)
        case path
    }

    /// The pattern as written.
    public let source: String
    public let kind: Kind
    /// The pattern with its `{a,b}` alternatives expanded; `nil` when it does not parse: it never matches.
    private let alternatives: [Alternative]?

    public init(_ source: String, kind: Kind) {
        self.source = source
        self.kind = kind
        var parser = Parser(kind == .path ? source.replacingBackslashes() : source, kind: kind)
        self.alternatives = parser.parse().map { tokens in
            Self.expanded(tokens).map { Alternative(tokens: $0, isPath: kind == .path) }
        }
    }

    /// Whether the pattern parsed; an invalid one never matches.
    public var isValid: Bool { alternatives != nil }

    /// One brace-free form of the pattern, with what a match needs at its ends, checked before backtracking.
    private struct Alternative: Sendable, Hashable {
        let tokens: [Token]
        /// ASCII literal bytes the value must start and end with.
        let prefix: [UInt8]
        let suffix: [UInt8]
        /// The tokens after the prefix are one `*` (or `**`): the prefix check decides (and, for a path `*`,
        /// that no `/` follows).
        let isPrefixThenAnything: Bool
        /// Runs of ASCII literals between wildcards that the value must contain (`/node_modules/`).
        let innerLiterals: [[UInt8]]

        init(tokens: [Token], isPath: Bool) {
            self.tokens = tokens
            var prefix: [UInt8] = []
            var index = 0
            while index < tokens.count, case .literal(let scalar) = tokens[index], scalar.isASCII {
                prefix.append(UInt8(scalar.value))
                index += 1
            }
            self.prefix = prefix
            var suffix: [UInt8] = []
            var end = tokens.count
            while end > index, case .literal(let scalar) = tokens[end - 1], scalar.isASCII {
                suffix.insert(UInt8(scalar.value), at: 0)
                end -= 1
            }
            self.suffix = suffix
            isPrefixThenAnything = index == tokens.count - 1 && (tokens[index] == .star || tokens[index] == .anything)
            var runs: [[UInt8]] = []
            var run: [UInt8] = []
            for token in tokens[index..<end] {
                if case .literal(let scalar) = token, scalar.isASCII {
                    run.append(UInt8(scalar.value))
                } else {
                    if run.count >= 2 { runs.append(run) }
                    run = []
                }
            }
            if run.count >= 2 { runs.append(run) }
            innerLiterals = runs
        }
    }

    /// Brace alternatives multiplied out (`a{b,c}` → `ab`, `ac`), up to a bound; beyond it they stay as they are.
    private static func expanded(_ tokens: [Token]) -> [[Token]] {
        var results: [[Token]] = [[]]
        for token in tokens {
            guard case .alternatives(let choices) = token else {
                for index in results.indices { results[index].append(token) }
                continue
            }
            let choiceForms = choices.flatMap(expanded)
            guard results.count * choiceForms.count <= 64 else { return [tokens] }
            results = results.flatMap { head in choiceForms.map { head + $0 } }
        }
        return results
    }

    public var description: String { source }

    /// Whether the whole of `value` matches. Allocates nothing for the usual values (native strings without
    /// backslashes).
    public func matches(_ value: String) -> Bool {
        guard let alternatives else { return false }
        switch kind {
        case .plain(let caseSensitive):
            return Self.withUTF8(value) { bytes in
                alternatives.contains { alternative in
                    Matching(alternative: alternative, value: bytes, leadingSlash: false, foldCase: !caseSensitive,
                             isPath: false).run()
                }
            }
        case .path:
            let path = value.utf8.contains(UInt8(ascii: "\\")) ? value.replacingBackslashes() : value
            return Self.withUTF8(path) { bytes in
                alternatives.contains { alternative in
                    if Matching(alternative: alternative, value: bytes, leadingSlash: false, foldCase: true, isPath: true).run() {
                        return true
                    }
                    guard bytes.first != UInt8(ascii: "/") else { return false }
                    return Matching(alternative: alternative, value: bytes, leadingSlash: true, foldCase: true, isPath: true).run()
                }
            }
        }
    }

    private static func withUTF8<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        if let result = text.utf8.withContiguousStorageIfAvailable(body) { return result }
        var copy = text
        return copy.withUTF8(body)
    }

    // MARK: - Tokens

    fileprivate indirect enum Token: Sendable, Hashable {
        case literal(Unicode.Scalar)
        /// `?`: one character (not `/` in paths).
        case one
        /// `*`: any run of characters (without `/` in paths).
        case star
        /// `**` as a whole path component: any run of characters, `/` included.
        case anything
        /// `**/` at a component start: nothing, or any run of characters ending in `/`.
        case directories
        case characterClass(ranges: [ClosedRange<Unicode.Scalar>], negated: Bool)
        case alternatives([[Token]])
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        let isPath: Bool
        var position = 0

        init(_ text: String, kind: Kind) {
            scalars = Array(text.unicodeScalars)
            isPath = kind == .path
        }

        /// The tokens, or `nil` when the pattern is invalid.
        mutating func parse() -> [Token]? {
            parseSequence(insideBraces: false)
        }

        private mutating func parseSequence(insideBraces: Bool) -> [Token]? {
            var tokens: [Token] = []
            while position < scalars.count {
                let scalar = scalars[position]
                if insideBraces && (scalar == "," || scalar == "}") { return tokens }
                position += 1
                switch scalar {
                case "*":
                    var count = 1
                    while position < scalars.count && scalars[position] == "*" {
                        count += 1
                        position += 1
                    }
                    tokens.append(starToken(count: count, atComponentStart: tokens.last.map { $0 == .literal("/") } ?? true))
                case "?":
                    tokens.append(.one)
                case "[":
                    guard let token = parseClass() else { return nil }
                    tokens.append(token)
                case "{":
                    guard !insideBraces, let token = parseAlternatives() else { return nil }
                    tokens.append(token)
                case "\\" where !isPath:
                    guard position < scalars.count else { return nil }
                    tokens.append(.literal(scalars[position]))
                    position += 1
                default:
                    tokens.append(.literal(scalar))
                }
            }
            return insideBraces ? nil : tokens
        }

        /// `**` is special in paths only as a whole component; anywhere else it is `*`.
        private mutating func starToken(count: Int, atComponentStart: Bool) -> Token {
            guard isPath, count >= 2, atComponentStart else { return .star }
            if position == scalars.count { return .anything }
            if scalars[position] == "/" {
                position += 1
                return .directories
            }
            return .star
        }

        private mutating func parseClass() -> Token? {
            var negated = false
            if position < scalars.count && (scalars[position] == "!" || scalars[position] == "^") {
                negated = true
                position += 1
            }
            var ranges: [ClosedRange<Unicode.Scalar>] = []
            var first = true
            while position < scalars.count {
                let scalar = scalars[position]
                if scalar == "]" && !first {
                    position += 1
                    return .characterClass(ranges: ranges, negated: negated)
                }
                first = false
                position += 1
                if position + 1 < scalars.count && scalars[position] == "-" && scalars[position + 1] != "]" {
                    let upper = scalars[position + 1]
                    guard scalar <= upper else { return nil }
                    ranges.append(scalar...upper)
                    position += 2
                } else {
                    ranges.append(scalar...scalar)
                }
            }
            return nil  // unbalanced `[`
        }

        private mutating func parseAlternatives() -> Token? {
            var alternatives: [[Token]] = []
            while true {
                guard let sequence = parseSequence(insideBraces: true), position < scalars.count else { return nil }
                alternatives.append(sequence)
                let separator = scalars[position]
                position += 1
                if separator == "}" { return .alternatives(alternatives) }
            }
        }
    }

    // MARK: - Matching

    /// A backtracking match over the value's UTF-8 bytes; `?` and classes read one Unicode scalar.
    private struct Matching {
        let alternative: Alternative
        let value: UnsafeBufferPointer<UInt8>
        /// Match as if the value started with `/` (the path retry), without copying it.
        let leadingSlash: Bool
        let foldCase: Bool
        /// In paths, `*`, `?` and classes do not match `/`.
        let isPath: Bool

        private var count: Int { value.count + (leadingSlash ? 1 : 0) }

        private func byte(at index: Int) -> UInt8 {
            leadingSlash ? (index == 0 ? UInt8(ascii: "/") : value[index - 1]) : value[index]
        }

        func run() -> Bool {
            let prefix = alternative.prefix, suffix = alternative.suffix
            guard count >= prefix.count + suffix.count else { return false }
            for offset in prefix.indices where !same(byte(at: offset), prefix[offset]) { return false }
            let suffixStart = count - suffix.count
            for offset in suffix.indices where !same(byte(at: suffixStart + offset), suffix[offset]) { return false }
            if alternative.isPrefixThenAnything {
                // `prefix*`: in a path the star must not cross `/`; `prefix**` takes anything.
                guard isPath, alternative.tokens.last == .star else { return true }
                return !(prefix.count..<count).contains { byte(at: $0) == UInt8(ascii: "/") }
            }
            for literal in alternative.innerLiterals where !contains(literal, from: prefix.count, to: suffixStart) {
                return false
            }
            return match(alternative.tokens[prefix.count...], from: prefix.count)
        }

        /// Whether `needle` occurs within `start..<end` of the value (ASCII case folded when matching ignores case).
        private func contains(_ needle: [UInt8], from start: Int, to end: Int) -> Bool {
            guard end - start >= needle.count else { return false }
            var position = start
            while position + needle.count <= end {
                var offset = 0
                while offset < needle.count, same(byte(at: position + offset), needle[offset]) { offset += 1 }
                if offset == needle.count { return true }
                position += 1
            }
            return false
        }

        private func match(_ tokens: ArraySlice<Token>, from start: Int) -> Bool {
            var index = start
            var rest = tokens
            while let token = rest.first {
                rest = rest.dropFirst()
                switch token {
                case .literal(let expected) where expected.isASCII:
                    guard index < count, same(byte(at: index), UInt8(expected.value)) else { return false }
                    index += 1
                case .literal(let expected):
                    // A non-ASCII literal: compare its UTF-8 bytes.
                    for unit in UTF8.encode(expected)! {
                        guard index < count, same(byte(at: index), unit) else { return false }
                        index += 1
                    }
                case .one:
                    guard let (_, length) = scalar(at: index) else { return false }
                    index += length
                case .characterClass(let ranges, let negated):
                    guard let (scalar, length) = scalar(at: index) else { return false }
                    let inClass = ranges.contains { $0.contains(scalar) || (foldCase && $0.contains(Self.otherCase(scalar))) }
                    guard inClass != negated else { return false }
                    index += length
                case .star:
                    // Try the shortest run first; a path star stops at `/`.
                    var end = index
                    while true {
                        if match(rest, from: end) { return true }
                        guard end < count, !(isPath && byte(at: end) == UInt8(ascii: "/")) else { return false }
                        end += 1
                    }
                case .anything:
                    for end in index...count where match(rest, from: end) { return true }
                    return false
                case .directories:
                    if match(rest, from: index) { return true }
                    for end in index..<count where byte(at: end) == UInt8(ascii: "/") && match(rest, from: end + 1) { return true }
                    return false
                case .alternatives(let alternatives):
                    return alternatives.contains { match(ArraySlice($0 + rest), from: index) }
                }
            }
            return index == count
        }

        /// The scalar starting at `index` and its length in bytes; `nil` at the end, on `/` in paths.
        private func scalar(at index: Int) -> (Unicode.Scalar, Int)? {
            guard index < count else { return nil }
            let first = byte(at: index)
            if isPath && first == UInt8(ascii: "/") { return nil }
            guard first >= 0x80 else { return (Unicode.Scalar(first), 1) }
            let length = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : 2
            guard index + length <= count else { return (Unicode.Scalar(0xFFFD)!, 1) }
            var bytes: [UInt8] = []
            for offset in 0..<length { bytes.append(byte(at: index + offset)) }
            var iterator = bytes.makeIterator()
            var decoder = UTF8()
            if case .scalarValue(let scalar) = decoder.decode(&iterator) { return (scalar, length) }
            return (Unicode.Scalar(0xFFFD)!, 1)
        }

        private func same(_ actual: UInt8, _ expected: UInt8) -> Bool {
            actual == expected || (foldCase && Self.lowercased(actual) == Self.lowercased(expected))
        }

        /// ASCII-only case folding, as Sentry's globs fold case.
        private static func lowercased(_ byte: UInt8) -> UInt8 {
            byte >= 0x41 && byte <= 0x5A ? byte + 32 : byte
        }

        private static func otherCase(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
            if ("A"..."Z").contains(scalar) { return Unicode.Scalar(scalar.value + 32)! }
            if ("a"..."z").contains(scalar) { return Unicode.Scalar(scalar.value - 32)! }
            return scalar
        }
    }
}

extension String {
    fileprivate func replacingBackslashes() -> String {
        guard utf8.contains(UInt8(ascii: "\\")) else { return self }
        return String(decoding: utf8.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 }, as: UTF8.self)
    }
}
