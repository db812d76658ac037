import Foundation
import Testing

@testable import FaultlineCore

private let corpusFolder = corpusRoot

private let pythonCorpusPresent = FileManager.default.fileExists(atPath: corpusFolder + "/pygments/pytb/database.pytb")

@Suite("Python grammar")
struct PythonGrammarTests {
    private func parse(_ text: String) -> ParsedTrace? {
        PythonGrammar().parse(recordLines(text))
    }

    @Test("frames carry path, line, function and the source line as the Sentry Python SDK fills them")
    func frameFields() throws {
        let trace = try #require(parse("""
            Task failed
            Traceback (most recent call last):
              File "/srv/app/worker/tasks.py", line 12, in process_order
                order = load_order(order_id)
                        ^^^^^^^^^^^^^^^^^^^^
              File "<frozen importlib._bootstrap>", line 241, in _call_with_frames_removed
            redis.exceptions.TimeoutError: Timeout reading from socket
            """))
        #expect(trace.runtime == .python)
        #expect(trace.firstTraceLine == 1)
        #expect(trace.unparsedLines.isEmpty)
        let exception = try #require(trace.exceptions.first)
        #expect(exception.type == "TimeoutError")
        #expect(exception.module == "redis.exceptions")
        #expect(exception.relation == nil)
        #expect(exception.frames == [
            Frame(function: "process_order", filename: "/srv/app/worker/tasks.py", absPath: "/srv/app/worker/tasks.py",
                  lineno: 12, contextLine: "order = load_order(order_id)",
                  raw: #"File "/srv/app/worker/tasks.py", line 12, in process_order"#),
            Frame(function: "_call_with_frames_removed", filename: "<frozen importlib._bootstrap>",
                  absPath: "<frozen importlib._bootstrap>", lineno: 241,
                  raw: #"File "<frozen importlib._bootstrap>", line 241, in _call_with_frames_removed"#),
        ])
    }

    @Test("chain relations: context and cause, oldest first")
    func chainRelations() throws {
        let trace = try #require(parse("""
            Traceback (most recent call last):
              File "a.py", line 1, in f
            KeyError: 'k'

            During handling of the above exception, another exception occurred:

            Traceback (most recent call last):
              File "a.py", line 3, in f
            ValueError: v

            The above exception was the direct cause of the following exception:

            Traceback (most recent call last):
              File "a.py", line 5, in g
            RuntimeError: r
            """))
        #expect(trace.exceptions.map(\.type) == ["KeyError", "ValueError", "RuntimeError"])
        #expect(trace.exceptions.map(\.relation) == ["context", "cause", nil])
        #expect(trace.exceptions.map(\.module) == [nil, nil, nil])
    }

    @Test("exception group members carry the relation group; a member's own chain is kept")
    func groupRelations() throws {
        let trace = try #require(parse("""
              + Exception Group Traceback (most recent call last):
              |   File "g.py", line 9, in <module>
              |     raise ExceptionGroup("two", errors)
              | ExceptionGroup: two (2 sub-exceptions)
              +-+---------------- 1 ----------------
                | Traceback (most recent call last):
                |   File "g.py", line 3, in load
                |     {}["k"]
                |     ~~^^^^^
                | KeyError: 'k'
                |
                | During handling of the above exception, another exception occurred:
                |
                | Traceback (most recent call last):
                |   File "g.py", line 5, in load
                |     raise LookupError("missing")
                | LookupError: missing
                +---------------- 2 ----------------
                | and 1 more exception
                +------------------------------------
            """))
        // The SDK's walk is [group, LookupError, KeyError]; reversed.
        #expect(trace.exceptions.map(\.type) == ["KeyError", "LookupError", "ExceptionGroup"])
        #expect(trace.exceptions.map(\.relation) == ["context", "group", nil])
        #expect(trace.exceptions[1].frames.map(\.contextLine) == [#"raise LookupError("missing")"#])
        #expect(trace.unparsedLines.isEmpty)
    }

    @Test("a top-level group raised while handling another exception")
    func groupWithContext() throws {
        let trace = try #require(parse("""
            Traceback (most recent call last):
              File "g.py", line 2, in <module>
            OSError: first

            During handling of the above exception, another exception occurred:

              + Exception Group Traceback (most recent call last):
              |   File "g.py", line 4, in <module>
              | ExceptionGroup: later (1 sub-exception)
              +-+---------------- 1 ----------------
                | ValueError: member
                +------------------------------------
            """))
        // Walk: group, its context OSError, member ValueError → reversed.
        #expect(trace.exceptions.map(\.type) == ["ValueError", "OSError", "ExceptionGroup"])
        #expect(trace.exceptions.map(\.relation) == ["group", "context", nil])
    }

    @Test("CRLF endings, tabs for indentation and terminal colours are read")
    func oddSpacing() throws {
        // A line splitter leaves the `\r` of CRLF at the end of each line.
        let lines = [
            "Traceback (most recent call last):\r", "\tFile \"/srv/a.py\", line 3, in run\r", "\t\tdo()\r",
            "\u{1B}[1;35mValueError\u{1B}[0m: \u{1B}[35mbad\u{1B}[0m\r",
        ].enumerated().map { RecordLine($0.element, number: $0.offset + 1) }
        let trace = try #require(PythonGrammar().parse(lines))
        let exception = try #require(trace.exceptions.first)
        #expect(exception.type == "ValueError")
        #expect(exception.value == "bad")
        #expect(exception.frames.first?.function == "run")
        #expect(exception.frames.first?.contextLine == "do()")
        #expect(exception.frames.first?.filename == "/srv/a.py")
    }

    @Test("a Windows SyntaxError location gives the file name to the value; a message-less exception takes no more lines")
    func syntaxErrorAndBareType() throws {
        let syntax = try #require(parse("""
              File "C:\\app\\settings.py", line 3
                x = (1,
                    ^
            SyntaxError: '(' was never closed
            """))
        #expect(syntax.exceptions.first?.value == "'(' was never closed (settings.py, line 3)")
        let bare = try #require(parse("""
            Traceback (most recent call last):
              File "/srv/a.py", line 3, in run
            KeyboardInterrupt
            shutting down workers
            """))
        #expect(bare.exceptions.first?.type == "KeyboardInterrupt")
        #expect(bare.exceptions.first?.value == nil)
    }

    @Test("a line that only looks like a start is passed over for the real traceback after it")
    func falseStart() throws {
        let trace = try #require(parse("""
            #Traceback (most recent call last):
            #ValueError: commented out
            Traceback (most recent call last):
              File "/srv/a.py", line 3, in run
            KeyError: 'k'
            """))
        #expect(trace.firstTraceLine == 2)
        #expect(trace.exceptions.map(\.type) == ["KeyError"])
    }

    @Test("a trace cut before its exception line keeps its frames under an unknown type")
    func cutShort() throws {
        let trace = try #require(parse("""
            Traceback (most recent call last):
              File "/srv/a.py", line 3, in run
                do()
              File "/srv/a.py", line 9, in do
            """))
        #expect(trace.exceptions.map(\.type) == ["<unknown>"])
        #expect(trace.exceptions.first?.frames.map(\.function) == ["run", "do"])
    }

    @Test("frame-like lines that do not parse, and a second unrelated traceback, are reported")
    func unparsed() throws {
        let trace = try #require(parse("""
            Traceback (most recent call last):
              File "/srv/a.py", line 3, in run
              File "/srv/a.py", line ?, in broken
            ValueError: x
            Traceback (most recent call last):
              File "/srv/b.py", line 1, in <module>
            KeyError: 'y'
            """))
        #expect(trace.exceptions.map(\.type) == ["ValueError"])
        #expect(trace.exceptions.first?.frames.count == 1)
        #expect(trace.unparsedLines == [3, 6])
    }

    @Test("records without a Python traceback are left alone", arguments: [
        "Exception in thread \"main\" java.lang.IllegalStateException: x\n\tat com.acme.A.b(A.java:10)",
        "/app/models/user.rb:42:in `validate': bad (ArgumentError)\n\tfrom /app/x.rb:1:in `<main>'",
        "PHP Fatal error:  Uncaught Exception: x in /a.php:3\nStack trace:\n#0 {main}",
        "ERROR something failed: Traceback is not here",
        "Traceback (most recent call last):\n\t2: from t.rb:13:in `<main>'\nt.rb:11:in `wrap': failure (RuntimeError)",
    ])
    func notPython(_ text: String) {
        #expect(parse(text) == nil)
    }

    @Test("the detection pattern matches Python frame lines and not other runtimes' frame lines")
    func detection() throws {
        let matcher = Matcher(try Pattern(PythonGrammar.detectionPattern))
        for line in [#"  File "/srv/a.py", line 3, in run"#, #"  File "<stdin>", line 1"#,
                     #"    |   File "g.py", line 9, in <module>"#] {
            #expect(try matcher.matches(line), "\(line)")
        }
        for line in ["\tat com.acme.A.b(A.java:10)", "   at A.B.C.M(String x) in C:\\x.cs:line 1",
                     "    at fn (file.js:1:2)", "\tfrom /app/x.rb:1:in `<main>'", "#0 /a.php(3): f()",
                     "main.main()\n\t/app/main.go:12 +0x1d", #"Processing file "a.py", line 3 of the report"#] {
            #expect(try !matcher.matches(line), "\(line)")
        }
    }

    @Test("starter patterns match the first line of a traceback only")
    func starters() throws {
        let matchers = try PythonGrammar.starterPatterns.map { Matcher(try Pattern($0)) }
        func starts(_ line: String) throws -> Bool { try matchers.contains { try $0.matches(line) } }
        #expect(try starts("Traceback (most recent call last):"))
        #expect(try starts("  + Exception Group Traceback (most recent call last):"))
        #expect(try !starts("  File \"a.py\", line 1, in f"))
        #expect(try !starts("INFO Traceback collection enabled"))
    }
}

/// Every traceback of the shared corpus: pygments' `pytb`/`py2tb`/`pycon` samples and fluent-plugin-detect-
/// exceptions' Python sample. Frames are checked against the `File "…", line N, in f` lines of the file itself.
@Suite("Python grammar on the shared corpus",
       .enabled(if: pythonCorpusPresent, "the shared corpus is not at ../shared/corpus; Python corpus tests skipped"))
struct PythonGrammarCorpusTests {
    /// What one traceback must parse to.
    struct Expected: Sendable, CustomTestStringConvertible {
        var file: String
        /// For console transcripts: the index of the `>>> ` command whose output holds the traceback.
        var command: Int?
        var types: [String]
        var values: [String?]? = nil
        var firstTraceLine: Int? = nil
        var testDescription: String { command.map { "\(file) command \($0)" } ?? file }
    }

    static let expectations: [Expected] = [
        Expected(file: "pygments/pytb/database.pytb", types: ["OperationalError"], values: ["database is locked"],
                 firstTraceLine: 2),
        Expected(file: "pygments/pytb/truncated.pytb", types: ["OperationalError"], values: ["database is locked"],
                 firstTraceLine: 0),
        Expected(file: "pygments/pytb/error_locations.pytb", types: ["ZeroDivisionError"],
                 values: ["division by zero"]),
        Expected(file: "pygments/pytb/py3tb_test.py3tb", types: ["SyntaxError"],
                 values: ["invalid syntax (<stdin>, line 1)"]),
        Expected(file: "pygments/pytb/pytb_test2.pytb", types: ["SyntaxError"],
                 values: ["Non-ASCII character '\\xc3' in file temp.py on line 1, but no encoding declared; see "
                          + "http://www.python.org/peps/pep-0263.html for details (temp.py, line 1)"]),
        Expected(file: "pygments/pytb/syntax_error.pytb", types: ["SyntaxError"],
                 values: ["closing parenthesis ']' does not match opening parenthesis '(' (<stdin>, line 1)"]),
        Expected(file: "pygments/py2tb/syntax_error.py2tb", types: ["SyntaxError"],
                 values: ["closing parenthesis ']' does not match opening parenthesis '(' (<stdin>, line 1)"]),
        Expected(file: "pygments/pytb/pytb_test3.pytb", command: 0, types: ["TypeError"],
                 values: ["unsupported operand type(s) for /: 'int' and 'str'"]),
        Expected(file: "pygments/pytb/pytb_test3.pytb", command: 1, types: ["NameError"], values: [nil]),
        Expected(file: "pygments/pycon/pycon_ctrlc_traceback", command: 2, types: ["Exception"], values: [nil]),
        Expected(file: "pygments/pycon/pycon_ctrlc_traceback", command: 3, types: ["KeyboardInterrupt"]),
        Expected(file: "pygments/pycon/pycon_ctrlc_traceback", command: 6, types: ["A", "B"],
                 values: ["first", "second"]),
        Expected(file: "pygments/pycon/pycon_ctrlc_traceback", command: 7, types: ["SyntaxError"],
                 values: ["invalid syntax (<stdin>, line 1)"]),
        Expected(file: "pygments/pycon/pycon_ctrlc_traceback", command: 10, types: ["ValueError"],
                 values: ["multi\n    line\ndetail"]),
        Expected(file: "pygments/pycon/pycon_ctrlc_traceback", command: 11, types: ["ValueError"],
                 values: ["multi\n    line\ndetail"]),
        Expected(file: "pygments/pycon/pycon_ctrlc_traceback", command: 12, types: ["ValueError"],
                 values: ["multi\n    line\ndetail"]),
        Expected(file: "pygments/pycon/pycon_ctrlc_traceback", command: 13, types: ["ValueError"],
                 values: ["multi\n    line\ndetail"]),
        Expected(file: "pygments/pycon/pycon_ctrlc_traceback", command: 14, types: ["ValueError"],
                 values: ["multi\n    line\ndetail"]),
        Expected(file: "pygments/pycon/pycon_ctrlc_traceback", command: 15, types: ["Exception"], values: [nil]),
        Expected(file: "pygments/pycon/pycon_ctrlc_traceback", command: 17, types: ["Exception"], values: ["Hi."]),
        Expected(file: "fluent-plugin-detect-exceptions/extracted/PYTHON_EXC.txt", types: ["Exception"],
                 values: ["('spam', 'eggs')"], firstTraceLine: 0),
    ]

    /// The record a traceback is in: the whole file, or one `>>> ` command of a console transcript with its output.
    static func record(_ expected: Expected) throws -> [RecordLine] {
        let text = try String(contentsOfFile: corpusFolder + "/" + expected.file, encoding: .utf8)
        let lines = recordLines(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        guard let command = expected.command else { return lines }
        let starts = lines.indices.filter { lines[$0].text.hasPrefix(">>> ") }
        let end = command + 1 < starts.count ? starts[command + 1] : lines.count
        return Array(lines[starts[command]..<end])
    }

    /// The frames the text itself shows: `File "path", line N, in function` lines, in order.
    static func printedFrames(_ lines: [RecordLine]) -> [(path: String, line: Int, function: String)] {
        let frameLine = /^\s*File "(.*?)", line (\d+), in (.+)$/
        return lines.compactMap { line in
            guard let match = line.text.wholeMatch(of: frameLine), let number = Int(match.2) else { return nil }
            return (String(match.1), number, String(match.3))
        }
    }

    @Test("each traceback: types of the chain, values, and every frame's path, line and function",
          arguments: expectations)
    func traceback(_ expected: Expected) throws {
        let lines = try Self.record(expected)
        let trace = try #require(PythonGrammar().parse(lines))
        #expect(trace.exceptions.map(\.type) == expected.types)
        if let values = expected.values { #expect(trace.exceptions.map(\.value) == values) }
        if let first = expected.firstTraceLine { #expect(trace.firstTraceLine == first) }
        #expect(trace.unparsedLines.isEmpty, "unparsed: \(trace.unparsedLines)")
        let parsed = trace.exceptions.flatMap(\.frames)
        let printed = Self.printedFrames(lines)
        #expect(parsed.count == printed.count)
        for (frame, want) in zip(parsed, printed) {
            #expect(frame.filename == want.path && frame.absPath == want.path)
            #expect(frame.lineno == want.line)
            #expect(frame.function == want.function)
        }
    }

    @Test("corpus totals: every traceback and every printed frame parsed")
    func totals() throws {
        var tracebacks = 0
        var frames = 0
        var printedFrames = 0
        for expected in Self.expectations {
            let lines = try Self.record(expected)
            printedFrames += Self.printedFrames(lines).count
            guard let trace = PythonGrammar().parse(lines) else { continue }
            tracebacks += trace.exceptions.map(\.type) == expected.types ? 1 : 0
            frames += trace.exceptions.reduce(0) { $0 + $1.frames.count }
        }
        #expect(tracebacks == Self.expectations.count)
        #expect(frames == printedFrames)
        #expect(printedFrames == 31)
    }

    @Test("source lines and 3.11 carets: the caret lines are skipped, the source lines kept")
    func errorLocations() throws {
        let lines = try Self.record(Expected(file: "pygments/pytb/error_locations.pytb", types: []))
        let trace = try #require(PythonGrammar().parse(lines))
        #expect(trace.exceptions.first?.frames.map(\.contextLine) == [
            "in_Python_3_11()", "return error_locations()", "return are_provided() is True",
            "return in_tracebacks()", "return 1/0",
        ])
    }

    @Test("the console's chained exception: the earlier one is the context of the later one")
    func consoleChain() throws {
        let lines = try Self.record(Expected(file: "pygments/pycon/pycon_ctrlc_traceback", command: 6, types: []))
        let trace = try #require(PythonGrammar().parse(lines))
        #expect(trace.exceptions.map(\.module) == ["__main__", "__main__"])
        #expect(trace.exceptions.map(\.relation) == ["context", nil])
    }

    @Test("console commands that print no traceback are no trace (a commented-out one included)",
          arguments: [0, 1, 4, 5, 8, 9, 16])
    func consoleWithoutTraceback(_ command: Int) throws {
        let lines = try Self.record(Expected(file: "pygments/pycon/pycon_ctrlc_traceback", command: command, types: []))
        #expect(PythonGrammar().parse(lines) == nil)
    }

    @Test("a SyntaxError location with carets but no exception line is no trace")
    func caretsOnly() throws {
        for file in ["pygments/pytb/syntax_error_caret_code.pytb", "pygments/py2tb/syntax_error_caret_code.py2tb"] {
            let lines = try Self.record(Expected(file: file, types: []))
            #expect(PythonGrammar().parse(lines) == nil, "\(file)")
        }
    }
}
