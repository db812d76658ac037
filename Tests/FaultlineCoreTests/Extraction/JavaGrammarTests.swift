import Foundation
import Testing

@testable import FaultlineCore

private let corpusFolder = corpusRoot

private let corpusPresent = FileManager.default.fileExists(atPath: corpusFolder + "/kotlinx-coroutines")

private func parseJava(_ text: String) -> ParsedTrace? {
    JavaGrammar().parse(GrammarExampleTests.lines(text))
}

/// A frame's grouping fields, for comparing whole stacks at once.
private struct FrameFields: Equatable, CustomStringConvertible {
    var module: String?
    var function: String?
    var lineno: Int?

    init(module: String?, function: String?, lineno: Int?) {
        self.module = module
        self.function = function
        self.lineno = lineno
    }

    init(_ frame: Frame) {
        self.init(module: frame.module, function: frame.function, lineno: frame.lineno)
    }

    /// What a printed JVM frame line says, read with plain string operations: the class before the last
    /// dot of `at …(`, without a `module/` prefix, the method after it, and the number after the last colon.
    init?(printedJavaFrame line: String) {
        let text = line.trimmingCharacters(in: .whitespaces)
        guard text.hasPrefix("at "), let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")") else {
            return nil
        }
        var symbol = text[text.index(text.startIndex, offsetBy: 3)..<open]
        if !symbol.contains("$$Lambda"), let slash = symbol.lastIndex(of: "/") {
            symbol = symbol[symbol.index(after: slash)...]
        }
        guard let dot = symbol.lastIndex(of: ".") else { return nil }
        let source = text[text.index(after: open)..<close]
        let lineno = source.contains(":") ? source.split(separator: ":").last.flatMap { Int($0) } : nil
        self.init(module: String(symbol[..<dot]), function: String(symbol[symbol.index(after: dot)...]),
                  lineno: lineno)
    }

    var description: String { "\(module ?? "nil").\(function ?? "nil"):\(lineno.map(String.init) ?? "-")" }
}

/// One exception as printed in a JVM trace: its header's class and its own frame lines.
private struct PrintedException {
    var className: String
    var frames: [FrameFields]
    var omitted: Int?
}

/// Splits a printed JVM trace (headers, `Caused by:`, frames, `... N more`) with string operations, outermost
/// exception first; an independent reading to check the grammar against.
private func printedExceptions(_ lines: [String]) -> [PrintedException] {
    var exceptions: [PrintedException] = []
    for line in lines {
        let text = line.trimmingCharacters(in: .whitespaces)
        if let frame = FrameFields(printedJavaFrame: line) {
            exceptions[exceptions.count - 1].frames.append(frame)
        } else if text.hasPrefix("..."), let count = text.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) {
            exceptions[exceptions.count - 1].omitted = count
        } else if text.hasPrefix("Caused by: ") || exceptions.isEmpty {
            let header = text.hasPrefix("Caused by: ") ? String(text.dropFirst("Caused by: ".count)) : text
            // The class is the last word before the first colon (after `Exception in thread "main"`, if any).
            let beforeColon = header.split(separator: ":", maxSplits: 1).first ?? Substring(header)
            let className = beforeColon.split(separator: " ").last.map(String.init) ?? header
            exceptions.append(PrintedException(className: className, frames: []))
        }
    }
    return exceptions
}

/// Checks a parsed Caused-by chain against the printed one: the types and packages, every frame's
/// module/function/line, and the re-expanded `... N more` frames. Returns the number of frames checked.
@discardableResult
private func expectChain(_ parsed: ParsedTrace, matches lines: [String], _ name: String) -> Int {
    let printed = printedExceptions(lines)
    let chain = Array(parsed.exceptions.reversed())    // outermost first, as printed
    #expect(chain.count == printed.count, "\(name): exception count")
    #expect(parsed.unparsedLines.isEmpty, "\(name): unparsed lines \(parsed.unparsedLines)")
    var checked = 0
    var enclosingFrames: [FrameFields] = []
    for (exception, expected) in zip(chain, printed) {
        let simpleName = expected.className.split(separator: ".").last.map(String.init)
        let package = expected.className.contains(".")
            ? String(expected.className[..<(expected.className.lastIndex(of: ".") ?? expected.className.endIndex)])
            : nil
        #expect(exception.type == simpleName, "\(name): type")
        #expect(exception.module == package, "\(name): package of \(expected.className)")
        let printedOrder = exception.frames.reversed().map(FrameFields.init)
        #expect(Array(printedOrder.prefix(expected.frames.count)) == expected.frames, "\(name): frames of \(expected.className)")
        checked += min(printedOrder.count, expected.frames.count)
        if let omitted = expected.omitted {
            #expect(exception.framesOmitted == omitted, "\(name): framesOmitted")
            #expect(Array(printedOrder.dropFirst(expected.frames.count)) == Array(enclosingFrames.suffix(omitted)),
                    "\(name): re-expanded frames of \(expected.className)")
        } else {
            #expect(printedOrder.count == expected.frames.count, "\(name): frame count of \(expected.className)")
        }
        enclosingFrames = printedOrder
    }
    return checked
}

@Suite("Java grammar")
struct JavaGrammarTests {
    struct FrameCase: CustomTestStringConvertible, Sendable {
        var line: String
        var module: String
        var function: String
        var filename: String?
        var lineno: Int?
        var package: String?
        var testDescription: String { line.trimmingCharacters(in: .whitespaces) }
    }

    static let frameCases: [FrameCase] = [
        FrameCase(line: "\tat com.acme.api.OrderController.getOrder(OrderController.java:42)",
                  module: "com.acme.api.OrderController", function: "getOrder", filename: "OrderController.java",
                  lineno: 42),
        FrameCase(line: "\tat java.base/java.lang.Thread.run(Thread.java:833)", module: "java.lang.Thread",
                  function: "run", filename: "Thread.java", lineno: 833, package: "java.base"),
        FrameCase(line: "\tat java.base@17.0.2/java.lang.Thread.run(Thread.java:833)", module: "java.lang.Thread",
                  function: "run", filename: "Thread.java", lineno: 833, package: "java.base"),
        FrameCase(line: "\tat app//com.acme.jobs.Worker.execute(Worker.java:19)", module: "com.acme.jobs.Worker",
                  function: "execute", filename: "Worker.java", lineno: 19, package: "app"),
        FrameCase(line: "\tat com.foo.loader/foo@9.0/com.foo.Main.run(Main.java:101)", module: "com.foo.Main",
                  function: "run", filename: "Main.java", lineno: 101, package: "com.foo.loader/foo"),
        FrameCase(line: "\tat jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
                  module: "jdk.internal.reflect.NativeMethodAccessorImpl", function: "invoke0"),
        FrameCase(line: "\tat com.acme.Main.main(Unknown Source)", module: "com.acme.Main", function: "main"),
        FrameCase(line: "\tat com.acme.app.MainActivity.onCreate(Unknown Source:4)",
                  module: "com.acme.app.MainActivity", function: "onCreate", lineno: 4),
        FrameCase(line: "\tat com.acme.sync.Poller$start$1.invokeSuspend(Poller.kt)",
                  module: "com.acme.sync.Poller$start$1", function: "invokeSuspend", filename: "Poller.kt"),
        FrameCase(line: "\tat com.acme.jobs.Scheduler$$Lambda$412/0x0000000800c3b840.run(Unknown Source)",
                  module: "com.acme.jobs.Scheduler$$Lambda$412/0x0000000800c3b840", function: "run"),
        FrameCase(line: "\tat com.acme.jobs.Scheduler.lambda$run$0(Scheduler.java:31)",
                  module: "com.acme.jobs.Scheduler", function: "lambda$run$0", filename: "Scheduler.java", lineno: 31),
        FrameCase(line: "\tat _COROUTINE._BOUNDARY._(CoroutineDebugging.kt)", module: "_COROUTINE._BOUNDARY",
                  function: "_", filename: "CoroutineDebugging.kt"),
        FrameCase(line: "    at com.acme.Order.<init>(Order.java:10) ~[app.jar:1.0]", module: "com.acme.Order",
                  function: "<init>", filename: "Order.java", lineno: 10),
        FrameCase(line: "\tat com.acme.OrderTest.should reject empty orders(OrderTest.kt:22)",
                  module: "com.acme.OrderTest", function: "should reject empty orders", filename: "OrderTest.kt",
                  lineno: 22),
        FrameCase(line: "\tat com.acme.api.OrderController$$EnhancerBySpringCGLIB$$8a3c5e1b.getOrder(<generated>)",
                  module: "com.acme.api.OrderController$$EnhancerBySpringCGLIB$$8a3c5e1b", function: "getOrder",
                  filename: "<generated>"),
        FrameCase(line: "\tat a.b.c.d(SourceFile:12)", module: "a.b.c", function: "d", filename: "SourceFile",
                  lineno: 12),
        FrameCase(line: "\tat com.acme.Main.main(Main.java:7)\r", module: "com.acme.Main", function: "main",
                  filename: "Main.java", lineno: 7),
    ]

    @Test("frame fields as the Sentry Java SDK sends them", arguments: frameCases)
    func frameFields(_ testCase: FrameCase) throws {
        let parsed = try #require(parseJava("java.lang.IllegalStateException: boom\n" + testCase.line))
        let frame = try #require(parsed.exceptions.first?.frames.first)
        #expect(frame.module == testCase.module)
        #expect(frame.function == testCase.function)
        #expect(frame.filename == testCase.filename)
        #expect(frame.lineno == testCase.lineno)
        #expect(frame.package == testCase.package)
        #expect(frame.absPath == nil)
        #expect(frame.inApp == nil)
        #expect(frame.raw == testCase.line.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("exception type is the class without its package; nested classes keep Outer$Inner")
    func typeAndModule() throws {
        let cases: [(header: String, type: String, module: String?, value: String?)] = [
            ("java.lang.NullPointerException", "NullPointerException", "java.lang", nil),
            ("com.acme.Outer$InnerException: bad", "Outer$InnerException", "com.acme", "bad"),
            ("Exception in thread \"pool-1-thread-2\" java.lang.OutOfMemoryError: Java heap space",
             "OutOfMemoryError", "java.lang", "Java heap space"),
            ("Exception in thread main java.lang.RuntimeException: no quotes", "RuntimeException", "java.lang",
             "no quotes"),
            ("java.lang.IllegalStateException: ", "IllegalStateException", "java.lang", nil),
        ]
        for (header, type, module, value) in cases {
            let parsed = try #require(parseJava(header + "\n\tat com.acme.Main.main(Main.java:1)"))
            let exception = try #require(parsed.exceptions.first)
            #expect(exception.type == type, "\(header)")
            #expect(exception.module == module, "\(header)")
            #expect(exception.value == value, "\(header)")
        }
    }

    @Test("relations and framesOmitted of a chain with a suppressed exception")
    func relations() throws {
        let example = try #require(JavaGrammar.examples.first { $0.name.hasPrefix("Suppressed") })
        let parsed = try #require(parseJava(example.text))
        #expect(parsed.exceptions.map(\.relation) == ["cause", "cause", "suppressed", nil])
        #expect(parsed.exceptions.map(\.framesOmitted) == [2, 2, 1, nil])
        // Re-expanded frames are copies of the enclosing exception's frames.
        #expect(parsed.exceptions[0].frames.first == parsed.exceptions[3].frames.first)
    }

    @Test("... N more copies what the enclosing trace has when it was cut short")
    func omittedBeyondTheEnclosingTrace() throws {
        let parsed = try #require(parseJava("""
            java.lang.IllegalStateException: outer
            \tat com.acme.B.b(B.java:2)
            Caused by: java.io.IOException: inner
            \tat com.acme.A.a(A.java:1)
            \t... 5 more
            """))
        let cause = try #require(parsed.exceptions.first)
        #expect(cause.framesOmitted == 5)
        #expect(cause.frames.map(\.function) == ["b", "a"])
    }

    @Test("log lines before the trace are the message; firstTraceLine points at the header")
    func firstTraceLine() throws {
        let parsed = try #require(parseJava("""
            2024-03-01 12:00:00 ERROR [main] c.a.Api - Request failed
            request id 42
            java.io.UncheckedIOException: read failed
            \tat com.acme.Api.handle(Api.java:9)
            """))
        #expect(parsed.firstTraceLine == 2)
        #expect(parsed.exceptions.map(\.type) == ["UncheckedIOException"])
    }

    @Test("header at the end of a log line (fluent-bit's and java.util.logging's shape)")
    func embeddedHeader() throws {
        let parsed = try #require(parseJava("""
            Dec 14 06:41:08 Exception in thread "main" java.lang.RuntimeException: Something has gone wrong
                at com.myproject.module.MyProject.badMethod(MyProject.java:22)
            """))
        #expect(parsed.firstTraceLine == 0)
        #expect(parsed.exceptions.map(\.type) == ["RuntimeException"])
        #expect(parsed.exceptions.first?.module == "java.lang")
        #expect(parsed.exceptions.first?.value == "Something has gone wrong")
    }

    @Test("frames without a header get the type <unknown>")
    func framesOnly() throws {
        let parsed = try #require(parseJava("\tat com.acme.A.a(A.java:1)\n\tat com.acme.B.b(B.java:2)"))
        #expect(parsed.exceptions.map(\.type) == ["<unknown>"])
        #expect(parsed.exceptions.first?.frames.map(\.function) == ["b", "a"])
        #expect(parsed.firstTraceLine == 0)
    }

    @Test("frame-like lines that cannot be read are reported as unparsed")
    func unparsedLines() throws {
        let parsed = try #require(parseJava("""
            java.lang.IllegalStateException: boom
            \tat com.acme.A.a(A.java:1)
            \tat org.elasticsearch.cluster.metadata.IndexNameExpressionResolver....
            \tat com.acme.B.b(B.java:2)
            Caused by: this is not a header
            """))
        #expect(parsed.unparsedLines == [3, 5])
        #expect(parsed.exceptions.first?.frames.count == 2)
    }

    @Test("a second trace in the same record is reported as unparsed, not merged")
    func secondTrace() throws {
        let parsed = try #require(parseJava("""
            java.lang.IllegalStateException: first
            \tat com.acme.A.a(A.java:1)
            java.lang.IllegalArgumentException: second
            \tat com.acme.B.b(B.java:2)
            """))
        #expect(parsed.exceptions.map(\.type) == ["IllegalStateException"])
        #expect(parsed.unparsedLines == [4])
    }

    @Test("CRLF line ends and space indentation parse like the original")
    func carriageReturns() throws {
        let example = try #require(JavaGrammar.examples.first { $0.name.hasPrefix("Caused by") })
        let original = try #require(parseJava(example.text))
        let parsed = try #require(JavaGrammar().parse(example.text.split(separator: "\n").enumerated().map {
            RecordLine($0.element.replacingOccurrences(of: "\t", with: "    ") + "\r", number: $0.offset + 1)
        }))
        #expect(parsed.exceptions.map(\.type) == original.exceptions.map(\.type))
        #expect(parsed.exceptions.map(\.value) == original.exceptions.map(\.value))
        #expect(parsed.exceptions.map { $0.frames.map(\.function) } == original.exceptions.map { $0.frames.map(\.function) })
    }

    @Test("records without a JVM trace give nil")
    func noTrace() {
        #expect(parseJava("2024-03-01 ERROR something failed\nat least one order was lost") == nil)
        #expect(parseJava("java.lang.IllegalStateException: header only") == nil)
        for example in DotNetGrammar.examples {
            #expect(parseJava(example.text) == nil, "\(example.name)")
        }
        #expect(parseJava("Error: boom\n    at fn (/srv/app/index.js:1:2)\n    at Object.<anonymous> (/srv/app/index.js:3:1)") == nil)
    }

    @Test("starter patterns match trace headers only")
    func starters() throws {
        let matchers = try JavaGrammar.starterPatterns.map { Matcher(try Pattern($0)) }
        func starts(_ line: String) throws -> Bool { try matchers.contains { try $0.matches(line) } }
        #expect(try starts("Exception in thread \"main\" java.lang.IllegalStateException: boom"))
        #expect(try starts("java.lang.IllegalStateException: boom"))
        #expect(try starts("kotlinx.coroutines.TimeoutCancellationException: Timed out waiting for 200 ms"))
        #expect(try starts("kotlinx.coroutines.testing.RecoverableTestException"))
        #expect(try !starts("Caused by: java.lang.IllegalStateException: boom"))
        #expect(try !starts("\tat com.acme.Main.main(Main.java:1)"))
        #expect(try !starts("System.InvalidOperationException: boom"))
        #expect(try !starts("ERROR: connection refused"))
        #expect(try !starts("com.acme.OrderService started in 3.2 seconds"))
        // The last line of a Python traceback.
        #expect(try !starts("requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api', port=443)"))
        #expect(try !starts("sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) connection refused"))
        #expect(try !starts("app.errors.ConfigError: bad setting"))
        #expect(try starts("io.grpc.StatusRuntimeException: UNAVAILABLE: io exception"))
    }
}

@Suite("Java grammar on the shared corpus",
       .enabled(if: corpusPresent, "the shared corpus is not at ../shared/corpus; corpus tests skipped"))
struct JavaGrammarCorpusTests {
    private func lines(_ relativePath: String) throws -> [String] {
        let text = try String(contentsOfFile: corpusFolder + "/" + relativePath, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    private func records(_ lines: [String]) -> [RecordLine] {
        lines.enumerated().map { RecordLine($0.element, number: $0.offset + 1) }
    }

    @Test("kotlinx.coroutines recovered traces: every chain and frame")
    func kotlinxCoroutines() throws {
        let folder = corpusFolder + "/kotlinx-coroutines/stacktraces"
        let files = try FileManager.default.subpathsOfDirectory(atPath: folder).filter { $0.hasSuffix(".txt") }.sorted()
        #expect(files.count == 26)
        var exceptions = 0
        var frames = 0
        for file in files {
            let text = try lines("kotlinx-coroutines/stacktraces/" + file)
            let parsed = try #require(JavaGrammar().parse(records(text)), "\(file)")
            frames += expectChain(parsed, matches: text, file)
            exceptions += parsed.exceptions.count
            #expect(parsed.exceptions.map(\.relation) == ["cause", nil], "\(file)")
            #expect(parsed.firstTraceLine == 0, "\(file)")
        }
        #expect(exceptions == 52)
        #expect(frames == text(count: "\tat ", in: folder, files: files))
        print("kotlinx-coroutines: \(files.count) traces, \(exceptions) exceptions, \(frames) frames checked")
    }

    private func text(count prefix: String, in folder: String, files: [String]) -> Int {
        files.reduce(0) { total, file in
            let text = (try? String(contentsOfFile: folder + "/" + file, encoding: .utf8)) ?? ""
            return total + text.components(separatedBy: "\n").filter { $0.hasPrefix(prefix) }.count
        }
    }

    @Test("fluent-plugin-detect-exceptions: nested Caused by with ... N more and a multi-line message")
    func nestedJava() throws {
        let text = try lines("fluent-plugin-detect-exceptions/extracted/NESTED_JAVA_EXC.txt")
        let parsed = try #require(JavaGrammar().parse(records(text)))
        let frames = expectChain(parsed, matches: text, "NESTED_JAVA_EXC")
        #expect(frames == 15)
        #expect(parsed.exceptions.map(\.type) == ["SMTPAddressFailedException", "SendFailedException", "RuntimeException"])
        #expect(parsed.exceptions.map(\.frames.count) == [0, 15, 12])
        #expect(parsed.exceptions[2].value == """
            javax.mail.SendFailedException: Invalid Addresses;
              nested exception is:
            com.sun.mail.smtp.SMTPAddressFailedException: 550 5.7.1 <[REDACTED_EMAIL_ADDRESS]>... Relaying denied
            """)
        #expect(parsed.exceptions[2].frames.first?.package == "java.base")
        #expect(parsed.exceptions[2].frames.first?.module == "java.lang.Thread")
    }

    @Test("fluent-plugin-detect-exceptions: common frames omitted beyond a cut enclosing trace")
    func complexJava() throws {
        let text = try lines("fluent-plugin-detect-exceptions/extracted/COMPLEX_JAVA_EXC.txt")
        let parsed = try #require(JavaGrammar().parse(records(text)))
        let frames = expectChain(parsed, matches: text, "COMPLEX_JAVA_EXC")
        #expect(frames == 26)
        #expect(parsed.exceptions.map(\.type) == ["MyProjectServletException", "ServletException"])
        #expect(parsed.exceptions.map(\.module) == ["com.example.myproject", "javax.servlet"])
        // 27 frames omitted, but the enclosing trace in the sample holds only 20.
        #expect(parsed.exceptions.map(\.frames.count) == [26, 20])
    }

    @Test("fluent-plugin-detect-exceptions: header inside a log line, and the trace cut in two parts",
          arguments: [("JAVA_EXC.txt", "RuntimeException", 5), ("JAVA_EXC_PART1.txt", "RuntimeException", 2),
                      ("JAVA_EXC_PART2.txt", "<unknown>", 3)])
    func splitJava(file: String, type: String, frameCount: Int) throws {
        let text = try lines("fluent-plugin-detect-exceptions/extracted/" + file)
        let parsed = try #require(JavaGrammar().parse(records(text)))
        #expect(parsed.exceptions.map(\.type) == [type])
        #expect(parsed.exceptions.first?.module == nil)
        if type != "<unknown>" { #expect(parsed.exceptions.first?.value == "Run from this message!") }
        let expected = text.compactMap(FrameFields.init(printedJavaFrame:))
        #expect(expected.count == frameCount)
        #expect(parsed.exceptions.first?.frames.reversed().map(FrameFields.init) == expected)
        #expect(parsed.exceptions.first?.frames.first?.function == (file == "JAVA_EXC_PART1.txt" ? "call" : "main"))
        #expect(parsed.unparsedLines.isEmpty)
        #expect(parsed.firstTraceLine == 0)
    }

    @Test("fluent-plugin-detect-exceptions: the output test's made-up sample has no JVM frame")
    func madeUpJava() throws {
        let source = try String(contentsOfFile: corpusFolder + "/fluent-plugin-detect-exceptions/raw/test_out_detect_exceptions.rb",
                                encoding: .utf8)
        let start = try #require(source.range(of: "JAVA_EXC = <<~END_JAVA.freeze\n"))
        let end = try #require(source.range(of: "  END_JAVA", range: start.upperBound..<source.endIndex))
        let sample = source[start.upperBound..<end.lowerBound].components(separatedBy: "\n").dropLast()
            .map { String($0.dropFirst(4)) }
        #expect(sample.first == "SomeException: foo")
        // `at bar` is no frame: nothing to read as a JVM trace.
        #expect(JavaGrammar().parse(records(Array(sample))) == nil)
    }

    @Test("fluent-bit: Java trace with a syslog prefix in raw logs", arguments: ["filter_multiline_test.log", "regex-001_test.log"])
    func fluentBitLog(file: String) throws {
        let all = try lines("fluent-bit/" + file)
        let start = try #require(all.firstIndex { $0.contains("Exception in thread") })
        let end = all[(start + 1)...].firstIndex { !$0.hasPrefix("    at ") } ?? all.endIndex
        let text = Array(all[start..<end])
        let parsed = try #require(JavaGrammar().parse(records(text)))
        #expect(parsed.exceptions.map(\.type) == ["RuntimeException"])
        #expect(parsed.exceptions.first?.module == "java.lang")
        #expect(parsed.exceptions.first?.value == "Something has gone wrong, aborting!")
        #expect(parsed.exceptions.first?.frames.reversed().map(FrameFields.init) == text.compactMap(FrameFields.init(printedJavaFrame:)))
        #expect(parsed.exceptions.first?.frames.count == 5)
        #expect(parsed.unparsedLines.isEmpty)
    }

    @Test("fluent-bit: the joined record of JSON lines (unquoted thread name)")
    func fluentBitJSON() throws {
        let json = try lines("fluent-bit/tail_multiline_001.out")[0]
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let message = try #require(object["message"] as? String)
        let text = message.components(separatedBy: "\n")
        let parsed = try #require(JavaGrammar().parse(records(text)))
        #expect(parsed.exceptions.map(\.type) == ["RuntimeException"])
        #expect(parsed.exceptions.first?.frames.reversed().map(FrameFields.init) == text.compactMap(FrameFields.init(printedJavaFrame:)))
        #expect(parsed.exceptions.first?.frames.count == 5)
    }

    /// The C string literals of one `struct record_check name[] = { … };` array in fluent-bit's multiline test.
    private func cStrings(_ array: String) throws -> [String] {
        let source = try String(contentsOfFile: corpusFolder + "/fluent-bit/raw/multiline.c", encoding: .utf8)
        let start = try #require(source.range(of: "struct record_check \(array)[] = {"))
        let end = try #require(source.range(of: "};", range: start.upperBound..<source.endIndex))
        var strings: [String] = []
        var current: String?
        var escaped = false
        for character in source[start.upperBound..<end.lowerBound] {
            if var text = current {
                if escaped {
                    text.append(character == "n" ? "\n" : character)
                    escaped = false
                    current = text
                } else if character == "\\" {
                    escaped = true
                } else if character == "\"" {
                    strings.append(text)
                    current = nil
                } else {
                    text.append(character)
                    current = text
                }
            } else if character == "\"" {
                current = ""
            }
        }
        return strings
    }

    @Test("fluent-bit: multiline parser test input with Caused by and ... 1 more")
    func fluentBitMultilineJava() throws {
        let input = try cStrings("java_input").joined().components(separatedBy: "\n").filter { !$0.isEmpty }
        #expect(input.last == "single line")    // the next record
        let text = Array(input.dropLast())
        let parsed = try #require(JavaGrammar().parse(records(text)))
        let frames = expectChain(parsed, matches: text, "java_input")
        #expect(frames == 4)
        #expect(parsed.exceptions.map(\.type) == ["NullPointerException", "IllegalStateException"])
        #expect(parsed.exceptions.map(\.frames.count) == [3, 2])
    }

    @Test("fluent-bit: mangled Elasticsearch frames are not a JVM trace")
    func fluentBitElastic() throws {
        let text = try cStrings("elastic_input").joined().components(separatedBy: "\n").filter { !$0.isEmpty }
        #expect(text.count == 5)
        #expect(JavaGrammar().parse(records(text)) == nil)
        let detection = Matcher(try Pattern(JavaGrammar.detectionPattern))
        #expect(try text.allSatisfy { try !detection.matches($0) })
    }
}
