@available(*, unavailable, message: "a MessageNormalizer holds a Matcher; create one per thread")
extension MessageNormalizer: Sendable {}

/// Normalizes messages and exception values for grouping as Sentry's `normalize_message` does: the first two
/// non-blank lines, then parameterization (reference §7).
///
/// Holds the ``Matcher`` for a ``MessageParameterization``, so it belongs to one thread: create one per
/// task from the shared parameterization and reuse it for every message.
///
/// ```swift
/// let parameterization = MessageParameterization()          // once per run
/// let normalizer = MessageNormalizer(parameterization)      // once per task
/// normalizer.normalize("user 42 not found\n  at …\n  at …") // "user <int> not found\n  at …..."
/// ```
public final class MessageNormalizer {
    public let parameterization: MessageParameterization
    private let matcher: Matcher
    /// The placeholder text of each alternative, `nil` for alternatives whose matches stay.
    private let replacements: [[UInt8]?]
    /// How many texts hit a PCRE2 resource limit; the part after the failing position stayed as written.
    public private(set) var resourceLimitHits = 0

    public init(_ parameterization: MessageParameterization) {
        self.parameterization = parameterization
        // No Sentry pattern backtracks catastrophically, but long lines need many match steps; the limits
        // only guard against the unforeseen.
        self.matcher = Matcher(parameterization.pattern, limits: MatchLimits(
            matchLimit: 100_000_000, depthLimit: 100_000, heapLimitKiB: 256 * 1024, jitStackBytes: 64 << 20))
        self.replacements = parameterization.alternatives.map { alternative in
            alternative.action == .replace ? Array(alternative.pattern.placeholder.utf8) : nil
        }
    }

    /// Sentry's `normalize_message`: trims to two lines, then parameterizes.
    public func normalize(_ message: String) -> String {
        parameterize(Self.trimmedToTwoLines(message))
    }

    /// Replaces each variable value in `text` with its placeholder (`user 42` → `user <int>`).
    public func parameterize(_ text: String) -> String {
        var subject = text
        return subject.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            var output: [UInt8] = []
            var copied = 0
            do {
                try matcher.forEachMatch(in: bytes) { match in
                    guard let replacement = replacement(for: match) else { return true }
                    if output.isEmpty { output.reserveCapacity(bytes.count) }
                    output.append(contentsOf: bytes[copied..<match.range.lowerBound])
                    output.append(contentsOf: replacement)
                    copied = match.range.upperBound
                    return true
                }
            } catch {
                resourceLimitHits += 1
            }
            guard copied > 0 else { return text }
            output.append(contentsOf: bytes[copied...])
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// The placeholder for the alternative that matched, or `nil` when its matches stay.
    private func replacement(for match: Match) -> [UInt8]? {
        for (index, group) in parameterization.groups.enumerated() where match[group] != nil {
            return replacements[index]
        }
        return nil
    }

    /// The first two non-blank lines joined with `\n`, and `...` after them when that differs from `text`.
    ///
    /// Lines are split as Python's `str.splitlines()` splits them: at `\n`, `\r`, `\r\n`, `\v`, `\f`,
    /// U+001C–U+001E, U+0085, U+2028 and U+2029. A line is blank when it is empty or all white space
    /// (Python's `str.isspace()`). Other white space is kept. So a trailing newline, or a `\r\n` anywhere,
    /// adds `...`.
    public static func trimmedToTwoLines(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var lines: [Substring.UnicodeScalarView] = []
        var lineStart = scalars.startIndex
        var index = lineStart
        while index != scalars.endIndex, lines.count < 2 {
            let scalar = scalars[index]
            guard PythonClass.isLineBreak(scalar) else {
                index = scalars.index(after: index)
                continue
            }
            let line = scalars[lineStart..<index]
            if !line.allSatisfy(PythonClass.isSpace) { lines.append(line) }
            index = scalars.index(after: index)
            if scalar == "\r", index != scalars.endIndex, scalars[index] == "\n" { index = scalars.index(after: index) }
            lineStart = index
        }
        if lines.count < 2, lineStart != scalars.endIndex {
            let line = scalars[lineStart...]
            if !line.allSatisfy(PythonClass.isSpace) { lines.append(line) }
        }
        var trimmed = String.UnicodeScalarView()
        for (number, line) in lines.enumerated() {
            if number > 0 { trimmed.append("\n") }
            trimmed.append(contentsOf: line)
        }
        if trimmed.elementsEqual(scalars) { return text }
        return String(trimmed) + "..."
    }
}
