/// One alternative of the combined parameterization pattern: a kind of variable value in a message
/// (`email`, `uuid`, `int`, …), what replaces it, and examples that drive the tests.
///
/// The sources are PCRE2 in extended mode (`PCRE2_EXTENDED`: whitespace is ignored outside character
/// classes) and are compiled with UTF and UCP, so `\d`, `\w` and `\b` are Unicode-aware as in Python's `re`.
/// Inner groups are non-capturing: the only capture group of an alternative is the named one that
/// ``MessageParameterization`` wraps around it.
public struct ParameterizationPattern: Sendable, Hashable, CustomStringConvertible {
    /// An input and what ``MessageNormalizer/parameterize(_:)`` makes of it, with the options under which
    /// the pattern is active (Sentry's defaults for Sentry's patterns).
    public struct Example: Sendable, Hashable {
        public let input: String
        public let output: String

        public init(_ input: String, _ output: String) {
            self.input = input
            self.output = output
        }
    }

    /// The group name, which is also the placeholder's text: `int` → `<int>`.
    public let name: String
    /// The PCRE2 source of the alternative (extended mode).
    public let source: String
    public let examples: [Example]

    public init(name: String, source: String, examples: [Example]) {
        self.name = name
        self.source = source
        self.examples = examples
    }

    /// What a match becomes: `<name>`.
    public var placeholder: String { "<\(name)>" }

    public var description: String { name }
}

/// Python's `str` regex classes where PCRE2 differs, written out so results match Sentry's byte for byte.
enum PythonClass {
    /// The members of Python's `\s` for `str` patterns (`str.isspace()`), for use inside `[...]`.
    ///
    /// PCRE2's UCP `\s` is `\p{Z}`, `\h` and `\v`: it lacks U+001C–U+001F, which Python counts as space, and
    /// has U+180E, which Python does not.
    static let spaceMembers =
        #"\t-\r\x1c-\x20\x85\xa0\x{1680}\x{2000}-\x{200a}\x{2028}\x{2029}\x{202f}\x{205f}\x{3000}"#
    /// Python's `\s`.
    static let space = "[\(spaceMembers)]"
    /// Python's `\S`.
    static let nonSpace = "[^\(spaceMembers)]"

    /// Whether `scalar` is white space for Python's `str.strip()` and `str.isspace()`.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
             0x3000:
            return true
        default:
            return false
        }
    }

    /// Whether `scalar` ends a line for Python's `str.splitlines()` (`\r\n` counts as one break).
    static func isLineBreak(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x1C...0x1E, 0x85, 0x2028, 0x2029: return true
        default: return false
        }
    }
}
