/// Stack traces printed by the JVM (Java, Kotlin, Scala) as `Throwable.printStackTrace`, Logback and Log4j 2
/// write them.
///
/// What it reads:
/// - the header `fully.qualified.Type: message`, alone on its line, after `Exception in thread "main" `, or at
///   the end of a log line (`… ERROR Job - java.io.IOException: disk full`); the message goes on until the
///   first frame;
/// - frames `\tat pkg.Class.method(File.java:12)`, with `(Unknown Source)`, `(Native Method)`, `(File.kt)`, a
///   module prefix (`java.base/`, `app//`, `java.base@17.0.2/`) and Logback packaging data (`~[app.jar:1.0]`);
/// - `Caused by:`, tab-indented `Suppressed:` (and the causes of a suppressed exception, indented alike),
///   Logback's root-cause-first `Wrapped by:`, `[CIRCULAR REFERENCE: …]` (skipped, as the Sentry SDK skips an
///   exception it has already seen), and `... N more` / `... N common frames omitted`, re-expanded from the
///   enclosing trace.
///
/// Fields follow the Sentry Java SDK: exception `type` is the class name without its package (`Outer$Inner`
/// for a nested class) and `module` the package; frame `module` is the class (`com.acme.api.OrderController`),
/// `function` the method, `filename` the source file, `package` the module prefix without its version
/// (`java.base`). A trace whose header is missing (frames only) gets the type `<unknown>`, as Sentry shows it.
/// Exceptions come out as the SDK orders them: each exception after its cause chain and its suppressed
/// exceptions, the outermost last.
public final class JavaGrammar: TraceGrammar {
    public static let runtime = Runtime.java

    /// `Exception in thread "main" …`, and a throwable's class at the start of a line when its package starts
    /// like a JVM package (`java.`, `kotlinx.`, `com.`, `org.`, `io.`, a country code). Other dotted roots are
    /// left out on purpose: a Python traceback ends with `requests.exceptions.ConnectionError: …` or
    /// `app.errors.ConfigError: …`, which must not start a record.
    public static let starterPatterns = [
        #"^Exception in thread (?:"[^"]*"|\S+) \S"#,
        #"^(?:java|javax|jakarta|jdk|sun|kotlin|kotlinx|scala|akka|groovy|clojure|android|androidx|dalvik|com|org|net|io|co|de|fr|nl|ch|uk|eu|ru|cn|jp|br|se|no|fi|dk|it|es|pl|at|be|cz|au|ca|us)\.(?:[\w$]+\.)*[A-Z_$][\w$]*(?:Exception|Error|Throwable)(?::\s|$)"#,
    ]

    /// A frame whose parentheses hold what the JVM prints there: a source file with a lower-case extension
    /// and an optional line, `Unknown Source`, `Native Method` or `<generated>`. A .NET frame holds a
    /// parameter list there (`(String name)`, `()`) and a V8 frame has a space before the parenthesis, so
    /// neither matches.
    public static let detectionPattern =
        #"^\s*at [^\s()]+\.[^\s().]+\((?:Native Method|Unknown Source(?::\d+)?|<generated>|[\w$.<>-]+\.[a-z]\w*(?::\d+)?|[\w$.<>-]+:\d+)\)"#

    public static let examples: [TraceExample] = [
        TraceExample(
            name: "uncaught exception with module prefixes, a native method and an unknown source",
            text: """
                Exception in thread "main" java.lang.NullPointerException: Cannot invoke "String.length()" because "name" is null
                \tat com.acme.api.OrderController.getOrder(OrderController.java:42)
                \tat java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)
                \tat java.base/java.lang.reflect.Method.invoke(Method.java:568)
                \tat com.acme.api.Main.main(Unknown Source)
                """,
            exceptions: [
                .init(type: "NullPointerException", value: #"Cannot invoke "String.length()" because "name" is null"#,
                      module: "java.lang", functions: ["main", "invoke", "invoke0", "getOrder"]),
            ]),
        TraceExample(
            name: "Caused by chain with ... N more, oldest cause first",
            text: """
                com.acme.api.OrderException: Failed to load order 42
                \tat com.acme.api.OrderService.load(OrderService.java:88)
                \tat com.acme.api.OrderController.getOrder(OrderController.java:42)
                \tat com.acme.api.Main.main(Main.java:12)
                Caused by: java.sql.SQLTimeoutException: Query timed out
                \tat org.postgresql.jdbc.PgStatement.execute(PgStatement.java:377)
                \tat com.acme.db.OrderRepository.find(OrderRepository.java:31)
                \tat com.acme.api.OrderService.load(OrderService.java:85)
                \t... 2 more
                Caused by: java.net.SocketTimeoutException: Read timed out
                \tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:288)
                \tat org.postgresql.core.PGStream.receive(PGStream.java:430)
                \t... 5 more
                """,
            exceptions: [
                .init(type: "SocketTimeoutException", value: "Read timed out", module: "java.net",
                      functions: ["main", "getOrder", "load", "find", "execute", "receive", "timedRead"]),
                .init(type: "SQLTimeoutException", value: "Query timed out", module: "java.sql",
                      functions: ["main", "getOrder", "load", "find", "execute"]),
                .init(type: "OrderException", value: "Failed to load order 42", module: "com.acme.api",
                      functions: ["main", "getOrder", "load"]),
            ]),
        TraceExample(
            name: "Suppressed exception with its own cause, placed before the exception it belongs to",
            text: """
                java.io.IOException: write failed
                \tat com.acme.io.Exporter.write(Exporter.java:20)
                \tat com.acme.io.Exporter.export(Exporter.java:12)
                \tat com.acme.Main.main(Main.java:5)
                \tSuppressed: java.lang.IllegalStateException: close failed
                \t\tat com.acme.io.Sink.close(Sink.java:44)
                \t\tat com.acme.io.Exporter.export(Exporter.java:10)
                \t\t... 1 more
                \tCaused by: java.io.EOFException
                \t\tat com.acme.io.Sink.flush(Sink.java:51)
                \t\tat com.acme.io.Sink.close(Sink.java:42)
                \t\t... 2 more
                Caused by: java.net.SocketException: Broken pipe
                \tat java.base/sun.nio.ch.NioSocketImpl.implWrite(NioSocketImpl.java:420)
                \tat com.acme.io.Exporter.write(Exporter.java:18)
                \t... 2 more
                """,
            exceptions: [
                .init(type: "SocketException", value: "Broken pipe", module: "java.net",
                      functions: ["main", "export", "write", "implWrite"]),
                .init(type: "EOFException", module: "java.io", functions: ["main", "export", "close", "flush"]),
                .init(type: "IllegalStateException", value: "close failed", module: "java.lang",
                      functions: ["main", "export", "close"]),
                .init(type: "IOException", value: "write failed", module: "java.io",
                      functions: ["main", "export", "write"]),
            ]),
        TraceExample(
            name: "log line before the trace, two-line message, lambdas, inner classes, app// and versioned modules",
            text: """
                2024-03-01 12:00:00.123 ERROR [worker-1] c.a.jobs.Scheduler - Job failed
                java.lang.IllegalArgumentException: bad input
                  in field "amount"
                \tat com.acme.jobs.Parser$Field.parse(Parser.java:77)
                \tat com.acme.jobs.Scheduler.lambda$run$0(Scheduler.java:31)
                \tat com.acme.jobs.Scheduler$$Lambda$412/0x0000000800c3b840.run(Unknown Source)
                \tat app//com.acme.jobs.Worker.execute(Worker.java:19)
                \tat java.base@17.0.2/java.lang.Thread.run(Thread.java:833)
                """,
            exceptions: [
                .init(type: "IllegalArgumentException", value: "bad input\n  in field \"amount\"", module: "java.lang",
                      functions: ["run", "execute", "run", "lambda$run$0", "parse"]),
            ]),
        TraceExample(
            name: "Kotlin coroutine trace with a _COROUTINE._BOUNDARY frame and frames without line numbers",
            text: """
                kotlinx.coroutines.TimeoutCancellationException: Timed out waiting for 200 ms
                \tat _COROUTINE._BOUNDARY._(CoroutineDebugging.kt)
                \tat com.acme.sync.Poller.poll(Poller.kt:48)
                \tat com.acme.sync.Poller$start$1.invokeSuspend(Poller.kt)
                Caused by: kotlinx.coroutines.TimeoutCancellationException: Timed out waiting for 200 ms
                \tat kotlinx.coroutines.TimeoutKt.TimeoutCancellationException(Timeout.kt:184)
                \tat kotlinx.coroutines.TimeoutCoroutine.run(Timeout.kt:154)
                """,
            exceptions: [
                .init(type: "TimeoutCancellationException", module: "kotlinx.coroutines",
                      functions: ["run", "TimeoutCancellationException"]),
                .init(type: "TimeoutCancellationException", value: "Timed out waiting for 200 ms",
                      module: "kotlinx.coroutines", functions: ["invokeSuspend", "poll", "_"]),
            ]),
        TraceExample(
            name: "Logback with packaging data, a CGLIB frame and ... N common frames omitted",
            text: """
                12:00:01.456 [http-nio-8080-exec-3] ERROR o.a.c.c.C.[.[.[/].[dispatcherServlet] - Servlet.service() threw exception
                org.springframework.web.util.NestedServletException: Request processing failed; nested exception is java.lang.IllegalStateException: No order
                \tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1014) ~[spring-webmvc-5.3.20.jar:5.3.20]
                \tat org.springframework.web.servlet.FrameworkServlet.doGet(FrameworkServlet.java:898) ~[spring-webmvc-5.3.20.jar:5.3.20]
                \tat javax.servlet.http.HttpServlet.service(HttpServlet.java:655) ~[tomcat-embed-core-9.0.63.jar:4.0.FR]
                Caused by: java.lang.IllegalStateException: No order
                \tat com.acme.api.OrderController.getOrder(OrderController.java:42) ~[classes/:na]
                \tat com.acme.api.OrderController$$EnhancerBySpringCGLIB$$8a3c5e1b.getOrder(<generated>) ~[classes/:na]
                \tat org.springframework.web.servlet.FrameworkServlet.processRequest(FrameworkServlet.java:1006) ~[spring-webmvc-5.3.20.jar:5.3.20]
                \t... 2 common frames omitted
                """,
            exceptions: [
                .init(type: "IllegalStateException", value: "No order", module: "java.lang",
                      functions: ["service", "doGet", "processRequest", "getOrder", "getOrder"]),
                .init(type: "NestedServletException", module: "org.springframework.web.util",
                      functions: ["service", "doGet", "processRequest"]),
            ]),
        TraceExample(
            name: "Logback root cause first (Wrapped by)",
            text: """
                java.net.ConnectException: Connection refused
                \tat java.base/sun.nio.ch.Net.connect0(Native Method)
                \tat com.acme.client.HttpClient.send(HttpClient.java:61)
                \t... 1 common frames omitted
                Wrapped by: com.acme.client.ClientException: Cannot reach billing
                \tat com.acme.client.HttpClient.send(HttpClient.java:66)
                \tat com.acme.billing.Billing.charge(Billing.java:12)
                """,
            exceptions: [
                .init(type: "ConnectException", value: "Connection refused", module: "java.net",
                      functions: ["charge", "send", "connect0"]),
                .init(type: "ClientException", value: "Cannot reach billing", module: "com.acme.client",
                      functions: ["charge", "send"]),
            ]),
        TraceExample(
            name: "circular cause reference, skipped",
            text: """
                java.lang.IllegalStateException: outer
                \tat com.acme.Loop.run(Loop.java:10)
                Caused by: java.lang.RuntimeException: inner
                \tat com.acme.Loop.step(Loop.java:20)
                \t... 1 more
                Caused by: [CIRCULAR REFERENCE: java.lang.IllegalStateException: outer]
                """,
            exceptions: [
                .init(type: "RuntimeException", value: "inner", functions: ["run", "step"]),
                .init(type: "IllegalStateException", value: "outer", functions: ["run"]),
            ]),
        TraceExample(
            name: "header at the end of a log line; Scala object and nested exception class",
            text: """
                2024-03-01 12:00:00 ERROR OrderJob - Failed: com.acme.jobs.Job$StepException: step 3
                \tat com.acme.jobs.Main$.main(Main.scala:5)
                \tat com.acme.jobs.Main.main(Main.scala)
                """,
            exceptions: [
                .init(type: "Job$StepException", value: "step 3", module: "com.acme.jobs", functions: ["main", "main"]),
            ]),
    ]

    private static let framePattern = compile(
        #"^\s*at\s+(?<prefix>(?:[\w.-]+(?:@[^\s/()]*)?/)+/?)?(?<class>[^\s()]+)\.(?<method>[^\s.()](?:[^.()]*[^\s.()])?)\((?<source>[^()]*)\)(?:\s+~?\[[^\]]*\])?\s*$"#)
    private static let sourcePattern = compile(#"^(?:Native Method|Unknown Source|(?<file>[^\s:()]+))(?::(?<line>\d+))?$"#)
    /// A line that starts like a frame (`at some.Name(`, `at some.Name...`) without being one we can read.
    private static let frameLikePattern = compile(#"^\s*at\s+[\w$.<>/-]+(?:[(:]|\s*$)"#)
    private static let omittedPattern = compile(
        #"^\s*\.\.\.\s*(?<count>\d+)\s+(?:more|common frames omitted)\b"#)
    private static let enclosedPattern = compile(#"^(?<indent>\s*)(?<kind>Caused by|Suppressed|Wrapped by):\s*(?<body>.*)$"#)
    private static let enclosedBodyPattern = compile(#"^(?<class>[^\s:\[][^\s:]*)(?::\s?(?<message>.*))?$"#)
    private static let headerPattern = compile(
        #"^(?<indent>\s*)(?<thread>Exception in thread (?:"[^"]*"|\S+) )?(?<class>[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?::\s?(?<message>.*))?$"#)
    private static let embeddedHeaderPattern = compile(
        #"(?<![\w$.])(?<class>(?:[A-Za-z_$][\w$]*\.)*[A-Z_$][\w$]*(?:Exception|Error|Throwable))(?::\s(?<message>.*)|:?\s*$)"#)

    private let frameMatcher = Matcher(framePattern)
    private let sourceMatcher = Matcher(sourcePattern)
    private let frameLikeMatcher = Matcher(frameLikePattern)
    private let omittedMatcher = Matcher(omittedPattern)
    private let enclosedMatcher = Matcher(enclosedPattern)
    private let enclosedBodyMatcher = Matcher(enclosedBodyPattern)
    private let headerMatcher = Matcher(headerPattern)
    private let embeddedHeaderMatcher = Matcher(embeddedHeaderPattern)
    private var frames = LineMemo<Frame?>()
    private var structuralLines = LineMemo<Bool>()

    public init() {}

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? {
        let texts = lines.map { GrammarText.withoutCarriageReturn($0.text) }
        guard let firstStructural = texts.firstIndex(where: isStructural) else { return nil }

        var chain = ChainBuilder()
        var unparsed: [Int] = []
        var start = firstStructural
        if let header = findHeader(before: firstStructural, in: texts) {
            chain.add(header.header, indent: header.indent, as: .top)
            start = header.line + 1
        }
        let firstTraceLine = chain.isEmpty ? firstStructural : start - 1

        var frameCount = 0
        var ended = false
        for index in start..<texts.count {
            let text = texts[index]
            if let frame = parseFrame(in: text) {
                guard !ended else { unparsed.append(lines[index].number); continue }
                if chain.isEmpty { chain.add(.unknown, indent: 0, as: .top) }
                chain.addFrame(frame)
                frameCount += 1
            } else if let count = omittedCount(in: text) {
                guard !ended, !chain.isEmpty else { unparsed.append(lines[index].number); continue }
                chain.setOmitted(count)
            } else if let enclosed = firstMatch(enclosedMatcher, text) {
                guard !ended else { unparsed.append(lines[index].number); continue }
                let body = enclosed["body"] ?? ""
                if body.hasPrefix("[CIRCULAR REFERENCE:") {
                    chain.endMessage()
                    continue
                }
                guard let header = enclosedHeader(body) else { unparsed.append(lines[index].number); continue }
                chain.add(header, indent: indentWidth(enclosed["indent"] ?? ""), as: ChainBuilder.Kind(enclosed["kind"]))
            } else if firstMatch(frameLikeMatcher, text) != nil {
                unparsed.append(lines[index].number)
            } else if chain.acceptsMessage {
                chain.appendMessage(text)
            } else if frameCount > 0, !ended, let header = anchoredHeader(text), header.isStrong {
                // A second trace in the same record: its lines are reported, not merged into this one.
                ended = true
            }
        }
        guard frameCount > 0 else { return nil }
        return ParsedTrace(runtime: Self.runtime, exceptions: chain.exceptions(), unparsedLines: unparsed,
                           firstTraceLine: firstTraceLine)
    }

    // MARK: - Lines

    /// Frames, `... N more` and `Caused by:`-style lines: where a trace's body starts.
    private func isStructural(_ text: String) -> Bool {
        structuralLines.value(for: text) { text in
            firstMatch(frameLikeMatcher, text) != nil || firstMatch(omittedMatcher, text) != nil
                || firstMatch(enclosedMatcher, text) != nil || parseFrame(in: text) != nil
        }
    }

    private func parseFrame(in text: String) -> Frame? {
        frames.value(for: text, readFrame)
    }

    private func readFrame(_ text: String) -> Frame? {
        guard let match = firstMatch(frameMatcher, text), let className = match["class"], let method = match["method"],
              let source = match["source"], let location = firstMatch(sourceMatcher, source)
        else { return nil }
        return Frame(function: method, module: className, package: match["prefix"].map(Self.packageName),
                     filename: location["file"], lineno: location["line"].flatMap { Int($0) },
                     raw: GrammarText.trimmed(text))
    }

    /// `java.base@17.0.2/` → `java.base`, `app//` → `app`: the class loader and module names without versions.
    private static func packageName(_ prefix: String) -> String {
        // The usual `java.base/` needs no splitting: drop the slashes at the end.
        let utf8 = prefix.utf8
        if !utf8.contains(UInt8(ascii: "@")) {
            var end = utf8.endIndex
            while end > utf8.startIndex, utf8[utf8.index(before: end)] == UInt8(ascii: "/") { end = utf8.index(before: end) }
            if !utf8[utf8.startIndex..<end].contains(UInt8(ascii: "/")) {
                return String(decoding: utf8[utf8.startIndex..<end], as: UTF8.self)
            }
        }
        return prefix.split(separator: "/").map { $0.split(separator: "@", maxSplits: 1)[0] }.joined(separator: "/")
    }

    private func omittedCount(in text: String) -> Int? {
        firstMatch(omittedMatcher, text)?["count"].flatMap { Int($0) }
    }

    private func enclosedHeader(_ body: String) -> ExceptionHeader? {
        guard let match = firstMatch(enclosedBodyMatcher, body), let className = match["class"] else { return nil }
        return ExceptionHeader(className: className, message: match["message"])
    }

    /// A header alone on its line, and whether it is surely one (`Exception in thread`, or a qualified class
    /// named like a throwable) or only may be one (any qualified name, any `…Exception`).
    private func anchoredHeader(_ text: String) -> AnchoredHeader? {
        guard let match = firstMatch(headerMatcher, text), let className = match["class"] else { return nil }
        let qualified = className.utf8.contains(UInt8(ascii: "."))
        let throwableName = className.hasSuffix("Exception") || className.hasSuffix("Error")
            || className.hasSuffix("Throwable")
        return AnchoredHeader(header: ExceptionHeader(className: className, message: match["message"]),
                              indent: indentWidth(match["indent"] ?? ""),
                              isStrong: match["thread"] != nil || (qualified && throwableName),
                              isWeak: qualified || throwableName)
    }

    private struct AnchoredHeader {
        var header: ExceptionHeader
        var indent: Int
        var isStrong: Bool
        var isWeak: Bool
    }

    /// The header among the lines before the trace body: the first sure header alone on its line, else the
    /// first likely one, else the first `…Exception: message` at the end of a log line.
    private func findHeader(before end: Int, in texts: [String]) -> (line: Int, header: ExceptionHeader, indent: Int)? {
        var likely: (line: Int, header: ExceptionHeader, indent: Int)?
        for index in 0..<end {
            guard let found = anchoredHeader(texts[index]) else { continue }
            if found.isStrong { return (index, found.header, found.indent) }
            if found.isWeak, likely == nil { likely = (index, found.header, found.indent) }
        }
        if let likely { return likely }
        for index in 0..<end {
            if let match = firstMatch(embeddedHeaderMatcher, texts[index]), let className = match["class"] {
                return (index, ExceptionHeader(className: className, message: match["message"]), 0)
            }
        }
        return nil
    }

}

// MARK: - Building the chain

/// An exception header: the class split as the Sentry Java SDK splits it, and the message.
private struct ExceptionHeader {
    var type: String
    var module: String?
    var value: String?

    static let unknown = ExceptionHeader(type: "<unknown>", module: nil, value: nil)

    init(type: String, module: String?, value: String?) {
        self.type = type
        self.module = module
        self.value = value
    }

    init(className: String, message: String?) {
        if let dot = className.utf8.lastIndex(of: UInt8(ascii: ".")) {
            self.init(type: String(className[className.index(after: dot)...]), module: String(className[..<dot]),
                      value: message)
        } else {
            self.init(type: className, module: nil, value: message)
        }
    }
}

/// The exceptions of one trace as a tree (causes, suppressed exceptions), built line by line.
private struct ChainBuilder {
    enum Kind {
        case top, cause, suppressed, wrapper

        init(_ caption: String?) {
            switch caption {
            case "Suppressed": self = .suppressed
            case "Wrapped by": self = .wrapper
            default: self = .cause
            }
        }
    }

    private struct Node {
        var header: ExceptionHeader
        /// Frames as printed, crashing frame first.
        var frames: [Frame] = []
        var omitted: Int?
        /// Indentation of the header line: tells a suppressed exception's causes from the outer chain's.
        var indent: Int
        var relation: String?
        /// The enclosing exception: the one this is the cause of, or that holds it as suppressed.
        var parent: Int?
        var cause: Int?
        var suppressed: [Int] = []
    }

    private var nodes: [Node] = []
    private var root: Int?
    /// The exceptions a `Caused by:` or `Suppressed:` line can attach to, outermost first.
    private var open: [Int] = []
    /// Whether a line that is not a frame continues the newest exception's message.
    private(set) var acceptsMessage = false

    var isEmpty: Bool { nodes.isEmpty }

    mutating func add(_ header: ExceptionHeader, indent: Int, as kind: Kind) {
        let index = nodes.count
        nodes.append(Node(header: header, indent: indent))
        acceptsMessage = true
        guard kind != .top, root != nil else {
            root = index
            open = [index]
            return
        }
        switch kind {
        case .top, .cause:
            closeIndented(deeperThan: indent)
            guard let enclosing = open.last else { return }
            var holder = enclosing
            while let cause = nodes[holder].cause { holder = cause }
            nodes[holder].cause = index
            nodes[index].parent = holder
            nodes[index].relation = "cause"
            open[open.count - 1] = index
        case .suppressed:
            closeIndented(deeperThan: indent - 1)
            guard let holder = open.last else { return }
            nodes[holder].suppressed.append(index)
            nodes[index].parent = holder
            nodes[index].relation = "suppressed"
            open.append(index)
        case .wrapper:
            closeIndented(deeperThan: indent)
            guard let wrapped = open.last else { return }
            // The wrapper takes the wrapped exception's place, and the wrapped one becomes its cause.
            let place = nodes[wrapped].parent
            nodes[index].parent = place
            nodes[index].relation = nodes[wrapped].relation
            if let place {
                if nodes[place].cause == wrapped { nodes[place].cause = index }
                nodes[place].suppressed = nodes[place].suppressed.map { $0 == wrapped ? index : $0 }
            } else {
                root = index
            }
            nodes[wrapped].parent = index
            nodes[wrapped].relation = "cause"
            nodes[index].cause = wrapped
            open[open.count - 1] = index
        }
    }

    /// Closes the suppressed exceptions indented more than `indent`; the outermost stays open.
    private mutating func closeIndented(deeperThan indent: Int) {
        while open.count > 1, let last = open.last, nodes[last].indent > indent { open.removeLast() }
    }

    mutating func addFrame(_ frame: Frame) {
        acceptsMessage = false
        nodes[nodes.count - 1].frames.append(frame)
    }

    mutating func setOmitted(_ count: Int) {
        acceptsMessage = false
        nodes[nodes.count - 1].omitted = count
    }

    mutating func endMessage() { acceptsMessage = false }

    mutating func appendMessage(_ line: String) {
        let last = nodes.count - 1
        nodes[last].header.value = nodes[last].header.value.map { $0 + "\n" + line } ?? line
    }

    /// The exceptions as the Sentry Java SDK lists them: a pre-order walk (exception, its suppressed
    /// exceptions, its cause), reversed, so every exception comes after its causes and suppressed ones.
    /// Elided frames are copied from the enclosing exception, which the walk reaches first.
    func exceptions() -> [ExceptionRecord] {
        guard let root else { return [] }
        var order: [Int] = []
        var pending = [root]
        while let index = pending.popLast() {
            order.append(index)
            if let cause = nodes[index].cause { pending.append(cause) }
            pending.append(contentsOf: nodes[index].suppressed.reversed())
        }
        var frames = nodes.map(\.frames)
        for index in order {
            guard let omitted = nodes[index].omitted, let parent = nodes[index].parent else { continue }
            frames[index] += frames[parent].suffix(omitted)
        }
        return order.reversed().map { index in
            let node = nodes[index]
            let value = node.header.value.map(GrammarText.trimmedTrailing)
            return ExceptionRecord(type: node.header.type, value: value?.isEmpty == false ? value : nil,
                                   module: node.header.module, frames: frames[index].reversed(),
                                   relation: index == root ? nil : node.relation, framesOmitted: node.omitted)
        }
    }
}

// MARK: - Text helpers




/// Leading whitespace width, a tab counting as four spaces.
private func indentWidth(_ text: String) -> Int {
    text.prefix { $0 == " " || $0 == "\t" }.reduce(0) { $0 + ($1 == "\t" ? 4 : 1) }
}
