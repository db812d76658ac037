import Foundation
import Testing

@testable import FaultlineCore

private let corpusFolder = corpusRoot

private let corpusPresent = FileManager.default.fileExists(atPath: corpusFolder + "/dotnet-StackTraceParser")

private func parseDotNet(_ text: String) -> ParsedTrace? {
    DotNetGrammar().parse(GrammarExampleTests.lines(text))
}

/// The fields of a .NET frame that the Sentry C# SDK fills from a printed frame.
private struct DotNetFrameFields: Equatable, CustomStringConvertible {
    var module: String?
    var function: String?
    var path: String?
    var lineno: Int?

    init(_ module: String?, _ function: String?, _ path: String? = nil, _ lineno: Int? = nil) {
        self.module = module
        self.function = function
        self.path = path
        self.lineno = lineno
    }

    init(_ frame: Frame) {
        self.init(frame.module, frame.function, frame.filename, frame.lineno)
    }

    var description: String { "\(module ?? "nil") | \(function ?? "nil") | \(path ?? "nil") | \(lineno.map(String.init) ?? "nil")" }
}

@Suite(".NET grammar")
struct DotNetGrammarTests {
    struct FrameCase: CustomTestStringConvertible, Sendable {
        var line: String
        var module: String?
        var function: String
        var path: String?
        var lineno: Int?
        var testDescription: String { line.trimmingCharacters(in: .whitespaces) }
    }

    static let frameCases: [FrameCase] = [
        FrameCase(line: #"   at Acme.Orders.OrderService.Load(Int32 id) in C:\src\Acme\OrderService.cs:line 41"#,
                  module: "Acme.Orders.OrderService", function: "Load", path: #"C:\src\Acme\OrderService.cs"#,
                  lineno: 41),
        FrameCase(line: #"   at Acme.Orders.OrderService.Load(Int32 id) in C:\Program Files\Acme\OrderService.cs:line 41"#,
                  module: "Acme.Orders.OrderService", function: "Load",
                  path: #"C:\Program Files\Acme\OrderService.cs"#, lineno: 41),
        FrameCase(line: "   at Acme.Program.Main()", module: "Acme.Program", function: "Main"),
        FrameCase(line: "   at System.Guid..ctor(String g)", module: "System.Guid", function: ".ctor"),
        FrameCase(line: "   at Acme.Settings..cctor()", module: "Acme.Settings", function: ".cctor"),
        FrameCase(line: "   at Acme.Cache`1.Get[TKey](TKey key) in /src/Cache.cs:line 9", module: "Acme.Cache`1",
                  function: "Get[TKey]", path: "/src/Cache.cs", lineno: 9),
        FrameCase(line: "   at Acme.Gateway.<ChargeAsync>d__5.MoveNext() in /src/Gateway.cs:line 61",
                  module: "Acme.Gateway.<ChargeAsync>d__5", function: "MoveNext", path: "/src/Gateway.cs", lineno: 61),
        FrameCase(line: "   at Program.<Main>$(String[] args) in /src/Program.cs:line 5", module: "Program",
                  function: "<Main>$", path: "/src/Program.cs", lineno: 5),
        FrameCase(line: "   at Acme.Worker.<>c.<Run>b__0_0(Object state)", module: "Acme.Worker.<>c",
                  function: "<Run>b__0_0"),
        FrameCase(line: "   at lambda_method5(Closure , Object )", module: nil, function: "lambda_method5"),
        FrameCase(line: "   at Acme.Native.Run() + 0x1c", module: "Acme.Native", function: "Run"),
        FrameCase(line: "  at Acme.Game.Loader.Start () [0x00001] in /build/Loader.cs:12", module: "Acme.Game.Loader",
                  function: "Start", path: "/build/Loader.cs", lineno: 12),
        FrameCase(line: "  at Acme.Game.Loader.Start () [0x00001] in <filename unknown>:0", module: "Acme.Game.Loader",
                  function: "Start"),
        FrameCase(line: "  at Acme.Game.Loader.Start () <0x00023 + 0x00012> in <filename unknown>:0",
                  module: "Acme.Game.Loader", function: "Start"),
        FrameCase(line: "  at (wrapper remoting-invoke-with-check) Acme.Remote.Call(string)", module: "Acme.Remote",
                  function: "Call"),
        FrameCase(line: "   at Acme.Program.Main() in /src/Program.cs:line 12\r", module: "Acme.Program",
                  function: "Main", path: "/src/Program.cs", lineno: 12),
    ]

    @Test("frame fields as the Sentry C# SDK sends them", arguments: frameCases)
    func frameFields(_ testCase: FrameCase) throws {
        let parsed = try #require(parseDotNet("System.Exception: boom\n" + testCase.line))
        let frame = try #require(parsed.exceptions.first?.frames.first)
        #expect(frame.module == testCase.module)
        #expect(frame.function == testCase.function)
        #expect(frame.filename == testCase.path)
        #expect(frame.absPath == testCase.path)
        #expect(frame.lineno == testCase.lineno)
        #expect(frame.inApp == nil)
        #expect(frame.raw == testCase.line.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    @Test("headers: prefixes, error codes, indentation, a log line around them")
    func headers() throws {
        let frame = "   at Acme.Program.Main() in /src/Program.cs:line 12"
        let cases: [(text: String, type: String, value: String?, firstTraceLine: Int)] = [
            ("Unhandled exception. System.InvalidOperationException: boom", "System.InvalidOperationException",
             "boom", 0),
            ("Unhandled Exception: System.InvalidOperationException: boom", "System.InvalidOperationException",
             "boom", 0),
            ("Unhandled Exception:\nSystem.NullReferenceException: Object reference not set to an instance of an object",
             "System.NullReferenceException", "Object reference not set to an instance of an object", 1),
            ("[ERROR] FATAL UNHANDLED EXCEPTION: System.IO.IOException: Sharing violation", "System.IO.IOException",
             "Sharing violation", 0),
            ("System.ComponentModel.Win32Exception (0x80004005): Access is denied",
             "System.ComponentModel.Win32Exception", "Access is denied", 0),
            ("System.OperationCanceledException", "System.OperationCanceledException", nil, 0),
            ("""
             fail: Microsoft.AspNetCore.Server.Kestrel[13]
                   Connection id "0HMD", Request id "0HMD:00000002": An unhandled exception was thrown by the application.
                   System.InvalidOperationException: No order
             """, "System.InvalidOperationException", "No order", 2),
            ("2024-03-01 12:00:00 ERROR Checkout failed: System.TimeoutException: The operation has timed out.",
             "System.TimeoutException", "The operation has timed out.", 0),
            ("System.ArgumentException: Value does not fall within the expected range.\nParameter name: id",
             "System.ArgumentException", "Value does not fall within the expected range.\nParameter name: id", 0),
        ]
        for (text, type, value, firstTraceLine) in cases {
            let parsed = try #require(parseDotNet(text + "\n" + frame), "\(text)")
            #expect(parsed.exceptions.map(\.type) == [type], "\(text)")
            #expect(parsed.exceptions.first?.value == value, "\(text)")
            #expect(parsed.exceptions.first?.module == nil, "\(text)")
            #expect(parsed.firstTraceLine == firstTraceLine, "\(text)")
        }
    }

    @Test("relations: inner exceptions and AggregateException members")
    func relations() throws {
        let innerExample = try #require(DotNetGrammar.examples.first { $0.name.hasPrefix(".NET Core unhandled") })
        let inner = try #require(parseDotNet(innerExample.text))
        #expect(inner.exceptions.map(\.relation) == ["inner", nil])
        let aggregateExample = try #require(DotNetGrammar.examples.first { $0.name.hasPrefix("AggregateException") })
        let aggregate = try #require(parseDotNet(aggregateExample.text))
        #expect(aggregate.exceptions.map(\.relation) == ["group", "inner", nil])
    }

    @Test(".NET Framework prints an AggregateException's first member twice; it is kept once")
    func aggregateOnFramework() throws {
        let parsed = try #require(parseDotNet("""
            System.AggregateException: One or more errors occurred. ---> System.IO.IOException: Disk full
               at Acme.Backup.Writer.Flush() in C:\\src\\Writer.cs:line 30
               --- End of inner exception stack trace ---
               at System.Threading.Tasks.Task.WaitAll(Task[] tasks)
               at Acme.Backup.Program.Main() in C:\\src\\Program.cs:line 14
            ---> (Inner Exception #0) System.IO.IOException: Disk full
               at Acme.Backup.Writer.Flush() in C:\\src\\Writer.cs:line 30<---

            ---> (Inner Exception #1) System.TimeoutException: Timeout
               at Acme.Backup.Uploader.Send() in C:\\src\\Uploader.cs:line 52<---
            """))
        #expect(parsed.exceptions.map(\.type) == ["System.TimeoutException", "System.IO.IOException",
                                                  "System.AggregateException"])
        #expect(parsed.exceptions.map(\.frames.count) == [1, 1, 2])
        #expect(parsed.unparsedLines.isEmpty)
    }

    @Test("an inner exception without frames of its own")
    func innerWithoutFrames() throws {
        let parsed = try #require(parseDotNet("""
            System.InvalidOperationException: outer ---> System.Exception: inner
               --- End of inner exception stack trace ---
               at Acme.Program.Main() in /src/Program.cs:line 12
            """))
        #expect(parsed.exceptions.map(\.type) == ["System.Exception", "System.InvalidOperationException"])
        #expect(parsed.exceptions.map(\.frames.count) == [0, 1])
    }

    @Test("frames without a header get the type <unknown>; unreadable frame lines are reported")
    func framesOnlyAndUnparsed() throws {
        let parsed = try #require(parseDotNet("""
               at Acme.A.Run() in /src/A.cs:line 1
               at Acme.Broken.Run(String
               at Acme.B.Run() in /src/B.cs:line 2
            """))
        #expect(parsed.exceptions.map(\.type) == ["<unknown>"])
        #expect(parsed.exceptions.first?.frames.map(\.function) == ["Run", "Run"])
        #expect(parsed.unparsedLines == [2])
        #expect(parsed.firstTraceLine == 0)
    }

    @Test("CRLF line ends parse like the original")
    func carriageReturns() throws {
        for example in DotNetGrammar.examples {
            let original = try #require(parseDotNet(example.text))
            let parsed = try #require(DotNetGrammar().parse(example.text.split(separator: "\n").enumerated().map {
                RecordLine(String($0.element) + "\r", number: $0.offset + 1)
            }))
            #expect(parsed == original, "\(example.name)")
        }
    }

    @Test("records without a .NET trace give nil")
    func noTrace() {
        #expect(parseDotNet("2024-03-01 ERROR something failed\nat least one order was lost") == nil)
        #expect(parseDotNet("System.InvalidOperationException: header only") == nil)
        for example in JavaGrammar.examples {
            #expect(parseDotNet(example.text) == nil, "\(example.name)")
        }
        #expect(parseDotNet("Error: boom\n    at fn (/srv/app/index.js:1:2)\n    at Object.<anonymous> (/srv/app/index.js:3:1)") == nil)
    }

    @Test("starter patterns match trace headers only")
    func starters() throws {
        let matchers = try DotNetGrammar.starterPatterns.map { Matcher(try Pattern($0)) }
        func starts(_ line: String) throws -> Bool { try matchers.contains { try $0.matches(line) } }
        #expect(try starts("Unhandled exception. System.InvalidOperationException: boom"))
        #expect(try starts("Unhandled Exception: System.InvalidOperationException: boom"))
        #expect(try starts("Unhandled Exception:"))
        #expect(try starts("System.InvalidOperationException: boom"))
        #expect(try starts("System.Web.HttpUnhandledException (0x80004005): Exception of type"))
        #expect(try !starts("java.lang.IllegalStateException: boom"))
        #expect(try !starts("   at Acme.Program.Main()"))
        #expect(try !starts("Unhandled exception in request handler"))
        #expect(try !starts("ERROR: connection refused"))
    }
}

/// Java, .NET and V8 frame lines look alike (`at name(...)`); each detection pattern must pick its own.
@Suite("Detection patterns tell JVM, .NET and V8 frames apart")
struct FrameDetectionTests {
    static let javaLines = [
        "\tat com.acme.api.OrderController.getOrder(OrderController.java:42)",
        "\tat java.base/java.lang.Thread.run(Thread.java:833)",
        "    at com.acme.Main.main(Unknown Source)",
        "\tat jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
        "\tat com.acme.sync.Poller$start$1.invokeSuspend(Poller.kt)",
        "\tat com.acme.api.OrderController$$EnhancerBySpringCGLIB$$8a3c5e1b.getOrder(<generated>) ~[classes/:na]",
        "\tat a.b.c.d(SourceFile:12)",
        "\tat com.acme.jobs.Scheduler$$Lambda$412/0x0000000800c3b840.run(Unknown Source)",
        "\tat _COROUTINE._BOUNDARY._(CoroutineDebugging.kt)",
        "  at com.my.app.Object.do$a1(MakeLog.java:50)",
    ]
    static let dotNetLines = [
        #"   at A.B.C.M(String x) in C:\x.cs:line 1"#,
        "   at Acme.Program.Main()",
        "   at System.Web.HttpApplication.ExecuteStep(IExecutionStep step, Boolean& completedSynchronously)",
        "  at System.Web.Mvc.MvcHandler.ProcessRequestInit (System.Web.HttpContextBase httpContext, IController& controller) [0x00000] in <filename unknown>:0",
        "   at lambda_method5(Closure , Object )",
        "   --- End of inner exception stack trace ---",
        "--- End of stack trace from previous location ---",
        "--- End of stack trace from previous location where exception was thrown ---",
        #"   at Acme.Gateway.<ChargeAsync>d__5.MoveNext() in C:\src\Gateway.cs:line 61"#,
        "  at Main.Welcome+<Main>c__AnonStorey0.<>m__0 () [0x00006] in /home/Csharp/hello.csharp:48",
    ]
    static let v8Lines = [
        "    at fn (file.js:1:2)",
        "    at Object.<anonymous> (/srv/app/index.js:10:15)",
        "    at new OrderService (/srv/app/order.js:5:11)",
        "    at /srv/app/index.js:3:7",
        "    at async Promise.all (index 0)",
        "    at Array.forEach (<anonymous>)",
        "    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)",
        "    at Module._compile (node:internal/modules/cjs/loader:1256:14)",
        "    at eval (eval at <anonymous> (file.js:1:1), <anonymous>:1:1)",
    ]

    @Test("the JVM pattern matches JVM frames only")
    func java() throws {
        let matcher = Matcher(try Pattern(JavaGrammar.detectionPattern))
        for line in Self.javaLines { #expect(try matcher.matches(line), "\(line)") }
        for line in Self.dotNetLines + Self.v8Lines { #expect(try !matcher.matches(line), "\(line)") }
    }

    @Test("the .NET pattern matches .NET frames only")
    func dotNet() throws {
        let matcher = Matcher(try Pattern(DotNetGrammar.detectionPattern))
        for line in Self.dotNetLines { #expect(try matcher.matches(line), "\(line)") }
        for line in Self.javaLines + Self.v8Lines { #expect(try !matcher.matches(line), "\(line)") }
    }
}

@Suite(".NET grammar on the shared corpus",
       .enabled(if: corpusPresent, "the shared corpus is not at ../shared/corpus; corpus tests skipped"))
struct DotNetGrammarCorpusTests {
    private func lines(_ relativePath: String) throws -> [RecordLine] {
        let text = try String(contentsOfFile: corpusFolder + "/" + relativePath, encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines.enumerated().map { RecordLine($0.element, number: $0.offset + 1) }
    }

    // MARK: StackTraceParser (ELMAH) ground truth

    /// A C# literal or name in the test file.
    private enum Token: Equatable {
        case string(String), name(String), number(Int)
    }

    /// Reads C# tokens from `start` up to the closing parenthesis: verbatim (`@"…"`, `""` for a quote) and
    /// regular strings, names and integers; comments and punctuation are skipped.
    private func tokens(in source: [Character], from start: Int, limit: Int = .max) -> [Token] {
        var tokens: [Token] = []
        var index = start
        func peek(_ offset: Int) -> Character? { index + offset < source.count ? source[index + offset] : nil }
        while index < source.count, source[index] != ")", tokens.count < limit {
            let character = source[index]
            if character == "/", peek(1) == "*" {
                index += 2
                while index < source.count, !(source[index] == "*" && peek(1) == "/") { index += 1 }
                index += 2
            } else if character == "@", peek(1) == "\"" {
                index += 2
                var text = ""
                while index < source.count {
                    if source[index] == "\"" {
                        if peek(1) == "\"" { text.append("\""); index += 2; continue }
                        break
                    }
                    text.append(source[index])
                    index += 1
                }
                index += 1
                tokens.append(.string(text))
            } else if character == "\"" {
                index += 1
                var text = ""
                while index < source.count, source[index] != "\"" {
                    if source[index] == "\\", let next = peek(1) { text.append(next); index += 2; continue }
                    text.append(source[index])
                    index += 1
                }
                index += 1
                tokens.append(.string(text))
            } else if character.isLetter || character == "_" {
                var name = ""
                while index < source.count, source[index].isLetter || source[index].isNumber || source[index] == "_" {
                    name.append(source[index])
                    index += 1
                }
                tokens.append(.name(name))
            } else if character.isNumber {
                var digits = ""
                while index < source.count, source[index].isNumber { digits.append(source[index]); index += 1 }
                tokens.append(.number(Int(digits) ?? 0))
            } else {
                index += 1
            }
        }
        return tokens
    }

    /// One `[StackTraceTestCase(trace, index, frame[, type, method, parameterList, parameters, file, line])]`.
    private struct GroundTruth {
        var trace: String
        var index: Int
        var frame: String
        var type: String?
        var method: String?
        var file: String?
        var line: String?
    }

    /// The test file's string constants and test cases.
    private func stackTraceParserCases() throws -> (constants: [String: String], cases: [GroundTruth]) {
        let path = corpusFolder + "/dotnet-StackTraceParser/raw/StackTraceParserTests.cs"
        let source = Array(try String(contentsOfFile: path, encoding: .utf8))
        let text = String(source)
        var constants: [String: String] = [:]
        for range in text.ranges(of: "const string ") {
            let start = text.distance(from: text.startIndex, to: range.upperBound)
            // `Name = "value";`: the name, then the literal.
            let declaration = tokens(in: source, from: start, limit: 2)
            if case .name(let name)? = declaration.first, case .string(let value)? = declaration.last {
                constants[name] = value
            }
        }
        var cases: [GroundTruth] = []
        for range in text.ranges(of: "[StackTraceTestCase(") {
            let arguments = tokens(in: source, from: text.distance(from: text.startIndex, to: range.upperBound))
            let values: [String?] = arguments.map {
                switch $0 {
                case .string(let value): return value
                case .name(let name): return constants[name]
                case .number(let number): return String(number)
                }
            }
            guard values.count == 3 || values.count == 9, let trace = arguments.first, case .name(let traceName) = trace,
                  let index = values[1].flatMap({ Int($0) }), let frame = values[2]
            else {
                Issue.record("unreadable test case: \(arguments)")
                continue
            }
            var truth = GroundTruth(trace: traceName, index: index, frame: frame)
            if values.count == 9 {
                truth.type = values[3]
                truth.method = values[4]
                truth.file = values[7]
                truth.line = values[8]
            }
            cases.append(truth)
        }
        return (constants, cases)
    }

    @Test("StackTraceParser (ELMAH): every frame matches the expected Type/Method/File/Line")
    func stackTraceParser() throws {
        let (constants, cases) = try stackTraceParserCases()
        #expect(cases.count == 53)
        let expectedTypes: [String: [String]] = [
            "DotNetStackTrace": ["Elmah.TestException"],
            "DotNetStackLinuxTrace": ["Elmah.TestException"],
            "MonoStackTrace": ["System.Web.HttpException"],
            "SpaceBugStackTrace": ["System.FormatException", "System.ArgumentException", "System.Web.HttpUnhandledException"],
            "RunawayBugStackTrace": ["System.IO.FileLoadException", "NHibernate.Exceptions.GenericADOException"],
        ]
        var frameMatches = 0
        var fieldMatches = 0
        for (traceName, types) in expectedTypes.sorted(by: { $0.key < $1.key }) {
            let text = try #require(constants[traceName], "\(traceName)")
            let parsed = try #require(parseDotNet(text), "\(traceName)")
            #expect(parsed.exceptions.map(\.type) == types, "\(traceName)")
            #expect(parsed.unparsedLines.isEmpty, "\(traceName)")
            // Printed order: the innermost exception's frames first, each crashing frame first.
            let frames = parsed.exceptions.flatMap { $0.frames.reversed() }
            let printedFrames = text.components(separatedBy: "\n").filter {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix("at ")
            }
            #expect(frames.count == printedFrames.count, "\(traceName)")
            for truth in cases where truth.trace == traceName {
                guard truth.index < frames.count else {
                    Issue.record("\(traceName) #\(truth.index): missing")
                    continue
                }
                let frame = frames[truth.index]
                #expect(frame.raw == "at " + truth.frame, "\(traceName) #\(truth.index)")
                if frame.raw == "at " + truth.frame { frameMatches += 1 }
                guard let type = truth.type, let method = truth.method else { continue }
                // StackTraceParser reports Mono's `<filename unknown>:0` as file and line; Sentry gets neither.
                let file = truth.file.flatMap { $0.isEmpty || $0 == "filename unknown" ? nil : $0 }
                let line = truth.line.flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
                let expected = DotNetFrameFields(type, method, file, line)
                #expect(DotNetFrameFields(frame) == expected, "\(traceName) #\(truth.index)")
                if DotNetFrameFields(frame) == expected { fieldMatches += 1 }
            }
        }
        #expect(frameMatches == 53)
        #expect(fieldMatches == 17)
        print("StackTraceParser: \(frameMatches)/53 frames, \(fieldMatches)/17 with Type/Method/File/Line")
    }

    @Test("StackTraceParser: messages of a header spanning several lines")
    func stackTraceParserMessages() throws {
        let (constants, _) = try stackTraceParserCases()
        let spaceBugText = try #require(constants["SpaceBugStackTrace"])
        let spaceBug = try #require(parseDotNet(spaceBugText))
        let argument = try #require(spaceBug.exceptions.dropFirst().first)
        #expect(argument.value?.hasPrefix("Guid should contain 32 digits with 4 dashes") == true)
        #expect(argument.value?.hasSuffix("Parameter name: 9f567029-a6c4-4232-bab0-177ab8d5a67x") == true)
        #expect(spaceBug.exceptions.last?.value == "Exception of type 'System.Web.HttpUnhandledException' was thrown.")
        #expect(spaceBug.exceptions.map(\.frames.count) == [5, 0, 12])
        #expect(spaceBug.firstTraceLine == 1)

        let runawayText = try #require(constants["RunawayBugStackTrace"])
        let runaway = try #require(parseDotNet(runawayText))
        let query = try #require(runaway.exceptions.last?.value)
        #expect(query.hasPrefix("Failed to execute multi query[SQL: select codingques0_.Id as Id2_0_"))
        #expect(query.hasSuffix("]"))
        #expect(query.components(separatedBy: "\n").count == 3)
        #expect(runaway.exceptions.first?.value?.hasPrefix("Could not load file or assembly 'Microsoft.SqlServer.Types") == true)
        #expect(runaway.exceptions.map(\.frames.count) == [19, 0])
    }

    // MARK: fluent-plugin-detect-exceptions samples

    @Test("fluent-plugin-detect-exceptions: Mono trace with generic types and unknown files")
    func csharpMono() throws {
        let parsed = try #require(DotNetGrammar().parse(try lines("fluent-plugin-detect-exceptions/extracted/CSHARP_EXC.txt")))
        #expect(parsed.exceptions.map(\.type) == ["System.Collections.Generic.KeyNotFoundException"])
        #expect(parsed.exceptions.first?.value == "The given key was not present in the dictionary.")
        let another = "/usr/local/google/home/Csharp/another file.csharp"
        let file2 = "/usr/local/google/home/Csharp/File2.csharp"
        let expected = [
            DotNetFrameFields("System.Collections.Generic.Dictionary`2[System.String,System.Collections.Generic.Dictionary`2[System.Int32,System.Double]]", "get_Item"),
            DotNetFrameFields("File3.Consolidator_Class", "Function5", another, 9),
            DotNetFrameFields("File3.Consolidator_Class", "Function4", another, 23),
            DotNetFrameFields("File3.Consolidator_Class", "Function3", another, 27),
            DotNetFrameFields("File3.Consolidator_Class", "Function3", another, 32),
            DotNetFrameFields("File2.Processor", "Function2", file2, 19),
            DotNetFrameFields("File2.Processor", "Random2", file2, 28),
            DotNetFrameFields("File2.Processor", "Function1", file2, 34),
            DotNetFrameFields("Main.Welcome+<Main>c__AnonStorey0", "<>m__0", "/usr/local/google/home/Csharp/hello.csharp", 48),
            DotNetFrameFields("System.Threading.Thread", "StartInternal"),
        ]
        #expect(parsed.exceptions.first?.frames.reversed().map(DotNetFrameFields.init) == expected)
        #expect(parsed.unparsedLines.isEmpty)
    }

    @Test("fluent-plugin-detect-exceptions: nested exception")
    func csharpNested() throws {
        let parsed = try #require(DotNetGrammar().parse(try lines("fluent-plugin-detect-exceptions/extracted/CSHARP_NESTED_EXC.txt")))
        #expect(parsed.exceptions.map(\.type) == ["System.InvalidOperationException", "System.InvalidOperationException"])
        #expect(parsed.exceptions.map(\.value) == ["This is the inner exception", "This is the outer exception"])
        #expect(parsed.exceptions.map(\.relation) == ["inner", nil])
        let file = "c:/ExampleApp/ExampleApp/NestedExceptionExample.cs"
        let type = "ExampleApp.NestedExceptionExample"
        #expect(parsed.exceptions.map { $0.frames.reversed().map(DotNetFrameFields.init) } == [
            [DotNetFrameFields(type, "LowestLevelMethod", file, 33), DotNetFrameFields(type, "ThirdLevelMethod", file, 28),
             DotNetFrameFields(type, "SecondLevelMethod", file, 18)],
            [DotNetFrameFields(type, "SecondLevelMethod", file, 22), DotNetFrameFields(type, "TopLevelMethod", file, 11),
             DotNetFrameFields("ExampleApp.Program", "Main", "c:/ExampleApp/ExampleApp/Program.cs", 11)],
        ])
        #expect(parsed.unparsedLines.isEmpty)
    }

    @Test("fluent-plugin-detect-exceptions: async exception across rethrow boundaries")
    func csharpAsync() throws {
        let parsed = try #require(DotNetGrammar().parse(try lines("fluent-plugin-detect-exceptions/extracted/CSHARP_ASYNC_EXC.txt")))
        #expect(parsed.exceptions.map(\.type) == ["System.InvalidOperationException"])
        let file = "c:/ExampleApp/ExampleApp/AsyncExceptionExample.cs"
        let type = "ExampleApp2.AsyncExceptionExample"
        let awaiter = "System.Runtime.CompilerServices.TaskAwaiter"
        let awaiting = [
            DotNetFrameFields(awaiter, "ThrowForNonSuccess"),
            DotNetFrameFields(awaiter, "HandleNonSuccessAndDebuggerNotification"),
            DotNetFrameFields(awaiter, "GetResult"),
        ]
        let expected = [DotNetFrameFields(type, "LowestLevelMethod", file, 36),
                        DotNetFrameFields(type + ".<ThirdLevelMethod>d__2", "MoveNext", file, 31)]
            + awaiting + [DotNetFrameFields(type + ".<SecondLevelMethod>d__1", "MoveNext", file, 25)]
            + awaiting + [DotNetFrameFields(type + ".<TopLevelMethod>d__0", "MoveNext", file, 14)]
        #expect(parsed.exceptions.first?.frames.reversed().map(DotNetFrameFields.init) == expected)
        #expect(parsed.unparsedLines.isEmpty)
    }
}
