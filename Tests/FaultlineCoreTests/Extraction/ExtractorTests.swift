import Foundation
import Testing

@testable import FaultlineCore

/// End-to-end extraction: text through the reader and the extractor, checked event by event.
@Suite("Event extraction")
struct ExtractorTests {
    struct Collector: EventConsumer {
        var events: [ErrorEvent] = []
        mutating func consume(_ event: ErrorEvent) { events.append(event) }
    }

    /// Writes `text` to a temporary file and extracts it.
    static func extract(_ text: String, settings: ExtractionSettings = ExtractionSettings(),
                        name: String = "app.log") throws -> (events: [ErrorEvent], summary: ExtractionSummary) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-extract-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        var extractor = try EventExtractor(settings: settings, sink: Collector())
        _ = LogReader().read([path], into: &extractor)
        return (extractor.sink.events, extractor.summaries[0])
    }

    @Test("records below the threshold are not events; ERROR records without a trace are message events")
    func threshold() throws {
        let log = """
            2026-03-01 08:00:00.100 INFO  [main] c.a.App - started
            2026-03-01 08:00:00.200 WARN  [main] c.a.App - slow
            2026-03-01 08:00:00.300 ERROR [main] c.a.App - pool exhausted
            2026-03-01 08:00:00.400 FATAL [main] c.a.App - giving up
            """
        let (events, summary) = try Self.extract(log)
        #expect(events.map(\.message) == ["pool exhausted", "giving up"])
        #expect(events.map(\.level) == [.error, .critical])
        #expect(events.allSatisfy { $0.isMessageEvent })
        #expect(summary.records == 4)
        var settings = ExtractionSettings()
        settings.levelThreshold = .warning
        let warnings = try Self.extract(log, settings: settings).events
        #expect(warnings.count == 3)
    }

    @Test("a record repeating another's message and trace reuses its body: same exceptions, own prefix, scrubbed")
    func repeatedRecords() throws {
        let trace = """
            java.lang.IllegalStateException: invoice already sent to bob@example.com
            \tat com.acme.billing.Invoice.send(Invoice.java:42)
            \tat com.acme.billing.Job.run(Job.java:7)
            """
        let log = """
            2026-03-01 08:00:00.100 ERROR [exec-1] c.a.Billing - send failed
            \(trace)
            2026-03-01 08:00:01.100 ERROR [exec-2] c.a.Other - send failed
            \(trace)
            2026-03-01 08:00:02.100 ERROR [exec-3] c.a.Billing - send failed
            \(trace.replacingOccurrences(of: "Job.java:7", with: "Job.java:8"))
            """
        var settings = ExtractionSettings()
        settings.workers = 1
        let (events, summary) = try Self.extract(log, settings: settings)
        try #require(events.count == 3)
        #expect(summary.unparsedLines.isEmpty)
        #expect(events.map(\.thread) == ["exec-1", "exec-2", "exec-3"])
        #expect(events.map(\.logger) == ["c.a.Billing", "c.a.Other", "c.a.Billing"])
        #expect(events.map(\.origin.firstLine) == [1, 5, 9])
        #expect(events[0].exceptions == events[1].exceptions)
        #expect(events[0].exceptions[0].value == "invoice already sent to [email]")
        #expect(events[2].exceptions[0].frames.first?.lineno == 8, "a changed line is a different record")
        #expect(events.allSatisfy { $0.message == "send failed" })
    }

    @Test("a Go panic printed after an INFO line is its own event, blank line and goroutine dump included")
    func goPanicAfterInfo() throws {
        let log = """
            2026-03-01 08:00:00.100 INFO  [inventory] serving request 42
            panic: assignment to entry in nil map

            goroutine 7 [running]:
            github.com/acme/inventory/stock.(*Ledger).Reserve(0xc0001a2000, {0xc0000b4010, 0x8}, 0x3)
            \t/app/stock/ledger.go:88 +0x6c
            net/http.HandlerFunc.ServeHTTP(0xc000010000?, {0x7f3c, 0xc00012a000}, 0x0?)
            \t/usr/local/go/src/net/http/server.go:2136 +0x29
            created by net/http.(*Server).Serve in goroutine 1
            \t/usr/local/go/src/net/http/server.go:3285 +0x4a6
            2026-03-01 08:00:00.200 INFO  [inventory] serving request 43
            """
        let (events, _) = try Self.extract(log)
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.origin.firstLine == 2)
        #expect(event.origin.lastLine == 10)
        #expect(event.runtime == .go)
        #expect(event.exceptions.last?.type == "panic")
        #expect(event.exceptions.last?.value == "assignment to entry in nil map")
        #expect(event.exceptions.last?.frames.last?.function == "(*Ledger).Reserve")
        #expect(event.exceptions.last?.frames.last?.module == "github.com/acme/inventory/stock")
    }

    @Test("Node: the header inside the log message and the at-lines below it")
    func nodeHeaderInMessage() throws {
        let log = """
            2026-03-01T08:00:03.240Z error: Unhandled rejection TypeError: Cannot read properties of undefined (reading 'id')
                at OrderService.load (/app/src/services/orders.js:12:5)
                at async Router.handle (/app/src/routes/orders.js:8:3)
            2026-03-01T08:00:03.300Z info: ok
            """
        let event = try #require(try Self.extract(log).events.first)
        #expect(event.runtime == .node)
        #expect(event.exceptions.last?.type == "TypeError")
        #expect(event.exceptions.last?.frames.map(\.function) == ["Router.handle", "OrderService.load"])
        #expect(event.timestamp?.utcOffsetKnown == true)
    }

    @Test("JSON lines: only records at the threshold are decoded; their stack is parsed by the grammars")
    func jsonLines() throws {
        let stack = #"TypeError: x is undefined\n    at f (/app/a.js:1:2)\n    at g (/app/b.js:3:4)"#
        let log = """
            {"level":30,"time":1772352000000,"msg":"request done","pid":1}
            {"level":50,"time":1772352000100,"msg":"request failed","err":{"type":"TypeError","message":"x is undefined","stack":"\(stack)"}}
            {"level":"error","msg":"no stack here","error":"timeout"}
            """
        let (events, summary) = try Self.extract(log)
        #expect(events.count == 2)
        #expect(events[0].message == "request failed")
        #expect(events[0].exceptions.last?.type == "TypeError")
        #expect(events[0].exceptions.last?.frames.map(\.function) == ["g", "f"])
        #expect(events[1].isMessageEvent)
        #expect(summary.records == 3)
    }

    @Test("Docker json-file: a Java trace written one container line per trace line is one event")
    func dockerWrappedJava() throws {
        let lines = [
            "2026-03-01 08:00:00.300 ERROR [main] c.a.App - failed",
            "java.lang.IllegalStateException: boom",
            "\tat com.acme.App.run(App.java:12)",
            "\tat com.acme.App.main(App.java:5)",
            "2026-03-01 08:00:00.400 INFO  [main] c.a.App - next",
        ]
        let log = lines.map { line in
            let escaped = line.replacingOccurrences(of: "\t", with: "\\t")
            return #"{"log":"\#(escaped)\n","stream":"stdout","time":"2026-03-01T08:00:00.000000000Z"}"#
        }.joined(separator: "\n") + "\n"
        let (events, _) = try Self.extract(log)
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.exceptions.last?.type == "IllegalStateException")
        #expect(event.exceptions.last?.frames.map(\.function) == ["main", "run"])
        #expect(event.origin.firstLine == 1)
        #expect(event.origin.lastLine == 4)
    }

    @Test("java.util.logging's two-line records: the level is on the second line")
    func julTwoLines() throws {
        let log = """
            Nov 25, 2026 10:00:00 AM com.acme.Server handle
            INFO: started
            Nov 25, 2026 10:00:01 AM com.acme.Server handle
            SEVERE: request failed
            java.lang.IllegalArgumentException: bad id
            \tat com.acme.Server.handle(Server.java:42)
            """
        let (events, _) = try Self.extract(log)
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.level == .error)
        #expect(event.message == "request failed")
        #expect(event.logger == "com.acme.Server")
        #expect(event.exceptions.last?.type == "IllegalArgumentException")
    }

    @Test("lines that look like trace lines but parse as nothing are counted, with their line numbers")
    func unparsedLines() throws {
        let log = """
            2026-03-01 08:00:00.300 ERROR [main] c.a.App - failed
            \tat com.acme.App.run(App.java:12)
            \tat com.acme.App.main(App.java
            """
        let (events, summary) = try Self.extract(log)
        #expect(events.count == 1)
        #expect(summary.unparsedLines.map(\.line) == [3], "\(summary.unparsedLines)")
    }

    @Test("chained traces stay one event: Python's separator sentences, Ruby's cause after the last frame")
    func chains() throws {
        let python = """
            2026-03-01 08:00:00,123 ERROR [w] app.tasks: Task failed
            Traceback (most recent call last):
              File "/a.py", line 1, in f
                x()
            KeyError: 1

            During handling of the above exception, another exception occurred:

            Traceback (most recent call last):
              File "/a.py", line 3, in g
                f()
            ValueError: bad
            """
        let pythonEvents = try Self.extract(python).events
        #expect(pythonEvents.count == 1)
        #expect(pythonEvents.first?.exceptions.map(\.type) == ["KeyError", "ValueError"])
        let ruby = """
            /app/models/user.rb:42:in 'validate': boom (ArgumentError)
            \tfrom /app/main.rb:3:in '<main>'
            /app/db.rb:7:in 'connect': refused (IOError)
            \tfrom /app/main.rb:3:in '<main>'
            """
        let rubyEvents = try Self.extract(ruby).events
        #expect(rubyEvents.count == 1)
        #expect(rubyEvents.first?.exceptions.map(\.type) == ["IOError", "ArgumentError"])
    }

    @Test("a top-level exception group printed after an INFO line starts its own event")
    func exceptionGroupAfterInfo() throws {
        let log = """
            2026-03-01 08:00:00,100 INFO [w] app.tasks: started
              + Exception Group Traceback (most recent call last):
              |   File "/app/main.py", line 3, in <module>
              |     raise ExceptionGroup("many", [ValueError(1), TypeError(2)])
              | ExceptionGroup: many (2 sub-exceptions)
              +-+---------------- 1 ----------------
                | ValueError: 1
                +---------------- 2 ----------------
                | TypeError: 2
                +------------------------------------
            """
        let events = try Self.extract(log).events
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.origin.firstLine == 2)
        #expect(event.exceptions.last?.type == "ExceptionGroup")
        #expect(Set(event.exceptions.map(\.type)) == ["ValueError", "TypeError", "ExceptionGroup"])
    }

    @Test("tags from configured patterns on the file name")
    func tags() throws {
        var settings = ExtractionSettings()
        settings.tags = ["service": #"(?<value>[a-z]+)\.log$"#]
        let log = "2026-03-01 08:00:00.300 ERROR [main] c.a.App - failed\n"
        let event = try #require(try Self.extract(log, settings: settings, name: "billing.log").events.first)
        #expect(event.tags["service"] == "billing")
    }
}
