/// A fingerprint rule set Sentry would refuse, worded as Sentry words it.
///
/// ```swift
/// do { _ = try FingerprintRules(parsing: "type:Foo\t-> x") }
/// catch { error.message }  // Invalid syntax near "\t-> x" (line 1, column 9)
/// ```
public struct FingerprintRuleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong.
    public enum Reason: Sendable, Hashable {
        /// The text does not follow the grammar from here (`near` is up to 32 characters of it, `...` after).
        case invalidSyntax(near: String)
        /// A matcher key that is neither a matcher, an alias nor `tags.<name>`.
        case unknownMatcher(String)
        /// An attribute other than `title`.
        case unknownAttribute(String)
        /// A backslash escape Python's `unicode-escape` codec refuses (`\x4`, `\N{NO SUCH NAME}`). Sentry fails
        /// with an internal error here; this names the escape instead.
        case invalidEscape(String)
        /// The JSON form is not `{"version":1,"rules":[…]}` (or a bare array of rules).
        case invalidJSON(String)
    }

    public var reason: Reason
    /// 1-based line of the text form; `nil` for the JSON form, which has no lines.
    public var line: Int?
    /// 1-based column, counted in Unicode scalars as Python counts characters; `nil` for the JSON form.
    public var column: Int?

    public init(_ reason: Reason, line: Int?, column: Int?) {
        self.reason = reason
        self.line = line
        self.column = column
    }

    /// Sentry's message. Only syntax errors carry the position in the text, as in Sentry; the others have it in
    /// ``line`` and ``column``.
    public var message: String {
        switch reason {
        case .invalidSyntax(let near):
            return "Invalid syntax near \"\(near)\" (line \(line ?? 0), column \(column ?? 0))"
        case .unknownMatcher(let key):
            return "Unknown matcher '\(key)'"
        case .unknownAttribute(let key):
            return "Unknown attribute '\(key)'"
        case .invalidEscape(let escape):
            return "Invalid escape '\(escape)'"
        case .invalidJSON(let detail):
            return "invalid fingerprinting config: \(detail)"
        }
    }

    public var description: String {
        switch reason {
        case .invalidSyntax, .invalidJSON: return message
        default: return line.map { "\(message) (line \($0), column \(column ?? 0))" } ?? message
        }
    }
}
