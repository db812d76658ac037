import Foundation
import Testing

@testable import FaultlineCore

private let appleCorpusFolder = corpusPath("apple-crash-report-parser")

private let appleCorpusPresent = FileManager.default.fileExists(atPath: appleCorpusFolder + "/snapshots")

private func parse(_ text: String) -> ParsedTrace? {
    SwiftGrammar().parse(recordLines(text))
}

@Suite("Swift grammar")
struct SwiftGrammarTests {
    private func example(_ prefix: String) throws -> TraceExample {
        try #require(SwiftGrammar.examples.first { $0.name.hasPrefix(prefix) })
    }

    @Test("backtracer frames: symbol, image as package, file, line, column; caller first")
    func backtracerFrames() throws {
        let trace = try #require(parse(try example("index out of range").text))
        let frames = try #require(trace.exceptions.first?.frames)
        let reserve = try #require(frames.first { $0.function == "OrderController.reserve(req:)" })
        #expect(reserve.package == "Inventory")
        #expect(reserve.filename == "/app/Sources/App/Controllers/OrderController.swift")
        #expect(reserve.absPath == "/app/Sources/App/Controllers/OrderController.swift")
        #expect(reserve.lineno == 42)
        #expect(reserve.colno == 31)
        #expect(reserve.module == nil)
        #expect(reserve.inApp == nil)
        #expect(reserve.raw.hasPrefix("2 [ra] 0x000055b3c7e2a1d4 OrderController.reserve(req:) + 1108 in Inventory"))
        let crashing = try #require(frames.last)
        #expect(crashing.package == "libswiftCore.so")
        #expect(crashing.filename == nil)
        #expect(trace.firstTraceLine == 0)
        #expect(trace.threads.isEmpty)
        #expect(trace.unparsedLines.isEmpty, "registers, images and timing lines are skipped")
    }

    @Test("a signal crash is typed by its signal; other threads keep their id and name")
    func signalCrashAndThreads() throws {
        let trace = try #require(parse(try example("a bad pointer dereference").text))
        #expect(trace.exceptions.map(\.type) == ["SIGSEGV"])
        #expect(trace.threads.map(\.id) == ["1"])
        #expect(trace.threads.map(\.state) == ["NIOThreadPool-1"])
        #expect(trace.threads.first?.frames.map(\.function)
            == ["NIOThreadPool.process(identifier:)", "pthread_cond_wait@@GLIBC_2.3.2", "__futex_abstimed_wait_common"])
        let main = try #require(trace.exceptions.first?.frames.first { $0.function == "main" })
        #expect(main.filename == "/app/Sources/Worker/Main.swift")
        #expect(main.lineno == nil, "a location without a line")
        let libc = try #require(trace.exceptions.first?.frames.first)
        #expect(libc.filename == "./csu/../sysdeps/nptl/libc_start_call_main.h")
        #expect(libc.absPath == nil)
    }

    @Test("the signal number names a crash whose description is unknown")
    func signalNumber() throws {
        let trace = try #require(parse("""
            *** Signal 7: Backtracing from 0x55d5a1c8e1a4... done ***

            Thread 0 crashed:

            0 0x000055d5a1c8e1a4 Ring.read() + 20 in worker at /app/Sources/Worker/Ring.swift:12:9
            """))
        #expect(trace.exceptions.map(\.type) == ["SIGBUS"])
        #expect(trace.exceptions.first?.frames.count == 1)
    }

    @Test("source context under a frame becomes its context line")
    func sourceContext() throws {
        let trace = try #require(parse(try example("unwrapping nil").text))
        let getter = try #require(trace.exceptions.first?.frames.last)
        #expect(getter.function == "Config.databaseURL.getter")
        #expect(getter.contextLine == "return URL(string: value!)!")
        #expect(getter.lineno == 27)
        #expect(getter.colno == 49)
        #expect(trace.unparsedLines.isEmpty)
    }

    @Test("Current stack trace: the old message suffix leaves the value; images are packages")
    func currentStackTrace() throws {
        let trace = try #require(parse(try example("Current stack trace").text))
        #expect(trace.exceptions.first?.value == "Unexpectedly found nil while unwrapping an Optional value")
        let frames = try #require(trace.exceptions.first?.frames)
        #expect(frames.count == 9)
        #expect(frames.last?.package == "libswiftCore.so")
        #expect(frames.last?.function == "swift_reportError")
        #expect(frames.first { $0.function == "$s4main4mainyyKF" }?.package == "Run")
        #expect(trace.unparsedLines.isEmpty)
    }

    @Test("a trap without a backtrace gets its file and line as the only frame")
    func trapLocation() throws {
        let trace = try #require(parse(try example("a precondition failure").text))
        let frame = try #require(trace.exceptions.first?.frames.first)
        #expect(frame.function == nil)
        #expect(frame.filename == "App/Models/Stock.swift")
        #expect(frame.lineno == 31)
        let old = try #require(parse("Fatal error: 'try!' expression unexpectedly raised an error: App.ConfigError.missing: file App/main.swift, line 9"))
        #expect(old.exceptions.first?.value == "'try!' expression unexpectedly raised an error: App.ConfigError.missing")
        #expect(old.exceptions.first?.frames.first?.filename == "App/main.swift")
        #expect(old.exceptions.first?.frames.first?.lineno == 9)
    }

    @Test("a crash report's crashed thread: exception type from Exception Type, thread name announced")
    func crashReport() throws {
        let trace = try #require(parse(try example("the crashed thread of an Apple crash report").text))
        let frame = try #require(trace.exceptions.first?.frames.first { $0.function == "OrderViewController.reserve(_:)" })
        #expect(frame.filename == "OrderViewController.swift")
        #expect(frame.lineno == 88)
        #expect(frame.package == "Inventory")
        #expect(trace.threads.map(\.id) == ["1"])
    }

    @Test("a log line before the crash is the message; firstTraceLine points at the trap")
    func firstTraceLine() throws {
        let trace = try #require(parse("""
            2024-03-18T14:02:11+0000 info inventory : [Vapor] Server starting on http://0.0.0.0:8080
            App/Config.swift:27: Fatal error: Unexpectedly found nil while unwrapping an Optional value
            """))
        #expect(trace.firstTraceLine == 1)
    }

    @Test("CRLF endings are read like LF")
    func carriageReturns() throws {
        let texts = ["Fatal error: Index out of range\r", "\r", "Thread 0 crashed:\r", "\r",
                     "0 0x000055d5a1c8e1a4 Ring.read() + 20 in worker at /app/Ring.swift:12:9\r"]
        let trace = try #require(SwiftGrammar().parse(texts.enumerated().map { RecordLine($0.element, number: $0.offset + 1) }))
        #expect(trace.exceptions.first?.value == "Index out of range")
        #expect(trace.exceptions.first?.frames.first?.colno == 9)
        #expect(trace.exceptions.first?.frames.first?.filename == "/app/Ring.swift")
    }

    @Test("a numbered line in a thread that is no frame is reported")
    func unparsedLines() throws {
        let trace = try #require(parse("""
            Fatal error: Index out of range

            Thread 0 crashed:

            0 0x000055d5a1c8e1a4 Ring.read() + 20 in worker at /app/Ring.swift:12:9
            1 ~~ garbled ~~
            2 [ra] 0x000055d5a1c8e2b9 Worker.run() + 121 in worker at /app/Worker.swift:33:9
            """))
        #expect(trace.exceptions.first?.frames.map(\.function) == ["Worker.run()", "Ring.read()"])
        #expect(trace.unparsedLines == [6])
    }

    @Test("no Swift crash: nil")
    func noTrace() {
        #expect(parse("2024-03-18T14:02:11+0000 error inventory : request failed") == nil)
        #expect(parse("PHP Fatal error:  Uncaught Exception: boom in /var/www/index.php:3") == nil)
        #expect(parse("") == nil)
    }

    @Test("the detection pattern does not match other runtimes' lines")
    func detectionIsSpecific() throws {
        let matcher = Matcher(try Pattern(SwiftGrammar.detectionPattern))
        let foreign = [
            "\tat com.acme.api.OrderController.get(OrderController.java:42)",
            "\t/app/server.go:123 +0x1d4",
            "   0: rust_begin_unwind",
            "   0:     0x55d0c3b4e4a3 - std::backtrace_rs::backtrace::libunwind::trace::h5d3d8f8e2c2a1b3c",
            "#0 /var/www/src/Order.php(12): App\\Order->reserve()",
            "PHP Fatal error:  Uncaught Exception: boom in /var/www/index.php:3",
            "Fatal error: Uncaught Error: Call to undefined function foo() in /var/www/index.php:3",
        ]
        for line in foreign { #expect(try !matcher.matches(line), "\(line)") }
        #expect(try matcher.matches("Thread 0 \"main\" crashed:"))
        #expect(try matcher.matches("💣 Program crashed: Bad pointer dereference at 0x0000000000000000"))
        #expect(try matcher.matches("1 [ra] 0x000055d5a1c8e1e9 kaboom() + 9 in crashy at /src/main.swift:30:3"))
        #expect(try matcher.matches("0    libswiftCore.so                    0x00007f0e7f6f7ec0 swift_reportError + 50"))
    }

    @Test("the starter pattern matches runtime traps and not log lines")
    func starters() throws {
        let matchers = try SwiftGrammar.starterPatterns.map { Matcher(try Pattern($0)) }
        func starts(_ line: String) throws -> Bool { try matchers.contains { try $0.matches(line) } }
        #expect(try starts("Fatal error: Index out of range"))
        #expect(try starts("Swift/ContiguousArrayBuffer.swift:600: Fatal error: Index out of range"))
        #expect(try starts("App/Models/Stock.swift:31: Precondition failed: quantity must not be negative"))
        #expect(try !starts("*** Signal 4: Backtracing from 0x7f3e1c8d5b6e... done ***"), "it follows a trap message")
        #expect(try !starts("2024-03-18 error: Fatal error while loading config"))
    }

    // MARK: - Corpus: Apple crash reports against apple-crash-report-parser's snapshots

    /// One thread of a snapshot: id, name, crashed, and per frame the image, symbol, file and line.
    private struct ExpectedThread {
        var id = ""
        var name: String?
        var crashed = false
        var frames: [[String: String]] = []
    }

    /// Reads the `threads:` list of an insta YAML snapshot (only the shapes these snapshots use).
    private func expectedThreads(_ snapshot: String) -> [ExpectedThread] {
        var threads: [ExpectedThread] = []
        var inThreads = false
        var inRegisters = false
        for line in snapshot.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line == "threads:" { inThreads = true; continue }
            guard inThreads else { continue }
            if !line.hasPrefix(" ") { break }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("  - id: ") {
                threads.append(ExpectedThread(id: String(line.dropFirst("  - id: ".count))))
                inRegisters = false
            } else if line == "    registers:" {
                inRegisters = true
            } else if inRegisters {
                continue
            } else if line.hasPrefix("    name: ") {
                threads[threads.count - 1].name = String(line.dropFirst("    name: ".count))
            } else if line.hasPrefix("    crashed: ") {
                threads[threads.count - 1].crashed = line.hasSuffix("true")
            } else if line.hasPrefix("      - ") || line.hasPrefix("        ") {
                let pair = trimmed.hasPrefix("- ") ? String(trimmed.dropFirst(2)) : trimmed
                guard let colon = pair.range(of: ": ") else { continue }
                var value = String(pair[colon.upperBound...])
                if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
                if line.hasPrefix("      - ") { threads[threads.count - 1].frames.append([:]) }
                threads[threads.count - 1].frames[threads[threads.count - 1].frames.count - 1][String(pair[..<colon.lowerBound])] = value
            }
        }
        return threads
    }

    @Test("apple-crash-report-parser: every thread's frames match the snapshot (image, symbol, file, line)",
          .enabled(if: appleCorpusPresent, "the shared corpus is not at ../shared/corpus/apple-crash-report-parser; skipped"),
          arguments: ["handcrafted", "XCDYouTubeKit-54", "bruno", "spaces"])
    func appleCrashReport(_ name: String) throws {
        let report = try String(contentsOfFile: appleCorpusFolder + "/\(name).txt", encoding: .utf8)
        let snapshot = try String(contentsOfFile: appleCorpusFolder + "/snapshots/test_snapshots__\(name).snap", encoding: .utf8)
        let expected = expectedThreads(snapshot)
        let trace = try #require(SwiftGrammar().parse(recordLines(report)))

        // Our threads in the report's order: the crashed one is the exception.
        var parsed = trace.threads.map { (id: $0.id ?? "", name: $0.state, crashed: false, frames: $0.frames) }
        if let exception = trace.exceptions.first, let crashed = expected.first(where: \.crashed) {
            let position = parsed.firstIndex { (Int($0.id) ?? 0) > (Int(crashed.id) ?? 0) } ?? parsed.count
            parsed.insert((id: crashed.id, name: crashed.name, crashed: true, frames: exception.frames), at: position)
        } else {
            #expect(trace.exceptions.isEmpty, "a report without a crashed thread is threads only")
        }

        var frames = 0
        var matched = 0
        #expect(parsed.map(\.id) == expected.map(\.id))
        for (ours, theirs) in zip(parsed, expected) {
            #expect(ours.name == theirs.name, "thread \(theirs.id) name")
            let printed = ours.frames.reversed().map { frame -> [String: String] in
                var fields: [String: String] = [:]
                fields["module"] = frame.package
                fields["symbol"] = frame.function
                fields["filename"] = frame.filename
                fields["lineno"] = frame.lineno.map(String.init)
                return fields
            }
            for (index, wanted) in theirs.frames.enumerated() {
                frames += 1
                let comparable = wanted.filter { $0.key != "instruction_addr" }
                if index < printed.count, printed[index] == comparable { matched += 1 } else {
                    Issue.record("\(name) thread \(theirs.id) frame \(index): \(index < printed.count ? printed[index] : [:]) ≠ \(comparable)")
                }
            }
            #expect(printed.count == theirs.frames.count, "\(name) thread \(theirs.id) frame count")
        }
        if name == "handcrafted" {
            #expect(trace.exceptions.map(\.type) == ["SIGSEGV"])
            #expect(trace.exceptions.first?.value == "SEGV_MAPERR at 0x88")
        }
        #expect(trace.unparsedLines.isEmpty)
        print("apple-crash-report-parser \(name): \(parsed.count)/\(expected.count) threads, \(matched)/\(frames) frames match the snapshot")
    }
}
