import Foundation
import Testing

@testable import FaultlineCore

private let corpusFolder = corpusRoot

private let goCorpusPresent = FileManager.default.fileExists(atPath: corpusFolder + "/gostackparse/test-fixtures")

private func parse(_ text: String) -> ParsedTrace? {
    GoGrammar().parse(recordLines(text))
}

/// A frame's function as Go prints it: the package path, a dot, the function.
private func qualified(_ frame: Frame) -> String {
    (frame.module.map { $0 + "." } ?? "") + (frame.function ?? "")
}

private func isCreator(_ frame: Frame) -> Bool { frame.raw.hasPrefix("created by ") }

@Suite("Go grammar")
struct GoGrammarTests {
    // MARK: - Frames and headers

    @Test("package path and function are split as the Sentry Go SDK splits them",
          arguments: [
              ("main.main", "main", "main"),
              ("main.(*Server).handleOrder", "main", "(*Server).handleOrder"),
              ("net/http.(*Server).Serve.func1", "net/http", "(*Server).Serve.func1"),
              ("github.com/acme/inventory/stock.(*Store).Reserve", "github.com/acme/inventory/stock",
               "(*Store).Reserve"),
              ("gopkg.in/yaml%2ev2.handleErr", "gopkg.in/yaml.v2", "handleErr"),
              ("go.uber.org/zap.(*Logger).Error", "go.uber.org/zap", "(*Logger).Error"),
              ("main.glob..func5", "main", "glob..func5"),
              ("main.Map[...]", "main", "Map[...]"),
          ])
    func splitsQualifiedNames(_ name: String, _ module: String, _ function: String) {
        let split = GoGrammar.splitQualifiedName(name)
        #expect(split.module == module)
        #expect(split.function == function)
    }

    @Test("a name without a package keeps no module")
    func nameWithoutPackage() {
        #expect(GoGrammar.splitQualifiedName("panic").module == nil)
        #expect(GoGrammar.splitQualifiedName("panic").function == "panic")
        #expect(GoGrammar.splitQualifiedName("go.shape.int").module == nil)
    }

    @Test("frames carry module, function, file, absolute path, line and both raw lines; caller first")
    func frameFields() throws {
        let trace = try #require(parse("""
            panic: boom

            goroutine 1 [running]:
            main.(*Server).handleOrder(0xc000120000, {0x7f3c, 0xc00012a000})
            \t/app/server.go:123 +0x1d4
            main.main()
            \tcmd/main.go:9 +0x1f
            """))
        let frames = try #require(trace.exceptions.first?.frames)
        #expect(frames.count == 2)
        let crashing = try #require(frames.last)
        #expect(crashing.module == "main")
        #expect(crashing.function == "(*Server).handleOrder")
        #expect(crashing.filename == "/app/server.go")
        #expect(crashing.absPath == "/app/server.go")
        #expect(crashing.lineno == 123)
        #expect(crashing.colno == nil)
        #expect(crashing.inApp == nil)
        #expect(crashing.raw == "main.(*Server).handleOrder(0xc000120000, {0x7f3c, 0xc00012a000})\n/app/server.go:123 +0x1d4")
        #expect(frames[0].filename == "cmd/main.go")
        #expect(frames[0].absPath == nil, "a relative file is no absolute path")
    }

    @Test("the creator frame is kept as the outermost frame, with its file line")
    func creatorFrame() throws {
        let trace = try #require(parse("""
            panic: boom

            goroutine 18 [running]:
            main.work()
            \t/app/main.go:20 +0x40
            created by net/http.(*Server).Serve in goroutine 1
            \t/usr/local/go/src/net/http/server.go:3086 +0x5cb
            """))
        let frames = try #require(trace.exceptions.first?.frames)
        #expect(frames.map(qualified) == ["net/http.(*Server).Serve", "main.work"])
        #expect(frames[0].lineno == 3086)
        #expect(isCreator(frames[0]))
    }

    @Test("exception types: panic (runtime errors too), fatal error, a signal name")
    func exceptionTypes() throws {
        let cases: [(String, String, String)] = [
            ("panic: runtime error: integer divide by zero", "panic", "runtime error: integer divide by zero"),
            ("panic: order A-1 not found", "panic", "order A-1 not found"),
            ("fatal error: concurrent map writes", "fatal error", "concurrent map writes"),
            ("SIGABRT: abort\nPC=0x46d1a1 m=0 sigcode=0", "SIGABRT", "abort"),
        ]
        for (header, type, value) in cases {
            let trace = try #require(parse(header + "\n\ngoroutine 1 [running]:\nmain.main()\n\t/app/main.go:5 +0x1d\n"))
            #expect(trace.exceptions.map(\.type) == [type])
            #expect(trace.exceptions.first?.value == value)
            #expect(trace.exceptions.first?.module == nil)
            #expect(trace.exceptions.first?.frames.count == 1)
        }
    }

    @Test("a multi-line panic message is kept whole")
    func multiLinePanicValue() throws {
        let trace = try #require(parse("""
            panic: pq: duplicate key value violates unique constraint "orders_pkey"
            DETAIL: Key (id)=(42) already exists.

            goroutine 1 [running]:
            main.main()
            \t/app/main.go:5 +0x1d
            """))
        #expect(trace.exceptions.first?.value
            == "pq: duplicate key value violates unique constraint \"orders_pkey\"\nDETAIL: Key (id)=(42) already exists.")
        #expect(trace.unparsedLines.isEmpty)
    }

    @Test("a panic raised while panicking chains both, oldest first, the last one with the frames")
    func nestedPanics() throws {
        let trace = try #require(parse("""
            panic: first [recovered]
            \tpanic: second
            \tpanic: third

            goroutine 1 [running]:
            main.main()
            \t/app/main.go:5 +0x1d
            """))
        #expect(trace.exceptions.map(\.value) == ["first", "second", "third"])
        #expect(trace.exceptions.map(\.relation) == ["context", "context", nil])
        #expect(trace.exceptions.map(\.frames.count) == [0, 0, 1])
    }

    @Test("the crashing goroutine gives the frames; the others, with id and state, are threads")
    func otherGoroutinesAreThreads() throws {
        let trace = try #require(parse("""
            fatal error: all goroutines are asleep - deadlock!

            goroutine 1 [chan receive, 5 minutes]:
            main.main()
            \t/app/main.go:31 +0x8e

            goroutine 6 [select, locked to thread]:
            main.loop()
            \t/app/main.go:77 +0x10c
            created by main.main in goroutine 1
            \t/app/main.go:40 +0x145
            """))
        #expect(trace.exceptions.first?.frames.map(qualified) == ["main.main"])
        #expect(trace.threads.map(\.id) == ["6"])
        #expect(trace.threads.map(\.state) == ["select, locked to thread"])
        #expect(trace.threads.first?.frames.map(qualified) == ["main.main", "main.loop"])
        #expect(trace.threads.allSatisfy { !$0.crashed })
    }

    @Test("runtime stack: becomes a thread; the goroutine keeps the exception's frames")
    func runtimeStack() throws {
        let example = try #require(GoGrammar.examples.first { $0.name.hasPrefix("stack overflow") })
        let trace = try #require(parse(example.text))
        #expect(trace.firstTraceLine == 0, "the runtime: diagnostics open the trace")
        #expect(trace.threads.map(\.state) == ["runtime stack"])
        #expect(trace.threads.first?.frames.map(qualified) == ["runtime.morestack", "runtime.newstack", "runtime.throw"])
        #expect(trace.threads.first?.frames.first?.lineno == 616)
        #expect(trace.unparsedLines.isEmpty)
    }

    @Test("a dump without a panic header is a message event: every goroutine is a thread")
    func headerlessDump() throws {
        let example = try #require(GoGrammar.examples.first { $0.name.contains("debug.Stack") })
        let trace = try #require(parse(example.text))
        #expect(trace.exceptions.isEmpty)
        #expect(trace.firstTraceLine == 1)
        #expect(trace.threads.map(\.id) == ["12"])
        #expect(trace.threads.first?.frames.map(qualified)
            == ["main.startWatchdog", "main.(*Watchdog).check", "runtime/debug.Stack"])
    }

    @Test("a bare stack printed by a logger is read as a thread")
    func bareStack() throws {
        let example = try #require(GoGrammar.examples.first { $0.name.contains("zap") })
        let trace = try #require(parse(example.text))
        #expect(trace.firstTraceLine == 1)
        #expect(trace.threads.count == 1)
        #expect(trace.threads.first?.id == nil)
        #expect(trace.threads.first?.frames.map(qualified)
            == ["net/http.(*conn).serve", "net/http.HandlerFunc.ServeHTTP", "github.com/acme/inventory/api.(*Handler).Reserve"])
        #expect(trace.threads.first?.frames.last?.lineno == 88)
    }

    @Test("a logged recovered panic before a dump gives the exception; the log line stays the message")
    func loggedPanic() throws {
        let trace = try #require(parse("""
            2024-03-18 14:02:11 ERROR recovered from panic: stock: negative quantity
            goroutine 9 [running]:
            main.(*Worker).run(0xc000120000)
            \t/app/worker.go:40 +0x9a
            """))
        #expect(trace.firstTraceLine == 1)
        #expect(trace.exceptions.map(\.type) == ["panic"])
        #expect(trace.exceptions.first?.value == "stock: negative quantity")
        #expect(trace.exceptions.first?.frames.count == 1)
    }

    @Test("log lines before the trace are the message; firstTraceLine points at the header")
    func firstTraceLine() throws {
        let trace = try #require(parse("""
            2024/03/18 14:02:11 starting worker pool size=8
            panic: boom

            goroutine 1 [running]:
            main.main()
            \t/app/main.go:5 +0x1d
            """))
        #expect(trace.firstTraceLine == 1)
    }

    @Test("CRLF endings, space indentation and odd spacing are read like the runtime's own output")
    func robustToSpacing() throws {
        let texts = ["panic: boom\r", "\r", "goroutine 1 [running]:\r", "main.work(...)\r", "    /app/main.go:20\r",
                     "main.main()\r", "  /app/main.go:5 +0x1d  \r"]
        let lines = texts.enumerated().map { RecordLine($0.element, number: $0.offset + 1) }
        let trace = try #require(GoGrammar().parse(lines))
        #expect(trace.exceptions.first?.value == "boom")
        #expect(trace.exceptions.first?.frames.map(\.lineno) == [5, 20])
        #expect(trace.unparsedLines.isEmpty)
    }

    @Test("a stack cut short keeps what it has; a frame line that does not parse is reported")
    func brokenLines() throws {
        let trace = try #require(parse("""
            panic: boom

            goroutine 1 [running]:
            main.work(0x1)
            \t/app/main.go:20 +0x40
            main.main)(
            \t/app/main.go:5 +0x1d
            main.cut()
            """))
        #expect(trace.exceptions.first?.frames.map(qualified) == ["main.cut", "main.work"])
        #expect(trace.exceptions.first?.frames.first?.lineno == nil)
        #expect(trace.unparsedLines == [6, 7])
    }

    @Test("text after the dump ends it without being reported; a second crash is not merged")
    func trailingText() throws {
        let trace = try #require(parse("""
            panic: first

            goroutine 1 [running]:
            main.main()
            \t/app/main.go:5 +0x1d
            exit status 2
            one more line, no multiline
            panic: second

            goroutine 1 [running]:
            main.main()
            \t/app/main.go:6 +0x1d
            """))
        #expect(trace.exceptions.map(\.value) == ["first"])
        #expect(trace.unparsedLines == [8, 10, 11, 12], "the second trace's lines are reported, not dropped")
    }

    @Test("no Go trace: nil")
    func noTrace() {
        #expect(parse("2024-03-18 INFO server started on :8080\nlistening") == nil)
        #expect(parse("") == nil)
        #expect(parse("Traceback (most recent call last):\n  File \"x.py\", line 1, in <module>\nValueError: x") == nil)
    }

    // MARK: - Patterns

    @Test("the detection pattern does not match other runtimes' frame lines")
    func detectionIsSpecific() throws {
        let matcher = Matcher(try Pattern(GoGrammar.detectionPattern))
        let foreign = [
            "\tat com.acme.api.OrderController.get(OrderController.java:42)",
            "   at Acme.Api.OrderController.Get(Int32 id) in C:\\src\\OrderController.cs:line 42",
            "    at handle (/srv/app/server.js:12:5)",
            "  File \"/srv/app/worker.py\", line 12, in process",
            "             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/std/src/panicking.rs:665:5",
            "1 [ra] 0x000055d5a1c8e1e9 kaboom() + 9 in crashy at /src/main.swift:30:3",
            "/app/lib/order.rb:12:in `reserve'",
        ]
        for line in foreign { #expect(try !matcher.matches(line), "\(line)") }
        #expect(try matcher.matches("goroutine 1 [running]:"))
        #expect(try matcher.matches("goroutine 1 gp=0xc000002380 m=0 mp=0x5bb0a0 [running]:"))
        #expect(try matcher.matches("\t/app/server.go:123 +0x1d4"))
        #expect(try matcher.matches("\t/app/server.go:123 +0x1d4\r"))
    }

    @Test("starter patterns match the first line of a crash and not ordinary log lines")
    func starters() throws {
        let matchers = try GoGrammar.starterPatterns.map { Matcher(try Pattern($0)) }
        func starts(_ line: String) throws -> Bool { try matchers.contains { try $0.matches(line) } }
        #expect(try starts("panic: runtime error: index out of range [5] with length 3"))
        #expect(try starts("fatal error: all goroutines are asleep - deadlock!"))
        #expect(try starts("SIGQUIT: quit"))
        #expect(try !starts("goroutine 1 [running]:"), "a goroutine header also follows a panic header")
        #expect(try !starts("2024-03-18 ERROR panic: boom"))
        #expect(try !starts("goroutines: 12"))
        #expect(try !starts("SIGTERM received, shutting down"))
    }

    // MARK: - Corpus: gostackparse golden JSON

    /// gostackparse's expected parse of one dump.
    private struct GoldenDump: Decodable {
        var errors: [String]?
        var goroutines: [GoldenGoroutine]?

        enum CodingKeys: String, CodingKey {
            case errors = "Errors"
            case goroutines = "Goroutines"
        }
    }

    private final class GoldenGoroutine: Decodable {
        let id: Int
        let state: String
        let wait: Int
        let lockedToThread: Bool
        let stack: [GoldenFrame]
        let createdBy: GoldenFrame?
        let ancestor: GoldenGoroutine?

        enum CodingKeys: String, CodingKey {
            case id = "ID", state = "State", wait = "Wait", lockedToThread = "LockedToThread", stack = "Stack"
            case createdBy = "CreatedBy", ancestor = "Ancestor"
        }

        /// The frames as Go printed them: crashing first, without the creator.
        var frameCount: Int { stack.count + (createdBy == nil ? 0 : 1) + (ancestor?.frameCount ?? 0) }
    }

    private struct GoldenFrame: Decodable, Equatable {
        let function: String
        let file: String
        let line: Int

        enum CodingKeys: String, CodingKey { case function = "Func", file = "File", line = "Line" }
    }

    private static let goldenFixtures: [String] = {
        let folder = corpusFolder + "/gostackparse/test-fixtures"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".golden.json") }.map { String($0.dropLast(".golden.json".count)) }.sorted()
    }()

    /// What a golden goroutine should look like in our threads: id, state split as gostackparse splits it,
    /// frames as printed, creator; and the match counts.
    private func compare(_ golden: GoldenGoroutine, with thread: ThreadStack, ancestors: ArraySlice<ThreadStack>,
                         fixture: String) -> (frames: Int, matched: Int, goroutineMatches: Bool) {
        var matched = 0
        var total = 0
        var same = true

        let parts = (thread.state ?? "").components(separatedBy: ", ")
        let isAncestor = (thread.state ?? "").hasPrefix("ancestor of goroutine")
        let state = isAncestor ? "" : parts[0]
        let minutes = parts.first { $0.hasSuffix(" minutes") }.flatMap { Int($0.dropLast(" minutes".count)) } ?? 0
        let locked = parts.contains("locked to thread")
        if thread.id != String(golden.id) || state != golden.state || minutes * 60_000_000_000 != golden.wait
            || locked != golden.lockedToThread {
            same = false
            Issue.record("\(fixture): goroutine \(golden.id) header: got id \(thread.id ?? "nil") state \(thread.state ?? "nil")")
        }

        var frames = thread.frames
        var creator: Frame?
        if let first = frames.first, isCreator(first) { creator = frames.removeFirst() }
        let printed = frames.reversed().map { GoldenFrame(function: qualified($0), file: $0.filename ?? "", line: $0.lineno ?? 0) }
        for (index, expected) in golden.stack.enumerated() {
            total += 1
            if index < printed.count, printed[index] == expected { matched += 1 } else { same = false }
        }
        if printed.count != golden.stack.count {
            same = false
            Issue.record("\(fixture): goroutine \(golden.id): \(printed.count) frames, golden \(golden.stack.count)")
        }
        if let expected = golden.createdBy {
            total += 1
            let got = creator.map { GoldenFrame(function: qualified($0), file: $0.filename ?? "", line: $0.lineno ?? 0) }
            if got == expected { matched += 1 } else { same = false }
        } else if creator != nil {
            same = false
        }
        if let ancestor = golden.ancestor {
            guard let next = ancestors.first else {
                Issue.record("\(fixture): goroutine \(golden.id): ancestor \(ancestor.id) missing")
                return (total + ancestor.frameCount, matched, false)
            }
            let result = compare(ancestor, with: next, ancestors: ancestors.dropFirst(), fixture: fixture)
            total += result.frames
            matched += result.matched
            same = same && result.goroutineMatches
        }
        return (total, matched, same)
    }

    @Test("gostackparse: every goroutine's id, state and frames match the golden JSON",
          .enabled(if: goCorpusPresent, "the shared corpus is not at ../shared/corpus; corpus tests skipped"))
    func gostackparseGolden() throws {
        var goroutines = 0
        var goroutinesMatched = 0
        var frames = 0
        var framesMatched = 0
        for fixture in Self.goldenFixtures {
            let base = corpusFolder + "/gostackparse/test-fixtures/" + fixture
            let text = try String(contentsOfFile: base + ".txt", encoding: .utf8)
            let golden = try JSONDecoder().decode(GoldenDump.self, from: Data(contentsOf: URL(fileURLWithPath: base + ".golden.json")))
            let lines = recordLines(text)
            guard let trace = GoGrammar().parse(lines) else {
                #expect((golden.goroutines ?? []).isEmpty && golden.errors == nil, "\(fixture): nothing parsed")
                continue
            }
            #expect(trace.exceptions.isEmpty, "\(fixture): a dump without a panic header has no exception")

            let live = trace.threads.enumerated().filter { !($0.element.state ?? "").hasPrefix("ancestor") }
            for goldenGoroutine in golden.goroutines ?? [] {
                goroutines += 1
                guard let (offset, thread) = live.first(where: { $0.element.id == String(goldenGoroutine.id) }) else {
                    Issue.record("\(fixture): goroutine \(goldenGoroutine.id) missing")
                    frames += goldenGoroutine.frameCount
                    continue
                }
                let ancestors = trace.threads[(offset + 1)...].prefix { ($0.state ?? "").hasPrefix("ancestor of goroutine \(goldenGoroutine.id)") }
                let result = compare(goldenGoroutine, with: thread, ancestors: ancestors, fixture: fixture)
                frames += result.frames
                framesMatched += result.matched
                if result.goroutineMatches { goroutinesMatched += 1 }
            }
            // gostackparse drops a goroutine with a bad line; we keep what parses and report the line.
            for error in golden.errors ?? [] {
                guard let number = Self.lineNumber(inError: error), !error.hasSuffix(#": """#) else { continue }
                #expect(trace.unparsedLines.contains(number), "\(fixture): \(error)")
            }
            if golden.errors == nil { #expect(trace.unparsedLines.isEmpty, "\(fixture): \(trace.unparsedLines)") }
        }
        print("gostackparse: \(goroutinesMatched)/\(goroutines) goroutines, \(framesMatched)/\(frames) frames match the golden JSON")
        #expect(goroutines > 0)
        #expect(goroutinesMatched == goroutines)
        #expect(framesMatched == frames)
    }

    private static func lineNumber(inError error: String) -> Int? {
        guard let range = error.range(of: #"on line (\d+)"#, options: .regularExpression) else { return nil }
        return Int(error[range].dropFirst("on line ".count))
    }

    // MARK: - Corpus: panicparse, fluent-bit, fluent-plugin-detect-exceptions

    @Test("panicparse: the captured pprof debug=2 dump, 71 goroutines, every frame read",
          .enabled(if: goCorpusPresent, "the shared corpus is not at ../shared/corpus; corpus tests skipped"))
    func panicparseDump() throws {
        let source = try String(contentsOfFile: corpusFolder + "/panicparse/raw/static_panicweb.go", encoding: .utf8)
        let opening = try #require(source.range(of: "const staticPanicweb = `"))
        let closing = try #require(source[opening.upperBound...].firstIndex(of: "`"))
        let dump = String(source[opening.upperBound..<closing])
        let extracted = try? String(contentsOfFile: corpusFolder + "/panicparse/extracted/static_panicweb.txt", encoding: .utf8)
        if let extracted { #expect(extracted == dump, "the extracted copy matches the raw string") }

        let lines = recordLines(dump)
        let trace = try #require(GoGrammar().parse(lines))
        let headers = lines.filter { $0.text.hasPrefix("goroutine ") }.map { line in
            String(line.text.dropFirst("goroutine ".count).prefix { $0 != " " })
        }
        let fileLines = lines.filter { $0.text.hasPrefix("\t") }.count
        let parsedFrames = trace.threads.flatMap(\.frames)
        print("panicparse: \(trace.threads.count)/\(headers.count) goroutines, \(parsedFrames.filter { $0.lineno != nil }.count)/\(fileLines) frames with file and line")

        #expect(trace.exceptions.isEmpty)
        #expect(trace.threads.count == 71)
        #expect(trace.threads.map(\.id) == headers)
        #expect(parsedFrames.count == fileLines)
        #expect(parsedFrames.allSatisfy { $0.filename != nil && $0.lineno != nil && $0.function != nil })
        #expect(trace.threads.filter { $0.state == "chan receive, 2 minutes, locked to thread" }.count == 1)
        #expect(trace.threads.first?.frames.map(qualified).first == "net/http.(*Server).Serve", "creator outermost")
        #expect(trace.unparsedLines.isEmpty)
    }

    @Test("fluent-bit: the Go panic in a mixed log, cut at its starter line, with 3 more goroutines",
          .enabled(if: goCorpusPresent, "the shared corpus is not at ../shared/corpus; corpus tests skipped"))
    func fluentBitLog() throws {
        let text = try String(contentsOfFile: corpusFolder + "/fluent-bit/filter_multiline_test.log", encoding: .utf8)
        let all = recordLines(text)
        let starters = try GoGrammar.starterPatterns.map { Matcher(try Pattern($0)) }
        let start = try #require(try all.firstIndex { line in try starters.contains { try $0.matches(line.text) } })
        let record = Array(all[start...])

        let trace = try #require(GoGrammar().parse(record))
        #expect(trace.firstTraceLine == 0)
        #expect(trace.exceptions.map(\.type) == ["panic"])
        #expect(trace.exceptions.first?.value == "my panic")
        #expect(trace.exceptions.first?.frames.map(qualified)
            == ["main.main", "runtime.goexit", "main.main.func1", "panic"])
        #expect(trace.exceptions.first?.frames.last?.filename == "/usr/local/go/src/runtime/panic.go")
        #expect(trace.threads.map(\.id) == ["1", "2", "3"])
        #expect(trace.threads.map(\.state) == ["chan receive", "force gc (idle)", "GC sweep wait"])
        #expect(trace.threads.map(\.frames.count) == [7, 5, 5])
        #expect(trace.unparsedLines.isEmpty, "the trailing log line is not part of the dump")
        print("fluent-bit: 4/4 goroutines, \(trace.exceptions[0].frames.count + trace.threads.flatMap(\.frames).count)/21 frames")
    }

    @Test("fluent-plugin-detect-exceptions: the Go samples",
          .enabled(if: goCorpusPresent, "the shared corpus is not at ../shared/corpus; corpus tests skipped"))
    func detectExceptionsSamples() throws {
        func sample(_ name: String) throws -> ParsedTrace {
            let text = try String(contentsOfFile: corpusFolder + "/fluent-plugin-detect-exceptions/extracted/\(name).txt",
                                  encoding: .utf8)
            return try #require(GoGrammar().parse(recordLines(text)), "\(name)")
        }

        let panic = try sample("GO_EXC")
        #expect(panic.exceptions.map(\.type) == ["panic"])
        #expect(panic.exceptions.first?.value == "my panic")
        #expect(panic.exceptions.first?.frames.map(qualified) == ["main.main", "runtime.goexit", "main.main.func1", "panic"])
        #expect(panic.threads.map(\.id) == ["1", "2", "3"])
        #expect(panic.unparsedLines.isEmpty)

        let http = try sample("GO_HTTP")
        #expect(http.firstTraceLine == 1, "the net/http log line is the message")
        #expect(http.exceptions.map(\.type) == ["panic"])
        #expect(http.exceptions.first?.value == "test panic")
        #expect(http.exceptions.first?.frames.count == 8)
        #expect(http.exceptions.first?.frames.last?.function == "(*conn).serve.func1")
        #expect(http.unparsedLines.isEmpty)

        let appEngine = try sample("GO_ON_GAE_EXC")
        #expect(appEngine.exceptions.map(\.type) == ["panic"])
        #expect(appEngine.exceptions.first?.value == "runtime error: index out of range")
        #expect(appEngine.exceptions.first?.frames.count == 8)
        #expect(appEngine.exceptions.first?.frames.last?.module == "main88989")
        #expect(appEngine.exceptions.first?.frames.first?.filename == nil, "the cut-off file line")
        #expect(appEngine.unparsedLines == [19], "the truncated `\\t/tmp/ap` line is reported")

        let signal = try sample("GO_SIGNAL_EXC")
        #expect(signal.exceptions.map(\.type) == ["panic"])
        #expect(signal.exceptions.first?.value == "runtime error: invalid memory address or nil pointer dereference")
        #expect(signal.exceptions.first?.frames.map(qualified) == ["main.main", "panics.Wait", "panics.nilPtrDereference"])
        #expect(signal.exceptions.first?.frames.first?.filename == "server.go")
        #expect(signal.unparsedLines.isEmpty)
    }
}
