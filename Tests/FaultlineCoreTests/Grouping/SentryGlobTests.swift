import Testing

@testable import FaultlineCore

@Suite("Sentry globs")
struct SentryGlobTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var pattern: String
        var kind: SentryGlob.Kind
        var value: String
        var matches: Bool
        var testDescription: String { "\(pattern) \(matches ? "~" : "!~") \(value)" }
    }

    static let cases: [Case] = [
        // Plain globs: `*` crosses `/` and line breaks; case as asked.
        Case(pattern: "*Error", kind: .plain(caseSensitive: true), value: "TypeError", matches: true),
        Case(pattern: "*error", kind: .plain(caseSensitive: true), value: "TypeError", matches: false),
        Case(pattern: "*error", kind: .plain(caseSensitive: false), value: "TypeError", matches: true),
        Case(pattern: "*went wrong*", kind: .plain(caseSensitive: false), value: "something went WRONG", matches: true),
        Case(pattern: "a*b", kind: .plain(caseSensitive: true), value: "a/x\ny/b", matches: true),
        Case(pattern: "foo", kind: .plain(caseSensitive: true), value: "foobar", matches: false),
        Case(pattern: "ba?", kind: .plain(caseSensitive: true), value: "bar", matches: true),
        Case(pattern: "[abc]x", kind: .plain(caseSensitive: true), value: "bx", matches: true),
        Case(pattern: "[!abc]x", kind: .plain(caseSensitive: true), value: "bx", matches: false),
        Case(pattern: "[a-c]x", kind: .plain(caseSensitive: true), value: "dx", matches: false),
        Case(pattern: "{runMicrotasks,nextTick}", kind: .plain(caseSensitive: true), value: "nextTick", matches: true),
        Case(pattern: "{@babel,core-js}/**", kind: .plain(caseSensitive: true), value: "core-js/modules/x", matches: true),
        Case(pattern: "lambda$*", kind: .plain(caseSensitive: true), value: "lambda$work$1", matches: true),
        Case(pattern: "io.sentry.*", kind: .plain(caseSensitive: true), value: "io.sentry.example.Application", matches: true),
        Case(pattern: "\\*literal", kind: .plain(caseSensitive: true), value: "*literal", matches: true),
        // Invalid patterns never match.
        Case(pattern: "{a,b", kind: .plain(caseSensitive: true), value: "a", matches: false),
        Case(pattern: "[ab", kind: .plain(caseSensitive: true), value: "a", matches: false),
        // Path globs: `*` stays in one component, `**` crosses, case and backslashes ignored, `/` retried.
        Case(pattern: "**/node_modules/**", kind: .path, value: "/app/node_modules/express/router.js", matches: true),
        Case(pattern: "**/node_modules/**", kind: .path, value: "app/node_modules/x.js", matches: true),
        Case(pattern: "**/node_modules/**", kind: .path, value: "/app/src/x.js", matches: false),
        Case(pattern: "**/site-packages/**", kind: .path, value: "C:\\Python\\Lib\\site-packages\\requests\\api.py", matches: true),
        Case(pattern: "**/go/pkg/mod/**", kind: .path, value: "/go/pkg/mod/github.com/robfig/cron/v3@v3.0.1/chain.go", matches: true),
        Case(pattern: "*.js", kind: .path, value: "/app/x.js", matches: false),
        Case(pattern: "**/*.js", kind: .path, value: "/app/x.js", matches: true),
        Case(pattern: "**/*.JS", kind: .path, value: "/app/X.js", matches: true),
        Case(pattern: "src/*.py", kind: .path, value: "src/a/b.py", matches: false),
        Case(pattern: "src/**/b.py", kind: .path, value: "src/b.py", matches: true),
        Case(pattern: "src/**/b.py", kind: .path, value: "src/a/c/b.py", matches: true),
        Case(pattern: "**/*newrelic*/**", kind: .path, value: "/usr/lib/node_modules/newrelic/lib/x.js", matches: true),
        Case(pattern: "**https://{unpkg.com,cdn.jsdelivr.net}/**", kind: .path, value: "https://unpkg.com/react@18/index.js", matches: true),
        Case(pattern: "app/?.py", kind: .path, value: "app//.py", matches: false),
        Case(pattern: "1.*", kind: .path, value: "1.2.3", matches: true),
    ]

    @Test("patterns match as Sentry's globs do", arguments: cases)
    func matching(_ testCase: Case) {
        #expect(SentryGlob(testCase.pattern, kind: testCase.kind).matches(testCase.value) == testCase.matches)
    }

    @Test("invalid patterns are kept and reported invalid")
    func invalid() {
        #expect(!SentryGlob("{a,{b,c}}", kind: .plain(caseSensitive: true)).isValid)
        #expect(!SentryGlob("[z-a]", kind: .plain(caseSensitive: true)).isValid)
        #expect(SentryGlob("**/x/**", kind: .path).isValid)
    }
}
