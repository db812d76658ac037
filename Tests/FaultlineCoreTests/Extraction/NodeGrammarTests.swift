import Foundation
import Testing

@testable import FaultlineCore

private func parse(_ text: String) -> ParsedTrace? {
    NodeGrammar().parse(recordLines(text))
}

@Suite("Node / JavaScript grammar")
struct NodeGrammarTests {
    // MARK: Frames

    @Test("a V8 frame fills function, filename, abs_path, lineno and colno; module stays nil")
    func v8FrameFields() throws {
        let parsed = try #require(parse("""
            TypeError: Cannot read properties of undefined (reading 'id')
                at OrderService.load (/app/src/services/orders.js:12:5)
            """))
        let frame = try #require(parsed.exceptions.first?.frames.first)
        #expect(frame == Frame(function: "OrderService.load", filename: "/app/src/services/orders.js",
                               absPath: "/app/src/services/orders.js", lineno: 12, colno: 5,
                               raw: "at OrderService.load (/app/src/services/orders.js:12:5)"))
        #expect(parsed.runtime == .node)
        #expect(parsed.firstTraceLine == 0)
    }

    @Test("V8 function names: async, new and [as alias] dropped, Object.<anonymous> kept", arguments: [
        ("    at async Router.handle (/app/src/routes/orders.js:8:3)", "Router.handle"),
        ("    at new Foo (file:///app/x.mjs:1:2)", "Foo"),
        ("    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1187:16)", "TCPConnectWrap.afterConnect"),
        ("    at Object.<anonymous> (/app/index.js:1:1)", "Object.<anonymous>"),
        ("    at Object.Module._extensions..js (internal/modules/cjs/loader.js:785:10)",
         "Object.Module._extensions..js"),
        ("   at Anonymous function (http://path/to/file.js:48:13)", "Anonymous function"),
        ("    at async Promise.all (index 0)", "Promise.all"),
    ])
    func v8FunctionNames(line: String, function: String) throws {
        let parsed = try #require(parse("Error: x\n" + line))
        #expect(parsed.exceptions.first?.frames.map(\.function) == [function])
        #expect(parsed.unparsedLines.isEmpty)
    }

    @Test("V8 locations: paths, file and node: URLs, <anonymous>, native, index, eval sites", arguments: [
        ("    at /app/node_modules/express/lib/router/layer.js:95:5", "/app/node_modules/express/lib/router/layer.js", 95, 5),
        ("    at new Foo (file:///app/x.mjs:1:2)", "file:///app/x.mjs", 1, 2),
        ("    at processTicksAndRejections (node:internal/process/task_queues:95:5)",
         "node:internal/process/task_queues", 95, 5),
        ("    at /var/app/scratch/my project/index.js:2:9", "/var/app/scratch/my project/index.js", 2, 9),
        ("    at Foo.bar (C:\\app\\src\\foo.js:3:4)", "C:\\app\\src\\foo.js", 3, 4),
        ("    at Array.map (<anonymous>)", "<anonymous>", nil, nil),
        ("    at <anonymous>:6:4", "<anonymous>", 6, 4),
        ("    at Array.forEach (native)", nil, nil, nil),
        ("    at new FunctionName (unknown location)", nil, nil, nil),
        ("    at async Promise.all (index 2)", nil, nil, nil),
        ("    at eval (eval at <anonymous> (file.js:1:1), <anonymous>:1:1)", "file.js", 1, 1),
        ("    at Type.functionName [as methodName] (file(copy).js?query='yes':12:9)", "file(copy).js?query='yes'", 12, 9),
        ("    at fib (wasm://wasm/8c3e1a46:wasm-function[1]:0x5c)", "wasm://wasm/8c3e1a46", nil, nil),
    ] as [(String, String?, Int?, Int?)])
    func v8Locations(line: String, path: String?, lineno: Int?, colno: Int?) throws {
        let parsed = try #require(parse("Error: x\n" + line))
        let frame = try #require(parsed.exceptions.first?.frames.first)
        #expect(frame.absPath == path)
        #expect(frame.filename == path)
        #expect(frame.lineno == lineno)
        #expect(frame.colno == colno)
        #expect(parsed.unparsedLines.isEmpty)
    }

    @Test("frames come caller first, the crashing frame last")
    func callerFirst() throws {
        let parsed = try #require(parse("""
            Error: boom
                at inner (/app/a.js:1:1)
                at middle (/app/a.js:2:1)
                at outer (/app/a.js:3:1)
            """))
        #expect(parsed.exceptions.first?.frames.map(\.function) == ["outer", "middle", "inner"])
    }

    // MARK: Headers

    @Test("header forms", arguments: [
        ("TypeError: Cannot read properties of undefined (reading 'id')", "TypeError",
         "Cannot read properties of undefined (reading 'id')" as String?, 0),
        ("Error [ERR_INVALID_ARG_TYPE]: The \"path\" argument must be of type string", "Error",
         "The \"path\" argument must be of type string", 0),
        ("Uncaught TypeError: x is not a function", "TypeError", "x is not a function", 0),
        ("Uncaught (in promise) Error: rejected", "Error", "rejected", 0),
        ("2024-05-01 12:00:00 ERROR worker: Unhandled rejection TypeError: bad input", "TypeError", "bad input", 0),
        ("(node:4242) UnhandledPromiseRejectionWarning: Error: boom", "Error", "boom", 0),
        ("AggregateError: All promises were rejected", "AggregateError", "All promises were rejected", 0),
        ("Error", "Error", nil, 0),
        ("Trace: checkpoint reached", "Trace", "checkpoint reached", 0),
        ("Firefox: TypeError: x is null", "TypeError", "x is null", 0),
    ] as [(String, String, String?, Int)])
    func headers(header: String, type: String, value: String?, firstTraceLine: Int) throws {
        let parsed = try #require(parse(header + "\n    at run (/app/job.js:4:9)"))
        let exception = try #require(parsed.exceptions.first)
        #expect(exception.type == type)
        #expect(exception.value == value)
        #expect(exception.module == nil)
        #expect(parsed.firstTraceLine == firstTraceLine)
    }

    @Test("log message lines before the header are the record's message")
    func messageBeforeHeader() throws {
        let parsed = try #require(parse("""
            [2024-05-01 12:00:00] ERROR request failed
            method=GET path=/orders/42
            RangeError: Invalid array length
                at Array.push (<anonymous>)
                at build (/app/src/build.js:9:7)
            """))
        #expect(parsed.firstTraceLine == 2)
        #expect(parsed.exceptions.map(\.type) == ["RangeError"])
    }

    @Test("a stack without a header is an Error starting at its first frame")
    func noHeader() throws {
        let parsed = try #require(parse("""
            request failed, see stack
                at build (/app/src/build.js:9:7)
            """))
        #expect(parsed.exceptions.map(\.type) == ["Error"])
        #expect(parsed.exceptions.first?.value == nil)
        #expect(parsed.firstTraceLine == 1)
    }

    @Test("an ALL-CAPS log word above the frames is not taken for an error name")
    func capsWordIsNoHeader() throws {
        let parsed = try #require(parse("ERROR: request failed\n    at build (/app/src/build.js:9:7)"))
        #expect(parsed.exceptions.map(\.type) == ["Error"])
        #expect(parsed.firstTraceLine == 1)
    }

    @Test("the caret header of an uncaught exception belongs to the trace")
    func caretHeader() throws {
        let parsed = try #require(parse("""
            /app/x.js:3
              throw err;
              ^

            Error: boom
                at Object.<anonymous> (/app/x.js:3:3)
            """))
        #expect(parsed.firstTraceLine == 0)
        #expect(parsed.exceptions.map(\.value) == ["boom"])
        #expect(parsed.unparsedLines.isEmpty)
    }

    @Test("a crash without frames: an unhandled rejection of a non-error")
    func framelessCrash() throws {
        let parsed = try #require(parse("""
            node:internal/process/promises:288
                        triggerUncaughtException(err, true /* fromPromise */);
                        ^

            [UnhandledPromiseRejection: This error originated either by throwing inside of an async function without a catch block, or by rejecting a promise which was not handled with .catch(). The promise rejected with the reason "oops".] {
              code: 'ERR_UNHANDLED_REJECTION'
            }

            Node.js v18.16.0
            """))
        #expect(parsed.runtime == .node)
        #expect(parsed.exceptions.map(\.type) == ["UnhandledPromiseRejection"])
        #expect(parsed.exceptions.first?.value?.hasSuffix("with the reason \"oops\".") == true)
        #expect(parsed.exceptions.first?.frames.isEmpty == true)
        #expect(parsed.firstTraceLine == 0)
    }

    // MARK: Node's inspect structure

    @Test("property dumps after the stack are skipped, not unparsed")
    func propertyDump() throws {
        let parsed = try #require(parse("""
            Error: connect ECONNREFUSED 127.0.0.1:5432
                at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1595:16) {
              errno: -111,
              code: 'ECONNREFUSED',
              config: {
                host: 'db',
                retries: [ 1, 2 ]
              },
              syscall: 'connect'
            }
            """))
        #expect(parsed.exceptions.count == 1)
        #expect(parsed.exceptions.first?.frames.map(\.raw)
                == ["at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1595:16)"])
        #expect(parsed.unparsedLines.isEmpty)
    }

    @Test("[cause] is chained oldest first, with shared frames re-expanded from the cause")
    func causeChain() throws {
        let example = try #require(NodeGrammar.examples.first { $0.name.hasPrefix("[cause]") })
        let parsed = try #require(parse(example.text))
        #expect(parsed.exceptions.map(\.relation) == ["cause", nil])
        #expect(parsed.exceptions.map(\.framesOmitted) == [nil, 2])
        let outer = try #require(parsed.exceptions.last)
        #expect(outer.frames.map(\.raw)[1...2] == [
            "at async Auth.check (/app/src/middleware/auth.js:22:5)",
            "at async Layer.run (/app/src/middleware/layer.js:14:7)",
        ])
    }

    @Test("AggregateError members are exceptions with relation group")
    func aggregateMembers() throws {
        let example = try #require(NodeGrammar.examples.first { $0.name.hasPrefix("AggregateError") })
        let parsed = try #require(parse(example.text))
        #expect(parsed.exceptions.map(\.relation) == ["group", "group", nil])
    }

    @Test("a frameless AggregateError holds the members printed under it")
    func framelessAggregate() throws {
        let parsed = try #require(parse("""
            [AggregateError: All promises were rejected] {
              [errors]: [
                Error: a
                    at first (/app/x.js:1:7)
                    at Object.<anonymous> (/app/x.js:3:9),
                Error: b
                    at second (/app/x.js:2:7)
              ]
            }
            """))
        #expect(parsed.exceptions.map(\.type) == ["Error", "Error", "AggregateError"])
        #expect(parsed.exceptions.map(\.value) == ["b", "a", "All promises were rejected"])
        #expect(parsed.exceptions.map(\.frames.count) == [1, 2, 0])
        #expect(parsed.firstTraceLine == 0)
        #expect(parsed.unparsedLines.isEmpty)
    }

    @Test("an error in another property is read and left out of the chain")
    func errorInProperty() throws {
        let parsed = try #require(parse("""
            Error: request failed
                at Client.send (/app/src/client.js:30:11) {
              original: Error: socket hang up
                  at Socket.onClose (/app/src/socket.js:12:9)
            }
            """))
        #expect(parsed.exceptions.map(\.value) == ["request failed"])
        #expect(parsed.exceptions.first?.frames.count == 1)
        #expect(parsed.unparsedLines.isEmpty)
    }

    @Test("Caused by: chains like [cause]")
    func causedBy() throws {
        let parsed = try #require(parse("""
            VError: query failed: timeout
                at Repo.find (/app/src/repo.js:10:11)
            Caused by: Error: timeout
                at Pool.acquire (/app/node_modules/pool/index.js:88:15)
            """))
        #expect(parsed.exceptions.map(\.type) == ["Error", "VError"])
        #expect(parsed.exceptions.map(\.relation) == ["cause", nil])
    }

    @Test("the Emitted 'error' stack is kept as a thread")
    func emittedStack() throws {
        let example = try #require(NodeGrammar.examples.first { $0.name.hasPrefix("unhandled 'error' event") })
        let parsed = try #require(parse(example.text))
        #expect(parsed.threads.count == 1)
        #expect(parsed.threads.first?.state == "Emitted 'error' event on Socket instance")
        #expect(parsed.threads.first?.frames.map(\.function)
                == ["process.processTicksAndRejections", "emitErrorCloseNT", "emitErrorNT"])
        #expect(parsed.firstTraceLine == 0)
    }

    // MARK: Browsers

    @Test("Firefox and Safari frames; the runtime is javascript")
    func browserFrames() throws {
        let parsed = try #require(parse("""
            loadOrders/<@https://shop.example.com/static/app.js:10:5
            @https://shop.example.com/static/app.js:1:1
            async*render@https://shop.example.com/static/app.js:20:3
            global code@https://shop.example.com/static/app.js:30:9
            eval@[native code]
            """))
        #expect(parsed.runtime == .javascript)
        let frames = try #require(parsed.exceptions.first?.frames)
        #expect(frames.map(\.function) == ["eval", "global code", "render", nil, "loadOrders/<"])
        #expect(frames.map(\.absPath) == ["[native code]", "https://shop.example.com/static/app.js",
                                          "https://shop.example.com/static/app.js",
                                          "https://shop.example.com/static/app.js",
                                          "https://shop.example.com/static/app.js"])
        #expect(frames.last?.lineno == 10)
        #expect(frames.last?.colno == 5)
    }

    @Test("a V8 stack on web URLs (Chrome) is javascript, one with paths is node")
    func chromeRuntime() throws {
        let chrome = try #require(parse("""
            Uncaught TypeError: Cannot read properties of null (reading 'value')
                at HTMLButtonElement.onClick (https://shop.example.com/static/app.js:41:27)
                at https://shop.example.com/static/vendor.js:2:100
            """))
        #expect(chrome.runtime == .javascript)
        #expect(chrome.exceptions.map(\.type) == ["TypeError"])
    }

    // MARK: Robustness

    @Test("CRLF remnants and tabs")
    func crlfAndTabs() throws {
        // Lines as the reader gives them: split at \n, a \r left at the end.
        let lines = ["Error: boom\r", "\tat run (/app/job.js:4:9)\r", "\tat /app/main.js:1:1\r"]
        let parsed = try #require(NodeGrammar().parse(lines.enumerated().map { RecordLine($1, number: $0 + 1) }))
        #expect(parsed.exceptions.first?.value == "boom")
        #expect(parsed.exceptions.first?.frames.map(\.absPath) == ["/app/main.js", "/app/job.js"])
        #expect(parsed.exceptions.first?.frames.last?.raw == "at run (/app/job.js:4:9)")
    }

    @Test("frame lines that cannot be parsed are reported; other lines in between are tolerated")
    func unparsedLines() throws {
        let parsed = try #require(parse("""
            Error: boom
                at run (/app/job.js:4:9)
            some interleaved text
                at least three retries failed
                at Worker.tick (/app/worker.js:20
                at main (/app/main.js:1:1)
            """))
        #expect(parsed.exceptions.first?.frames.map(\.function) == ["main", "run"])
        #expect(parsed.unparsedLines == [4, 5])
    }

    @Test("a second, unrelated trace in the record ends the first; its frames are reported")
    func secondTrace() throws {
        let parsed = try #require(parse("""
            Error: first
                at a (/app/a.js:1:1)
            Error: second
                at b (/app/b.js:2:2)
            """))
        #expect(parsed.exceptions.map(\.value) == ["first"])
        #expect(parsed.unparsedLines == [4])
    }

    @Test("no JavaScript trace: nil", arguments: [
        "INFO server started on port 8080",
        "ERROR: request failed at least twice",
        "java.lang.IllegalStateException: boom\n\tat com.acme.Foo.bar(Foo.java:12)\n\tat com.acme.Main.main(Main.java:3)",
        "System.Exception: boom\n   at Acme.Foo.Bar(String x) in C:\\src\\Foo.cs:line 12",
        "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\nTypeError: bad",
        "thread 'main' panicked at src/main.rs:4:5:\nboom\nstack backtrace:\n   0: rust_begin_unwind\n             at /rustc/abc/library/std/src/panicking.rs:578:5",
        "Exception in Laravel\n  at /var/www/app/Http/Controllers/OrderController.php:42",
        "mail sent to bob@example.com:25",
    ])
    func noTrace(text: String) {
        #expect(parse(text) == nil)
    }

    // MARK: Patterns

    @Test("the detection pattern tells V8 and browser frames from other runtimes' lines")
    func detection() throws {
        let matcher = Matcher(try Pattern(NodeGrammar.detectionPattern))
        let javascript = [
            "    at OrderService.load (/app/src/services/orders.js:12:5)",
            "    at /app/node_modules/express/lib/router/layer.js:95:5",
            "    at async Promise.all (index 0)",
            "    at Array.forEach (native)",
            "    at node:internal/main/run_main_module:23:47",
            "   at Anonymous function (http://path/to/file.js:48:13)",
            "foo@http://path/to/file.js:41:13",
            "@https://x/y.js:1:1",
            "eval@[native code]",
            "node:internal/process/promises:288",
        ]
        let others = [
            "\tat com.acme.api.OrderController.getOrder(OrderController.java:42)",
            "\tat java.base/java.lang.Thread.run(Thread.java:833)",
            "   at Acme.Api.OrderController.Get(Int32 id) in /src/OrderController.cs:line 42",
            "   at System.Threading.Tasks.Task.Run()",
            "             at /rustc/abc/library/std/src/panicking.rs:578:5",
            "             at ./src/main.rs:4:5",
            "  File \"/srv/app/worker/tasks.py\", line 12, in process_order",
            "\t/app/main.go:12 +0x1d",
            "  at /var/www/app/Http/Controllers/OrderController.php:42",
            "/app/models/order.rb:12:in 'Order#total'",
            "#0 /var/www/index.php(12): Foo->bar()",
            "contact bob@example.com:25 for help",
        ]
        for line in javascript { #expect(try matcher.matches(line), "\(line)") }
        for line in others { #expect(try !matcher.matches(line), "\(line)") }
    }

    @Test("starter patterns: Node crash openers, not a header Python also prints")
    func starters() throws {
        let matchers = try NodeGrammar.starterPatterns.map { Matcher(try Pattern($0)) }
        func starts(_ line: String) throws -> Bool { try matchers.contains { try $0.matches(line) } }
        for line in ["/app/src/index.js:3", "node:events:497", "file:///app/x.mjs:12",
                     "(node:4242) UnhandledPromiseRejectionWarning: Error: boom",
                     "Uncaught TypeError: x is not a function", "Error [ERR_MODULE_NOT_FOUND]: Cannot find package",
                     "AggregateError: All promises were rejected"] {
            #expect(try starts(line), "\(line)")
        }
        for line in ["TypeError: unsupported operand type(s)", "KeyError: 'id'", "ValueError",
                     "2024-05-01 INFO started", "    at run (/app/job.js:4:9)"] {
            #expect(try !starts(line), "\(line)")
        }
    }
}

// MARK: - Corpus

private let corpusFolder = corpusRoot

private let corpusPresent = FileManager.default.fileExists(atPath: corpusFolder + "/error-stack-parser/extracted")

private func corpusText(_ relative: String) throws -> String {
    String(decoding: try Data(contentsOf: URL(fileURLWithPath: corpusFolder + "/" + relative)), as: UTF8.self)
}

/// The lines of a corpus file, without the empty line after a final newline.
private func corpusLines(_ text: String) -> [RecordLine] {
    var lines = recordLines(text)
    if lines.last?.text == "" { lines.removeLast() }
    return lines
}

@Suite("Node / JavaScript grammar on the shared corpus",
       .enabled(if: corpusPresent, "the shared corpus is not at ../shared/corpus; corpus tests skipped"))
struct NodeGrammarCorpusTests {
    // MARK: error-stack-parser

    /// A frame field the spec checks.
    enum Field: String, Sendable { case function, file, line, column }

    /// One frame as `toMatchStackFrame([functionName, args, fileName, lineNumber, columnNumber])` expects it;
    /// only the fields the spec lists are checked.
    struct SpecFrame: Sendable {
        var values: [Field: String?]

        /// `[function, undefined, file, line]`: the column is not checked.
        init(_ function: String?, _ file: String?, _ line: Int?) {
            values = [.function: function, .file: file, .line: line.map(String.init)]
        }

        /// `[function, undefined, file, line, column]`.
        init(_ function: String?, _ file: String?, _ line: Int?, _ column: Int?) {
            values = [.function: function, .file: file, .line: line.map(String.init), .column: column.map(String.init)]
        }

        /// A spec entry that checks `fileName`, `lineNumber` and `columnNumber` only.
        init(file: String?, line: Int?, column: Int?) {
            values = [.file: file, .line: line.map(String.init), .column: column.map(String.init)]
        }
    }

    /// Where our parse differs from the spec on purpose, following Sentry's SDK rather than error-stack-parser.
    struct Deviation: Sendable {
        var frame: Int
        var field: Field
        var ours: String?
        var reason: String
    }

    /// One `it(...)` of error-stack-parser-spec.js.
    struct SpecCase: CustomTestStringConvertible, Sendable {
        var browser: String
        /// The `it(...)` title in the spec.
        var specTest: String
        /// The extracted file (CapturedExceptions entry), or the spec's inline stack.
        var file: String?
        var inline: String?
        /// `expect(stackFrames.length).toBe(count)`.
        var count: Int
        /// The frames the spec checks, crashing frame first as the spec lists them.
        var frames: [SpecFrame]
        var deviations: [Deviation] = []

        var testDescription: String { "\(browser): \(specTest)" }
    }

    static let url = "http://path/to/file.js"
    static let localhost = "http://localhost:8080/file.js"
    static let atStuff = "http://localhost:5000/misc/@stuff/foo.js"

    /// The expectations of error-stack-parser-spec.js (stacktracejs/error-stack-parser @ 9f33c224b5), entry by
    /// entry; frames the spec does not list are only counted.
    static let specCases: [SpecCase] = [
        SpecCase(browser: "Safari", specTest: "should parse Safari 6 Error.stack", file: "SAFARI_6.stack.txt",
                 count: 3, frames: [.init(nil, url, 48), .init("dumpException3", url, 52), .init("onclick", url, 82)]),
        SpecCase(browser: "Safari", specTest: "should parse Safari 7 Error.stack", file: "SAFARI_7.stack.txt",
                 count: 3, frames: [.init(nil, url, 48, 22), .init("foo", url, 52, 15), .init("bar", url, 108, 107)]),
        SpecCase(browser: "Safari", specTest: "should parse Safari 8 Error.stack", file: "SAFARI_8.stack.txt",
                 count: 3, frames: [.init(nil, url, 47, 22), .init("foo", url, 52, 15), .init("bar", url, 108, 23)]),
        SpecCase(browser: "Safari", specTest: "should parse nested eval() from Safari 9",
                 file: "SAFARI_9_NESTED_EVAL.stack.txt", count: 5,
                 frames: [.init("baz", nil, nil, nil), .init("foo", nil, nil, nil), .init("eval code", nil, nil, nil),
                          .init("speak", localhost, 26, 21), .init("global code", localhost, 33, 18)]),
        SpecCase(browser: "Firefox", specTest: "should parse Firefox 31 Error.stack", file: "FIREFOX_31.stack.txt",
                 count: 2, frames: [.init("foo", url, 41, 13), .init("bar", url, 1, 1)]),
        SpecCase(browser: "Firefox", specTest: "should parse nested eval() from Firefox 43",
                 file: "FIREFOX_43_NESTED_EVAL.stack.txt", count: 5,
                 frames: [.init("baz", localhost, 26, nil), .init("foo", localhost, 26, nil),
                          .init(nil, localhost, 26, nil), .init("speak", localhost, 26, 17),
                          .init(nil, localhost, 33, 9)]),
        SpecCase(browser: "Firefox", specTest: "should parse function names containing @ in Firefox 43 Error.stack",
                 file: "FIREFOX_43_FUNCTION_NAME_WITH_AT_SIGN.stack.txt", count: 2,
                 frames: [.init("obj[\"@fn\"]", "Scratchpad/1", 10, 29), .init(nil, "Scratchpad/1", 11, 1)]),
        SpecCase(browser: "Firefox", specTest: "should parse stack traces with @ in the URL",
                 file: "FIREFOX_60_URL_WITH_AT_SIGN.stack.txt", count: 5,
                 frames: [.init("who", atStuff, 3, 9), .init("what", atStuff, 6, 3)]),
        SpecCase(browser: "Firefox", specTest: "should parse stack traces with @ in the URL and the method",
                 file: "FIREFOX_60_URL_AND_FUNCTION_NAME_WITH_AT_SIGN.stack.txt", count: 5,
                 frames: [.init("obj[\"@who\"]", atStuff, 4, 9), .init("what", atStuff, 8, 3)]),
        SpecCase(browser: "Chrome", specTest: "should parse V8 Error.stack", file: "CHROME_15.stack.txt", count: 4,
                 frames: [.init("bar", url, 13, 17), .init("bar", url, 16, 5), .init("foo", url, 20, 5),
                          .init(nil, url, 24, 4)]),
        SpecCase(browser: "Chrome", specTest: "should parse V8 entries with no location",
                 inline: "Error\n at Array.forEach (native)", count: 1,
                 frames: [.init("Array.forEach", "(native)", nil, nil)],
                 deviations: [.init(frame: 0, field: .file, ours: nil,
                                    reason: "Sentry's Node parser leaves the file of a native frame empty")]),
        SpecCase(browser: "Chrome", specTest: "should parse V8 Error.stack entries with port numbers",
                 file: "CHROME_36.stack.txt", count: 2, frames: [.init("dumpExceptionError", localhost, 41, 27)]),
        SpecCase(browser: "Chrome", specTest: "should parse error stacks with Constructors", file: "CHROME_46.stack.txt",
                 count: 2,
                 frames: [.init("new CustomError", localhost, 41, 27),
                          .init("HTMLButtonElement.onclick", localhost, 107, 146)],
                 deviations: [.init(frame: 0, field: .function, ours: "CustomError",
                                    reason: "`new ` is dropped from constructor frames")]),
        SpecCase(browser: "Chrome", specTest: "should parse nested eval() from V8",
                 file: "CHROME_48_NESTED_EVAL.stack.txt", count: 5,
                 frames: [.init("baz", localhost, 21, 17), .init("foo", localhost, 21, 17),
                          .init("eval", localhost, 21, 17), .init("Object.speak", localhost, 21, 17),
                          .init(nil, localhost, 31, 13)]),
        SpecCase(browser: "IE", specTest: "should parse IE 10 Error stacks", file: "IE_10.stack.txt", count: 3,
                 frames: [.init("Anonymous function", url, 48, 13), .init("foo", url, 46, 9), .init("bar", url, 82, 1)]),
        SpecCase(browser: "IE", specTest: "should parse IE 11 Error stacks", file: "IE_11.stack.txt", count: 3,
                 frames: [.init("Anonymous function", url, 47, 21), .init("foo", url, 45, 13),
                          .init("bar", url, 108, 1)]),
        SpecCase(browser: "Edge", specTest: "should parse nested eval() from Edge",
                 file: "EDGE_20_NESTED_EVAL.stack.txt", count: 5,
                 frames: [.init("baz", nil, 1, 18), .init("foo", nil, 2, 90), .init("eval", nil, 4, 18),
                          .init("speak", localhost, 25, 17), .init("Global code", localhost, 32, 9)],
                 deviations: [
                    .init(frame: 0, field: .file, ours: "eval code", reason: "kept: Sentry ignores frames in `eval code`"),
                    .init(frame: 1, field: .file, ours: "eval code", reason: "kept: Sentry ignores frames in `eval code`"),
                    .init(frame: 2, field: .file, ours: "eval code", reason: "kept: Sentry ignores frames in `eval code`"),
                    .init(frame: 2, field: .function, ours: "eval code",
                          reason: "the function as printed; error-stack-parser rewrites `eval code` to `eval`"),
                 ]),
        SpecCase(browser: "Opera", specTest: "should parse Opera 11 Error messages", file: "OPERA_11.stack.txt",
                 count: 4,
                 frames: [.init("run", url, 27), .init("bar", "http://domain.com:1234/path/to/file.js", 18),
                          .init("foo", "http://domain.com:1234/path/to/file.js", 11), .init(nil, url, 15)]),
        SpecCase(browser: "Opera", specTest: "should parse Opera 25 Error stacks", file: "OPERA_25.stack.txt", count: 3,
                 frames: [.init(nil, url, 47, 22), .init("foo", url, 52, 15), .init("bar", url, 108, 168)]),
        SpecCase(browser: "Chrome", specTest: "should handle newlines in Error stack messages",
                 inline: "Error: Problem at this\nlocation. Error code:1234\n    at http://path/to/file.js:47:22\n"
                    + "    at foo (http://path/to/file.js:52:15)",
                 count: 2, frames: [.init(nil, url, 47, 22), .init("foo", url, 52, 15)]),
        SpecCase(browser: "Chrome", specTest: "should handle webpack eval stacks",
                 inline: "ReferenceError: chilxdren is not defined\n at Layout (eval at proxyClass "
                    + "(webpack:///../react-hot-loader/~/react-proxy/modules/createClassProxy.js?), <anonymous>:4:17)",
                 count: 1,
                 frames: [.init(file: "webpack:///../react-hot-loader/~/react-proxy/modules/createClassProxy.js?",
                                line: nil, column: nil)]),
        SpecCase(browser: "Node", specTest: "should handle spaces in Node.js stacks", file: "NODE_WITH_SPACES.stack.txt",
                 count: 8,
                 frames: [.init(file: "/var/app/scratch/my project/index.js", line: 2, column: 9),
                          .init(file: "/var/app/scratch/my project/index.js", line: 2, column: 9)]),
    ]

    /// Spec entries we do not read: pre-2013 Opera's `message`/`stacktrace` formats and IE 9, which has no stack.
    static let unsupportedCases: [(specTest: String, file: String, frames: Int)] = [
        ("should parse Opera 9.27 Error messages", "OPERA_927.message.txt", 3),
        ("should parse Opera 10 Error messages", "OPERA_10.stacktrace.txt", 7),
        ("should not parse IE 9 Error", "IE_9.message.txt", 0),
    ]

    /// How one spec case went: frames equal to the spec, frames equal after our documented deviations.
    struct Outcome {
        var exact = 0
        var deviating = 0
        var failed = 0
    }

    static func compare(_ testCase: SpecCase) throws -> Outcome {
        let text = try testCase.inline
            ?? corpusText("error-stack-parser/extracted/" + (testCase.file ?? ""))
        let parsed = try #require(NodeGrammar().parse(corpusLines(text)), "no trace parsed")
        #expect(parsed.unparsedLines.isEmpty, "unparsed lines \(parsed.unparsedLines)")
        // The spec lists the crashing frame first; error-stack-parser drops Safari's `[native code]` lines,
        // which Sentry's SDK keeps (and its grouping ignores).
        let frames = try #require(parsed.exceptions.last).frames.reversed().filter { $0.absPath != "[native code]" }
        #expect(frames.count == testCase.count, "frame count")
        var outcome = Outcome()
        for (index, expected) in testCase.frames.enumerated() {
            guard index < frames.count else {
                outcome.failed += 1
                continue
            }
            let frame = frames[index]
            let ours: [Field: String?] = [.function: frame.function, .file: frame.absPath,
                                          .line: frame.lineno.map(String.init), .column: frame.colno.map(String.init)]
            var deviates = false
            var fails = false
            for (field, value) in expected.values where ours[field] ?? nil != value {
                let deviation = testCase.deviations.first { $0.frame == index && $0.field == field }
                if let deviation, deviation.ours == ours[field] ?? nil {
                    deviates = true
                } else {
                    fails = true
                    Issue.record("frame \(index) \(field): ours \(String(describing: ours[field] ?? nil)), spec \(String(describing: value))")
                }
            }
            if fails { outcome.failed += 1 } else if deviates { outcome.deviating += 1 } else { outcome.exact += 1 }
        }
        return outcome
    }

    @Test("error-stack-parser: each spec entry's frames", arguments: specCases)
    func specEntry(_ testCase: SpecCase) throws {
        let outcome = try Self.compare(testCase)
        #expect(outcome.failed == 0)
        #expect(outcome.deviating == testCase.deviations.map(\.frame).reduce(into: Set<Int>()) { $0.insert($1) }.count)
    }

    @Test("error-stack-parser: per-browser frame matches against the spec")
    func perBrowserSummary() throws {
        var totals: [String: Outcome] = [:]
        var order: [String] = []
        for testCase in Self.specCases {
            let outcome = try Self.compare(testCase)
            if totals[testCase.browser] == nil { order.append(testCase.browser) }
            totals[testCase.browser, default: Outcome()].exact += outcome.exact
            totals[testCase.browser, default: Outcome()].deviating += outcome.deviating
            totals[testCase.browser, default: Outcome()].failed += outcome.failed
        }
        for browser in order {
            let outcome = totals[browser] ?? Outcome()
            let checked = outcome.exact + outcome.deviating + outcome.failed
            print("error-stack-parser \(browser): \(outcome.exact)/\(checked) spec frames exact, "
                  + "\(outcome.deviating) with a documented Sentry-convention difference, \(outcome.failed) wrong")
        }
        #expect(totals.values.allSatisfy { $0.failed == 0 })
        #expect(totals.values.map(\.exact).reduce(0, +) == 58)
        #expect(totals.values.map(\.deviating).reduce(0, +) == 5)
    }

    @Test("error-stack-parser: Opera 9–10 `stacktrace`/`message` formats and IE 9 give no trace")
    func unsupportedEntries() throws {
        for entry in Self.unsupportedCases {
            let text = try corpusText("error-stack-parser/extracted/" + entry.file)
            #expect(NodeGrammar().parse(corpusLines(text)) == nil, "\(entry.specTest)")
        }
    }

    @Test("error-stack-parser: every captured stack without a spec entry parses fully", arguments: [
        ("FIREFOX_3.stack.txt", 7, [nil, nil, "printStackTrace", "bar", "bar", "foo", nil] as [String?]),
        ("FIREFOX_7.stack.txt", 7, [nil, nil, "printStackTrace", "bar", "bar", "foo", nil]),
        ("FIREFOX_14.stack.txt", 3, [nil, "dumpException3", "onclick"]),
        ("OPERA_12.stack.txt", 3, [nil, "dumpException3", nil]),
        ("SAFARI_8_EVAL.stack.txt", 4, ["eval code", "eval", "foo", "bar"]),
    ])
    func otherCapturedStacks(file: String, count: Int, functions: [String?]) throws {
        let text = try corpusText("error-stack-parser/extracted/" + file)
        let parsed = try #require(NodeGrammar().parse(corpusLines(text)))
        let frames = try #require(parsed.exceptions.last).frames.reversed()
        #expect(frames.count == count)
        #expect(frames.map(\.function) == functions)
        #expect(frames.allSatisfy { $0.lineno != nil || $0.absPath == "[native code]" || $0.function == "eval code" })
        #expect(parsed.runtime == .javascript)
        #expect(parsed.unparsedLines.isEmpty)
    }

    // MARK: nodejs/node test/message

    /// Node's expected output with its `*` wildcards (paths, line numbers, version) replaced by `1`.
    static func nodeMessage(_ name: String) throws -> [RecordLine] {
        corpusLines(try corpusText("nodejs-node-messages/" + name).replacingOccurrences(of: "*", with: "1"))
    }

    @Test("nodejs: AggregateError with two [errors] members under a caret header")
    func nodeAggregate() throws {
        let parsed = try #require(NodeGrammar().parse(try Self.nodeMessage("error_aggregateTwoErrors.out")))
        #expect(parsed.runtime == .node)
        #expect(parsed.firstTraceLine == 0)
        #expect(parsed.unparsedLines.isEmpty)
        #expect(parsed.exceptions.map(\.type) == ["Error", "Error", "AggregateError"])
        #expect(parsed.exceptions.map(\.value) == ["second error", "original", "original"])
        #expect(parsed.exceptions.map(\.relation) == ["group", "group", nil])
        #expect(parsed.exceptions.map(\.frames.count) == [7, 7, 7])
        #expect(parsed.exceptions.last?.frames.map { $0.function ?? "" } == [
            "", "Function.executeUserEntryPoint", "Module._load", "Module.load", "Module._extensions..js",
            "Module._compile", "Object.<anonymous>",
        ])
        #expect(parsed.exceptions.last?.frames.first?.absPath == "node:internal/main/run_main_module")
    }

    @Test("nodejs: unhandled 'error' event with its Emitted stack")
    func nodeUnhandledErrorEvent() throws {
        let parsed = try #require(NodeGrammar().parse(try Self.nodeMessage("events_unhandled_error_nexttick.out")))
        #expect(parsed.firstTraceLine == 0)
        #expect(parsed.unparsedLines.isEmpty)
        #expect(parsed.exceptions.map(\.type) == ["Error"])
        #expect(parsed.exceptions.first?.value == nil)
        #expect(parsed.exceptions.first?.frames.count == 7)
        #expect(parsed.threads.map(\.state) == ["Emitted 'error' event"])
        #expect(parsed.threads.first?.frames.map(\.function) == ["processTicksAndRejections", nil])
    }

    // MARK: fluent-plugin-detect-exceptions

    @Test("fluent-plugin: the Node, browser and V8 samples")
    func fluentSamples() throws {
        func sample(_ name: String) throws -> ParsedTrace {
            let text = try corpusText("fluent-plugin-detect-exceptions/extracted/\(name).txt")
            return try #require(NodeGrammar().parse(corpusLines(text)), "\(name)")
        }
        let node = try sample("NODE_JS_EXC")
        #expect(node.runtime == .node)
        #expect(node.exceptions.map(\.type) == ["ReferenceError"])
        #expect(node.exceptions.first?.value == "myArray is not defined")
        #expect(node.exceptions.first?.frames.count == 10)
        #expect(node.exceptions.first?.frames.first?.raw == "at /app/app.js:52:3")
        #expect(node.unparsedLines.isEmpty)

        let client = try sample("CLIENT_JS_EXC")
        #expect(client.runtime == .javascript)
        #expect(client.exceptions.first?.frames.reversed().map(\.function) == [
            "bls", nil, "a_function_name", "Object.InjectedScript._evaluateOn", "Object.InjectedScript.evaluate",
        ])
        #expect(client.unparsedLines.isEmpty)

        let v8 = try sample("V8_JS_EXC")
        #expect(v8.firstTraceLine == 1)
        #expect(v8.exceptions.map(\.type) == ["Error"])
        let frames = try #require(v8.exceptions.first).frames.reversed()
        #expect(frames.map(\.function) == [
            "eval", "Contructor.Name", "FunctionName", "Type.functionName", "functionName", "Type.main",
        ])
        #expect(frames.map(\.absPath) == ["myscript.js", nil, nil, "file(copy).js?query='yes'", nil, "sample(copy).js"])
        #expect(v8.unparsedLines.isEmpty)

        let text = try corpusText("fluent-plugin-detect-exceptions/extracted/ARBITRARY_TEXT.txt")
        #expect(NodeGrammar().parse(corpusLines(text)) == nil)
    }

    /// Every corpus file of the other runtimes: the detection pattern matches none of their lines, and the
    /// parser finds no trace in them.
    @Test("other runtimes' corpus traces are neither detected nor parsed")
    func otherRuntimes() throws {
        let javascript: Set<String> = ["CLIENT_JS_EXC.txt", "NODE_JS_EXC.txt", "V8_JS_EXC.txt"]
        let skippedFolders = ["error-stack-parser", "nodejs-node-messages", "vector"]
        let detection = Matcher(try Pattern(NodeGrammar.detectionPattern))
        var checked = 0
        let enumerator = FileManager.default.enumerator(atPath: corpusFolder)
        while let relative = enumerator?.nextObject() as? String {
            let path = corpusFolder + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                  !skippedFolders.contains(where: { relative.hasPrefix($0 + "/") }),
                  !javascript.contains(URL(fileURLWithPath: relative).lastPathComponent),
                  !relative.hasSuffix("test_exception_detector.rb"), !relative.hasSuffix(".json")
            else { continue }
            let lines = corpusLines(try corpusText(relative))
            for line in lines where try detection.matches(line.text) {
                Issue.record("\(relative):\(line.number) detected as JavaScript: \(line.text)")
            }
            #expect(NodeGrammar().parse(lines) == nil, "\(relative)")
            checked += 1
        }
        #expect(checked > 50)
    }
}
