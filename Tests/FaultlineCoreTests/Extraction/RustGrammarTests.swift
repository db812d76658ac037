import Foundation
import Testing

@testable import FaultlineCore

private let rustCorpusFolder = corpusPath("rust-lang-rust")

private let rustCorpusPresent = FileManager.default.fileExists(
    atPath: rustCorpusFolder + "/issue-47429-short-backtraces.run.stderr")

private func parse(_ text: String) -> ParsedTrace? {
    RustGrammar().parse(recordLines(text))
}

@Suite("Rust grammar")
struct RustGrammarTests {
    private func example(_ prefix: String) throws -> TraceExample {
        try #require(RustGrammar.examples.first { $0.name.hasPrefix(prefix) })
    }

    @Test("frames: symbol, file of the at line, line and column; caller first")
    func frameFields() throws {
        let trace = try #require(parse(try example("index out of bounds").text))
        let frames = try #require(trace.exceptions.first?.frames)
        #expect(frames.count == 9)
        let app = frames[2]
        #expect(app.function == "inventory::pick_slot")
        #expect(app.filename == "./src/main.rs")
        #expect(app.absPath == nil, "a relative path is no absolute path")
        #expect(app.lineno == 4)
        #expect(app.colno == 20)
        #expect(app.module == nil)
        #expect(app.package == nil)
        #expect(app.inApp == nil)
        #expect(app.raw == "6: inventory::pick_slot\nat ./src/main.rs:4:20")
        let std = try #require(frames.last)
        #expect(std.function == "rust_begin_unwind")
        #expect(std.absPath == "/rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/std/src/panicking.rs")
        #expect(std.lineno == 665)
        #expect(std.colno == 5)
        #expect(trace.unparsedLines.isEmpty)
    }

    @Test("full backtraces: the hash leaves the function and stays in raw; frames without a file keep none")
    func fullBacktrace() throws {
        let trace = try #require(parse(try example("a full backtrace").text))
        let frames = try #require(trace.exceptions.first?.frames)
        let main = try #require(frames.first { $0.function == "inventory::main" })
        #expect(main.raw.hasPrefix("4:     0x55d0c3b2f3c8 - inventory::main::h1a2b3c4d5e6f7a8b"))
        #expect(main.absPath == "/app/src/main.rs")
        #expect(main.lineno == 12)
        let inlined = try #require(frames.first { $0.function == "inventory::stock::Stock::take_checked" })
        #expect(inlined.lineno == 22, "an inlined symbol is a frame with its own at line")
        let start = try #require(frames.first { $0.function == "_start" })
        #expect(start.filename == nil)
        #expect(start.lineno == nil)
        #expect(trace.unparsedLines.isEmpty)
    }

    @Test("without a backtrace the panic location is the only frame")
    func locationFrame() throws {
        let trace = try #require(parse(try example("unwrap on None").text))
        let frame = try #require(trace.exceptions.first?.frames.first)
        #expect(trace.exceptions.first?.frames.count == 1)
        #expect(frame.function == nil)
        #expect(frame.filename == "src/config.rs")
        #expect(frame.lineno == 42)
        #expect(frame.colno == 38)
        #expect(frame.raw == "thread 'main' panicked at src/config.rs:42:38:")
    }

    @Test("a log line before the panic is the message; firstTraceLine points at the header")
    func firstTraceLine() throws {
        let trace = try #require(parse(try example("a tokio worker").text))
        #expect(trace.firstTraceLine == 1)
        #expect(trace.exceptions.count == 1)
    }

    @Test("the message ends at a blank line when no note follows (RUST_BACKTRACE=0)")
    func messageEndsAtBlankLine() throws {
        let trace = try #require(parse("""
            thread 'main' panicked at src/main.rs:2:5:
            boom

            2024-03-18T14:02:12Z  INFO inventory: shutting down
            """))
        #expect(trace.exceptions.first?.value == "boom")
        #expect(trace.unparsedLines.isEmpty)
    }

    @Test("CRLF endings are read like LF")
    func carriageReturns() throws {
        let texts = ["thread 'main' panicked at src/main.rs:2:5:\r", "boom\r", "stack backtrace:\r",
                     "   0: inventory::main\r", "             at ./src/main.rs:2:5\r"]
        let trace = try #require(RustGrammar().parse(texts.enumerated().map { RecordLine($0.element, number: $0.offset + 1) }))
        #expect(trace.exceptions.first?.value == "boom")
        #expect(trace.exceptions.first?.frames.map(\.function) == ["inventory::main"])
        #expect(trace.exceptions.first?.frames.first?.colno == 5)
    }

    @Test("lines inside a backtrace that do not parse are reported")
    func unparsedLines() throws {
        let trace = try #require(parse("""
            thread 'main' panicked at src/main.rs:2:5:
            boom
            stack backtrace:
               0: inventory::main
                         at ./src/main.rs:2:5
                         at ./src/main.rs:3:5
               ~~~ garbled ~~~
               1: core::ops::function::FnOnce::call_once
            """))
        #expect(trace.exceptions.first?.frames.map(\.function)
            == ["core::ops::function::FnOnce::call_once", "inventory::main"])
        #expect(trace.unparsedLines == [6, 7])
    }

    @Test("a backtrace without its header is a panic without a value")
    func headerlessBacktrace() throws {
        let trace = try #require(parse("""
            stack backtrace:
               0: inventory::main
                         at ./src/main.rs:2:5
            """))
        #expect(trace.exceptions.map(\.type) == ["panic"])
        #expect(trace.exceptions.first?.value == nil)
        #expect(trace.exceptions.first?.frames.count == 1)
    }

    @Test("no Rust panic: nil")
    func noTrace() {
        #expect(parse("2024-03-18T14:02:11Z ERROR inventory: request failed: timeout") == nil)
        #expect(parse("") == nil)
    }

    @Test("the detection pattern does not match other runtimes' lines")
    func detectionIsSpecific() throws {
        let matcher = Matcher(try Pattern(RustGrammar.detectionPattern))
        let foreign = [
            "\tat com.acme.api.OrderController.get(OrderController.java:42)",
            "\t/app/server.go:123 +0x1d4",
            "goroutine 1 [running]:",
            "    at handle (/srv/app/server.js:12:5)",
            "1 [ra] 0x000055d5a1c8e1e9 kaboom() + 9 in crashy at /src/main.swift:30:3",
            "0    libswiftCore.so    0x00007f1a2b3c4d5e swift_reportError + 50",
            "   0: some step of a numbered list",
        ]
        for line in foreign { #expect(try !matcher.matches(line), "\(line)") }
        #expect(try matcher.matches("thread 'main' panicked at src/main.rs:5:9:"))
        #expect(try matcher.matches("thread '<unnamed>' (771) panicked at src/worker.rs:5:9:"))
        #expect(try matcher.matches("   1: core::panicking::panic_fmt"))
    }

    @Test("starter patterns match panic headers and not log lines")
    func starters() throws {
        let matchers = try RustGrammar.starterPatterns.map { Matcher(try Pattern($0)) }
        func starts(_ line: String) throws -> Bool { try matchers.contains { try $0.matches(line) } }
        #expect(try starts("thread 'main' panicked at src/main.rs:5:9:"))
        #expect(try starts("thread 'main' panicked at 'boom', src/main.rs:5:9"))
        #expect(try starts("thread 'main' has overflowed its stack"))
        #expect(try !starts("2024-03-18 ERROR thread 'main' panicked at src/main.rs:5:9:"))
        #expect(try !starts("thread pool started with 8 workers"))
    }

    // MARK: - Corpus: rustc UI tests

    @Test("rust-lang/rust: a panic with a short backtrace ($TID and $DIR normalized)",
          .enabled(if: rustCorpusPresent, "the shared corpus is not at ../shared/corpus/rust-lang-rust; skipped"))
    func shortBacktraceCorpus() throws {
        let text = try String(contentsOfFile: rustCorpusFolder + "/issue-47429-short-backtraces.run.stderr", encoding: .utf8)
        let trace = try #require(RustGrammar().parse(recordLines(text)))
        #expect(trace.firstTraceLine == 1)
        #expect(trace.exceptions.map(\.type) == ["panic"])
        #expect(trace.exceptions.first?.value == "explicit panic")
        #expect(trace.exceptions.first?.frames.map(\.function)
            == ["issue_47429_short_backtraces::main", "std::panicking::begin_panic"])
        #expect(trace.unparsedLines.isEmpty)
        print("rust-lang-rust short backtrace: 1/1 panic, \(trace.exceptions.first?.frames.count ?? 0)/2 frames")
    }

    @Test("rust-lang/rust: an ICE whose frames the test harness replaced by markers: they are reported",
          .enabled(if: rustCorpusPresent, "the shared corpus is not at ../shared/corpus/rust-lang-rust; skipped"))
    func iceCorpus() throws {
        let text = try String(contentsOfFile: rustCorpusFolder + "/default-backtrace-ice.stderr", encoding: .utf8)
        let lines = recordLines(text)
        let trace = try #require(RustGrammar().parse(lines))
        let markers = lines.filter { $0.text.hasSuffix("_short_backtrace)") }.map(\.number)
        #expect(markers.count == 4)
        #expect(trace.firstTraceLine == 9)
        #expect(trace.exceptions.map(\.type) == ["panic"])
        #expect(trace.exceptions.first?.value == nil)
        #expect(trace.exceptions.first?.frames.isEmpty == true)
        #expect(trace.unparsedLines == markers)
    }
}
