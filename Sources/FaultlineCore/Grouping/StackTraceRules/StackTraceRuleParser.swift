/// A stack trace rule set that does not follow the grammar of reference §9.1.
///
/// The message names what was expected there. Rule text is configuration, not log content, so the message may
/// quote it.
///
/// ```swift
/// do { _ = try StackTraceRules(parsing: "function:foo +ap") }
/// catch { error.description }  // line 1, column 15: expected 'app' or 'group' after '+'
/// ```
public struct RuleSyntaxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// 1-based line of the rule text.
    public var line: Int
    /// 1-based column in that line, counted in Unicode scalars (tabs and leading spaces included).
    public var column: Int
    /// What was expected (`expected ']' to close the caller matcher`).
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// The parser of the rule grammar (reference §9.1), one line at a time:
///
/// ```
/// rule     := [ "[" matcher "]" "|" ] matcher+ [ "|" "[" matcher "]" ] action+ [ "#" comment ]
/// matcher  := "!"? name ":" arg          arg := '"' [^"]* '"' | \S+   (in a quoted arg "\\" means "\")
/// action   := ("^" | "v")? ("+" | "-") ("app" | "group")
///           | ("max-frames" | "min-frames") "=" INT | "invert-stacktrace" "=" BOOL | "category" "=" IDENT
/// ```
///
/// Lines end at `\n`, `\r\n` or `\r` and are trimmed; blank lines and lines starting with `#` are skipped. Inside `[ … ]` an unquoted argument
/// also ends at the `]` that closes the brackets, so `[category:std]|` reads as `[ category:std ] |`.
struct StackTraceRuleParser {
    /// The names of the variable actions.
    static let variableNames = ["max-frames", "min-frames", "invert-stacktrace", "category"]

    private let scalars: [Unicode.Scalar]
    private let lineNumber: Int
    private var position = 0

    /// Every rule of `text`, in order.
    static func parse(_ text: String, builtIn: Bool) throws(RuleSyntaxError) -> [StackTraceRule] {
        var rules: [StackTraceRule] = []
        // `\r\n` is one `Character`; a lone `\r` ends a line too.
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (offset, line) in lines.enumerated() {
            var parser = StackTraceRuleParser(scalars: Array(line.unicodeScalars), lineNumber: offset + 1)
            if let rule = try parser.parseLine(builtIn: builtIn) { rules.append(rule) }
        }
        return rules
    }

    private init(scalars: [Unicode.Scalar], lineNumber: Int) {
        self.scalars = scalars
        self.lineNumber = lineNumber
    }

    // MARK: - Rule

    /// The rule on this line, or `nil` for a blank or comment line.
    private mutating func parseLine(builtIn: Bool) throws(RuleSyntaxError) -> StackTraceRule? {
        skipWhitespace()
        guard let first = current, first != "#" else { return nil }

        var matchers: [StackTraceMatcher] = []
        if first == "[" {
            matchers.append(try parseBracketedMatcher(offset: .caller))
        }
        var plainMatchers = 0
        while true {
            skipWhitespace()
            guard let scalar = current, scalar != "#", !isAtAction else { break }
            if scalar == "|" {
                guard plainMatchers > 0 else { throw error("expected a matcher (name:argument) before '| [ … ]'") }
                matchers.append(try parseBracketedMatcher(offset: .callee))
                break
            }
            if scalar == "[" {
                throw error("a caller matcher '[ … ] |' must come before the other matchers")
            }
            matchers.append(try parseMatcher(inBrackets: false))
            plainMatchers += 1
        }
        guard plainMatchers > 0 else { throw error("expected a matcher (name:argument)") }

        var actions: [StackTraceAction] = []
        while true {
            skipWhitespace()
            guard let scalar = current, scalar != "#" else { break }
            actions.append(try parseAction())
        }
        guard !actions.isEmpty else { throw error("expected an action (+app, -app, +group, -group, max-frames=, min-frames=, invert-stacktrace=, category=) after the matchers") }
        return StackTraceRule(matchers: matchers, actions: actions, isBuiltIn: builtIn)
    }

    // MARK: - Matchers

    /// `[ m ] |` (caller) or `| [ m ]` (callee).
    private mutating func parseBracketedMatcher(offset: StackTraceMatcher.Offset) throws(RuleSyntaxError) -> StackTraceMatcher {
        let what = offset == .caller ? "caller" : "callee"
        if offset == .callee {
            position += 1  // "|"
            skipWhitespace()
            guard current == "[" else { throw error("expected '[' after '|' to open the callee matcher") }
        }
        position += 1  // "["
        skipWhitespace()
        let start = position
        var matcher = try parseMatcher(inBrackets: true)
        guard !matcher.field.isExceptionField else {
            throw error("expected a frame matcher inside '[ … ]'; '\(matcher.field.rawValue)' tests the exception", at: start)
        }
        matcher = StackTraceMatcher(field: matcher.field, argument: matcher.argument, isNegated: matcher.isNegated, offset: offset)
        skipWhitespace()
        guard current == "]" else { throw error("expected ']' to close the \(what) matcher") }
        position += 1
        if offset == .caller {
            skipWhitespace()
            guard current == "|" else { throw error("expected '|' after the caller matcher '[ … ]'") }
            position += 1
        } else {
            try expectSeparator(after: "the callee matcher")
        }
        return matcher
    }

    /// `!`? name `:` argument.
    private mutating func parseMatcher(inBrackets: Bool) throws(RuleSyntaxError) -> StackTraceMatcher {
        let start = position
        let negated = current == "!"
        if negated { position += 1 }
        let nameStart = position
        let name = readName()
        guard !name.isEmpty else {
            throw error("expected a matcher (name:argument)\(inBrackets ? "" : " or an action")", at: start)
        }
        guard current == ":" else {
            if StackTraceField(name: name) != nil {
                throw error("expected ':' after '\(name)'")
            }
            throw error("expected a matcher (name:argument)\(inBrackets ? "" : " or an action"), found '\(name)'", at: nameStart)
        }
        guard let field = StackTraceField(name: name) else {
            let known = StackTraceField.allCases.flatMap(\.names).joined(separator: ", ")
            throw error("unknown matcher '\(name)'; expected one of \(known)", at: nameStart)
        }
        position += 1  // ":"
        let argument = try parseArgument(after: name, inBrackets: inBrackets)
        return StackTraceMatcher(field: field, argument: argument, isNegated: negated)
    }

    /// A quoted argument (only `\\` unescaped) or a run of non-space characters.
    private mutating func parseArgument(after name: String, inBrackets: Bool) throws(RuleSyntaxError) -> String {
        if current == "\"" {
            let open = position
            position += 1
            let start = position
            while let scalar = current, scalar != "\"" { position += 1 }
            guard current == "\"" else { throw error("expected a closing '\"' for the argument of '\(name)'", at: open) }
            let text = String(String.UnicodeScalarView(scalars[start..<position]))
            position += 1
            if !(inBrackets && current == "]") { try expectSeparator(after: "the quoted argument") }
            return text.replacing("\\\\", with: "\\")
        }
        let start = position
        while let scalar = current, !scalar.properties.isWhitespace { position += 1 }
        if inBrackets { position = Self.bracketArgumentEnd(scalars, from: start, to: position) }
        guard position > start else { throw error("expected an argument after '\(name):'") }
        return String(String.UnicodeScalarView(scalars[start..<position]))
    }

    /// Where an unquoted argument inside `[ … ]` ends: before the first `]` that closes the brackets (one not
    /// balancing a `[` of a glob class), else at the end of the run.
    private static func bracketArgumentEnd(_ scalars: [Unicode.Scalar], from start: Int, to end: Int) -> Int {
        var depth = 0
        for index in start..<end {
            switch scalars[index] {
            case "[": depth += 1
            case "]" where depth == 0: return index
            case "]": depth -= 1
            default: break
            }
        }
        return end
    }

    // MARK: - Actions

    /// Whether an action starts here: `+`, `-`, `^`, `v+`, `v-`, or a variable name followed by `=`.
    private var isAtAction: Bool {
        guard let scalar = current else { return false }
        switch scalar {
        case "+", "-", "^": return true
        case "v": return next == "+" || next == "-"
        default:
            var probe = self
            let name = probe.readName()
            return probe.current == "=" && Self.variableNames.contains(name)
        }
    }

    private mutating func parseAction() throws(RuleSyntaxError) -> StackTraceAction {
        guard let scalar = current else { throw error("expected an action") }
        switch scalar {
        case "+", "-", "^":
            return try parseFlagAction()
        case "v" where next == "+" || next == "-":
            return try parseFlagAction()
        default:
            let start = position
            let name = readName()
            if current == ":" || (name.isEmpty && current == "!") {
                throw error("expected an action; matchers come before the actions", at: start)
            }
            guard current == "=", Self.variableNames.contains(name) else {
                throw error("expected an action (+app, -app, +group, -group with an optional ^ or v, or max-frames=, min-frames=, invert-stacktrace=, category=)", at: start)
            }
            position += 1  // "="
            return try parseVariableValue(of: name)
        }
    }

    /// `^`/`v`? `+`/`-` `app`/`group`.
    private mutating func parseFlagAction() throws(RuleSyntaxError) -> StackTraceAction {
        var range = StackTraceAction.Range.none
        if current == "^" {
            range = .up
            position += 1
        } else if current == "v" {
            range = .down
            position += 1
        }
        guard let sign = current, sign == "+" || sign == "-" else {
            throw error("expected '+' or '-' after '\(range.rawValue)'")
        }
        position += 1
        let wordStart = position
        let word = readName()
        let flag: StackTraceAction.Flag
        switch word {
        case "app": flag = .app
        case "group": flag = .group
        default: throw error("expected 'app' or 'group' after '\(sign)'", at: wordStart)
        }
        try expectSeparator(after: "'\(range.rawValue)\(sign)\(word)'")
        return .flag(flag, sign == "+", range: range)
    }

    /// The value after `name=`: an identifier or a quoted identifier.
    private mutating func parseVariableValue(of name: String) throws(RuleSyntaxError) -> StackTraceAction {
        let start = position
        let value: String
        if current == "\"" {
            position += 1
            let valueStart = position
            while let scalar = current, scalar != "\"" { position += 1 }
            guard current == "\"" else { throw error("expected a closing '\"' for the value of '\(name)'", at: start) }
            value = String(String.UnicodeScalarView(scalars[valueStart..<position]))
            position += 1
        } else {
            value = readName()
        }
        switch name {
        case "max-frames", "min-frames":
            guard !value.isEmpty, value.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }), let count = Int(value) else {
                throw error("expected a whole number after '\(name)='", at: start)
            }
            try expectSeparator(after: "'\(name)=\(value)'")
            return name == "max-frames" ? .maxFrames(count) : .minFrames(count)
        case "invert-stacktrace":
            guard let flag = stackTraceRuleBool(value) else {
                throw error("expected 1, yes, true, 0, no or false after 'invert-stacktrace='", at: start)
            }
            try expectSeparator(after: "'\(name)=\(value)'")
            return .invertStacktrace(flag)
        default:
            guard !value.isEmpty else { throw error("expected a category name after 'category='", at: start) }
            try expectSeparator(after: "'\(name)=\(value)'")
            return .category(value)
        }
    }

    // MARK: - Scanning

    private var current: Unicode.Scalar? { position < scalars.count ? scalars[position] : nil }
    private var next: Unicode.Scalar? { position + 1 < scalars.count ? scalars[position + 1] : nil }

    /// `[a-zA-Z0-9_.-]*`.
    private mutating func readName() -> String {
        let start = position
        while let scalar = current, scalar.isASCII,
              scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_" || scalar == "." || scalar == "-" {
            position += 1
        }
        return String(String.UnicodeScalarView(scalars[start..<position]))
    }

    private mutating func skipWhitespace() {
        while let scalar = current, scalar.properties.isWhitespace { position += 1 }
    }

    /// A token must be followed by a space, a comment or the end of the line.
    private func expectSeparator(after what: String) throws(RuleSyntaxError) {
        guard let scalar = current, !scalar.properties.isWhitespace, scalar != "#" else { return }
        throw error("expected a space after \(what)")
    }

    private func error(_ message: String, at index: Int? = nil) -> RuleSyntaxError {
        RuleSyntaxError(line: lineNumber, column: (index ?? position) + 1, message: message)
    }
}
