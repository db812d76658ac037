import Testing

@testable import FaultlineCore

@Suite("Record framing")
struct FramingTests {
    struct FormatCase: CustomTestStringConvertible, Sendable {
        var format: String
        var line: String
        var fields: [String: String]
        var testDescription: String { "\(format): \(line.prefix(50))" }
    }

    static let formatCases: [FormatCase] = RecordFormat.builtIn.flatMap { format in
        format.examples.map { FormatCase(format: format.name, line: $0.line, fields: $0.fields) }
    }

    @Test("every built-in record format captures its examples' fields", arguments: formatCases)
    func formatExamples(_ testCase: FormatCase) throws {
        let format = try #require(RecordFormat.builtIn.first { $0.name == testCase.format })
        let matcher = Matcher(try Pattern(format.pattern))
        let match = try #require(try matcher.firstMatch(in: testCase.line), "the pattern does not match")
        for (name, value) in testCase.fields {
            #expect(match[name] == value, "\(name)")
        }
    }

    @Test("each example line is a record start, and the format the framer picks captures the same fields")
    func framerPicksAnEquivalentFormat() throws {
        for format in RecordFormat.builtIn {
            for example in format.examples {
                let framer = RecordFramer(formats: RecordFormat.builtIn, traceStarters: [])
                let kind = Array(example.line.utf8).withUnsafeBytes { framer.classify($0) }
                guard case .start(let found, _) = kind else {
                    Issue.record("\(format.name): not a start: \(example.line)")
                    continue
                }
                let chosen = Matcher(try Pattern(RecordFormat.builtIn[found].pattern))
                let match = try #require(try chosen.firstMatch(in: example.line))
                for (name, value) in example.fields where name != "thread" && name != "thread2" {
                    #expect(match[name] == value, "\(example.line): \(name) via \(RecordFormat.builtIn[found].name)")
                }
            }
        }
    }

    /// Classifies lines in order with one framer, as a file would be read.
    static func classify(_ lines: [String], starters: [String] = []) -> [RecordFramer.Kind] {
        let framer = RecordFramer(formats: RecordFormat.builtIn, traceStarters: starters)
        return lines.map { line in Array(line.utf8).withUnsafeBytes { framer.classify($0) } }
    }

    @Test("the fast path learns a format's shape and level offsets, and agrees with the slow path")
    func fastPathAgrees() throws {
        let lines = [
            "2026-03-01 08:00:00.123 INFO  [main] com.acme.App - started",
            "2026-03-01 08:00:00.124 ERROR [main] com.acme.App - failed",
            "java.lang.IllegalStateException: boom",
            "\tat com.acme.App.main(App.java:12)",
            "2026-03-01 08:00:00.125 WARN  [main] com.acme.App - slow",
            "2026-03-01T08:00:00.126Z error: Unhandled rejection TypeError: x",
            "    at f (/app/x.js:1:2)",
            "2026-03-01 08:00:00,127 ERROR [ForkPoolWorker-1] app.tasks: Task failed",
            "Traceback (most recent call last):",
            "",
            "2026-03-01 08:00:00.128 DEBUG [main] com.acme.App - detail",
        ]
        let framer = RecordFramer(formats: RecordFormat.builtIn, traceStarters: [#"^Traceback \(most recent call last\):$"#])
        var kinds: [RecordFramer.Kind] = []
        for line in lines { kinds.append(Array(line.utf8).withUnsafeBytes { framer.classify($0) }) }
        let levels = kinds.map { kind -> String in
            switch kind {
            case .start(_, let level): return "start:\(level.map { "\($0)" } ?? "-")"
            case .traceStart: return "trace"
            case .continuation: return "cont"
            }
        }
        #expect(levels == ["start:info", "start:error", "cont", "cont", "start:warning", "start:error", "cont",
                           "start:error", "trace", "cont", "start:debug"])
        // The repeated shapes were classified by byte compares: only the first line of each shape, the two
        // non-indented continuation lines and the trace start needed PCRE2.
        #expect(framer.slowClassified <= 6, "slow: \(framer.slowClassified)")
    }

    @Test("the level-word constants are the lower-cased first four letters of each word")
    func levelWordConstants() {
        for entry in RecordFramer.levelWordConstants {
            #expect(RecordFramer.word(entry.word) == entry.value, "\(entry.word)")
            let bytes = Array(String(describing: entry.word).uppercased().utf8) + [0x20]
            #expect(bytes.withUnsafeBytes { RecordFramer.levelWord(in: $0, at: 0, oneLetter: false) } == entry.level)
        }
    }

    @Test("a line whose level sits where the shape has none falls back to PCRE2 and is still right")
    func shiftedLevel() {
        let kinds = Self.classify([
            "2026-03-01 08:00:00.123 INFO  c.a.App - one",
            "2026-03-01 08:00:00 ERROR c.a.App - level four bytes earlier",
        ])
        #expect(kinds[1] == .start(format: 0, level: .error))
    }
}

@Suite("Timestamps")
struct TimestampTests {
    @Test("formats and zones", arguments: [
        ("2026-03-01 08:00:00.123", 1_772_352_000.123, false),
        ("2026-03-01T08:00:00.123Z", 1_772_352_000.123, true),
        ("2026-03-01 09:00:00,500+01:00", 1_772_352_000.5, true),
        ("2026-03-01T03:00:00-0500", 1_772_352_000, true),
        ("2026/03/01 08:00:00", 1_772_352_000, false),
        ("Mar 1, 2026 8:00:00 AM", 1_772_352_000, false),
        ("Sun Mar 01 08:00:00.250 2026", 1_772_352_000.25, false),
    ] as [(String, Double, Bool)])
    func parses(text: String, seconds: Double, zoned: Bool) throws {
        let timestamp = TimestampParser.parse(text)
        let parsed = try #require(timestamp.secondsSince1970)
        #expect(abs(parsed - seconds) < 0.001)
        #expect(timestamp.utcOffsetKnown == zoned)
        #expect(timestamp.text == text)
    }

    @Test("formats without a year keep their text only", arguments: ["Nov 25 10:00:00", "1125 10:00:00.123456"])
    func noYear(text: String) {
        let timestamp = TimestampParser.parse(text)
        #expect(timestamp.secondsSince1970 == nil)
        #expect(timestamp.text == text)
    }
}
