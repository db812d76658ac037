import Testing

@testable import FaultlineCore

@Suite("Stack trace rules")
struct StackTraceRulesTests {
    // MARK: - Parsing

    struct ParseCase: CustomTestStringConvertible, Sendable {
        var text: String
        /// The rule in canonical form.
        var canonical: String
        var testDescription: String { text }
    }

    static let parseCases: [ParseCase] = [
        // Every matcher under both its names.
        ParseCase(text: "stack.abs_path:**/vendor/** -app", canonical: "path:**/vendor/** -app"),
        ParseCase(text: "path:**/vendor/** -app", canonical: "path:**/vendor/** -app"),
        ParseCase(text: "stack.module:io.sentry.* -group", canonical: "module:io.sentry.* -group"),
        ParseCase(text: "module:io.sentry.* -group", canonical: "module:io.sentry.* -group"),
        ParseCase(text: "stack.function:foo* -app", canonical: "function:foo* -app"),
        ParseCase(text: "function:foo* -app", canonical: "function:foo* -app"),
        ParseCase(text: "stack.package:/usr/lib/** -app", canonical: "package:/usr/lib/** -app"),
        ParseCase(text: "package:/usr/lib/** -app", canonical: "package:/usr/lib/** -app"),
        ParseCase(text: "family:javascript,native +app", canonical: "family:javascript,native +app"),
        ParseCase(text: "app:yes -group", canonical: "app:yes -group"),
        ParseCase(text: "category:throw ^-group", canonical: "category:throw ^-group"),
        ParseCase(text: "error.type:ValueError -group", canonical: "type:ValueError -group"),
        ParseCase(text: "type:ValueError -group", canonical: "type:ValueError -group"),
        ParseCase(text: "error.value:*timeout* -group", canonical: "value:*timeout* -group"),
        ParseCase(text: "value:*timeout* -group", canonical: "value:*timeout* -group"),
        ParseCase(text: "error.mechanism:ANR invert-stacktrace=1", canonical: "mechanism:ANR invert-stacktrace=1"),
        ParseCase(text: "mechanism:ANR invert-stacktrace=yes", canonical: "mechanism:ANR invert-stacktrace=1"),
        // Several matchers, negation, quotes.
        ParseCase(text: "family:javascript path:**/node_modules/** -app -group",
                  canonical: "family:javascript path:**/node_modules/** -app -group"),
        ParseCase(text: "!path:**/src/** -app", canonical: "!path:**/src/** -app"),
        ParseCase(text: #"error.value:"*timed out*" -group"#, canonical: #"value:"*timed out*" -group"#),
        ParseCase(text: #"function:"foo" -group"#, canonical: "function:foo -group"),
        ParseCase(text: #"function:"" -group"#, canonical: #"function:"" -group"#),
        // Caller and callee.
        ParseCase(text: "[ category:std ] | category:std category=internals",
                  canonical: "[ category:std ] | category:std category=internals"),
        ParseCase(text: "[category:std]|category:std category=internals",
                  canonical: "[ category:std ] | category:std category=internals"),
        ParseCase(text: "[ !function:a ] | function:b v+app", canonical: "[ !function:a ] | function:b v+app"),
        ParseCase(text: "function:a | [ function:b ] -group", canonical: "function:a | [ function:b ] -group"),
        ParseCase(text: "function:a |[function:b] -group", canonical: "function:a | [ function:b ] -group"),
        ParseCase(text: "[ function:x[12] ] | function:b -group", canonical: "[ function:x[12] ] | function:b -group"),
        ParseCase(text: #"[ function:"a b" ] | function:b -group"#, canonical: #"[ function:"a b" ] | function:b -group"#),
        // Every action.
        ParseCase(text: "function:foo +app -app +group -group", canonical: "function:foo +app -app +group -group"),
        ParseCase(text: "function:foo ^+app v-app ^-group v+group", canonical: "function:foo ^+app v-app ^-group v+group"),
        ParseCase(text: "function:foo max-frames=3 min-frames=2", canonical: "function:foo max-frames=3 min-frames=2"),
        ParseCase(text: "function:foo invert-stacktrace=false", canonical: "function:foo invert-stacktrace=0"),
        ParseCase(text: "module:io.sentry.* category=framework", canonical: "module:io.sentry.* category=framework"),
        ParseCase(text: #"module:io.sentry.* category="framework""#, canonical: "module:io.sentry.* category=framework"),
        // A trailing comment, surrounding space, tabs.
        ParseCase(text: "function:foo -app # vendored", canonical: "function:foo -app"),
        ParseCase(text: "  \tfunction:foo\t-app  ", canonical: "function:foo -app"),
        // `value:` is a matcher, `v+app` an action.
        ParseCase(text: "value:v -group v+app", canonical: "value:v -group v+app"),
    ]

    @Test("rules parse into their canonical form", arguments: parseCases)
    func parsing(_ testCase: ParseCase) throws {
        let rules = try StackTraceRules(parsing: testCase.text)
        #expect(rules.rules.map(\.description) == [testCase.canonical])
    }

    @Test("matchers and actions parse into values")
    func parsedValues() throws {
        let rule = try #require(try StackTraceRules(parsing: #"[ !category:std ] | !stack.abs_path:"C:\\Program Files\\**" | [ app:no ] ^-group category=x max-frames=2"#).rules.first)
        #expect(rule.matchers == [
            StackTraceMatcher(field: .category, argument: "std", isNegated: true, offset: .caller),
            StackTraceMatcher(field: .path, argument: #"C:\Program Files\**"#, isNegated: true),
            StackTraceMatcher(field: .app, argument: "no", offset: .callee),
        ])
        #expect(rule.actions == [.flag(.group, false, range: .up), .category("x"), .maxFrames(2)])
        #expect(rule.classifierDescription == #"[ !category:std ] | !path:"C:\Program Files\**" | [ app:no ] category=x"#)
        #expect(rule.contributorDescription == #"[ !category:std ] | !path:"C:\Program Files\**" | [ app:no ] ^-group max-frames=2"#)
        #expect(rule.isClassifier && rule.isContributor && !rule.isBuiltIn)
    }

    @Test("only a doubled backslash is unescaped in quotes")
    func quotedEscapes() throws {
        let rules = try StackTraceRules(parsing: #"path:"a\\b\nc" -app"#)
        #expect(rules.rules.first?.matchers.first?.argument == #"a\b\nc"#)
    }

    @Test("blank lines, comment lines and line ends are skipped")
    func comments() throws {
        let text = "# project rules\n\n   # indented comment\r\nfunction:a -app\r\n\n  function:b +group # why\n#"
        let rules = try StackTraceRules(parsing: text)
        #expect(rules.rules.map(\.description) == ["function:a -app", "function:b +group"])
        #expect(try StackTraceRules(parsing: "").rules.isEmpty)
    }

    @Test("every field is reachable under every name")
    func fieldNames() {
        for field in StackTraceField.allCases {
            for name in field.names { #expect(StackTraceField(name: name) == field) }
        }
        #expect(StackTraceField(name: "stack.filename") == nil)
    }

    struct ErrorCase: CustomTestStringConvertible, Sendable {
        var text: String
        var line: Int
        var column: Int
        var message: String
        var testDescription: String { text }
    }

    static let errorCases: [ErrorCase] = [
        ErrorCase(text: "function:foo", line: 1, column: 13, message: "expected an action (+app, -app, +group, -group, max-frames=, min-frames=, invert-stacktrace=, category=) after the matchers"),
        ErrorCase(text: "-app", line: 1, column: 1, message: "expected a matcher (name:argument)"),
        ErrorCase(text: "   bad:x -app", line: 1, column: 4, message: "unknown matcher 'bad'; expected one of path, stack.abs_path, module, stack.module, function, stack.function, package, stack.package, family, app, category, type, error.type, value, error.value, mechanism, error.mechanism"),
        ErrorCase(text: "function -app", line: 1, column: 9, message: "expected ':' after 'function'"),
        ErrorCase(text: "function: -app", line: 1, column: 10, message: "expected an argument after 'function:'"),
        ErrorCase(text: "function:foo +ap", line: 1, column: 15, message: "expected 'app' or 'group' after '+'"),
        ErrorCase(text: "function:foo -appx", line: 1, column: 15, message: "expected 'app' or 'group' after '-'"),
        ErrorCase(text: "function:foo ^app", line: 1, column: 15, message: "expected '+' or '-' after '^'"),
        ErrorCase(text: "function:foo -app+group", line: 1, column: 18, message: "expected a space after '-app'"),
        ErrorCase(text: "function:foo -app function:bar", line: 1, column: 19, message: "expected an action; matchers come before the actions"),
        ErrorCase(text: "function:foo -app bar", line: 1, column: 19, message: "expected an action (+app, -app, +group, -group with an optional ^ or v, or max-frames=, min-frames=, invert-stacktrace=, category=)"),
        ErrorCase(text: "function:foo max-frames=x", line: 1, column: 25, message: "expected a whole number after 'max-frames='"),
        ErrorCase(text: "function:foo min-frames=-1", line: 1, column: 25, message: "expected a whole number after 'min-frames='"),
        ErrorCase(text: "function:foo invert-stacktrace=maybe", line: 1, column: 32, message: "expected 1, yes, true, 0, no or false after 'invert-stacktrace='"),
        ErrorCase(text: "function:foo category=", line: 1, column: 23, message: "expected a category name after 'category='"),
        ErrorCase(text: #"function:"foo -app"#, line: 1, column: 10, message: #"expected a closing '"' for the argument of 'function'"#),
        ErrorCase(text: #"function:"foo"x -app"#, line: 1, column: 15, message: "expected a space after the quoted argument"),
        ErrorCase(text: "[ category:std | category:std -group", line: 1, column: 16, message: "expected ']' to close the caller matcher"),
        ErrorCase(text: "[ category:std ] category:std -group", line: 1, column: 18, message: "expected '|' after the caller matcher '[ … ]'"),
        ErrorCase(text: "[ category:std ] | -group", line: 1, column: 20, message: "expected a matcher (name:argument)"),
        ErrorCase(text: "function:a [ function:b ] | -app", line: 1, column: 12, message: "a caller matcher '[ … ] |' must come before the other matchers"),
        ErrorCase(text: "function:a | function:b -app", line: 1, column: 14, message: "expected '[' after '|' to open the callee matcher"),
        ErrorCase(text: "function:a | [ function:b -app", line: 1, column: 27, message: "expected ']' to close the callee matcher"),
        ErrorCase(text: "function:a | [ function:b ] function:c -app", line: 1, column: 29, message: "expected an action; matchers come before the actions"),
        ErrorCase(text: "| [ function:b ] -app", line: 1, column: 1, message: "expected a matcher (name:argument) before '| [ … ]'"),
        ErrorCase(text: "[ type:Foo ] | function:a -app", line: 1, column: 3, message: "expected a frame matcher inside '[ … ]'; 'type' tests the exception"),
        ErrorCase(text: "# fine\n\nfunction:a -app\n  function:b ^app", line: 4, column: 15, message: "expected '+' or '-' after '^'"),
        ErrorCase(text: "function:a -app\r\nfunction:b", line: 2, column: 11, message: "expected an action (+app, -app, +group, -group, max-frames=, min-frames=, invert-stacktrace=, category=) after the matchers"),
    ]

    @Test("syntax errors name the line, the column and what was expected", arguments: errorCases)
    func syntaxErrors(_ testCase: ErrorCase) {
        #expect(throws: RuleSyntaxError(line: testCase.line, column: testCase.column, message: testCase.message)) {
            try StackTraceRules(parsing: testCase.text)
        }
    }

    @Test("a syntax error describes itself with its position")
    func errorDescription() {
        let error = RuleSyntaxError(line: 3, column: 7, message: "expected an action")
        #expect(error.description == "line 3, column 7: expected an action")
    }

    // MARK: - Built-in base

    @Test("the built-in base parses, marked built-in, in §9.4's order")
    func builtInBase() throws {
        let base = StackTraceRules.builtInBase
        #expect(StackTraceRules.builtInBaseID == "all-platforms:2023-01-11")
        #expect(base.rules.count == 51)
        #expect(base.rules.allSatisfy { $0.isBuiltIn })
        let text = base.rules.map(\.description)
        #expect(text.contains("path:**/go/pkg/mod/** -app"))
        #expect(text.contains("[ category:std ] | category:std category=internals"))
        #expect(text.contains("category:threadbase -group v-group"))
        let framework = try #require(text.firstIndex(of: "category:framework -app"))
        #expect(text[..<framework].filter { $0.hasSuffix("category=framework") }.count == 19)
        #expect(try StackTraceRules(parsing: BuiltInStackTraceRules.allPlatforms2023, builtIn: true) == base)
    }

    @Test("+ puts the base before the project")
    func concatenation() throws {
        let project = try StackTraceRules(parsing: "function:a -app")
        let combined = StackTraceRules.builtInBase + project
        #expect(combined.rules.count == StackTraceRules.builtInBase.rules.count + 1)
        #expect(combined.rules.last?.description == "function:a -app")
        #expect(combined.rules.last?.isBuiltIn == false)
        #expect(combined.rules.first?.isBuiltIn == true)
    }

    // MARK: - Matching

    struct MatchCase: CustomTestStringConvertible, Sendable {
        var rule: String
        var frames: [GroupingFrame]
        var index: Int = 0
        var platform: String = "python"
        var exception: GroupingException?
        var matches: Bool
        var testDescription: String { "\(rule) \(matches ? "~" : "!~") frame \(index)" }
    }

    static let matchCases: [MatchCase] = [
        // path: abs_path or else filename, lowercased, backslashes as `/`, `*` stays in a component.
        MatchCase(rule: "path:**/vendor/** -app", frames: [GroupingFrame(absPath: #"C:\App\Vendor\lib\x.php"#)], matches: true),
        MatchCase(rule: "path:**/vendor/** -app", frames: [GroupingFrame(filename: "vendor/x.php")], matches: true),
        MatchCase(rule: "path:**/vendor/** -app", frames: [GroupingFrame(filename: "vendor/x.php", absPath: "")], matches: true),
        MatchCase(rule: "path:**/vendor/** -app", frames: [GroupingFrame(filename: "vendor/x.php", absPath: "/app/src/x.php")], matches: false),
        MatchCase(rule: "path:/app/*.py -app", frames: [GroupingFrame(absPath: "/app/pkg/x.py")], matches: false),
        MatchCase(rule: "path:**/x.py -app", frames: [GroupingFrame()], matches: false),
        MatchCase(rule: "!path:**/x.py -app", frames: [GroupingFrame()], matches: true),
        // module: case-sensitive, `*` crosses dots and slashes.
        MatchCase(rule: "module:io.sentry.* -app", frames: [GroupingFrame(module: "io.sentry.example.Application")], matches: true),
        MatchCase(rule: "module:io.sentry.* -app", frames: [GroupingFrame(module: "IO.Sentry.example")], matches: false),
        MatchCase(rule: "module:@babel/** -app", frames: [GroupingFrame(module: "@babel/runtime/helpers/x")], matches: true),
        // function: `<unknown>` when missing or empty.
        MatchCase(rule: "function:<unknown> -app", frames: [GroupingFrame()], matches: true),
        MatchCase(rule: "function:<unknown> -app", frames: [GroupingFrame(function: "")], matches: true),
        MatchCase(rule: "function:run* -app", frames: [GroupingFrame(function: "runWorker")], matches: true),
        MatchCase(rule: "function:run* -app", frames: [GroupingFrame(function: "RunWorker")], matches: false),
        // package: a path glob.
        MatchCase(rule: "package:/usr/lib/** -app", frames: [GroupingFrame(package: "/USR/lib/libc.so")], matches: true),
        // family: the frame's platform wins over the event's; comma lists; `all`.
        MatchCase(rule: "family:native -app", frames: [GroupingFrame(platform: "cocoa")], platform: "javascript", matches: true),
        MatchCase(rule: "family:native -app", frames: [GroupingFrame()], platform: "javascript", matches: false),
        MatchCase(rule: "family:javascript -app", frames: [GroupingFrame()], platform: "node", matches: true),
        MatchCase(rule: "family:javascript,other -app", frames: [GroupingFrame()], platform: "go", matches: true),
        MatchCase(rule: "family:all -app", frames: [GroupingFrame()], platform: "swift", matches: true),
        // app: `nil` counts as false; an invalid value never matches positively.
        MatchCase(rule: "app:yes -group", frames: [GroupingFrame(inApp: true)], matches: true),
        MatchCase(rule: "app:1 -group", frames: [GroupingFrame()], matches: false),
        MatchCase(rule: "app:no -group", frames: [GroupingFrame()], matches: true),
        MatchCase(rule: "app:False -group", frames: [GroupingFrame(inApp: false)], matches: true),
        MatchCase(rule: "app:maybe -group", frames: [GroupingFrame(inApp: true)], matches: false),
        MatchCase(rule: "app:maybe -group", frames: [GroupingFrame(inApp: false)], matches: false),
        MatchCase(rule: "!app:maybe -group", frames: [GroupingFrame(inApp: false)], matches: true),
        // category: missing never matches positively.
        MatchCase(rule: "category:framework -app", frames: [GroupingFrame(category: "framework")], matches: true),
        MatchCase(rule: "category:framework -app", frames: [GroupingFrame()], matches: false),
        MatchCase(rule: "!category:framework -app", frames: [GroupingFrame()], matches: true),
        // An invalid glob never matches positively.
        MatchCase(rule: "function:{a -app", frames: [GroupingFrame(function: "{a")], matches: false),
        MatchCase(rule: "!function:{a -app", frames: [GroupingFrame(function: "{a")], matches: true),
        // Exception matchers: the owning exception, `<unknown>` when missing, case-sensitive.
        MatchCase(rule: "type:*Error -group", frames: [GroupingFrame()], exception: GroupingException(type: "ValueError"), matches: true),
        MatchCase(rule: "type:*error -group", frames: [GroupingFrame()], exception: GroupingException(type: "ValueError"), matches: false),
        MatchCase(rule: "type:<unknown> -group", frames: [GroupingFrame()], matches: true),
        MatchCase(rule: "value:<unknown> -group", frames: [GroupingFrame()], exception: GroupingException(type: "E"), matches: true),
        MatchCase(rule: #"value:"*timed out*" -group"#, frames: [GroupingFrame()], exception: GroupingException(value: "read timed out"), matches: true),
        MatchCase(rule: "mechanism:ANR -group", frames: [GroupingFrame()], exception: GroupingException(mechanism: GroupingMechanism(type: "ANR")), matches: true),
        MatchCase(rule: "mechanism:<unknown> -group", frames: [GroupingFrame()], exception: GroupingException(type: "E"), matches: true),
        MatchCase(rule: "!mechanism:ANR function:a -group", frames: [GroupingFrame(function: "a")], matches: true),
        // All matchers on one frame.
        MatchCase(rule: "module:a function:f -app", frames: [GroupingFrame(function: "f", module: "a")], matches: true),
        MatchCase(rule: "module:a function:f -app", frames: [GroupingFrame(function: "g", module: "a"), GroupingFrame(function: "f", module: "b")], matches: false),
        // Caller `i-1` and callee `i+1`, failing at the edges even when negated.
        MatchCase(rule: "[ function:a ] | function:b -app", frames: [GroupingFrame(function: "a"), GroupingFrame(function: "b")], index: 1, matches: true),
        MatchCase(rule: "[ function:a ] | function:b -app", frames: [GroupingFrame(function: "b"), GroupingFrame(function: "a")], index: 0, matches: false),
        MatchCase(rule: "[ !function:x ] | function:b -app", frames: [GroupingFrame(function: "b")], index: 0, matches: false),
        MatchCase(rule: "function:a | [ function:b ] -app", frames: [GroupingFrame(function: "a"), GroupingFrame(function: "b")], index: 0, matches: true),
        MatchCase(rule: "function:a | [ !function:x ] -app", frames: [GroupingFrame(function: "a")], index: 0, matches: false),
        MatchCase(rule: "[ function:a ] | function:b | [ function:c ] -app",
                  frames: [GroupingFrame(function: "a"), GroupingFrame(function: "b"), GroupingFrame(function: "c")], index: 1, matches: true),
    ]

    @Test("matchers test the frame values of §9.2", arguments: matchCases)
    func matching(_ testCase: MatchCase) throws {
        let rule = try #require(try StackTraceRules(parsing: testCase.rule).rules.first)
        let frames = testCase.frames.map { RuleFrame($0, platform: testCase.platform) }
        let exception = RuleException(testCase.exception)
        #expect((rule.matches(exception) && rule.matches(frames, at: testCase.index)) == testCase.matches)
    }

    // MARK: - Classifier pass

    @Test("classification sets in-app (nil becomes false) and hints the changes only")
    func classification() throws {
        let rules = try StackTraceRules(parsing: "function:a -app\nfunction:b +app\nfunction:c +app")
        var frames = [GroupingFrame(function: "a"), GroupingFrame(function: "b"), GroupingFrame(function: "c", inApp: true),
                      GroupingFrame(function: "d")]
        let hints = rules.classify(&frames, exception: nil, platform: "python")
        #expect(frames.map(\.inApp) == [false, true, true, false])
        #expect(hints == ["marked out of app by stack trace rule (function:a -app)",
                          "marked in-app by stack trace rule (function:b +app)", nil, nil])
    }

    @Test("the last writer wins, and the original in-app decides whether to hint")
    func lastWriterWins() throws {
        let rules = try StackTraceRules(parsing: "function:a -app\nfunction:a +app")
        var frames = [GroupingFrame(function: "a"), GroupingFrame(function: "a", inApp: true)]
        let hints = rules.classify(&frames, exception: nil, platform: "python")
        #expect(frames.map(\.inApp) == [true, true])
        #expect(hints == ["marked in-app by stack trace rule (function:a +app)", nil])
    }

    @Test("later rules see earlier categories and in-app flags")
    func laterRulesSeeEarlierOnes() throws {
        let rules = try StackTraceRules(parsing: """
            module:acme.* category=acme
            category:acme -app
            app:no category=outside
            """)
        var frames = [GroupingFrame(module: "acme.x", inApp: true), GroupingFrame(module: "b", inApp: true)]
        _ = rules.classify(&frames, exception: nil, platform: "python")
        #expect(frames.map(\.inApp) == [false, true])
        #expect(frames.map(\.category) == ["outside", nil])
    }

    @Test("a rule finds all its frames before it changes any")
    func collectBeforeApplying() throws {
        let rules = try StackTraceRules(parsing: "module:java.* category=std\n[ category:std ] | category:std category=internals")
        var frames = ["java.lang.Thread", "java.util.concurrent.ThreadPoolExecutor$Worker", "java.util.concurrent.ThreadPoolExecutor", "com.acme.Job"]
            .map { GroupingFrame(module: $0) }
        _ = rules.classify(&frames, exception: nil, platform: "java")
        #expect(frames.map(\.category) == ["std", "internals", "internals", nil])
    }

    @Test("^ sets the callees, v the callers")
    func classifierRanges() throws {
        var frames = ["a", "b", "c", "d"].map { GroupingFrame(function: $0, inApp: true) }
        let up = try StackTraceRules(parsing: "function:b ^-app")
        let upHints = up.classify(&frames, exception: nil, platform: "python")
        #expect(frames.map(\.inApp) == [true, true, false, false])
        #expect(upHints == [nil, nil, "marked out of app by stack trace rule (function:b ^-app)",
                            "marked out of app by stack trace rule (function:b ^-app)"])

        frames = ["a", "b", "c", "d"].map { GroupingFrame(function: $0) }
        _ = try StackTraceRules(parsing: "function:c v+app").classify(&frames, exception: nil, platform: "python")
        #expect(frames.map(\.inApp) == [true, true, false, false])

        frames = ["a", "b"].map { GroupingFrame(function: $0) }
        _ = try StackTraceRules(parsing: "function:b ^+app\nfunction:a v+app").classify(&frames, exception: nil, platform: "python")
        #expect(frames.map(\.inApp) == [false, false])
    }

    @Test("exception matchers gate the whole rule")
    func exceptionGate() throws {
        let rules = try StackTraceRules(parsing: "type:Timeout* function:a +app")
        var frames = [GroupingFrame(function: "a")]
        _ = rules.classify(&frames, exception: GroupingException(type: "ValueError"), platform: "python")
        #expect(frames[0].inApp == false)
        frames = [GroupingFrame(function: "a")]
        _ = rules.classify(&frames, exception: GroupingException(type: "TimeoutError"), platform: "python")
        #expect(frames[0].inApp == true)
    }

    // MARK: - Contributes pass

    @Test("±group with ranges, starting from the strategy's flags and hints")
    func groupRanges() throws {
        let frames = ["a", "b", "c", "d"].map { GroupingFrame(function: $0, inApp: true) }
        let down = try StackTraceRules(parsing: "function:c v-group")
            .contributions(of: frames, initiallyContributing: [true, true, true, true], exception: nil, platform: "python", variant: .system)
        #expect(down.frameContributes == [false, false, true, true])
        #expect(down.frameHints == ["ignored by stack trace rule (function:c v-group)", "ignored by stack trace rule (function:c v-group)", nil, nil])

        let up = try StackTraceRules(parsing: "function:b ^+group")
            .contributions(of: frames, initiallyContributing: [false, true, false, false],
                           initialHints: [nil, nil, "ignored due to recursion", "ignored due to recursion"],
                           exception: nil, platform: "python", variant: .system)
        #expect(up.frameContributes == [false, true, true, true])
        #expect(up.frameHints == [nil, nil, "un-ignored by stack trace rule (function:b ^+group)", "un-ignored by stack trace rule (function:b ^+group)"])

        let kept = try StackTraceRules(parsing: "function:zzz -group")
            .contributions(of: frames, initiallyContributing: [true, false], initialHints: [nil, "ignored due to recursion"],
                           exception: nil, platform: "python", variant: .system)
        #expect(kept.frameContributes == [true, false, true, true])
        #expect(kept.frameHints == [nil, "ignored due to recursion", nil, nil])
        #expect(kept.stacktraceContributes && kept.stacktraceHint == nil && !kept.invertStacktrace)
    }

    @Test("max-frames keeps the contributing frames closest to the crash")
    func maxFrames() throws {
        let frames = ["a", "b", "c", "d"].map { GroupingFrame(function: $0, inApp: true) }
        let two = try StackTraceRules(parsing: "family:other max-frames=2")
            .contributions(of: frames, initiallyContributing: [true, true, true, false], exception: nil, platform: "python", variant: .system)
        #expect(two.frameContributes == [false, true, true, false])
        #expect(two.frameHints == ["ignored because only 2 frames are considered by stack trace rule (family:other max-frames=2)", nil, nil, nil])

        let one = try StackTraceRules(parsing: "function:a max-frames=3\nfunction:d max-frames=1")
            .contributions(of: frames, initiallyContributing: [true, true, true, true], exception: nil, platform: "python", variant: .system)
        #expect(one.frameContributes == [false, false, false, true])
        #expect(one.frameHints[0] == "ignored because only 1 frame is considered by stack trace rule (function:d max-frames=1)")

        let unlimited = try StackTraceRules(parsing: "family:other max-frames=0")
            .contributions(of: frames, initiallyContributing: [true, true, true, true], exception: nil, platform: "python", variant: .system)
        #expect(unlimited.frameContributes == [true, true, true, true])
    }

    @Test("min-frames discards a stack trace with too few contributing frames, but not one with none")
    func minFrames() throws {
        let frames = ["a", "b", "c"].map { GroupingFrame(function: $0, inApp: true) }
        let rules = try StackTraceRules(parsing: "family:other min-frames=3")
        let few = rules.contributions(of: frames, initiallyContributing: [false, true, true], exception: nil, platform: "python", variant: .system)
        #expect(!few.stacktraceContributes)
        #expect(few.stacktraceHint == "discarded because stack trace only contains 2 frames which is under the configured threshold by stack trace rule (family:other min-frames=3)")
        #expect(few.frameContributes == [false, true, true])

        let single = rules.contributions(of: frames, initiallyContributing: [false, false, true], exception: nil, platform: "python", variant: .system)
        #expect(single.stacktraceHint == "discarded because stack trace only contains 1 frame which is under the configured threshold by stack trace rule (family:other min-frames=3)")

        let none = rules.contributions(of: frames, initiallyContributing: [false, false, false], exception: nil, platform: "python", variant: .system)
        #expect(none.stacktraceContributes && none.stacktraceHint == nil)
        let enough = rules.contributions(of: frames, initiallyContributing: [true, true, true], exception: nil, platform: "python", variant: .system)
        #expect(enough.stacktraceContributes)
    }

    @Test("invert-stacktrace is reported and changes nothing else")
    func invertStacktrace() throws {
        let rules = try StackTraceRules(parsing: "error.mechanism:ANR invert-stacktrace=1")
        let frames = [GroupingFrame(function: "a", inApp: true)]
        let anr = rules.contributions(of: frames, initiallyContributing: [true], exception: GroupingException(mechanism: GroupingMechanism(type: "ANR")),
                                      platform: "java", variant: .app)
        #expect(anr.invertStacktrace && anr.frameContributes == [true] && anr.frameHints == [nil])
        let other = rules.contributions(of: frames, initiallyContributing: [true], exception: GroupingException(type: "E"),
                                        platform: "java", variant: .app)
        #expect(!other.invertStacktrace)
    }

    @Test("the app variant forces frames that are not in-app off, whatever +group says")
    func appVariantForcing() throws {
        let rules = try StackTraceRules(parsing: "function:* +group")
        let frames = [GroupingFrame(function: "a", inApp: false), GroupingFrame(function: "b", inApp: true)]
        let app = rules.contributions(of: frames, initiallyContributing: [false, false], exception: nil, platform: "python", variant: .app)
        #expect(app.frameContributes == [false, true])
        #expect(app.frameHints == ["non app frame", "un-ignored by stack trace rule (function:* +group)"])
        let system = rules.contributions(of: frames, initiallyContributing: [false, false], exception: nil, platform: "python", variant: .system)
        #expect(system.frameContributes == [true, true])
    }

    // MARK: - Sentry's fixtures at the rules level (reference §11)

    /// Example B, `go-pkg-mod.json`: the frame in the module cache is out of app.
    @Test("example B: go_pkg_mod")
    func goPkgMod() {
        var frames = [
            GroupingFrame(function: "FuncJob.Run", module: "github.com/robfig/cron/v3", filename: "cron.go",
                          absPath: "/go/pkg/mod/github.com/robfig/cron/v3@v3.0.1/cron.go"),
            GroupingFrame(function: "background.func2", module: "main", filename: "main.go", absPath: "/app/main.go", inApp: true),
        ]
        let exception = GroupingException(type: "*pq.Error")
        let rules = StackTraceRules.builtInBase
        let inAppHints = rules.classify(&frames, exception: exception, platform: "go")
        let marked = "marked out of app by stack trace rule (path:**/go/pkg/mod/** -app)"
        #expect(frames.map(\.inApp) == [false, true])
        #expect(inAppHints == [marked, nil])

        let app = rules.contributions(of: frames, initiallyContributing: [true, true], inAppHints: inAppHints,
                                      exception: exception, platform: "go", variant: .app)
        #expect(app.frameContributes == [false, true])
        #expect(app.frameHints == [marked, nil])
        let system = rules.contributions(of: frames, initiallyContributing: [true, true], inAppHints: inAppHints,
                                         exception: exception, platform: "go", variant: .system)
        #expect(system.frameContributes == [true, true])
        #expect(system.frameHints == [nil, nil])
    }

    /// Example C, `contributing_system_and_app_frames.json`: four project rules, one per combination.
    @Test("example C: contributing_system_and_app_frames")
    func contributingSystemAndAppFrames() throws {
        let project = try StackTraceRules(parsing: "stack.function:runApp -app -group \n stack.function:handleRequest -app +group \n stack.function:recordMetrics +app -group \n stack.function:playFetch +app +group")
        let rules = StackTraceRules.builtInBase + project
        var frames = [
            GroupingFrame(function: "runApp", filename: "app.js", absPath: "/dogApp/app.js"),
            GroupingFrame(function: "handleRequest", filename: "router.js", absPath: "/node_modules/express/lib/router.js"),
            GroupingFrame(function: "recordMetrics", filename: "metrics.js", absPath: "/dogApp/metrics.js"),
            GroupingFrame(function: "playFetch", filename: "dogpark.js", absPath: "/dogApp/dogpark.js"),
        ]
        let exception = GroupingException(type: "FailedToFetchError", value: "Charlie didn't bring the ball back!")
        let inAppHints = rules.classify(&frames, exception: exception, platform: "javascript")
        #expect(frames.map(\.inApp) == [false, false, true, true])
        let runApp = "marked out of app by stack trace rule (function:runApp -app)"
        let handleRequest = "marked out of app by stack trace rule (function:handleRequest -app)"
        let recordMetrics = "marked in-app by stack trace rule (function:recordMetrics +app)"
        let playFetch = "marked in-app by stack trace rule (function:playFetch +app)"
        #expect(inAppHints == [runApp, handleRequest, recordMetrics, playFetch])

        let app = rules.contributions(of: frames, initiallyContributing: [true, true, true, true], inAppHints: inAppHints,
                                      exception: exception, platform: "javascript", variant: .app)
        #expect(app.frameContributes == [false, false, false, true])
        #expect(app.frameHints == [runApp, handleRequest,
                                   "\(recordMetrics) but ignored by stack trace rule (function:recordMetrics -group)", playFetch])

        let system = rules.contributions(of: frames, initiallyContributing: [true, true, true, true], inAppHints: inAppHints,
                                         exception: exception, platform: "javascript", variant: .system)
        #expect(system.frameContributes == [false, true, false, true])
        #expect(system.frameHints == ["ignored by stack trace rule (function:runApp -group)", nil,
                                      "ignored by stack trace rule (function:recordMetrics -group)", nil])
    }

    /// Example D, `java-chained.json`: `io.sentry.*` is a framework, so the client's only in-app frame is out of
    /// app and, in the system variant, ignored.
    @Test("example D: java_chained")
    func javaChained() {
        var frames = [
            GroupingFrame(function: "main", module: "io.sentry.example.Application", filename: "Application.java", inApp: true),
            GroupingFrame(function: "run", module: "org.springframework.boot.SpringApplication", filename: "SpringApplication.java", inApp: false),
            GroupingFrame(function: "startInternal", module: "org.apache.catalina.connector.Connector", filename: "Connector.java", inApp: false),
            GroupingFrame(function: "bind", module: "sun.nio.ch.Net", filename: "Net.java", inApp: false),
        ]
        let exception = GroupingException(type: "BindException", value: "Address already in use")
        let rules = StackTraceRules.builtInBase
        let inAppHints = rules.classify(&frames, exception: exception, platform: "java")
        let marked = "marked out of app by stack trace rule (category:framework -app)"
        #expect(frames.map(\.inApp) == [false, false, false, false])
        #expect(frames.map(\.category) == ["framework", "framework", "framework", "framework"])
        #expect(inAppHints == [marked, nil, nil, nil])

        let app = rules.contributions(of: frames, initiallyContributing: [true, true, true, true], inAppHints: inAppHints,
                                      exception: exception, platform: "java", variant: .app)
        #expect(app.frameContributes == [false, false, false, false])
        #expect(app.frameHints == [marked, "non app frame", "non app frame", "non app frame"])

        let system = rules.contributions(of: frames, initiallyContributing: [true, true, true, true], inAppHints: inAppHints,
                                         exception: exception, platform: "java", variant: .system)
        #expect(system.frameContributes == [false, true, true, true])
        #expect(system.frameHints == ["ignored by built-in stacktrace rule (module:io.sentry.* -group)", nil, nil, nil])
    }

    @Test("built-in Java rules: runs of java.* frames and thread pools are ignored")
    func javaInternals() {
        var frames = [
            GroupingFrame(function: "run", module: "java.lang.Thread"),
            GroupingFrame(function: "run", module: "java.util.concurrent.ThreadPoolExecutor$Worker"),
            GroupingFrame(function: "runWorker", module: "java.util.concurrent.ThreadPoolExecutor"),
            GroupingFrame(function: "handle", module: "com.acme.Job"),
            GroupingFrame(function: "invoke", module: "java.lang.reflect.Method"),
            GroupingFrame(function: "parse", module: "com.acme.Parser"),
            GroupingFrame(function: "parseInt", module: "java.lang.Integer"),
        ]
        let rules = StackTraceRules.builtInBase
        let inAppHints = rules.classify(&frames, exception: nil, platform: "java")
        #expect(frames.map(\.category) == ["std", "internals", "threadbase", nil, "indirection", nil, "std"])
        #expect(frames.map(\.inApp) == [false, false, false, false, false, false, false])
        let system = rules.contributions(of: frames, initiallyContributing: Array(repeating: true, count: 7), inAppHints: inAppHints,
                                         exception: nil, platform: "java", variant: .system)
        #expect(system.frameContributes == [false, false, false, true, false, true, true])
        let threadbase = "ignored by built-in stacktrace rule (category:threadbase -group v-group)"
        #expect(system.frameHints == [threadbase, "ignored by built-in stacktrace rule (category:internals -group)", threadbase, nil,
                                      "ignored by built-in stacktrace rule (category:indirection -group)", nil, nil])
    }

    @Test("built-in JavaScript, Python and telemetry rules")
    func otherBuiltIns() {
        var frames = [
            GroupingFrame(function: "processTicksAndRejections", filename: "node:internal/process/task_queues", platform: "node"),
            GroupingFrame(function: "get", absPath: "/usr/lib/python3/dist-packages/requests/api.py", platform: "python"),
            GroupingFrame(function: "wrapped", absPath: "/srv/app/node_modules/newrelic/lib/shim.js", platform: "node"),
            GroupingFrame(function: "_callSuper", module: "@babel/runtime/helpers/callSuper", platform: "javascript"),
            GroupingFrame(function: "handler", absPath: "/srv/app/src/handler.js", platform: "node", inApp: true),
        ]
        let rules = StackTraceRules.builtInBase
        _ = rules.classify(&frames, exception: nil, platform: "node")
        #expect(frames.map(\.inApp) == [false, false, false, false, true])
        let system = rules.contributions(of: frames, initiallyContributing: [true, true, true, true, true], exception: nil,
                                         platform: "node", variant: .system)
        #expect(system.frameContributes == [false, true, false, false, true])
        #expect(system.frameHints[0] == "ignored by built-in stacktrace rule (function:{runMicrotasks,queueMicrotask,processTicksAndRejections,runNextTicks,nextTick} -group)")
        // Both JS helper rules match the Babel frame; the first one changed it, so its hint stays.
        #expect(system.frameHints[3] == "ignored by built-in stacktrace rule (module:{@babel,core-js,regenerator-runtime,tslib}/** -group)")
    }

    // MARK: - In-app prefixes

    @Test("in-app prefixes: module prefixes, include wins over exclude")
    func inAppPrefixesModules() {
        var frames = [
            GroupingFrame(module: "com.acme.Api"),
            GroupingFrame(module: "com.acme.vendored.Json"),
            GroupingFrame(module: "org.apache.Foo"),
            GroupingFrame(module: "java.lang.Thread"),
            GroupingFrame(module: "com.acmesoft.Tool"),
            GroupingFrame(module: "org.apache.Bar", inApp: true),
            GroupingFrame(),
        ]
        InAppPrefixes(include: ["com.acme"], exclude: ["com.acme.vendored", "org.apache", ""]).apply(to: &frames, platform: "java")
        #expect(frames.map(\.inApp) == [true, true, false, nil, true, true, nil])
    }

    @Test("in-app prefixes: Python matches whole dotted components")
    func inAppPrefixesPython() {
        var frames = [GroupingFrame(module: "acme"), GroupingFrame(module: "acme.billing"), GroupingFrame(module: "acmesoft.x"),
                      GroupingFrame(module: "requests.api")]
        InAppPrefixes(include: ["acme"], exclude: ["requests"]).apply(to: &frames, platform: "python")
        #expect(frames.map(\.inApp) == [true, true, nil, false])
    }

    @Test("in-app prefixes: path platforms match abs_path or else filename; a frame's platform wins")
    func inAppPrefixesPaths() {
        var frames = [
            GroupingFrame(module: "src/app", absPath: "/var/www/src/App.php"),
            GroupingFrame(filename: "/var/www/vendor/guzzle/Client.php"),
            GroupingFrame(module: "com.acme.Bridge", absPath: "/var/www/vendor/bridge.jar", platform: "java"),
        ]
        InAppPrefixes(include: ["/var/www/src", "com.acme"], exclude: ["/var/www/vendor"]).apply(to: &frames, platform: "php")
        #expect(frames.map(\.inApp) == [true, false, true])
    }

    @Test("in-app prefixes run before the rules, which may override them")
    func inAppPrefixesThenRules() {
        var frames = [GroupingFrame(module: "com.acme.Api"), GroupingFrame(module: "io.sentry.Hub"), GroupingFrame(module: "org.apache.Foo")]
        InAppPrefixes(include: ["com.acme", "io.sentry"], exclude: []).apply(to: &frames, platform: "java")
        let hints = StackTraceRules.builtInBase.classify(&frames, exception: nil, platform: "java")
        #expect(frames.map(\.inApp) == [true, false, false])
        #expect(hints == [nil, "marked out of app by stack trace rule (category:framework -app)",
                          "marked out of app by stack trace rule (category:framework -app)"])
    }
}
