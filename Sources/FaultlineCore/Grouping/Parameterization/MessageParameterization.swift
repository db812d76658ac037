/// Sentry's message parameterization, compiled: every pattern joined into one alternation, compiled once
/// per run and shared by every thread. Matching needs a ``MessageNormalizer`` per thread.
///
/// Behaviour, as Python's `re.sub` over Sentry's combined pattern (reference §7): the leftmost match wins;
/// at one position the **first** alternative that matches wins, not the longest; matches do not overlap;
/// each match becomes `<name>`; lookbehinds (the `=` before `quoted_str` and `bool`) stay in the text.
/// The pattern is compiled with `PCRE2_UTF | PCRE2_UCP | PCRE2_EXTENDED`, with `(*LF)` so that `.` stops at
/// `\n` only, as in Python.
public struct MessageParameterization: Sendable {
    /// What happens to the text an alternative matches.
    public enum Action: Sendable, Hashable {
        /// The match becomes the pattern's placeholder.
        case replace
        /// The match stays as written (a disabled placeholder, a kept status code).
        case keep
    }

    /// One alternative of the compiled pattern.
    public struct Alternative: Sendable, Hashable {
        public let pattern: ParameterizationPattern
        public let action: Action
    }

    /// Sentry's 17 patterns in Sentry's order: email, url, hostname, ip, traceparent, uuid, sha1, md5, date,
    /// duration, swift_txn_id, hex, git_sha, float, int, quoted_str, bool.
    public static let sentryPatterns: [ParameterizationPattern] = SentryParameterizationPatterns.all

    /// The placeholder names, in Sentry's order.
    public static let placeholderNames: [String] = sentryPatterns.map(\.name)

    /// The rule behind ``ParameterizationOptions/keepHTTPStatusCodes``, with its examples.
    public static let httpStatusPattern: ParameterizationPattern = HTTPStatusRule.pattern

    public let options: ParameterizationOptions
    /// The alternatives in matching order: Sentry's patterns, disabled ones kept in place with
    /// ``Action/keep``, and the status-code rule just before `int` when enabled.
    public let alternatives: [Alternative]
    /// The compiled alternation.
    public let pattern: Pattern
    /// The capture group of each alternative, by index.
    let groups: [Int]

    /// Compiles the patterns for `options`. Unknown disabled names are ignored (see
    /// ``ParameterizationOptions/validate()``).
    public init(options: ParameterizationOptions = .sentryCompatible) {
        var alternatives = Self.sentryPatterns.map { pattern in
            Alternative(pattern: pattern,
                        action: options.disabledPlaceholders.contains(pattern.name) ? .keep : .replace)
        }
        if options.keepHTTPStatusCodes, let int = alternatives.firstIndex(where: { $0.pattern.name == "int" }) {
            alternatives.insert(Alternative(pattern: Self.httpStatusPattern, action: .keep), at: int)
        }
        let source = "(*LF)" + alternatives.map { "(?<\($0.pattern.name)>\($0.pattern.source))" }
            .joined(separator: "\n|")
        let compiled: Pattern
        do {
            compiled = try Pattern(source, options: [.extended, .unicodeProperties])
        } catch {
            // The patterns are fixed data that the tests compile: failing here is a programming error.
            preconditionFailure("parameterization patterns do not compile: \(error)")
        }
        self.options = options
        self.alternatives = alternatives
        self.pattern = compiled
        self.groups = alternatives.map { compiled.captureNames[$0.pattern.name]! }
    }
}
