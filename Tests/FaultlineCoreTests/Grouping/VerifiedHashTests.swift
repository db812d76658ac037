import Testing

@testable import FaultlineCore

/// The hashes of reference §4 and §11, verified there against Sentry's own snapshots, recomputed from inputs
/// rebuilt from the fixtures' descriptions.
@Suite("Grouping: Sentry's verified hashes (newstyle:2023-01-11)")
struct VerifiedHashTests {
    let grouper = Grouper(configuration: .sentryCompatible)

    static func stack(_ frames: GroupingFrame...) -> GroupingStacktrace { GroupingStacktrace(frames: frames) }

    @Test("frame_sanitizes_erb_templates: the ERB suffix leaves the function; no in-app frame, so no app hash")
    func erbTemplates() {
        let input = GroupingInput(platform: "ruby", stacktrace: Self.stack(
            GroupingFrame(function: "_foo_html_erb__3327151541118998292_70361296749460", filename: "foo.html.erb")))
        let result = grouper.group(input)
        #expect(result.variants["system"]?.hash == "4067a71d7098866f87c746a57a77b2bb")
        #expect(result.variants["app"]?.hash == nil)
    }

    @Test("frame_ignores_java8_lambda_function: lambda$ functions do not contribute")
    func javaLambda() {
        let input = GroupingInput(platform: "java", stacktrace: Self.stack(
            GroupingFrame(function: "lambda$work$1", module: "foo.bar.Baz", filename: "Baz.java")))
        #expect(grouper.group(input).variants["system"]?.hash == "be7f1b8b4014de623c533a8218dba5bd")
    }

    @Test("frame_uses_context_line_over_function: filename and source line")
    func contextLine() {
        let input = GroupingInput(platform: "python", stacktrace: Self.stack(
            GroupingFrame(filename: "foo.py", contextLine: "foo bar")))
        #expect(grouper.group(input).variants["system"]?.hash == "60e0a667027bef0d0b7c4882891df7e8")
    }

    @Test("go_pkg_mod: /go/pkg/mod frames are out of app; value ignored because the stack trace contributes")
    func goPkgMod() {
        let input = GroupingInput(platform: "go", exceptions: [
            GroupingException(type: "*pq.Error", value: "pq: relation \"users\" does not exist", stacktrace: Self.stack(
                GroupingFrame(function: "FuncJob.Run", module: "github.com/robfig/cron/v3", filename: "cron.go",
                              absPath: "/go/pkg/mod/github.com/robfig/cron/v3@v3.0.1/cron.go", lineno: 136),
                GroupingFrame(function: "background.func2", module: "main", filename: "main.go",
                              absPath: "/app/main.go", lineno: 42, inApp: true))),
        ])
        let result = grouper.group(input)
        #expect(result.variants["app"]?.hash == "4b8bbc500bd2cabfcadc1f1be867e0bb")
        #expect(result.variants["system"]?.hash == "348fc4026c9fa11ffba8fbfa80a134c9")
        #expect(result.primaryHash == "4b8bbc500bd2cabfcadc1f1be867e0bb")
    }

    @Test("aspnetcore: C# frames group by module and raw function")
    func aspNetCore() {
        let input = GroupingInput(platform: "csharp", exceptions: [
            GroupingException(type: "System.Exception", value: "Test exception", stacktrace: Self.stack(
                GroupingFrame(function: "lambda_method", module: "(unknown)", inApp: true),
                GroupingFrame(function: "Get", module: "SentryTest2.Controllers.ValuesController", inApp: true))),
        ])
        #expect(grouper.group(input).variants["app"]?.hash == "228c649a3aa0901622c0a0e66ab0522c")
    }

    @Test("exception_compute_hashes: an exception without frames groups by type and value")
    func typeAndValue() {
        let input = GroupingInput(platform: "python", exceptions: [GroupingException(type: "ValueError", value: "hello world")])
        #expect(grouper.group(input).variants["app"]?.hash == "b23ee1963904c2ca87b145febf94b66c")
    }

    @Test("javascript_message_parameterization: numbers in a message become <int>")
    func messageParameterization() {
        let input = GroupingInput(platform: "javascript", formattedMessage: "testing testing 123, 456, 789")
        let result = grouper.group(input)
        #expect(result.variants["default"]?.hash == "f9e47f16e3b9770b440157179c47bf7a")
    }

    @Test("hybrid_fingerprint_base: {{ default }} plus a value salts the app variant")
    func hybridFingerprint() {
        let input = GroupingInput(platform: "javascript", exceptions: [
            GroupingException(type: "FailedToFetchError", value: "FailedToFetchError: Charlie didn't bring the ball back!"),
        ], fingerprint: ["{{ default }}", "dogs are great"])
        #expect(grouper.group(input).variants["app"]?.hash == "e3d593b4335190212ca7c18b8e967fb1")
    }

    @Test("fingerprint-exception-value: a server rule's custom fingerprint replaces the variants")
    func customFingerprint() throws {
        let rules = try FingerprintRules(parsing: #"value:"*went wrong*" -> something-went-wrong{{ error.value }}"#)
        var configuration = GroupingConfiguration.sentryCompatible
        configuration.fingerprintRules = rules + .builtInJavaScript2024
        let input = GroupingInput(platform: "python", exceptions: [GroupingException(type: "Error", value: "something went WRONG")])
        let result = Grouper(configuration: configuration).group(input)
        #expect(result.variants["custom_fingerprint"]?.values == ["something-went-wrong", "something went WRONG"])
        #expect(result.variants["custom_fingerprint"]?.hash == "b687150b39ac1196c8b0a4a2c4f908be")
        #expect(result.variants["app"]?.hash == nil)
        #expect(result.variants["app"]?.hint == "ignored because custom server fingerprint takes precedence")
    }

    @Test("the fallback hash is md5 of nothing")
    func fallback() {
        let result = grouper.group(GroupingInput(platform: "other"))
        #expect(result.variants["fallback"]?.hash == "d41d8cd98f00b204e9800998ecf8427e")
    }
}
