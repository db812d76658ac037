import Testing

@testable import FaultlineCore

@Suite("Message parameterization")
struct ParameterizationTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var input: String
        var expected: String
        var testDescription: String { "\(input.debugDescription) → \(expected.debugDescription)" }

        init(_ input: String, _ expected: String) {
            self.input = input
            self.expected = expected
        }
    }

    static let sentry = MessageParameterization()

    /// The standard cases of Sentry's `test_parameterization.py` (reference §7).
    static let conformanceCases: [Case] = [
        Case("test@email.com", "<email>"),
        Case("http://some.email.com", "<url>"),
        Case("tcp://user:pass@email.com:10", "tcp://user:<email>:<int>"),
        Case("www.example.net", "<hostname>"),
        Case("Option::unwrap()", "Option::unwrap()"),
        Case("0.0.0.0:80", "<ip>:<int>"),
        Case("traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "traceparent: <traceparent>"),
        Case("bea691f2-2e25-4bec-6838-e0c44b03d60a/7c1811ed-cd07-4ba5-8d1c-4b7a1f6e0b3c", "<uuid>/<uuid>"),
        Case("2024-02-20T22:16:36", "<date>"),
        Case("Mon, 02 Jan 2006 15:04:05 -0700", "<date>"),
        Case("20060102T150405+0100", "<date>"),
        Case("11:21PM", "<date>"),
        Case("23:21", "<date>"),
        Case("2024-02-23 02:13:53.418", "<date>"),
        Case("datetime.datetime(2025, 6, 24, 18, 33, 0, 447640)", "<date>"),
        Case("1.234s", "<duration>"),
        Case("10ms", "<duration>"),
        Case("0x9af8", "<hex>"),
        Case("commit a93c7d2", "commit <git_sha>"),
        Case("commit 4150908", "commit <int>"),
        Case("0.23", "<float>"),
        Case("0:17502", "<int>:<int>"),
        Case("b = '1'", "b = '<int>'"),
        Case("b='1'", "b=<quoted_str>"),
        Case(#"b="0.0.0.0 1 a=True""#, "b=<quoted_str>"),
        Case("a=false", "a=<bool>"),
        Case("a = False", "a = False"),
    ]

    /// What the reference documents as wrong in Sentry, as Sentry (newest `int` and `hex`) does it, and the
    /// cases where the newest patterns differ from older ones.
    static let knownBehaviourCases: [Case] = [
        Case("Encoding: utf-8", "Encoding: utf-<int>"),
        Case("4,150,908", "<int>,<int>,<int>"),
        // JSON booleans and ids: `bool` and `quoted_str` need `=` before them.
        Case(#"{"ok": true, "retry": false}"#, #"{"ok": true, "retry": false}"#),
        Case(#"{"user": "alice"}"#, #"{"user": "alice"}"#),
        // Newest `int`: the minus of a range or date stays (the older one gave `<int><int><int>`).
        Case("2006-01-40", "<int>-<int>-<int>"),
        Case("Connector[HTTP/1.1-8080]", "Connector[HTTP/<float>-<int>]"),
        // Newest `hex`: four to six characters with a letter and a digit, eight or more without.
        Case("9af8", "<hex>"),
        Case("deadbeef", "<hex>"),
        Case("12345678", "<hex>"),
        // The verified `javascript_message_parameterization` value (§4).
        Case("testing testing 123, 456, 789", "testing testing <int>, <int>, <int>"),
    ]

    /// Each case holds on its own and with text around it, as in Sentry's test.
    static func variants(of testCase: Case) -> [Case] {
        [
            testCase,
            Case("prefix " + testCase.input, "prefix " + testCase.expected),
            Case(testCase.input + " suffix", testCase.expected + " suffix"),
            Case("prefix " + testCase.input + " suffix", "prefix " + testCase.expected + " suffix"),
        ]
    }

    @Test("Sentry's conformance cases, alone and with a prefix and a suffix", arguments: conformanceCases)
    func conformance(_ testCase: Case) {
        let normalizer = MessageNormalizer(Self.sentry)
        for variant in Self.variants(of: testCase) {
            #expect(normalizer.parameterize(variant.input) == variant.expected)
            #expect(normalizer.normalize(variant.input) == variant.expected)
        }
    }

    @Test("documented quirks and version differences, as the newest Sentry does them", arguments: knownBehaviourCases)
    func knownBehaviour(_ testCase: Case) {
        let normalizer = MessageNormalizer(Self.sentry)
        for variant in Self.variants(of: testCase) {
            #expect(normalizer.parameterize(variant.input) == variant.expected)
        }
    }

    // MARK: - The patterns' own examples

    struct ExampleCase: CustomTestStringConvertible, Sendable {
        var pattern: String
        var example: ParameterizationPattern.Example
        var testDescription: String { "\(pattern): \(example.input.debugDescription)" }
    }

    static let examples: [ExampleCase] = MessageParameterization.sentryPatterns.flatMap { pattern in
        pattern.examples.map { ExampleCase(pattern: pattern.name, example: $0) }
    }

    @Test("each pattern's examples", arguments: examples)
    func example(_ testCase: ExampleCase) {
        let normalizer = MessageNormalizer(Self.sentry)
        #expect(normalizer.parameterize(testCase.example.input) == testCase.example.output)
    }

    @Test("every pattern has examples and compiles on its own")
    func patternsCompile() throws {
        for pattern in MessageParameterization.sentryPatterns + [MessageParameterization.httpStatusPattern] {
            #expect(!pattern.examples.isEmpty, "\(pattern.name) has no examples")
            let compiled = try Pattern(pattern.source, options: [.extended, .unicodeProperties])
            #expect(compiled.captureCount == 0, "\(pattern.name) has capture groups")
        }
    }

    @Test("Sentry's 17 placeholders in Sentry's order, one capture group each, JIT-compiled")
    func combinedPattern() {
        #expect(MessageParameterization.placeholderNames == [
            "email", "url", "hostname", "ip", "traceparent", "uuid", "sha1", "md5", "date", "duration",
            "swift_txn_id", "hex", "git_sha", "float", "int", "quoted_str", "bool",
        ])
        #expect(Self.sentry.alternatives.allSatisfy { $0.action == .replace })
        #expect(Self.sentry.pattern.captureCount == 17)
        #expect(Self.sentry.pattern.isJITCompiled)
        #expect(SentryParameterizationPatterns.dateForms.count == 18)
        #expect(SentryParameterizationPatterns.topLevelDomains.count == 99)
    }

    // MARK: - Python `re` semantics the port keeps (reference §7, PCRE2 port notes)

    static let pythonSemanticsCases: [Case] = [
        // `\s` is Python's: U+001F is space and ends a URL; U+180E is not and does not.
        Case("http://a.example/x\u{1F}y", "<url>\u{1F}y"),
        Case("http://a.example/x\u{180E}y", "<url>"),
        Case("Jan\u{1F}18,\u{1F}2019", "<date>"),
        // `.` stops at `\n` only.
        Case("datetime.datetime(2025,\n1)", "datetime.datetime(<int>,\n<int>)"),
        Case("datetime.datetime(2025,\r1)", "<date>"),
        // `\d`, `\w` and `\b` are Unicode-aware.
        Case("٤٢ errors", "<int> errors"),
        Case("café42", "café42"),
        Case("café 42", "café <int>"),
        Case("Ошибка 42", "Ошибка <int>"),
        // Lookbehinds see the original text, not the replacements.
        Case("1-2", "<int>-<int>"),
        Case("x=1 y='2'", "x=<int> y=<quoted_str>"),
        // The search resumes right after a match, even inside a run of digits or of an email's characters.
        Case("10:00x@y.com", "<date><email>"),
        Case("2024-01-02T10:00:00123s", "<date><duration>"),
        Case("0x1234s", "0x<duration>"),
    ]

    @Test("Python regex semantics", arguments: pythonSemanticsCases)
    func pythonSemantics(_ testCase: Case) {
        #expect(MessageNormalizer(Self.sentry).parameterize(testCase.input) == testCase.expected)
    }

    @Test("long runs stay within the match limits")
    func longRuns() {
        let normalizer = MessageNormalizer(Self.sentry)
        let token = String(repeating: "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo+/=", count: 5_000)
        let digits = String(repeating: "1234567890", count: 20_000)
        let text = "token " + token + " digits " + digits + " mail me@example.com at 10:00"
        #expect(normalizer.parameterize(text) == "token " + token + " digits " + digits + " mail <email> at <date>")
        #expect(normalizer.resourceLimitHits == 0)
    }

    // MARK: - Trimming

    static let trimmingCases: [Case] = [
        Case("", ""),
        Case("one line", "one line"),
        Case("first\nsecond", "first\nsecond"),
        Case("first\nsecond\nthird", "first\nsecond..."),
        Case("first\n", "first..."),
        Case("first\nsecond\n", "first\nsecond..."),
        Case("first\n\n   \n\tsecond\nthird", "first\n\tsecond..."),
        Case("\n\nfirst", "first..."),
        Case("   ", "..."),
        Case("  indented  \n\tsecond ", "  indented  \n\tsecond "),
        Case("first\r\nsecond", "first\nsecond..."),
        Case("first\r\n\r\nsecond", "first\nsecond..."),
        Case("first\rsecond", "first\nsecond..."),
        Case("first\u{2028}second", "first\nsecond..."),
        Case("first\u{2029}second", "first\nsecond..."),
        Case("first\u{0B}second\u{0C}third", "first\nsecond..."),
        Case("first\u{1C}second\u{1D}third\u{1E}", "first\nsecond..."),
        Case("first\u{85}second", "first\nsecond..."),
        // U+001F and U+00A0 are white space but not line breaks.
        Case("first\u{1F}still first", "first\u{1F}still first"),
        Case("\u{A0}\u{1F}\nsecond", "second..."),
        Case("first\u{A0}\nsecond", "first\u{A0}\nsecond"),
        // A line of combining marks is not blank.
        Case("\u{301}\nsecond", "\u{301}\nsecond"),
    ]

    @Test("trimming to the first two non-blank lines", arguments: trimmingCases)
    func trimming(_ testCase: Case) {
        #expect(MessageNormalizer.trimmedToTwoLines(testCase.input) == testCase.expected)
    }

    @Test("normalize trims, then parameterizes")
    func normalize() {
        let normalizer = MessageNormalizer(Self.sentry)
        #expect(normalizer.normalize("user 42 not found\n  at handler 7\n  at main 9")
                == "user <int> not found\n  at handler <int>...")
        #expect(normalizer.normalize("done in 10ms\n") == "done in <duration>...")
    }

    // MARK: - Options beyond Sentry

    @Test("a disabled placeholder keeps its matches whole")
    func disabledPlaceholders() {
        var options = ParameterizationOptions()
        options.disabledPlaceholders = ["ip", "date"]
        let normalizer = MessageNormalizer(MessageParameterization(options: options))
        #expect(normalizer.parameterize("connect 10.0.0.1:5432 failed at 2024-02-20T22:16:36 after 3 tries")
                == "connect 10.0.0.1:<int> failed at 2024-02-20T22:16:36 after <int> tries")
        #expect(MessageNormalizer(Self.sentry).parameterize("connect 10.0.0.1:5432 failed at 2024-02-20T22:16:36")
                == "connect <ip>:<int> failed at <date>")

        options.disabledPlaceholders = ["int"]
        let withoutInt = MessageNormalizer(MessageParameterization(options: options))
        #expect(withoutInt.parameterize("retry 3 of 5 after 0.5") == "retry 3 of 5 after <float>")
    }

    struct StatusCase: CustomTestStringConvertible, Sendable {
        var example: ParameterizationPattern.Example
        var testDescription: String { example.input.debugDescription }
    }

    static let statusExamples = MessageParameterization.httpStatusPattern.examples.map(StatusCase.init)

    @Test("HTTP status codes kept when asked", arguments: statusExamples)
    func httpStatus(_ testCase: StatusCase) {
        var options = ParameterizationOptions()
        options.keepHTTPStatusCodes = true
        let normalizer = MessageNormalizer(MessageParameterization(options: options))
        #expect(normalizer.parameterize(testCase.example.input) == testCase.example.output)
    }

    @Test("without the option, status codes are ints as in Sentry")
    func httpStatusOff() {
        let normalizer = MessageNormalizer(Self.sentry)
        #expect(normalizer.parameterize("HTTP/1.1 404 Not Found") == "HTTP/<float> <int> Not Found")
        #expect(normalizer.parameterize("upstream status=500") == "upstream status=<int>")
    }

    @Test("the status rule stands just before int")
    func httpStatusOrder() {
        var options = ParameterizationOptions()
        options.keepHTTPStatusCodes = true
        options.disabledPlaceholders = ["uuid"]
        let names = MessageParameterization(options: options).alternatives.map(\.pattern.name)
        #expect(names.firstIndex(of: "http_status")! + 1 == names.firstIndex(of: "int")!)
        #expect(names.count == 18)
    }

    @Test("options describe themselves and reject unknown placeholders")
    func optionIdentity() throws {
        #expect(ParameterizationOptions.sentryCompatible.isSentryCompatible)
        #expect(ParameterizationOptions.sentryCompatible.identifier == "sentry")
        try ParameterizationOptions.sentryCompatible.validate()

        var options = ParameterizationOptions()
        options.disabledPlaceholders = ["uuid", "ip"]
        options.keepHTTPStatusCodes = true
        #expect(!options.isSentryCompatible)
        #expect(options.identifier == "keep=ip,uuid;http-status")

        options = ParameterizationOptions()
        options.disabledPlaceholders = ["ipv4"]
        #expect(options.isSentryCompatible)
        #expect(throws: ParameterizationError.unknownPlaceholder("ipv4")) { try options.validate() }
    }
}
