import Testing

@testable import FaultlineCore

/// The beyond-Sentry options: off in compatibility mode, and what each changes when on.
@Suite("Grouping beyond Sentry")
struct BeyondSentryTests {
    static func javaEvent(type: String, frames: [(module: String, function: String)]) -> ErrorEvent {
        ErrorEvent(level: .error, exceptions: [
            ExceptionRecord(type: type, module: "java.lang", frames: frames.map {
                Frame(function: $0.function, module: $0.module, filename: "X.java", raw: "at \($0.module).\($0.function)")
            }),
        ], runtime: .java, origin: EventOrigin(file: "app.log", firstLine: 1, lastLine: 3, byteOffset: 0))
    }

    static func grouped(_ event: ErrorEvent, _ configuration: GroupingConfiguration) -> ErrorEvent {
        var event = event
        let conversion = LogEventConversion()
        let (result, normalized) = Grouper(configuration: configuration).groupReturningInput(conversion.input(for: event))
        event.grouping = EventGrouping(result)
        conversion.copyInApp(from: normalized, to: &event)
        return event
    }

    @Test("without in-app frames the app variant has no hash, unless the system-frames fallback is on")
    func systemFramesFallback() {
        let event = Self.javaEvent(type: "IllegalStateException", frames: [
            ("org.springframework.web.Servlet", "service"), ("org.postgresql.Driver", "connect"),
        ])
        let input = LogEventConversion().input(for: event)
        let sentry = Grouper(configuration: .sentryCompatible).group(input)
        #expect(sentry.variants["app"]?.hash == nil)
        #expect(sentry.config == "newstyle:2023-01-11")

        var configuration = GroupingConfiguration.sentryCompatible
        configuration.fallBackToSystemFramesWithoutInApp = true
        let fallback = Grouper(configuration: configuration).group(input)
        #expect(fallback.variants["app"]?.hash != nil)
        #expect(fallback.variants["app"]?.component.hashedValues.first == "IllegalStateException")
        #expect(fallback.config == "newstyle:2023-01-11+system-fallback", "a changed hash carries a changed config id")
    }

    @Test("keeping HTTP status codes keeps 404 and 500 apart in messages")
    func httpStatusCodes() {
        let notFound = GroupingInput(platform: "python", formattedMessage: "GET /orders failed with status 404")
        let serverError = GroupingInput(platform: "python", formattedMessage: "GET /orders failed with status 500")
        let sentry = Grouper(configuration: .sentryCompatible)
        #expect(sentry.group(notFound).primaryHash == sentry.group(serverError).primaryHash)
        var settings = GroupingSettings()
        settings.keepHTTPStatusCodes = true
        let keeping = Grouper(configuration: settings.configuration)
        #expect(keeping.group(notFound).primaryHash != keeping.group(serverError).primaryHash)
    }

    @Test("issues whose events share their top in-app frames are suggested for merging")
    func mergeSuggestions() {
        var settings = GroupingSettings()
        settings.inAppInclude = ["com.acme"]
        let configuration = settings.configuration
        let frames = [("java.lang.Thread", "run"), ("com.acme.jobs.Worker", "execute"), ("com.acme.billing.Invoice", "finalize")]
        let first = Self.grouped(Self.javaEvent(type: "IllegalStateException", frames: frames), configuration)
        let second = Self.grouped(Self.javaEvent(type: "IllegalArgumentException", frames: frames), configuration)
        let other = Self.grouped(Self.javaEvent(type: "IllegalStateException", frames: [
            ("com.acme.jobs.Worker", "execute"), ("com.acme.mail.Sender", "send"),
        ]), configuration)
        #expect(first.grouping?.primaryHash != second.grouping?.primaryHash, "Sentry keeps the two types apart")
        var merges = MergeSuggestions()
        for event in [first, second, other] { merges.add(event) }
        let suggestions = merges.suggestions
        #expect(suggestions.count == 1)
        #expect(Set(suggestions.first?.issues ?? []) == Set([first.grouping!.primaryHash!, second.grouping!.primaryHash!]))
        #expect(suggestions.first?.frames == ["com.acme.billing.Invoice finalize", "com.acme.jobs.Worker execute"])
    }

    @Test("Python modules are derived from paths under site-packages and configured source roots")
    func pythonModules() {
        let conversion = LogEventConversion(pythonSourceRoots: ["/srv/app"])
        #expect(conversion.pythonModule("/usr/lib/python3.11/site-packages/celery/app/trace.py") == "celery.app.trace")
        #expect(conversion.pythonModule("/srv/app/worker/tasks.py") == "worker.tasks")
        #expect(conversion.pythonModule("/srv/app/worker/__init__.py") == "worker")
        #expect(conversion.pythonModule("/opt/other/x.py") == nil)
        #expect(conversion.pythonModule("C:\\Python\\Lib\\site-packages\\requests\\api.py") == "requests.api")
    }
}
