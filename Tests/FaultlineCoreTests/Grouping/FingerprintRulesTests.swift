import Testing

@testable import FaultlineCore

// MARK: - Events

fileprivate func frame(_ function: String? = nil, module: String? = nil, filename: String? = nil,
                       absPath: String? = nil, package: String? = nil, inApp: Bool? = nil) -> GroupingFrame {
    GroupingFrame(function: function, module: module, filename: filename, absPath: absPath, package: package,
                  inApp: inApp)
}

fileprivate func exception(_ type: String?, _ value: String? = nil, frames: [GroupingFrame]? = nil) -> GroupingException {
    GroupingException(type: type, value: value, stacktrace: frames.map(GroupingStacktrace.init(frames:)))
}

fileprivate func event(platform: String = "python", exceptions: [GroupingException] = [], frames: [GroupingFrame]? = nil,
                       threads: [GroupingThread] = [], message: String? = nil, template: String? = nil,
                       logger: String? = nil, level: String? = nil, transaction: String? = nil, release: String? = nil,
                       sdk: String? = nil, tags: [String: String] = [:]) -> GroupingInput {
    GroupingInput(platform: platform, exceptions: exceptions, stacktrace: frames.map(GroupingStacktrace.init(frames:)),
                  threads: threads, messageTemplate: template, formattedMessage: message, logger: logger, level: level,
                  transaction: transaction, release: release, sdkName: sdk, tags: tags)
}

/// Fingerprint rules (reference §8): the grammar, matchers, rule semantics, variables.
@Suite("FingerprintRules")
struct FingerprintRulesTests {
    static func matches(_ rule: String, _ input: GroupingInput) throws -> Bool {
        try FingerprintRules(parsing: rule + " -> x").firstMatch(for: input) != nil
    }

    static func expected(_ rule: FingerprintRule) -> FingerprintRuleSyntax.ExpectedRule {
        FingerprintRuleSyntax.ExpectedRule(
            rule.matchers.map { [($0.isNegated ? "!" : "") + $0.key.name, $0.pattern] }, rule.fingerprint, title: rule.title)
    }

    // MARK: - Grammar

    struct SyntaxCase: CustomTestStringConvertible, Sendable {
        var example: FingerprintRuleSyntax.Example
        var testDescription: String { example.name }
    }

    @Test("the grammar's examples parse to their rules or fail with Sentry's message",
          arguments: FingerprintRuleSyntax.examples.map(SyntaxCase.init))
    func grammarExample(_ testCase: SyntaxCase) throws {
        let example = testCase.example
        if let message = example.error {
            #expect(throws: FingerprintRuleError.self) { try FingerprintRules(parsing: example.text) }
            do {
                _ = try FingerprintRules(parsing: example.text)
            } catch {
                #expect(error.message == message)
            }
        } else {
            let rules = try FingerprintRules(parsing: example.text)
            #expect(rules.rules.map(Self.expected) == example.rules)
        }
    }

    @Test("every key and alias is accepted with its canonical name")
    func everyKey() throws {
        for (key, canonical) in FingerprintMatcherKey.names {
            let rules = try FingerprintRules(parsing: "\(key):x -> y")
            #expect(rules.rules[0].matchers[0].key == canonical, "\(key)")
        }
        #expect(FingerprintMatcherKey("tags.server_name") == .tag("server_name"))
        #expect(FingerprintMatcherKey("stack.filename") == nil)
        #expect(FingerprintMatcherKey("Type") == nil)
    }

    @Test("syntax errors carry line and column; a TAB is an error where the line stops")
    func errorPosition() {
        do {
            _ = try FingerprintRules(parsing: "type:A -> a\n# ok\n  type:B -> b\tc\n")
            Issue.record("no error")
        } catch {
            #expect(error.reason == .invalidSyntax(near: "\tc\n"))
            #expect(error.line == 3)
            #expect(error.column == 14)
            #expect(error.message == "Invalid syntax near \"\tc\n\" (line 3, column 14)")
        }
    }

    @Test("unknown matchers and attributes keep Sentry's words and say where they are")
    func unknownKeys() {
        do {
            _ = try FingerprintRules(parsing: "type:A -> a\n  foo:b -> c")
            Issue.record("no error")
        } catch {
            #expect(error.reason == .unknownMatcher("foo"))
            #expect(error.message == "Unknown matcher 'foo'")
            #expect((error.line, error.column) == (2, 3))
            #expect(error.description == "Unknown matcher 'foo' (line 2, column 3)")
        }
        do {
            _ = try FingerprintRules(parsing: #"type:A -> a, color="red""#)
            Issue.record("no error")
        } catch {
            #expect(error.message == "Unknown attribute 'color'")
        }
    }

    @Test("rule text is Sentry's display form")
    func ruleText() throws {
        let rules = try FingerprintRules(parsing: #"error.type:Foo !stack.abs_path:**/x/** -> foo{{ error.value }}, title="T {{ type }}""#)
        #expect(rules.rules[0].text == #"type:"Foo" !path:"**/x/**" -> "foo{{ error.value }}" title="T {{ type }}""#)
        let plain = try FingerprintRules(parsing: "tags.a:b -> c, d")
        #expect(plain.rules[0].text == #"tags.a:"b" -> "cd""#)
    }

    @Test("parsing an empty or comment-only text gives no rules")
    func emptyText() throws {
        #expect(try FingerprintRules(parsing: "").rules.isEmpty)
        #expect(try FingerprintRules(parsing: "# only\n\n   \n").rules.isEmpty)
    }

    // MARK: - JSON form

    @Test("the JSON form reads matchers, negation, aliases, title and is_builtin")
    func json() throws {
        let json = #"""
        {"version": 1, "rules": [
          {"matchers": [["error.type", "Foo"], ["!path", "**/x/**"]], "fingerprint": ["foo", "{{default}}"],
           "attributes": {"title": "Foo in {{ function }}"}, "text": "ignored", "is_builtin": true},
          {"matchers": [["tags.region", "eu-*"]], "fingerprint": ["eu"], "attributes": {}}
        ]}
        """#
        let rules = try FingerprintRules(sentryJSON: Array(json.utf8))
        #expect(rules.rules.map(Self.expected) == [
            FingerprintRuleSyntax.ExpectedRule([["type", "Foo"], ["!path", "**/x/**"]], ["foo", "{{ default }}"],
                                               title: "Foo in {{ function }}"),
            FingerprintRuleSyntax.ExpectedRule([["tags.region", "eu-*"]], ["eu"]),
        ])
        #expect(rules.rules.map(\.isBuiltIn) == [true, false])
        #expect(rules.rules[0].text == #"type:"Foo" !path:"**/x/**" -> "foo{{ default }}" title="Foo in {{ function }}""#)
    }

    @Test("the fixtures' bare `_fingerprinting_rules` array is version 1")
    func bareArray() throws {
        let json = #"[{"matchers": [["value", "*went wrong*"]], "fingerprint": ["something-went-wrong", "{{ error.value }}"]}]"#
        let rules = try FingerprintRules(sentryJSON: Array(json.utf8))
        #expect(rules.rules.map(Self.expected) == [
            FingerprintRuleSyntax.ExpectedRule([["value", "*went wrong*"]], ["something-went-wrong", "{{ error.value }}"]),
        ])
    }

    @Test("the JSON form and the text form give the same rules")
    func jsonEqualsText() throws {
        let text = try FingerprintRules(parsing: #"function:a !module:b -> x, {{ default }}, title="t""#)
        let json = try FingerprintRules(sentryJSON: Array(#"""
            {"version":1,"rules":[{"matchers":[["function","a"],["!module","b"]],"fingerprint":["x","{{ default }}"],"attributes":{"title":"t"}}]}
            """#.utf8))
        #expect(text == json)
    }

    @Test("bad JSON is refused with a typed error", arguments: [
        (#"{"version": 2, "rules": []}"#, "invalid fingerprinting config: Unknown version"),
        (#"{"rules": []}"#, "invalid fingerprinting config: 'version' is missing"),
        (#"{"version": 1, "rules": [{"matchers": [["colour", "x"]], "fingerprint": ["a"]}]}"#, "Unknown matcher 'colour'"),
        (#"{"version": 1, "rules": [{"matchers": [["type"]], "fingerprint": ["a"]}]}"#,
         "invalid fingerprinting config: rule 1 has a matcher that is not [key, pattern]"),
        (#"{"version": 1, "rules": [{"matchers": [], "fingerprint": "a"}]}"#,
         "invalid fingerprinting config: rule 1 has no 'fingerprint' list"),
        ("{not json", "invalid fingerprinting config: not JSON"),
    ])
    func badJSON(_ json: String, _ message: String) {
        do {
            _ = try FingerprintRules(sentryJSON: Array(json.utf8))
            Issue.record("no error")
        } catch {
            #expect(error.message == message)
            #expect(error.line == nil)
        }
    }

    // MARK: - Matchers (one row of §8.2 each, case rules, path versus plain globs)

    struct MatcherCase: CustomTestStringConvertible, Sendable {
        var rule: String
        var input: GroupingInput
        var matches: Bool
        var note: String
        var testDescription: String { "\(rule) \(matches ? "~" : "!~") \(note)" }
    }

    static let valueError = event(exceptions: [exception("ValueError", "something went WRONG")])
    static let nodeFrames = event(platform: "node", frames: [
        frame("handleRequest", module: "express/router", filename: "router.js",
              absPath: "/app/node_modules/express/lib/router.js", package: "/usr/lib/libexpress.so", inApp: false),
        frame(nil, filename: "app.js", absPath: "http://example.com/static/app.js", inApp: true),
    ])

    static let matcherCases: [MatcherCase] = [
        // type: glob, case-sensitive
        MatcherCase(rule: "type:ValueError", input: valueError, matches: true, note: "exact"),
        MatcherCase(rule: "error.type:*Error", input: valueError, matches: true, note: "glob"),
        MatcherCase(rule: "type:valueerror", input: valueError, matches: false, note: "case-sensitive"),
        MatcherCase(rule: "type:Value", input: valueError, matches: false, note: "whole value"),
        MatcherCase(rule: "type:*", input: event(message: "m"), matches: false, note: "no exception"),
        MatcherCase(rule: "!type:Foo", input: event(message: "m"), matches: false, note: "no exception record at all"),
        MatcherCase(rule: "!type:Foo", input: event(exceptions: [exception(nil, "v")]), matches: true, note: "missing type"),
        // value: glob, case-insensitive
        MatcherCase(rule: #"value:"*went wrong*""#, input: valueError, matches: true, note: "case-insensitive"),
        MatcherCase(rule: "error.value:SOMETHING*", input: valueError, matches: true, note: "alias"),
        MatcherCase(rule: "value:*", input: event(exceptions: [exception("E")]), matches: false, note: "missing value"),
        // message: formatted message (stripped) or any exception value, case-insensitive
        MatcherCase(rule: "message:*timeout*", input: event(message: "Connection TIMEOUT after 3s"), matches: true,
                    note: "case-insensitive"),
        MatcherCase(rule: "message:\"Failed to load\"", input: event(message: "  Failed to load\n"), matches: true,
                    note: "stripped"),
        MatcherCase(rule: "message:*went*", input: valueError, matches: true, note: "exception value"),
        MatcherCase(rule: "message:*went*", input: event(exceptions: [exception("A", "x"), exception("B", "it went")]),
                    matches: true, note: "any exception value"),
        MatcherCase(rule: "message:tmpl*", input: event(template: "tmpl %s"), matches: false,
                    note: "the template is not matched"),
        MatcherCase(rule: "!message:x", input: event(), matches: false, note: "no message and no exception"),
        // logger: case-sensitive; level: case-insensitive
        MatcherCase(rule: "logger:sentry.*", input: event(logger: "sentry.errors"), matches: true, note: "glob"),
        MatcherCase(rule: "logger:Sentry.*", input: event(logger: "sentry.errors"), matches: false, note: "case-sensitive"),
        MatcherCase(rule: "logger:*", input: event(), matches: false, note: "no logger"),
        MatcherCase(rule: "!logger:*", input: event(), matches: true, note: "no logger, negated"),
        MatcherCase(rule: "level:ERROR", input: event(level: "error"), matches: true, note: "case-insensitive"),
        MatcherCase(rule: "level:error logger:a", input: event(logger: "a", level: "error"), matches: true,
                    note: "logger and level on one record"),
        // tags: case-sensitive
        MatcherCase(rule: "tags.server_name:web-*", input: event(tags: ["server_name": "web-1"]), matches: true, note: "glob"),
        MatcherCase(rule: "tags.server_name:WEB-*", input: event(tags: ["server_name": "web-1"]), matches: false,
                    note: "case-sensitive"),
        MatcherCase(rule: "tags.missing:*", input: event(tags: ["server_name": "web-1"]), matches: false, note: "missing tag"),
        MatcherCase(rule: "!tags.missing:*", input: event(), matches: true, note: "missing tag, negated"),
        // function: case-sensitive, `<unknown>` when missing
        MatcherCase(rule: "function:handle*", input: nodeFrames, matches: true, note: "glob"),
        MatcherCase(rule: "stack.function:Handle*", input: nodeFrames, matches: false, note: "case-sensitive"),
        MatcherCase(rule: "function:<unknown>", input: nodeFrames, matches: true, note: "frame without function"),
        // module: plain glob, `*` crosses `/`
        MatcherCase(rule: "module:express/*", input: nodeFrames, matches: true, note: "plain * crosses /"),
        MatcherCase(rule: "stack.module:Express/*", input: nodeFrames, matches: false, note: "case-sensitive"),
        MatcherCase(rule: "!module:*", input: nodeFrames, matches: true, note: "a frame without module"),
        // path: path glob on abs_path or filename, then filename; case-insensitive; `*` stays in a component
        MatcherCase(rule: "path:**/node_modules/**", input: nodeFrames, matches: true, note: "abs_path"),
        MatcherCase(rule: "stack.abs_path:**/NODE_MODULES/**", input: nodeFrames, matches: true, note: "case-insensitive"),
        MatcherCase(rule: "path:/app/*", input: nodeFrames, matches: false, note: "* does not cross /"),
        MatcherCase(rule: "path:app.js", input: nodeFrames, matches: true, note: "filename when abs_path differs"),
        MatcherCase(rule: "path:**/vendor/**", input: event(frames: [frame("f", absPath: "C:\\app\\vendor\\x.php")]),
                    matches: true, note: "backslashes"),
        MatcherCase(rule: "path:src/*.py", input: event(frames: [frame("f", filename: "src/a.py")]), matches: true,
                    note: "filename without abs_path"),
        MatcherCase(rule: "path:*", input: event(frames: [frame("f")]), matches: false, note: "no path"),
        // package: path glob
        MatcherCase(rule: "package:/USR/lib/*", input: nodeFrames, matches: true, note: "case-insensitive"),
        MatcherCase(rule: "stack.package:/usr/*", input: nodeFrames, matches: false, note: "* does not cross /"),
        MatcherCase(rule: "package:**/libexpress.so", input: nodeFrames, matches: true, note: "**"),
        // app: booleans, any case
        MatcherCase(rule: "app:yes", input: nodeFrames, matches: true, note: "yes"),
        MatcherCase(rule: "app:TRUE", input: nodeFrames, matches: true, note: "TRUE"),
        MatcherCase(rule: "app:0", input: nodeFrames, matches: true, note: "0"),
        MatcherCase(rule: "app:no", input: event(frames: [frame("f")]), matches: false, note: "undecided in_app"),
        MatcherCase(rule: "!app:yes", input: event(frames: [frame("f")]), matches: true, note: "undecided in_app, negated"),
        MatcherCase(rule: "app:maybe", input: nodeFrames, matches: false, note: "not a boolean"),
        // family: comma list, `all`
        MatcherCase(rule: "family:javascript", input: event(platform: "node"), matches: true, note: "node"),
        MatcherCase(rule: "family:native,javascript", input: event(platform: "cocoa"), matches: true, note: "list"),
        MatcherCase(rule: "family:all", input: event(platform: "python"), matches: true, note: "all"),
        MatcherCase(rule: "family:other", input: event(platform: "python"), matches: true, note: "other"),
        MatcherCase(rule: "family:javascript", input: event(platform: "python"), matches: false, note: "python"),
        MatcherCase(rule: "family:Javascript", input: event(platform: "javascript"), matches: false, note: "exact"),
        // sdk: comma list, exact
        MatcherCase(rule: "sdk:sentry.javascript.nextjs", input: event(sdk: "sentry.javascript.nextjs"), matches: true,
                    note: "exact"),
        MatcherCase(rule: "sdk:sentry.python,sentry.javascript.nextjs", input: event(sdk: "sentry.javascript.nextjs"),
                    matches: true, note: "list"),
        MatcherCase(rule: "sdk:sentry.javascript.*", input: event(sdk: "sentry.javascript.nextjs"), matches: false,
                    note: "no glob"),
        MatcherCase(rule: "sdk:other", input: event(), matches: true, note: "no SDK is other"),
        // release: path glob
        MatcherCase(rule: "release:backend@1.*", input: event(release: "backend@1.4.2"), matches: true, note: "glob"),
        MatcherCase(rule: "release:BACKEND@1.*", input: event(release: "backend@1.4.2"), matches: true,
                    note: "case-insensitive"),
        MatcherCase(rule: "release:web*", input: event(release: "web/1.0"), matches: false, note: "* does not cross /"),
        MatcherCase(rule: "release:*", input: event(), matches: false, note: "no release"),
        MatcherCase(rule: "!release:1.0", input: event(), matches: true, note: "no release, negated"),
        // invalid globs never match
        MatcherCase(rule: "type:{ValueError", input: valueError, matches: false, note: "unbalanced brace"),
        MatcherCase(rule: "!type:[Value", input: valueError, matches: true, note: "unbalanced bracket, negated"),
    ]

    @Test("each matcher follows its row of the table", arguments: matcherCases)
    func matcher(_ testCase: MatcherCase) throws {
        #expect(try Self.matches(testCase.rule, testCase.input) == testCase.matches)
    }

    // MARK: - Rule semantics

    @Test("matchers of one record type hold on one record")
    func oneRecordPerGroup() throws {
        let split = event(frames: [frame("a", module: "x"), frame("z", module: "b")])
        let together = event(frames: [frame("z", module: "x"), frame("a", module: "b")])
        #expect(try !Self.matches("function:a module:b", split))
        #expect(try Self.matches("function:a module:b", together))

        let exceptions = event(exceptions: [exception("A", "y"), exception("B", "x")])
        #expect(try !Self.matches("type:A value:x", exceptions))
        #expect(try Self.matches("type:B value:x", exceptions))

        // Different record types are separate: a frame of one exception and the type of another.
        let chain = event(exceptions: [exception("A", frames: [frame("f")]), exception("B", frames: [frame("g")])])
        #expect(try Self.matches("type:A function:g", chain))
        // Frames of exceptions, the top-level stack trace and threads are all frames.
        let everywhere = GroupingInput(platform: "python", stacktrace: GroupingStacktrace(frames: [frame("top")]),
                                       threads: [GroupingThread(stacktrace: GroupingStacktrace(frames: [frame("thread")]))])
        #expect(try Self.matches("function:top", everywhere))
        #expect(try Self.matches("function:thread", everywhere))
    }

    @Test("!path:**/x/** means a frame outside x, not no frame in x")
    func negatedPath() throws {
        let mixed = event(frames: [frame("a", absPath: "/app/x/a.py"), frame("b", absPath: "/app/y/b.py")])
        let inside = event(frames: [frame("a", absPath: "/app/x/a.py"), frame("b", absPath: "/app/x/b.py")])
        #expect(try Self.matches("!path:**/x/**", mixed))
        #expect(try !Self.matches("!path:**/x/**", inside))
        #expect(try !Self.matches("!path:**/x/**", event(message: "no frames")))
    }

    @Test("the first matching rule wins, project rules before built-in ones")
    func firstMatchWins() throws {
        let rules = try FingerprintRules(parsing: "type:Other -> other\ntype:A -> first\ntype:* -> second")
        #expect(rules.firstMatch(for: event(exceptions: [exception("A")]))?.fingerprint == ["first"])
        #expect(rules.firstMatch(for: event(exceptions: [exception("B")]))?.fingerprint == ["second"])
        #expect(rules.firstMatch(for: event(message: "m")) == nil)

        let chunk = event(platform: "javascript", exceptions: [exception("ChunkLoadError", "Loading chunk 5 failed.")])
        let project = try FingerprintRules(parsing: "type:ChunkLoadError -> mine")
        let combined = project + .builtInJavaScript2024
        #expect(combined.firstMatch(for: chunk) == FingerprintMatch(
            ruleText: #"type:"ChunkLoadError" -> "mine""#, fingerprint: ["mine"], title: nil, isBuiltIn: false))
        let builtIn = FingerprintRules() + .builtInJavaScript2024
        #expect(builtIn.firstMatch(for: chunk)?.fingerprint == ["chunkloaderror"])
        #expect(builtIn.firstMatch(for: chunk)?.isBuiltIn == true)

        // A project rule that keeps default grouping stops the built-in ones.
        let stop = try FingerprintRules(parsing: "app:false -> {{ default }}") + .builtInJavaScript2024
        let chunkWithFrames = event(platform: "javascript",
                                    exceptions: [exception("ChunkLoadError", "x", frames: [frame("f", inApp: false)])])
        #expect(stop.firstMatch(for: chunkWithFrames)?.fingerprint == ["{{ default }}"])
    }

    @Test("the built-in JavaScript base: ChunkLoadError by type or value, hydration errors per transaction")
    func builtInJavaScript() throws {
        let rules = FingerprintRules.builtInJavaScript2024
        #expect(rules.rules.count == 7)
        #expect(rules.rules.allSatisfy { $0.isBuiltIn })

        let byValue = event(platform: "javascript", exceptions: [exception("Error", "ChunkLoadError: Loading chunk 5 failed.")])
        #expect(rules.firstMatch(for: byValue)?.fingerprint == ["chunkloaderror"])
        let python = event(platform: "python", exceptions: [exception("ChunkLoadError", "x")])
        #expect(rules.firstMatch(for: python) == nil)

        for message in BuiltInFingerprintRules.reactHydrationMessages {
            let hydration = event(platform: "javascript", exceptions: [exception("Error", message)],
                                  tags: ["transaction": "/checkout"])
            let match = try #require(rules.firstMatch(for: hydration), "\(message)")
            #expect(match.fingerprint == ["hydrationerror", "{{tags.transaction}}"])
            #expect(match.fingerprint.map { FingerprintVariables.resolve($0, in: hydration) } == ["hydrationerror", "/checkout"])
            #expect(match.isBuiltIn)
        }
        let asMessage = event(platform: "node", message: BuiltInFingerprintRules.reactHydrationMessages[4].uppercased(),
                              tags: ["transaction": "/"])
        #expect(rules.firstMatch(for: asMessage)?.fingerprint.first == "hydrationerror")
        let otherError = event(platform: "javascript", exceptions: [exception("Error", "Hydration failed")],
                               tags: ["transaction": "/"])
        #expect(rules.firstMatch(for: otherError) == nil)
    }

    @Test("example E: a value rule with a variable")
    func exampleE() throws {
        let rules = try FingerprintRules(parsing: #"value:"*went wrong*" -> something-went-wrong{{ error.value }}"#)
        let input = event(exceptions: [exception("Exception", "something went WRONG")])
        let match = try #require(rules.firstMatch(for: input))
        #expect(match.fingerprint == ["something-went-wrong", "{{ error.value }}"])
        #expect(match.fingerprint.map { FingerprintVariables.resolve($0, in: input) } == ["something-went-wrong", "something went WRONG"])
        #expect(FingerprintKind(match.fingerprint) == .custom)
        #expect(match.ruleText == #"value:"*went wrong*" -> "something-went-wrong{{ error.value }}""#)
        #expect(!match.isBuiltIn)
        #expect(match.title == nil)
    }

    @Test("a match's title has its variables expanded")
    func title() throws {
        let rules = try FingerprintRules(parsing: #"logger:sentry.* -> logger-{{ logger }}, title="Message from {{ logger }} in {{ function }} ({{ nope }}, {{ default }})""#)
        let input = event(frames: [frame("handle", inApp: true)], logger: "sentry.api")
        let match = try #require(rules.firstMatch(for: input))
        #expect(match.title == "Message from sentry.api in handle ({{ nope }}, {{ default }})")
        #expect(match.fingerprint == ["logger-", "{{ logger }}"])
    }

    // MARK: - Variables

    @Test("variables resolve with Sentry's fallbacks")
    func variables() {
        let full = GroupingInput(
            platform: "python",
            exceptions: [exception("First", "first value"),
                         exception("ValueError", "bad value", frames: [
                             frame("outer", module: "app.main", filename: "main.py", absPath: "/srv/app/main.py",
                                   package: "/srv/lib/libapp.so", inApp: true),
                             frame("inner", module: "lib.util", filename: "util.py", inApp: false),
                         ])],
            formattedMessage: "formatted", logger: "app.log", level: "error", transaction: "/checkout",
            tags: ["region": "eu", "empty": ""])
        let resolved: [String: String] = [
            "{{ transaction }}": "/checkout",
            "{{ message }}": "formatted",
            "{{ type }}": "ValueError",
            "{{ error.type }}": "ValueError",
            "{{ value }}": "bad value",
            "{{error.value}}": "bad value",
            "{{ function }}": "outer",
            "{{ stack.function }}": "outer",
            "{{ path }}": "/srv/app/main.py",
            "{{ stack.abs_path }}": "/srv/app/main.py",
            "{{ stack.filename }}": "main.py",
            "{{ module }}": "app.main",
            "{{ stack.module }}": "app.main",
            "{{ package }}": "libapp.so",
            "{{ stack.package }}": "libapp.so",
            "{{ level }}": "error",
            "{{ logger }}": "app.log",
            "{{ tags.region }}": "eu",
            "{{ tags.empty }}": "",
            "{{ tags.missing }}": "<no-value-for-tag-missing>",
            "{{ default }}": "{{ default }}",
            "{{ unknown }}": "{{ unknown }}",
            "plain": "plain",
            "x{{ type }}": "x{{ type }}",
        ]
        for (variable, value) in resolved {
            #expect(FingerprintVariables.resolve(variable, in: full) == value, "\(variable)")
        }
        let empty = event()
        let fallbacks: [String: String] = [
            "{{ transaction }}": "<no-transaction>", "{{ message }}": "<no-message>", "{{ type }}": "<no-type>",
            "{{ value }}": "<no-value>", "{{ function }}": "<no-function>", "{{ path }}": "<no-abs-path>",
            "{{ stack.filename }}": "<no-filename>", "{{ module }}": "<no-module>", "{{ package }}": "<no-package>",
            "{{ level }}": "<no-level>", "{{ logger }}": "<no-logger>", "{{ tags.x }}": "<no-value-for-tag-x>",
        ]
        for (variable, value) in fallbacks {
            #expect(FingerprintVariables.resolve(variable, in: empty) == value, "\(variable)")
        }
        #expect(FingerprintVariables.resolve("{{ unknown }}", in: empty, legacyUnknownVariables: false)
                == "<unrecognized-variable-unknown>")
    }

    @Test("message falls back to the template, then the last exception's value; empty values count as missing")
    func messageFallbacks() {
        #expect(FingerprintVariables.resolve("{{ message }}", in: event(template: "tmpl %s")) == "tmpl %s")
        #expect(FingerprintVariables.resolve("{{ message }}", in: event(exceptions: [exception("A", "a"), exception("B", "b")])) == "b")
        #expect(FingerprintVariables.resolve("{{ message }}", in: event(exceptions: [exception("B", "b")], message: "")) == "b")
        #expect(FingerprintVariables.resolve("{{ type }}", in: event(exceptions: [exception("", "b")])) == "<no-type>")
        // The last exception only, even when an earlier one has the value.
        #expect(FingerprintVariables.resolve("{{ value }}", in: event(exceptions: [exception("A", "a"), exception("B")])) == "<no-value>")
    }

    @Test("path and filename variables prefer each other's field in turn; package keeps its last segment")
    func frameFieldFallbacks() {
        let onlyFilename = event(frames: [frame("f", filename: "a.py")])
        #expect(FingerprintVariables.resolve("{{ path }}", in: onlyFilename) == "a.py")
        let onlyAbsPath = event(frames: [frame("f", absPath: "/x/a.py")])
        #expect(FingerprintVariables.resolve("{{ stack.filename }}", in: onlyAbsPath) == "/x/a.py")
        let windows = event(frames: [frame("f", package: "C:\\Windows\\System32\\kernel32.dll")])
        #expect(FingerprintVariables.resolve("{{ package }}", in: windows) == "kernel32.dll")
    }

    @Test("the crash frame: last exception, else top-level stack, else the only thread; in-app first from the crash end")
    func crashFrame() {
        // In-app nearest the crash end wins over the crash frame.
        let inApp = event(exceptions: [exception("E", frames: [frame("a", inApp: true), frame("b", inApp: true),
                                                                 frame("c", inApp: false)])])
        #expect(FingerprintVariables.crashFrame(in: inApp)?.function == "b")
        // No in-app frame: the crash frame itself.
        let noInApp = event(exceptions: [exception("E", frames: [frame("a", inApp: false), frame("b")])])
        #expect(FingerprintVariables.crashFrame(in: noInApp)?.function == "b")
        // The last exception's frames, not an earlier exception's.
        let chain = event(exceptions: [exception("Cause", frames: [frame("cause", inApp: true)]),
                                       exception("Outer", frames: [frame("outer", inApp: false)])])
        #expect(FingerprintVariables.crashFrame(in: chain)?.function == "outer")
        // The last exception without frames: the top-level stack trace.
        let fallback = event(exceptions: [exception("Cause", frames: [frame("cause")]), exception("Outer")],
                             frames: [frame("top")])
        #expect(FingerprintVariables.crashFrame(in: fallback)?.function == "top")
        // Then the only thread; two threads give nothing.
        let thread = GroupingThread(stacktrace: GroupingStacktrace(frames: [frame("t1", inApp: true), frame("t2")]))
        #expect(FingerprintVariables.crashFrame(in: event(threads: [thread]))?.function == "t1")
        #expect(FingerprintVariables.crashFrame(in: event(threads: [thread, thread])) == nil)
        #expect(FingerprintVariables.resolve("{{ function }}", in: event(threads: [thread, thread])) == "<no-function>")
    }

    @Test("{{ default }} in any spacing")
    func defaultVariable() {
        #expect(FingerprintVariables.isDefault("{{ default }}"))
        #expect(FingerprintVariables.isDefault("{{default}}"))
        #expect(FingerprintVariables.isDefault("{{   default }}"))
        #expect(!FingerprintVariables.isDefault("{{ Default }}"))
        #expect(!FingerprintVariables.isDefault("{{ default }} x"))
        #expect(!FingerprintVariables.isDefault("x{{ default }}"))
        #expect(!FingerprintVariables.isDefault("default"))
        #expect(FingerprintVariables.variableName("{{ tags.a }}") == "tags.a")
        #expect(FingerprintVariables.variableName("{{ a b }}") == nil)
    }

    @Test("fingerprint kinds")
    func kinds() {
        #expect(FingerprintKind(["{{ default }}"]) == .default)
        #expect(FingerprintKind(["{{default}}"]) == .default)
        #expect(FingerprintKind(["{{ default }}", "x"]) == .hybrid)
        #expect(FingerprintKind(["x", "{{default}}"]) == .hybrid)
        #expect(FingerprintKind(["x", "{{ type }}"]) == .custom)
        #expect(FingerprintKind(["{{ default }}", "{{ default }}"]) == .hybrid)
        #expect(FingerprintKind([]) == .custom)
    }
}
