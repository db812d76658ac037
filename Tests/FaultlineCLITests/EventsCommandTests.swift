import Foundation
import Testing

@Suite("faultline events")
struct EventsCommandTests {
    static let log = """
        2026-03-01 08:00:00.100 INFO  [main] com.acme.Application - Starting acme-shop version 2.4.0
        2026-03-01 08:00:01.200 ERROR [http-nio-8080-exec-1] com.acme.api.OrderController - Unhandled exception
        java.lang.IllegalStateException: Invoice 42 already finalized
        \tat com.acme.billing.Invoice.finalizeTotals(Invoice.java:767)
        \tat com.acme.billing.InvoiceJob.run(InvoiceJob.java:322)
        \tat java.base/java.lang.Thread.run(Thread.java:833)
        2026-03-01 08:00:02.300 WARN  [main] com.acme.db.Pool - Slow query took 1200ms
        2026-03-01 08:00:03.400 ERROR [main] com.acme.db.Pool - Connection pool exhausted
        2026-03-01 08:00:04.500 INFO  [main] com.acme.Application - ExceptionTranslator registered for 3 handlers

        """

    static func withLog<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = try ScanCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(log.utf8).write(to: directory.appendingPathComponent("app.log"))
        return try body(directory)
    }

    @Test("--json: one document with the events, per-file summaries and diagnostics")
    func json() throws {
        try Self.withLog { directory in
            let outcome = try ScanCommandTests.run(["events", "--json", "app.log"], in: directory)
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
            let events = try #require(json["events"] as? [[String: Any]])
            #expect(events.count == 2)
            let first = try #require(events.first)
            #expect(first["level"] as? String == "error")
            #expect(first["logger"] as? String == "com.acme.api.OrderController")
            #expect(first["thread"] as? String == "http-nio-8080-exec-1")
            #expect(first["message"] as? String == "Unhandled exception")
            let origin = try #require(first["origin"] as? [String: Any])
            #expect(origin["firstLine"] as? Int == 2)
            #expect(origin["lastLine"] as? Int == 6)
            let exceptions = try #require(first["exceptions"] as? [[String: Any]])
            #expect(exceptions.count == 1)
            #expect(exceptions.first?["type"] as? String == "IllegalStateException")
            #expect(exceptions.first?["module"] as? String == "java.lang")
            let frames = try #require(exceptions.first?["frames"] as? [[String: Any]])
            #expect(frames.compactMap { $0["function"] as? String } == ["run", "run", "finalizeTotals"])
            let second = try #require(events.last)
            #expect(second["message"] as? String == "Connection pool exhausted")
            #expect((second["exceptions"] as? [Any])?.isEmpty == true)
            let files = try #require(json["files"] as? [[String: Any]])
            #expect(files.first?["events"] as? Int == 2)
            #expect(files.first?["messageEvents"] as? Int == 1)
            #expect(files.first?["records"] as? Int == 5)
        }
    }

    @Test("the text output names each event's origin; --count prints only the counts")
    func text() throws {
        try Self.withLog { directory in
            let outcome = try ScanCommandTests.run(["events", "app.log"], in: directory)
            #expect(outcome.status == 0)
            #expect(outcome.stdout.contains("app.log:2-6  error  java"))
            #expect(outcome.stdout.contains("java.lang.IllegalStateException: Invoice 42 already finalized"))
            #expect(outcome.stdout.contains("app.log:8  error  unknown"))
            let counted = try ScanCommandTests.run(["events", "--count", "app.log"], in: directory)
            #expect(counted.stdout.hasPrefix("2 events (1 with a stack trace, 1 message)"))
        }
    }

    @Test("--level warning makes the WARN record an event too")
    func level() throws {
        try Self.withLog { directory in
            let outcome = try ScanCommandTests.run(["events", "--count", "--level", "warning", "app.log"], in: directory)
            #expect(outcome.stdout.hasPrefix("3 events"))
        }
    }

    @Test("an invalid record-start pattern in the configuration stops the run with PCRE2's message")
    func badPattern() throws {
        try Self.withLog { directory in
            try Data("extraction:\n  record-start: '^(?<ts>\\\\d+'\n".utf8)
                .write(to: directory.appendingPathComponent(".faultline.yml"))
            let outcome = try ScanCommandTests.run(["events", "app.log"], in: directory)
            #expect(outcome.status == 2)
            #expect(outcome.stderr.contains(".faultline.yml:2:17: 'extraction.record-start': invalid pattern at offset"))
            #expect(outcome.stderr.contains("missing closing parenthesis"))
        }
    }
}
