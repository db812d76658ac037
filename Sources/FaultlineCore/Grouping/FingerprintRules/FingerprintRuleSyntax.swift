/// The text form of fingerprint rules, as Sentry's parser reads it (reference §8.1; a parsimonious PEG,
/// restated here and parsed by hand with the same ordered choices and the same lack of backtracking):
///
/// ```
/// rules     := line*                                     (stops at a line that consumes nothing)
/// line      := SP* (comment | rule | ε) NL?              NL := [\r\n]   SP := " " only
/// comment   := "#" [^\r\n]*
/// rule      := SP* matcher+ SP* "->" SP* fp_value+
/// matcher   := SP* "!"? key ":" arg
/// key       := [a-zA-Z0-9_.-]+  |  '"' [a-zA-Z0-9_.:-]+ '"'
/// arg       := QUOTED | \S+
/// fp_value  := SP* (attr | QUOTED | UNQ_NC) SP* ","?
/// attr      := key "=" QUOTED                             (only `title`)
/// UNQ_NC    := "{{" \s* \S+ \s* "}}" | [^\s{,]+
/// QUOTED    := '"' ([^"\\] | "\\" [^\n])* '"'             (unescaped as Python's unicode-escape reads it)
/// ```
///
/// Consequences worth knowing, all Sentry's: a TAB is not a blank (the line stops there and is an error);
/// `#` after a rule is a fingerprint value, not a comment; `logger-{{ logger }}` is two values; an unquoted
/// argument runs to the next blank (`message:a->b` has no arrow); an unterminated quote is an unquoted
/// argument that starts with `"`; `title=x` without quotes is the literal value `title=x`.
///
/// A text that stops matching fails with `Invalid syntax near "<up to 32 characters>..." (line L, column C)`,
/// the position being where the last whole line ended. Keys and attributes are checked after a successful
/// parse, in order: `Unknown matcher 'foo'`, `Unknown attribute 'foo'`.
///
/// ``examples`` are the grammar's documentation and its tests.
public enum FingerprintRuleSyntax {
    /// Parses rules; errors are Sentry's.
    static func parse(_ text: String) throws(FingerprintRuleError) -> [FingerprintRule] {
        var parser = Parser(Array(text.unicodeScalars))
        let raw = parser.rules()
        if parser.position < parser.scalars.count {
            throw parser.syntaxError()
        }
        return try raw.map { rule throws(FingerprintRuleError) in try parser.rule(from: rule) }
    }

    // MARK: - Examples

    /// A rule in Sentry's JSON shape: matchers as `[key, pattern]` (canonical key, `!` in front when negated).
    public struct ExpectedRule: Sendable, Hashable {
        public var matchers: [[String]]
        public var fingerprint: [String]
        public var title: String?

        public init(_ matchers: [[String]], _ fingerprint: [String], title: String? = nil) {
            self.matchers = matchers
            self.fingerprint = fingerprint
            self.title = title
        }
    }

    /// Rule text with the rules it gives, or the error message it fails with.
    public struct Example: Sendable {
        public var name: String
        public var text: String
        public var rules: [ExpectedRule]
        /// Sentry's error message, when the text is refused.
        public var error: String?

        public init(_ name: String, _ text: String, _ rules: [ExpectedRule]) {
            self.name = name
            self.text = text
            self.rules = rules
        }

        public init(_ name: String, _ text: String, error: String) {
            self.name = name
            self.text = text
            self.rules = []
            self.error = error
        }
    }

    public static let examples: [Example] = [
        Example("one matcher", "type:DatabaseUnavailable -> DatabaseUnavailable",
                [ExpectedRule([["type", "DatabaseUnavailable"]], ["DatabaseUnavailable"])]),
        Example("two matchers, two values", "function:assertion_failed module:foo -> AssertionFailed, foo",
                [ExpectedRule([["function", "assertion_failed"], ["module", "foo"]], ["AssertionFailed", "foo"])]),
        Example("aliases become canonical keys",
                "error.type:A error.value:b stack.function:f stack.module:m stack.abs_path:p stack.package:k -> x",
                [ExpectedRule([["type", "A"], ["value", "b"], ["function", "f"], ["module", "m"], ["path", "p"],
                               ["package", "k"]], ["x"])]),
        Example("every other key", "message:m logger:l level:error tags.server_name:web-* app:yes family:javascript,native sdk:sentry.javascript.react release:1.* -> x",
                [ExpectedRule([["message", "m"], ["logger", "l"], ["level", "error"], ["tags.server_name", "web-*"],
                               ["app", "yes"], ["family", "javascript,native"], ["sdk", "sentry.javascript.react"],
                               ["release", "1.*"]], ["x"])]),
        Example("negation", "!path:**/foo/** -> everything",
                [ExpectedRule([["!path", "**/foo/**"]], ["everything"])]),
        Example("quoted key, negated", #"!"path":**/foo/** -> everything"#,
                [ExpectedRule([["!path", "**/foo/**"]], ["everything"])]),
        Example("quoted key with a colon", #""tags.a:b":x -> y"#,
                [ExpectedRule([["tags.a:b", "x"]], ["y"])]),
        Example("automatic splitting", "logger:sentry.* -> logger-{{ logger }}",
                [ExpectedRule([["logger", "sentry.*"]], ["logger-", "{{ logger }}"])]),
        Example("splitting by comma", "logger:sentry.* -> logger-, {{ logger }}",
                [ExpectedRule([["logger", "sentry.*"]], ["logger-", "{{ logger }}"])]),
        Example("variable then text", "type:A -> {{ error.type }}-x",
                [ExpectedRule([["type", "A"]], ["{{ error.type }}", "-x"])]),
        Example("a variable runs to its last closing braces", "type:A -> {{a}}{{b}}",
                [ExpectedRule([["type", "A"]], ["{{a}}{{b}}"])]),
        Example("title", #"logger:sentry.* -> logger-{{ logger }}, title="Message from {{ logger }}""#,
                [ExpectedRule([["logger", "sentry.*"]], ["logger-", "{{ logger }}"], title: "Message from {{ logger }}")]),
        Example("title anywhere among the values", #"type:A -> title="T" a"#,
                [ExpectedRule([["type", "A"]], ["a"], title: "T")]),
        Example("unquoted title is a value", "type:A -> title=T",
                [ExpectedRule([["type", "A"]], ["title=T"])]),
        Example("quoted pattern and value", #"message:"hello world" -> "a value, with comma""#,
                [ExpectedRule([["message", "hello world"]], ["a value, with comma"])]),
        Example("backslash escapes", #"message:"\\x\\xff" -> stuff"#,
                [ExpectedRule([["message", #"\x\xff"#]], ["stuff"])]),
        Example("escaped quotes", #"message:"say \"hi\"" -> "q\"uote""#,
                [ExpectedRule([["message", #"say "hi""#]], [#"q"uote"#])]),
        Example("Python escapes", #"message:"caf\u00e9\t\x41\101\q" -> x"#,
                [ExpectedRule([["message", "caf\u{e9}\tAA\\q"]], ["x"])]),
        Example("a character by name", #"message:"\N{BULLET} item" -> x"#,
                [ExpectedRule([["message", "\u{2022} item"]], ["x"])]),
        Example("a backslash before non-ASCII escapes its \\x form (Python quirk)", #"message:"\é" -> x"#,
                [ExpectedRule([["message", #"\xe9"#]], ["x"])]),
        Example("a quoted argument may span lines", "message:\"a\nb\" -> x",
                [ExpectedRule([["message", "a\nb"]], ["x"])]),
        Example("non-ASCII text", #"message:"café ☕" -> "naïve""#,
                [ExpectedRule([["message", "café ☕"]], ["naïve"])]),
        Example("{{default}} normalized", "app:true -> {{default}}",
                [ExpectedRule([["app", "true"]], ["{{ default }}"])]),
        Example("quoted {{  default}} normalized", #"app:true -> "{{  default}}", x"#,
                [ExpectedRule([["app", "true"]], ["{{ default }}", "x"])]),
        Example("comments, blank and indented lines", "# a comment\n\n   # indented\n  type:A -> a\n   \n",
                [ExpectedRule([["type", "A"]], ["a"])]),
        Example("# after a rule is a value", "type:A -> a # note",
                [ExpectedRule([["type", "A"]], ["a", "#", "note"])]),
        Example("CRLF line ends", "type:A -> a\r\ntype:B -> b\r\n",
                [ExpectedRule([["type", "A"]], ["a"]), ExpectedRule([["type", "B"]], ["b"])]),
        Example("unquoted argument: any run of non-blanks", "message:Error:[x]{y} -> z",
                [ExpectedRule([["message", "Error:[x]{y}"]], ["z"])]),
        Example("unterminated quote is unquoted", #"message:"hello -> x"#,
                [ExpectedRule([["message", #""hello"#]], ["x"])]),
        Example("blanks around arrow and commas", "type:A   ->   a ,b,",
                [ExpectedRule([["type", "A"]], ["a", "b"])]),
        Example("no blank before the arrow", "type:\"A\"-> a",
                [ExpectedRule([["type", "A"]], ["a"])]),
        Example("TAB is not a blank", "type:A\t-> b",
                error: "Invalid syntax near \"type:A\t-> b\" (line 1, column 1)"),
        Example("error after indentation on a later line", "type:A -> a\n\n   type:B ->\n",
                error: "Invalid syntax near \"type:B ->\n\" (line 3, column 4)"),
        Example("error inside a line", "type:A -> a b{",
                error: "Invalid syntax near \"{\" (line 1, column 14)"),
        Example("long context is cut at 32 characters",
                "function:aVeryLongFunctionNameThatGoesOnAndOn",
                error: "Invalid syntax near \"function:aVeryLongFunctionNameTh...\" (line 1, column 1)"),
        Example("no fingerprint", "type:A ->", error: "Invalid syntax near \"type:A ->\" (line 1, column 1)"),
        Example("no arrow in an unquoted argument", "message:a->b", error: "Invalid syntax near \"message:a->b\" (line 1, column 1)"),
        Example("lone negation", "! type:A -> x", error: "Invalid syntax near \"! type:A -> x\" (line 1, column 1)"),
        Example("unknown matcher", "foo:bar -> x", error: "Unknown matcher 'foo'"),
        Example("stack.filename is a variable, not a matcher", "stack.filename:x -> y",
                error: "Unknown matcher 'stack.filename'"),
        Example("unknown attribute", #"type:A -> x, name="y""#, error: "Unknown attribute 'name'"),
        Example("syntax errors come first", "foo:bar -> x\ntype:A\t-> b",
                error: "Invalid syntax near \"type:A\t-> b\" (line 2, column 1)"),
        Example("escape Python refuses", #"message:"\x4" -> x"#, error: #"Invalid escape '\x4'"#),
    ]

    // MARK: - Parsing

    /// An argument or value as written, before unescaping.
    private struct RawText {
        var text: String
        var quoted: Bool
        var position: Int
    }

    private struct RawMatcher {
        var negated: Bool
        var key: String
        var keyPosition: Int
        var argument: RawText
    }

    private enum RawValue {
        case value(RawText)
        case attribute(key: String, keyPosition: Int, value: RawText)
    }

    private struct RawRule {
        var matchers: [RawMatcher]
        var values: [RawValue]
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0

        init(_ scalars: [Unicode.Scalar]) {
            self.scalars = scalars
        }

        private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }

        private func text(_ range: Range<Int>) -> String {
            String(String.UnicodeScalarView(scalars[range]))
        }

        private mutating func spaces() {
            while current == " " { position += 1 }
        }

        /// `line*`, until a line consumes nothing.
        mutating func rules() -> [RawRule] {
            var rules: [RawRule] = []
            while true {
                let start = position
                spaces()
                if current == "#" {
                    while let scalar = current, scalar != "\n", scalar != "\r" { position += 1 }
                } else if let rule = rule() {
                    rules.append(rule)
                }
                if current == "\n" || current == "\r" { position += 1 }
                if position == start { return rules }
            }
        }

        private mutating func rule() -> RawRule? {
            let start = position
            spaces()
            var matchers: [RawMatcher] = []
            while let matcher = matcher() { matchers.append(matcher) }
            spaces()
            guard !matchers.isEmpty, current == "-", position + 1 < scalars.count, scalars[position + 1] == ">" else {
                position = start
                return nil
            }
            position += 2
            spaces()
            var values: [RawValue] = []
            while let value = fingerprintValue() { values.append(value) }
            guard !values.isEmpty else {
                position = start
                return nil
            }
            return RawRule(matchers: matchers, values: values)
        }

        private mutating func matcher() -> RawMatcher? {
            let start = position
            spaces()
            let negated = current == "!"
            if negated { position += 1 }
            let keyPosition = position
            guard let key = plainKey() ?? quotedKey(), current == ":" else {
                position = start
                return nil
            }
            position += 1
            guard let argument = quoted() ?? unquoted() else {
                position = start
                return nil
            }
            return RawMatcher(negated: negated, key: key, keyPosition: keyPosition, argument: argument)
        }

        private static func isKeyScalar(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", ".", "-": true
            default: false
            }
        }

        private mutating func plainKey() -> String? {
            let start = position
            while let scalar = current, Self.isKeyScalar(scalar) { position += 1 }
            return position > start ? text(start..<position) : nil
        }

        /// `"key"`; a leading `!` inside would be stripped, as Sentry does (its pattern cannot hold one).
        private mutating func quotedKey() -> String? {
            guard current == "\"" else { return nil }
            var end = position + 1
            while end < scalars.count, Self.isKeyScalar(scalars[end]) || scalars[end] == ":" { end += 1 }
            guard end > position + 1, end < scalars.count, scalars[end] == "\"" else { return nil }
            let key = text((position + 1)..<end)
            position = end + 1
            return String(key.drop { $0 == "!" })
        }

        private mutating func quoted() -> RawText? {
            guard current == "\"" else { return nil }
            var index = position + 1
            while index < scalars.count {
                switch scalars[index] {
                case "\"":
                    let content = RawText(text: text((position + 1)..<index), quoted: true, position: position)
                    position = index + 1
                    return content
                case "\\":
                    guard index + 1 < scalars.count, scalars[index + 1] != "\n" else { return nil }
                    index += 2
                default:
                    index += 1
                }
            }
            return nil
        }

        private mutating func unquoted() -> RawText? {
            let start = position
            while let scalar = current, !PythonText.isSpace(scalar) { position += 1 }
            return position > start ? RawText(text: text(start..<position), quoted: false, position: start) : nil
        }

        private mutating func fingerprintValue() -> RawValue? {
            let start = position
            spaces()
            let value: RawValue
            if let attribute = attribute() {
                value = attribute
            } else if let argument = quoted() ?? unquotedNoComma() {
                value = .value(argument)
            } else {
                position = start
                return nil
            }
            spaces()
            if current == "," { position += 1 }
            return value
        }

        private mutating func attribute() -> RawValue? {
            let start = position
            guard let key = plainKey(), current == "=" else {
                position = start
                return nil
            }
            position += 1
            guard let value = quoted() else {
                position = start
                return nil
            }
            return .attribute(key: key, keyPosition: start, value: value)
        }

        private mutating func unquotedNoComma() -> RawText? {
            let start = position
            if let variable = PythonText.variable(in: scalars, at: position) {
                position = variable.end
            } else {
                while let scalar = current, !PythonText.isSpace(scalar), scalar != "{", scalar != "," { position += 1 }
            }
            return position > start ? RawText(text: text(start..<position), quoted: false, position: start) : nil
        }

        // MARK: Visiting

        func rule(from raw: RawRule) throws(FingerprintRuleError) -> FingerprintRule {
            var matchers: [FingerprintMatcher] = []
            for matcher in raw.matchers {
                let pattern = try unescaped(matcher.argument)
                guard let key = FingerprintMatcherKey(matcher.key) else {
                    throw error(.unknownMatcher(matcher.key), at: matcher.keyPosition)
                }
                matchers.append(FingerprintMatcher(key: key, pattern: pattern, negated: matcher.negated))
            }
            var fingerprint: [String] = []
            var title: String?
            for value in raw.values {
                switch value {
                case .value(let text):
                    fingerprint.append(try unescaped(text))
                case .attribute(let key, let keyPosition, let text):
                    let value = try unescaped(text)
                    guard key == "title" else { throw error(.unknownAttribute(key), at: keyPosition) }
                    title = value
                }
            }
            return FingerprintRule(matchers: matchers, fingerprint: fingerprint, title: title)
        }

        private func unescaped(_ raw: RawText) throws(FingerprintRuleError) -> String {
            guard raw.quoted else { return raw.text }
            switch PythonText.unescaped(raw.text) {
            case .success(let text): return text
            case .failure(let failure): throw error(.invalidEscape(failure.escape), at: raw.position)
            }
        }

        /// The error at the current position, with up to 32 characters of context (then `...`).
        func syntaxError() -> FingerprintRuleError {
            let end = min(scalars.count, position + 33)
            var near = text(position..<end)
            if end - position == 33 {
                near = text(position..<(end - 1)) + "..."
            }
            return error(.invalidSyntax(near: near), at: position)
        }

        /// Python's (parsimonious's) line and column: lines counted by `\n` only, columns 1-based.
        private func error(_ reason: FingerprintRuleError.Reason, at offset: Int) -> FingerprintRuleError {
            let lineStart = scalars[..<offset].lastIndex(of: "\n").map { $0 + 1 } ?? 0
            let line = scalars[..<offset].reduce(1) { $1 == "\n" ? $0 + 1 : $0 }
            return FingerprintRuleError(reason, line: line, column: offset - lineStart + 1)
        }
    }
}
