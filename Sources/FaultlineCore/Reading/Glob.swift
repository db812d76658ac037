/// A shell-style glob over `/`-separated paths.
///
/// - `*` matches any run of characters except `/`; `?` one character except `/`;
/// - `[abc]`, `[a-z]`, `[!abc]` / `[^abc]` match one character of (or not of) a set;
/// - `**` as a whole path component matches any number of components, including none;
/// - `\` escapes the next character.
///
/// A pattern without `/` matches the last path component only (`*.gz` excludes `logs/a/b.gz`),
/// as in `.gitignore`.
public struct Glob: Sendable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let bytes: [UInt8]
    private let matchesBaseNameOnly: Bool

    public init(_ pattern: String) {
        self.pattern = pattern
        self.bytes = Array(pattern.utf8)
        self.matchesBaseNameOnly = !pattern.contains("/")
    }

    public var description: String { pattern }

    /// Whether a string contains glob syntax, as opposed to being a literal path.
    public static func isPattern(_ text: String) -> Bool {
        text.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// Whether `path` matches. Leading `./` is ignored.
    public func matches(_ path: String) -> Bool {
        var subject = Substring(path)
        while subject.hasPrefix("./") { subject = subject.dropFirst(2) }
        if matchesBaseNameOnly, let slash = subject.lastIndex(of: "/") {
            subject = subject[subject.index(after: slash)...]
        }
        let text = Array(subject.utf8)
        return Self.match(bytes[...], text[...])
    }

    private static func match(_ pattern: ArraySlice<UInt8>, _ text: ArraySlice<UInt8>) -> Bool {
        var p = pattern.startIndex
        var t = text.startIndex
        while p < pattern.endIndex {
            let c = pattern[p]
            switch c {
            case UInt8(ascii: "*"):
                let isDoubleStar = p + 1 < pattern.endIndex && pattern[p + 1] == UInt8(ascii: "*")
                if isDoubleStar {
                    // `**/` matches zero or more whole components; a trailing `**` matches everything.
                    var rest = p + 2
                    if rest < pattern.endIndex && pattern[rest] == UInt8(ascii: "/") { rest += 1 }
                    if rest == pattern.endIndex { return true }
                    var start = t
                    while true {
                        if match(pattern[rest...], text[start...]) { return true }
                        guard let slash = text[start...].firstIndex(of: UInt8(ascii: "/")) else { return false }
                        start = slash + 1
                    }
                }
                let rest = p + 1
                var end = t
                while true {
                    if match(pattern[rest...], text[end...]) { return true }
                    guard end < text.endIndex, text[end] != UInt8(ascii: "/") else { return false }
                    end += 1
                }
            case UInt8(ascii: "?"):
                guard t < text.endIndex, text[t] != UInt8(ascii: "/") else { return false }
                p += 1
                t += 1
            case UInt8(ascii: "["):
                guard t < text.endIndex, let (matched, next) = matchClass(pattern, from: p, text[t]) else {
                    return false
                }
                guard matched else { return false }
                p = next
                t += 1
            default:
                var literal = c
                if c == UInt8(ascii: "\\"), p + 1 < pattern.endIndex {
                    p += 1
                    literal = pattern[p]
                }
                guard t < text.endIndex, text[t] == literal else { return false }
                p += 1
                t += 1
            }
        }
        return t == text.endIndex
    }

    /// Matches one byte against the class starting at `start` (`[`); returns whether it matched and the
    /// index after `]`, or `nil` for an unterminated class (which then matches nothing).
    private static func matchClass(_ pattern: ArraySlice<UInt8>, from start: Int, _ byte: UInt8) -> (Bool, Int)? {
        var index = start + 1
        var negated = false
        if index < pattern.endIndex, pattern[index] == UInt8(ascii: "!") || pattern[index] == UInt8(ascii: "^") {
            negated = true
            index += 1
        }
        var matched = false
        var first = true
        while index < pattern.endIndex {
            let c = pattern[index]
            if c == UInt8(ascii: "]") && !first { return (matched != negated && byte != UInt8(ascii: "/"), index + 1) }
            first = false
            if index + 2 < pattern.endIndex, pattern[index + 1] == UInt8(ascii: "-"), pattern[index + 2] != UInt8(ascii: "]") {
                if (c...pattern[index + 2]).contains(byte) { matched = true }
                index += 3
            } else {
                if c == byte { matched = true }
                index += 1
            }
        }
        return nil
    }
}
