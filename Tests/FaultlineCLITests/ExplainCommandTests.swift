import Foundation
import Testing

@Suite("faultline explain and events --group")
struct ExplainCommandTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    @Test("--sentry-event --format json: every variant with its hash, contributes flag, hint and component tree")
    func sentryEventJSON() throws {
        let directory = try ScanCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let payload = Self.fixtures.appendingPathComponent("go-pkg-mod.json").path
        let outcome = try ScanCommandTests.run(["explain", "--sentry-event", payload, "--format", "json"], in: directory)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(json["config"] as? String == "newstyle:2023-01-11")
        let variants = try #require(json["variants"] as? [String: [String: Any]])
        #expect(variants["app"]?["hash"] as? String == "4b8bbc500bd2cabfcadc1f1be867e0bb")
        #expect(variants["app"]?["contributes"] as? Bool == true)
        #expect(variants["system"]?["hash"] as? String == "348fc4026c9fa11ffba8fbfa80a134c9")
        #expect(variants["default"]?["hash"] is NSNull)
        let component = try #require(variants["app"]?["component"] as? [String: Any])
        #expect(component["id"] as? String == "app")
        let exception = try #require((component["values"] as? [[String: Any]])?.first)
        #expect(exception["id"] as? String == "exception")
        let stacktrace = try #require((exception["values"] as? [[String: Any]])?.first)
        let frames = try #require(stacktrace["values"] as? [[String: Any]])
        #expect(frames.first?["contributes"] as? Bool == false)
        #expect(frames.first?["hint"] as? String == "marked out of app by stack trace rule (path:**/go/pkg/mod/** -app)")
        #expect(frames.last?["contributes"] as? Bool == true)
    }

    @Test("FILE:LINE explains the event at that line of a log, as text")
    func logLine() throws {
        try EventsCommandTests.withLog { directory in
            let outcome = try ScanCommandTests.run(["explain", "app.log:4"], in: directory)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            #expect(outcome.stdout.contains("config: newstyle:2023-01-11"))
            #expect(outcome.stdout.contains("system:\n  hash: \""))
            #expect(outcome.stdout.contains("\"com.acme.billing.Invoice\""))
            #expect(outcome.stdout.contains("\"finalizeTotals\""))
            let missing = try ScanCommandTests.run(["explain", "app.log:1"], in: directory)
            #expect(missing.status == 1)
            #expect(missing.stderr.contains("no event at app.log:1"))
        }
    }

    @Test("project stack trace rules from the configuration mark frames in-app; syntax errors name the file's line")
    func configuredRules() throws {
        try EventsCommandTests.withLog { directory in
            let config = """
                grouping:
                  stack-trace-rules: |
                    stack.module:com.acme.* +app
                """
            try Data(config.utf8).write(to: directory.appendingPathComponent(".faultline.yml"))
            let outcome = try ScanCommandTests.run(["explain", "--format", "json", "app.log:2"], in: directory)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
            let variants = try #require(json["variants"] as? [String: [String: Any]])
            #expect(variants["app"]?["hash"] is String, "com.acme frames are in-app now")

            let broken = """
                grouping:
                  stack-trace-rules: |
                    stack.module:com.acme.* +app
                    [ function:x | +app
                """
            try Data(broken.utf8).write(to: directory.appendingPathComponent(".faultline.yml"))
            let failure = try ScanCommandTests.run(["explain", "app.log:2"], in: directory)
            #expect(failure.status == 2)
            #expect(failure.stderr.contains(".faultline.yml:4:"), "\(failure.stderr)")
            #expect(failure.stderr.contains("'grouping.stack-trace-rules'"))
        }
    }

    @Test("events --group: each event shows its issue; --count counts issues")
    func eventsGroup() throws {
        try EventsCommandTests.withLog { directory in
            let outcome = try ScanCommandTests.run(["events", "--group", "--json", "app.log"], in: directory)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
            let events = try #require(json["events"] as? [[String: Any]])
            let grouping = try #require(events.first?["grouping"] as? [String: Any])
            #expect(grouping["config"] as? String == "newstyle:2023-01-11")
            #expect((grouping["hashes"] as? [String])?.first?.count == 32)
            let counted = try ScanCommandTests.run(["events", "--group", "--count", "app.log"], in: directory)
            #expect(counted.stdout.contains("2 issues by primary hash"))
        }
    }
}
