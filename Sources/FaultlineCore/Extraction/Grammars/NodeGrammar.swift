/// Stack traces of JavaScript engines: V8 as Node.js and Chromium print them (`    at fn (file.js:1:2)`, also
/// IE/Edge's `   at fn (url:1:2)`), and the `fn@url:1:2` stacks of Firefox and Safari (also Opera 11–12's
/// `stack`).
///
/// The fields follow what Sentry's JavaScript SDKs send:
/// - the header `TypeError: msg` gives `type` = the error name and `value` = the message with its continuation
///   lines. `Uncaught `, `Uncaught (in promise) ` and Node's code (`Error [ERR_X]: msg`) are dropped: the SDK
///   reports `error.name`, which has neither. The header may end a log message
///   (`… Unhandled rejection TypeError: msg`) or be Node's frameless form `[Name: msg] {`. Without a header
///   (Firefox and Safari stacks hold none) the type is `Error` and the trace starts at its first frame.
/// - frames: `function` without `async `, `new `, `async*` or a ` [as alias]` (`Object.<anonymous>` is kept);
///   `abs_path` is the path or URL as printed, and `filename` the same. The SDK would keep only the URL's path
///   in `filename`, but grouping uses the basename, which is the same. Also `lineno` and `colno`; `module`
///   stays nil. Eval frames point at the eval call site (`eval at f (file.js:1:2)` gives file.js:1:2), as in
///   the SDK. `native`, `unknown location` and `index N` (`Promise.all`) have no file. `<anonymous>`,
///   `eval code` and `[native code]` stay in `abs_path`, because Sentry's grouping recognises them there.
/// - after the stack, Node's `util.inspect` structure: `{ … }` property dumps are skipped. `[cause]: Error: …`
///   (also `Caused by: `) is chained with relation `cause`, and the members of an AggregateError's
///   `[errors]: [ … ]` get relation `group`. `... N lines matching cause stack trace ...` is re-expanded from the
///   cause (``ExceptionRecord/framesOmitted``). Errors held in other properties (`original: Error: …`) are
///   recognised and skipped.
/// - Node's crash output: the `file:line`, source and caret lines before the header start the trace. The
///   `Emitted 'error' event … at:` stack is kept as a ``ThreadStack``, and the `Node.js vX` footer is ignored.
///   A crash with no frames at all (`[UnhandledPromiseRejection: …] {` under a caret block) is read too.
///
/// Exceptions are ordered like the SDK's linked-errors integration: it prepends each error reached through
/// `cause` or `errors` while walking them in printed order, so the printed order is reversed (the outermost
/// error ends up last). Frames are reversed to put the caller first.
///
/// The parsed runtime is `.javascript` for Firefox/Safari-style stacks and for V8 stacks whose files are all
/// web URLs (Chrome, IE, Edge), and `.node` otherwise.
/// Not read: the `stacktrace` property of Opera 9–12 (`Line 42 of linked script url`,
/// `called from line 27, column 8 in f(x) in url:`), which has no `at` or `@` frames.
public final class NodeGrammar: TraceGrammar {
    public static let runtime = Runtime.node

    /// Only headers that no other runtime prints. A plain `TypeError: msg` line is not a starter: a Python
    /// traceback ends with the same line, and starting a record there would cut that traceback in two.
    public static let starterPatterns: [String] = [
        // Node's crash output opens with the throwing location: `/app/x.js:3`, `node:events:497`.
        #"^(?:node:[\w/.-]+|(?:file://)?/[^\s:]*\.[cm]?[jt]sx?|[A-Za-z]:\\[^\s:]*\.[cm]?[jt]sx?):\d+$"#,
        // Node ≤ 14: `(node:4242) UnhandledPromiseRejectionWarning: Error: boom`.
        #"^\(node:\d+\) UnhandledPromiseRejectionWarning: "#,
        // A browser console: `Uncaught TypeError: x is not a function`.
        #"^Uncaught (?:\(in promise\) )?(?:[A-Z][\w$]*)?(?:Error|Exception)\b"#,
        // Node's coded errors: `TypeError [ERR_INVALID_ARG_TYPE]: …`.
        #"^(?:[A-Z][\w$]*)?Error \[[A-Z][A-Z0-9_]*\]: "#,
        #"^\[?AggregateError(?:: |\]|$)"#,
    ]

    /// One of: a V8 frame with its location in parentheses after a space (Java and .NET print none) and a line
    /// and column; an anonymous V8 frame `at /path:line:column` whose path starts like a path or URL and is not
    /// a Rust, Swift, Go or C file (Rust backtraces print `at src/main.rs:4:5`); a Firefox/Safari frame
    /// `fn@url:line[:column]`; Node's internal crash location `node:internal/…:288`.
    public static let detectionPattern =
        #"^\s*at\s+(?:(?:async|new)\s+)?[^\s()][^()]*?\s\((?:.*:\d+:\d+|native|<anonymous>|index \d+|unknown location)\)(?:\s+\{)?\s*$"#
        + #"|^\s*at\s+(?:async\s+)?(?:[a-z][\w+.-]*:|\.{0,2}/|<anonymous>|[A-Za-z]:\\)\S*?"#
        + #"(?<!\.rs)(?<!\.swift)(?<!\.go)(?<!\.c)(?<!\.cc)(?<!\.cpp)(?<!\.h):\d+:\d+(?:\s+\{)?\s*$"#
        + #"|^\s*(?:[^\s@(]*(?:\([^)]*\))?|global code)@(?:(?:[a-z][\w+.-]*://|/)\S*?:\d+(?::\d+)?|[\w.-]+/\S*?:\d+:\d+|\[native code\])\s*$"#
        + #"|^node:internal/[\w/.-]+:\d+$"#

    public static let examples: [TraceExample] = [
        TraceExample(
            name: "Node TypeError with an async frame",
            text: """
                TypeError: Cannot read properties of undefined (reading 'id')
                    at OrderService.load (/app/src/services/orders.js:12:5)
                    at async Router.handle (/app/src/routes/orders.js:8:3)
                """,
            exceptions: [.init(type: "TypeError", value: "Cannot read properties of undefined (reading 'id')",
                               functions: ["Router.handle", "OrderService.load"])]),
        TraceExample(
            name: "header at the end of a log message, anonymous frame, [as alias]",
            text: """
                2024-05-01T10:00:00.000Z ERROR [api] Unhandled rejection TypeError: order.items is not iterable
                    at computeTotal (/app/src/billing.js:40:22)
                    at /app/src/routes/orders.js:18:12
                    at Layer.handle [as handle_request] (/app/node_modules/express/lib/router/layer.js:95:5)
                """,
            exceptions: [.init(type: "TypeError", value: "order.items is not iterable",
                               functions: ["Layer.handle", "", "computeTotal"])]),
        TraceExample(
            name: "uncaught crash: caret header, coded error, property dump, version footer",
            text: """
                node:internal/errors:484
                    ErrorCaptureStackTrace(err);
                    ^

                Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'pg' imported from /app/src/db.mjs
                    at new NodeError (node:internal/errors:393:5)
                    at packageResolve (node:internal/modules/esm/resolve:860:9)
                    at moduleResolve (node:internal/modules/esm/resolve:909:20)
                    at ModuleWrap.<anonymous> (node:internal/modules/esm/module_job:76:40)
                    at link (node:internal/modules/esm/module_job:75:36) {
                  code: 'ERR_MODULE_NOT_FOUND'
                }

                Node.js v18.16.0
                """,
            exceptions: [.init(type: "Error", value: "Cannot find package 'pg' imported from /app/src/db.mjs",
                               functions: ["link", "ModuleWrap.<anonymous>", "moduleResolve", "packageResolve",
                                           "NodeError"])]),
        TraceExample(
            name: "ES module: file URLs and a constructor",
            text: """
                Error: config value DATABASE_URL is missing
                    at new ConfigLoader (file:///app/src/config.mjs:14:11)
                    at file:///app/src/index.mjs:5:16
                    at ModuleJob.run (node:internal/modules/esm/module_job:195:25)
                """,
            exceptions: [.init(type: "Error", value: "config value DATABASE_URL is missing",
                               functions: ["ModuleJob.run", "", "ConfigLoader"])]),
        TraceExample(
            name: "unhandled 'error' event with its Emitted stack and property dump",
            text: """
                node:events:497
                      throw er; // Unhandled 'error' event
                      ^

                Error: connect ECONNREFUSED 127.0.0.1:5432
                    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1595:16)
                Emitted 'error' event on Socket instance at:
                    at emitErrorNT (node:internal/streams/destroy:169:8)
                    at emitErrorCloseNT (node:internal/streams/destroy:128:3)
                    at process.processTicksAndRejections (node:internal/process/task_queues:82:21) {
                  errno: -111,
                  code: 'ECONNREFUSED',
                  syscall: 'connect',
                  address: '127.0.0.1',
                  port: 5432
                }

                Node.js v20.11.0
                """,
            exceptions: [.init(type: "Error", value: "connect ECONNREFUSED 127.0.0.1:5432",
                               functions: ["TCPConnectWrap.afterConnect"])]),
        TraceExample(
            name: "[cause] chain with frames shared with the cause",
            text: """
                Error: failed to load order 42
                    at OrderService.load (/app/src/services/orders.js:21:13)
                    at async Router.handle (/app/src/routes/orders.js:8:3)
                    ... 2 lines matching cause stack trace ...
                    at async Server.handle (/app/src/server.js:30:5) {
                  [cause]: Error: connect ECONNREFUSED 127.0.0.1:5432
                      at /app/node_modules/pg-pool/index.js:45:11
                      at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
                      at async OrderRepository.find (/app/src/repositories/orders.js:9:18)
                      at async OrderService.load (/app/src/services/orders.js:18:19)
                      at async Router.handle (/app/src/routes/orders.js:8:3)
                      at async Layer.run (/app/src/middleware/layer.js:14:7)
                      at async Auth.check (/app/src/middleware/auth.js:22:5)
                      at async Server.handle (/app/src/server.js:30:5) {
                    errno: -111,
                    code: 'ECONNREFUSED'
                  }
                }
                """,
            exceptions: [
                .init(type: "Error", value: "connect ECONNREFUSED 127.0.0.1:5432",
                      functions: ["Server.handle", "Auth.check", "Layer.run", "Router.handle", "OrderService.load",
                                  "OrderRepository.find", "process.processTicksAndRejections", ""]),
                .init(type: "Error", value: "failed to load order 42",
                      functions: ["Server.handle", "Auth.check", "Layer.run", "Router.handle", "OrderService.load"]),
            ]),
        TraceExample(
            name: "AggregateError with [errors]",
            text: """
                AggregateError: 2 of 2 uploads failed
                    at UploadQueue.flush (/app/src/uploads/queue.js:51:13)
                    at async Worker.tick (/app/src/worker.js:20:7) {
                  [errors]: [
                    Error: S3 timeout
                        at S3Client.put (/app/src/uploads/s3.js:33:11)
                        at async Promise.all (index 0) {
                      code: 'ETIMEDOUT'
                    },
                    RangeError: file too large
                        at checkSize (/app/src/uploads/limits.js:9:11)
                        at async Promise.all (index 1)
                  ]
                }
                """,
            exceptions: [
                .init(type: "RangeError", value: "file too large", functions: ["Promise.all", "checkSize"]),
                .init(type: "Error", value: "S3 timeout", functions: ["Promise.all", "S3Client.put"]),
                .init(type: "AggregateError", value: "2 of 2 uploads failed",
                      functions: ["Worker.tick", "UploadQueue.flush"]),
            ]),
        TraceExample(
            name: "eval frame, Object.<anonymous>, internal module",
            text: """
                ReferenceError: orderId is not defined
                    at eval (eval at <anonymous> (/app/src/rules.js:7:10), <anonymous>:1:1)
                    at Object.<anonymous> (/app/src/rules.js:7:10)
                    at Module._compile (node:internal/modules/cjs/loader:1256:14)
                    at node:internal/main/run_main_module:23:47
                """,
            exceptions: [.init(type: "ReferenceError", value: "orderId is not defined",
                               functions: ["", "Module._compile", "Object.<anonymous>", "eval"])]),
        TraceExample(
            name: "multi-line message and a frame without location",
            text: """
                Error: upstream returned 502
                body: <html>Bad Gateway</html>
                    at Array.forEach (native)
                    at Gateway.forward (/app/src/gateway.js:77:9)
                """,
            exceptions: [.init(type: "Error", value: "upstream returned 502\nbody: <html>Bad Gateway</html>",
                               functions: ["Gateway.forward", "Array.forEach"])]),
    ]

    // MARK: Patterns

    /// A V8 frame line: `at <body>`, indented or not, with an optional ` {` that opens a property dump or the
    /// `,` that follows the last frame of an array member. The fluent-plugin V8 sample's bare
    /// `eval at f (file:1:2)` line is read as an eval frame too.
    private static let v8FramePattern = compile(
        #"^\s*(?:at\s+(?<body>\S.*?)|(?<evalOrigin>eval at \S.*?))(?:\s+\{|,)?\s*$"#)
    /// `path:line` or `path:line:column`; the path may hold colons (URLs, `node:` modules, drive letters).
    private static let locationPattern = compile(#"^(?<path>.+?):(?<line>\d+)(?::(?<column>\d+))?$"#)
    /// A WebAssembly location in a V8 frame.
    private static let wasmLocationPattern = compile(#"^(?<module>wasm://\S+?):wasm-function\[\d+\]:0x[0-9a-fA-F]+$"#)
    /// The innermost parentheses of an eval origin: `eval at f (eval at g (file.js:1:2)), <anonymous>:3:4`.
    private static let evalSitePattern = compile(#"\((?<site>[^()]+)\)"#)
    /// A Firefox/Safari frame `fn(args)@location`. The function may hold `@` (`obj["@fn"]@url`): the location
    /// starts at the first `@` followed by a URL scheme, else at the last `@`.
    private static let browserFramePattern = compile(
        #"^\s*(?<function>(?:<[^<>@]*>|[^\s(@]|@)*?|[Gg]lobal code|eval code)(?:\([^)]*\))?@"#
            + #"(?<location>\[native code\]|[a-z][a-z0-9+.-]*:/.*?:\d+(?::\d+)?|[^@\s][^@]*?:\d+(?::\d+)?)\s*$"#)
    /// A line that looks like a browser frame, for counting the ones that cannot be parsed.
    private static let browserLookalikePattern = compile(#"^\s*\S*@\S*:\d+\s*$"#)
    /// Firefox's eval and `new Function` locations: `url line 26 > eval line 2 > eval`.
    private static let firefoxEvalPattern = compile(
        #"^(?<path>\S+) line (?<line>\d+)(?: > (?:eval|Function) line \d+)* > (?:eval|Function)"#)
    /// Safari's anonymous frame: a bare URL with line and column.
    private static let bareURLPattern = compile(#"^\s*(?<location>[a-z][a-z0-9+.-]*://\S*?:\d+(?::\d+)?)\s*$"#)
    /// Safari's frames without location (eval'd code): a function name alone, `eval code`, `global code`.
    private static let bareNamePattern = compile(#"^\s*(?<function>[A-Za-z_$][\w$.]*|eval code|[Gg]lobal code)\s*$"#)
    /// An error header anywhere in a line, the leftmost one: `TypeError: msg`, `Uncaught (in promise) Error`,
    /// `Error [ERR_X]: msg`, `[AggregateError: msg] {`. The name must end in `Error` or `Exception`.
    private static let headerInLinePattern = compile(
        #"(?:^|(?<=[\s:(]))(?<bracket>\[)?(?:Uncaught\s+(?:\(in promise\)\s+)?)?"#
            + #"(?<type>(?:[A-Z][\w$]*)?(?:Error|Exception))(?:\s\[[^\]\s]+\])?"#
            + #"(?::\s?(?<value>.*?))?(?(<bracket>)\](?<object>\s*\{.*)?)\s*$"#)
    /// A header at the start of a line, maybe labelled (`[cause]: Error: x`, `Caused by: Error: x`,
    /// `original: Error: x`). Any capitalised name is taken; the caller decides how strict to be.
    private static let headerAtStartPattern = compile(
        #"^\s*(?:(?<label>\[cause\]|cause|[Cc]aused by|[\w$]+|'[^']*'):\s+)??(?<bracket>\[)?"#
            + #"(?:Uncaught\s+(?:\(in promise\)\s+)?)?(?<type>[A-Z][\w$]*)(?:\s\[[^\]\s]+\])?"#
            + #"(?::\s?(?<value>.*?))?(?(<bracket>)\](?<object>\s*\{.*)?)\s*$"#)
    /// The first line of Node's crash output: the throwing location `file:line`.
    private static let crashLocationPattern = compile(#"^\S.*:\d+\s*$"#)
    /// The caret under the throwing expression.
    private static let caretPattern = compile(#"^\s*\^+\s*$"#)
    /// Node's elision of the frames an error shares with its cause.
    private static let causeOmissionPattern = compile(
        #"^\s*\.\.\. (?<count>\d+) lines? matching cause stack trace \.\.\.\s*$"#)
    /// The start of the stack where an unhandled `'error'` event was emitted.
    private static let emittedPattern = compile(#"^\s*(?<state>Emitted 'error' event(?: on .+?)?) at:\s*$"#)
    /// The start of an AggregateError's member list.
    private static let errorsArrayPattern = compile(#"^\s*\[?errors\]?:\s*\[\s*$"#)

    private let v8Frame = Matcher(NodeGrammar.v8FramePattern)
    private let location = Matcher(NodeGrammar.locationPattern)
    private let wasmLocation = Matcher(NodeGrammar.wasmLocationPattern)
    private let evalSite = Matcher(NodeGrammar.evalSitePattern)
    private let browserFrame = Matcher(NodeGrammar.browserFramePattern)
    private let browserLookalike = Matcher(NodeGrammar.browserLookalikePattern)
    private let firefoxEval = Matcher(NodeGrammar.firefoxEvalPattern)
    private let bareURL = Matcher(NodeGrammar.bareURLPattern)
    private let bareName = Matcher(NodeGrammar.bareNamePattern)
    private let headerInLine = Matcher(NodeGrammar.headerInLinePattern)
    private var v8Frames = LineMemo<FrameRead?>()
    private var browserFrames = LineMemo<FrameRead?>()
    private var leadingBrowserFrames = LineMemo<FrameRead?>()
    private let headerAtStart = Matcher(NodeGrammar.headerAtStartPattern)
    private let crashLocation = Matcher(NodeGrammar.crashLocationPattern)
    private let caret = Matcher(NodeGrammar.caretPattern)
    private let causeOmission = Matcher(NodeGrammar.causeOmissionPattern)
    private let emitted = Matcher(NodeGrammar.emittedPattern)
    private let errorsArray = Matcher(NodeGrammar.errorsArrayPattern)

    public init() {}

    // MARK: Parsing

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? {
        let texts = lines.map { GrammarText.withoutCarriageReturn($0.text) }
        guard let (style, firstFrame) = locateFirstFrame(texts) else { return parseFramelessCrash(texts) }

        var traceStart = firstFrame
        if style == .browser {
            while traceStart > 0, isLeadingBrowserLine(texts[traceStart - 1]) { traceStart -= 1 }
        }
        let header = findMainHeader(above: traceStart, in: texts)
        var scan = Scan(main: Block(type: header?.type ?? "Error", value: header?.value))
        if let header {
            // A header that opens a property block (`[Error: x] {`) has no continuation lines.
            if header.opensObject { scan.containers.append(.object(owner: 0)) } else { scan.collectingMessage = 0 }
        }

        for index in (header.map { $0.index + 1 } ?? traceStart)..<texts.count {
            read(texts[index], at: index, number: lines[index].number, texts: texts, style: style,
                 leadingRegionEnd: firstFrame, into: &scan)
        }

        let firstTraceLine = header.map { crashBlockStart(above: $0.index, in: texts) ?? $0.index } ?? traceStart
        return ParsedTrace(
            runtime: runtime(of: scan.blocks, style: style),
            exceptions: scan.exceptions(),
            threads: scan.threads.map { ThreadStack(state: $0.state, frames: $0.frames.reversed()) },
            unparsedLines: scan.unparsedLines,
            firstTraceLine: firstTraceLine)
    }

    /// The two frame syntaxes.
    private enum Style { case v8, browser }

    /// Finds the first frame: V8 if the record has a V8 frame with a location, else Firefox/Safari. (A record of
    /// `at name` lines alone is no JavaScript trace; they are read only around located frames.)
    private func locateFirstFrame(_ texts: [String]) -> (Style, Int)? {
        if var index = texts.indices.first(where: { readV8Frame(texts[$0])?.hasLocation == true }) {
            while index > 0, readV8Frame(texts[index - 1])?.isFrame == true { index -= 1 }
            return (.v8, index)
        }
        if let index = texts.indices.first(where: { readBrowserFrame(texts[$0], allowBareNames: false)?.isFrame == true }) {
            return (.browser, index)
        }
        return nil
    }

    /// Reads one line after the main header into the scan state.
    private func read(_ text: String, at index: Int, number: Int, texts: [String], style: Style,
                      leadingRegionEnd: Int, into scan: inout Scan) {
        let trimmed = GrammarText.trimmed(text)
        if trimmed.isEmpty {
            scan.collectingMessage = nil
            return
        }
        if scan.ended {
            if readV8Frame(text) != nil || readBrowserFrame(text, allowBareNames: false) != nil {
                scan.unparsedLines.append(number)
            }
            return
        }
        let frameRead = style == .v8
            ? readV8Frame(text) : readBrowserFrame(text, allowBareNames: index < leadingRegionEnd)
        if let frameRead {
            scan.collectingMessage = nil
            switch frameRead {
            case .frame(let frame), .nameOnly(let frame): scan.append(frame)
            case .unparsed: scan.unparsedLines.append(number)
            }
            if trimmed.hasSuffix("{") { scan.containers.append(.object(owner: scan.currentException)) }
            return
        }
        if let omission = firstMatch(causeOmission, text), let count = omission["count"].flatMap({ Int($0) }) {
            scan.collectingMessage = nil
            scan.recordOmission(count)
            return
        }
        if let emission = firstMatch(emitted, text) {
            scan.collectingMessage = nil
            scan.threads.append((state: emission["state"] ?? trimmed, frames: []))
            scan.target = .thread(scan.threads.count - 1)
            return
        }
        if matches(errorsArray, text) {
            scan.collectingMessage = nil
            scan.containers.append(.errors(owner: scan.currentException))
            return
        }
        if trimmed.hasPrefix("}") || trimmed.hasPrefix("]") {
            scan.collectingMessage = nil
            if !scan.containers.isEmpty { scan.containers.removeLast() }
            return
        }
        let nextIsFrame = texts[(index + 1)...].first { !GrammarText.trimmed($0).isEmpty }
            .map { readFrame($0, style: style)?.isFrame == true } ?? false
        if let header = headerAtLineStart(text, index: index, lenient: nextIsFrame) {
            scan.collectingMessage = nil
            scan.start(header)
            return
        }
        if trimmed.hasSuffix("{") || trimmed.hasSuffix("[") {
            scan.collectingMessage = nil
            scan.containers.append(.object(owner: nil))
            return
        }
        // Anything else is a message continuation line, a property, or text around the trace.
        if let collecting = scan.collectingMessage {
            let value = scan.blocks[collecting].value.map { $0 + "\n" } ?? ""
            scan.blocks[collecting].value = value + trimmed
        }
    }

    private func readFrame(_ text: String, style: Style) -> FrameRead? {
        style == .v8 ? readV8Frame(text) : readBrowserFrame(text, allowBareNames: false)
    }

    // MARK: Headers

    /// A header found in the record.
    private struct Header {
        var index: Int
        var type: String
        var value: String?
        /// `[cause]`, `Caused by`, a property name, or nil.
        var label: String?
        /// Whether the line opens a property block (`[AggregateError: x] {`).
        var opensObject: Bool
    }

    /// The header of the outermost exception: the nearest header above the first frame. If it is a nested one
    /// (an AggregateError member or a labelled cause), the search goes on upward, to a frameless outer header
    /// like `[AggregateError: All promises were rejected] {`.
    private func findMainHeader(above start: Int, in texts: [String]) -> Header? {
        var nested: Header?
        var index = start - 1
        while index >= 0 {
            defer { index -= 1 }
            // An error name wins over a capitalised log word: `Firefox: TypeError: x` is a TypeError.
            let header = headerAtLineStart(texts[index], index: index, lenient: false)
                ?? headerAnywhere(texts[index], index: index)
                ?? (index == start - 1 ? headerAtLineStart(texts[index], index: index, lenient: true) : nil)
            guard let header else { continue }
            let isNested = header.label != nil || (index > 0 && matches(errorsArray, texts[index - 1]))
            if !isNested { return header }
            if nested == nil { nested = header }
        }
        return nested.map { Header(index: $0.index, type: $0.type, value: $0.value, label: nil, opensObject: false) }
    }

    /// A header at the start of a line. A name that does not end in `Error` or `Exception` is taken only when
    /// `lenient` (the next line is a frame) and it is CamelCase (`Trace: x` from `console.trace`, not `ERROR: x`).
    private func headerAtLineStart(_ text: String, index: Int, lenient: Bool) -> Header? {
        guard let match = firstMatch(headerAtStart, text), let type = match["type"] else { return nil }
        let strict = Self.isErrorName(type)
        guard strict || (lenient && type.contains(where: \.isLowercase)) else { return nil }
        return Header(index: index, type: type, value: Self.nonEmpty(match["value"]), label: match["label"],
                      opensObject: match["object"].map { GrammarText.trimmed($0).hasSuffix("{") } ?? false)
    }

    /// The leftmost header inside a line: `… ERROR Unhandled rejection TypeError: msg`.
    private func headerAnywhere(_ text: String, index: Int) -> Header? {
        guard let match = firstMatch(headerInLine, text), let type = match["type"] else { return nil }
        return Header(index: index, type: type, value: Self.nonEmpty(match["value"]), label: nil,
                      opensObject: match["object"].map { GrammarText.trimmed($0).hasSuffix("{") } ?? false)
    }

    /// The first line of Node's crash block (`file:line`, source line, caret, blank lines) above a header.
    private func crashBlockStart(above header: Int, in texts: [String]) -> Int? {
        var index = header - 1
        while index >= 0, GrammarText.trimmed(texts[index]).isEmpty { index -= 1 }
        guard index >= 2, matches(caret, texts[index]), matches(crashLocation, texts[index - 2]) else { return nil }
        return index - 2
    }

    /// Node's crash output without a single frame: `node:internal/process/promises:288`, the source line, the
    /// caret, then `[UnhandledPromiseRejection: …] {`.
    private func parseFramelessCrash(_ texts: [String]) -> ParsedTrace? {
        for caretIndex in texts.indices where caretIndex >= 2 && matches(caret, texts[caretIndex]) {
            guard matches(crashLocation, texts[caretIndex - 2]),
                  let headerIndex = texts[(caretIndex + 1)...].firstIndex(where: { !GrammarText.trimmed($0).isEmpty }),
                  let header = headerAtLineStart(texts[headerIndex], index: headerIndex, lenient: true),
                  header.label == nil
            else { continue }
            return ParsedTrace(runtime: .node, exceptions: [ExceptionRecord(type: header.type, value: header.value)],
                               firstTraceLine: caretIndex - 2)
        }
        return nil
    }

    // MARK: V8 frames

    /// A frame line read: a frame, a frame that is a function name alone (`at name`, Safari's `foo`), or a line
    /// that looks like a frame but could not be parsed.
    private enum FrameRead {
        case frame(Frame)
        case nameOnly(Frame)
        case unparsed

        var isFrame: Bool {
            switch self {
            case .frame, .nameOnly: return true
            case .unparsed: return false
            }
        }

        var hasLocation: Bool {
            if case .frame = self { return true }
            return false
        }
    }

    /// Where a frame points.
    private struct Place {
        var path: String?
        var line: Int?
        var column: Int?
    }

    /// Reads `at …` lines; nil when the line is not one.
    private func readV8Frame(_ text: String) -> FrameRead? {
        v8Frames.value(for: text, parseV8Frame)
    }

    private func parseV8Frame(_ text: String) -> FrameRead? {
        guard let match = firstMatch(v8Frame, text) else { return nil }
        let raw = Self.rawFrameText(text)
        if let origin = match["evalOrigin"] {
            guard let place = evalPlace(origin) else { return .unparsed }
            return .frame(Self.frame(function: "eval", place, raw: raw))
        }
        guard let body = match["body"] else { return .unparsed }
        return parseV8Body(body, raw: raw) ?? .unparsed
    }

    /// Parses what follows `at `: `[async ]fn (location)`, `[async ]location`, or a function alone.
    ///
    /// V8 always prints a line and a column. Where a location without them would be ambiguous, they are
    /// required, so Java's `at a.B.m(B.java:12)` and PHP's `at /app/x.php:12` are not read as V8 frames:
    /// `fn(location)` without the space V8 prints, and anonymous frames (which must not be a Rust, Swift, Go or
    /// C file either: Rust backtraces print `at src/main.rs:4:5`).
    private func parseV8Body(_ text: String, raw: String) -> FrameRead? {
        var body = Substring(text)
        if body.hasPrefix("async ") { body = body.dropFirst(6).drop(while: \.isWhitespace) }
        if body.hasSuffix(")"), let open = Self.openingParenthesis(closingAt: body) {
            let inside = body[body.index(after: open)..<body.index(before: body.endIndex)]
            let spaced = open > body.startIndex && body[body.index(before: open)] == " "
            guard let place = v8Place(String(inside), minimum: spaced ? .path : .column) else { return nil }
            return .frame(Self.frame(function: Self.v8FunctionName(body[..<open]), place, raw: raw))
        }
        if body == "<anonymous>" { return .frame(Self.frame(function: nil, Place(path: "<anonymous>"), raw: raw)) }
        if let place = pathPlace(String(body), minimum: .column),
           !Self.nativeSourceExtensions.contains(where: { place.path?.hasSuffix($0) ?? false }) {
            return .frame(Self.frame(function: nil, place, raw: raw))
        }
        if body.allSatisfy({ $0.isLetter || $0.isNumber || "_$.<>[]".contains($0) }) {
            return .nameOnly(Frame(function: String(body), raw: raw))
        }
        return nil
    }

    /// The location inside a V8 frame's parentheses.
    private func v8Place(_ text: String, minimum: Precision) -> Place? {
        switch text {
        case "native", "unknown location": return Place()
        case "<anonymous>": return Place(path: "<anonymous>")
        default: break
        }
        if text.hasPrefix("index "), Int(text.dropFirst(6)) != nil { return Place() }
        if text.hasPrefix("eval at ") { return evalPlace(text) }
        return pathPlace(text, minimum: minimum)
    }

    /// An eval origin points at the eval call site, its innermost parenthesised location; without one, at the
    /// position inside the eval'd code after the last comma.
    private func evalPlace(_ text: String) -> Place? {
        if let site = firstMatch(evalSite, text)?["site"] { return pathPlace(site, minimum: .path) }
        guard let comma = text.lastRange(of: ", ") else { return nil }
        return pathPlace(String(text[comma.upperBound...]), minimum: .line)
    }

    /// How much of `path:line:column` a location must have.
    private enum Precision { case path, line, column }

    /// `path:line[:column]` with at least `minimum`; a bare path or URL (with a `/` or `\\`) for `.path`; a
    /// WebAssembly function `wasm://wasm/8c3e1a46:wasm-function[12]:0x2a1` (its module URL, no line).
    private func pathPlace(_ text: String, minimum: Precision) -> Place? {
        if let wasm = firstMatch(wasmLocation, text), let module = wasm["module"] { return Place(path: module) }
        if let match = firstMatch(location, text), let path = match["path"] {
            let column = match["column"].flatMap { Int($0) }
            guard minimum != .column || column != nil else { return nil }
            return Place(path: path, line: match["line"].flatMap { Int($0) }, column: column)
        }
        guard minimum == .path, text.contains("/") || text.contains("\\") else { return nil }
        return Place(path: text)
    }

    /// Files of runtimes whose backtraces also print `at path:line:column`.
    private static let nativeSourceExtensions = [".rs", ".swift", ".go", ".c", ".cc", ".cpp", ".h"]

    /// `new Foo` → `Foo`, `TCPConnectWrap.afterConnect [as oncomplete]` → `TCPConnectWrap.afterConnect`.
    private static func v8FunctionName(_ head: Substring) -> String? {
        var name = GrammarText.trimmed(String(head))
        if name.hasPrefix("new ") { name = String(name.dropFirst(4)) }
        if name.hasSuffix("]"), let alias = name.lastRange(of: " [as ") {
            name = String(name[..<alias.lowerBound])
        }
        return name.isEmpty ? nil : name
    }

    /// The index of the `(` that matches the final `)`, so paths with parentheses stay whole:
    /// `Type.main(sample(copy).js:6:4)`, `eval (eval at f (file.js:1:2), <anonymous>:1:1)`.
    private static func openingParenthesis(closingAt text: Substring) -> Substring.Index? {
        // Parentheses are ASCII: walk the UTF-8 bytes, not the Characters.
        let utf8 = text.utf8
        var depth = 0
        var index = utf8.endIndex
        while index > utf8.startIndex {
            index = utf8.index(before: index)
            switch utf8[index] {
            case UInt8(ascii: ")"): depth += 1
            case UInt8(ascii: "("):
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
        }
        return nil
    }

    // MARK: Browser frames

    /// Reads Firefox/Safari lines: `fn@url:1:2`, and Safari's `[native code]` and bare URLs; function names
    /// alone only where `allowBareNames` (above the first `@` frame).
    private func readBrowserFrame(_ text: String, allowBareNames: Bool) -> FrameRead? {
        if allowBareNames {
            return leadingBrowserFrames.value(for: text) { parseBrowserFrame($0, allowBareNames: true) }
        }
        return browserFrames.value(for: text) { parseBrowserFrame($0, allowBareNames: false) }
    }

    private func parseBrowserFrame(_ text: String, allowBareNames: Bool) -> FrameRead? {
        let raw = GrammarText.trimmed(text)
        if let match = firstMatch(browserFrame, text) {
            guard let locationText = match["location"], let place = browserPlace(locationText) else { return .unparsed }
            return .frame(Self.frame(function: Self.browserFunctionName(match["function"] ?? ""), place, raw: raw))
        }
        if raw == "[native code]" { return .frame(Self.frame(function: nil, Place(path: raw), raw: raw)) }
        if let url = firstMatch(bareURL, text)?["location"], let place = pathPlace(url, minimum: .line) {
            return .frame(Self.frame(function: nil, place, raw: raw))
        }
        if allowBareNames, let name = firstMatch(bareName, text)?["function"], !Self.isErrorName(name) {
            return .nameOnly(Frame(function: name, raw: raw))
        }
        return matches(browserLookalike, text) ? .unparsed : nil
    }

    /// A line Safari prints above its first `@` frame: a bare URL, `[native code]`, or a function name alone.
    private func isLeadingBrowserLine(_ text: String) -> Bool {
        readBrowserFrame(text, allowBareNames: true)?.isFrame ?? false
    }

    private func browserPlace(_ text: String) -> Place? {
        if text == "[native code]" { return Place(path: text) }
        if let eval = firstMatch(firefoxEval, text), let path = eval["path"] {
            return Place(path: path, line: eval["line"].flatMap { Int($0) })
        }
        return pathPlace(text, minimum: .line)
    }

    /// `async*fn` → `fn`; Opera's `<anonymous function: run>` → `run`, `<anonymous function>` → nil.
    private static func browserFunctionName(_ text: String) -> String? {
        var name = text
        if name.hasPrefix("async*") { name = String(name.dropFirst(6)) }
        if name.hasPrefix("<anonymous function"), name.hasSuffix(">") {
            let inside = name.dropFirst("<anonymous function".count).dropLast()
            name = inside.hasPrefix(": ") ? String(inside.dropFirst(2)) : ""
        }
        return name.isEmpty ? nil : name
    }

    // MARK: Helpers

    private static func frame(function: String?, _ place: Place, raw: String) -> Frame {
        Frame(function: function, filename: place.path, absPath: place.path, lineno: place.line,
              colno: place.column, raw: raw)
    }

    /// `.javascript` for browser stacks: Firefox/Safari syntax, or V8 syntax whose files are all web URLs.
    private func runtime(of blocks: [Block], style: Style) -> Runtime {
        if style == .browser { return .javascript }
        let paths = blocks.flatMap(\.frames).compactMap(\.absPath)
            .filter { !["<anonymous>", "eval code", "[native code]"].contains($0) && !$0.hasPrefix("wasm://") }
        let web = ["http://", "https://", "blob:"]
        let allWeb = !paths.isEmpty && paths.allSatisfy { path in web.contains { path.hasPrefix($0) } }
        return allWeb ? .javascript : .node
    }

    private static func isErrorName(_ name: String) -> Bool {
        name.hasSuffix("Error") || name.hasSuffix("Exception")
    }

    private static func nonEmpty(_ text: String?) -> String? {
        guard let text else { return nil }
        let value = GrammarText.trimmed(text)
        return value.isEmpty ? nil : value
    }



    /// A frame line's text, trimmed, without the ` {` that opens a property dump or an array member's `,`.
    private static func rawFrameText(_ text: String) -> String {
        let raw = GrammarText.trimmed(text)
        guard raw.hasSuffix(" {") || raw.hasSuffix(",") else { return raw }
        return GrammarText.trimmed(String(raw.dropLast()))
    }

    private func matches(_ matcher: Matcher, _ text: String) -> Bool {
        (try? matcher.matches(text)) ?? false
    }
}

// MARK: - Scan state

extension NodeGrammar {
    /// An exception as printed, frames in printed order (crashing frame first).
    private struct Block {
        var type: String
        var value: String?
        var relation: String?
        /// The block this one is the cause or member of.
        var parent: Int?
        var frames: [Frame] = []
        /// `... N lines matching cause stack trace ...`: where in `frames`, and how many.
        var omissions: [(position: Int, count: Int)] = []
    }

    /// An open `{ … }` or `[ … ]` of Node's inspect output, with the exception whose properties it holds.
    private enum Container {
        case object(owner: Int?)
        case errors(owner: Int?)
    }

    /// Where frames go.
    private enum Target {
        case exception(Int)
        case thread(Int)
        /// An error held in a property other than `cause` or `errors`: read, and left out of the chain.
        case ignored
    }

    /// The state of reading one record after its main header.
    private struct Scan {
        var blocks: [Block]
        var threads: [(state: String, frames: [Frame])] = []
        var containers: [Container] = []
        var target = Target.exception(0)
        var unparsedLines: [Int] = []
        /// The block whose message continues on the following lines, if any.
        var collectingMessage: Int?
        /// Whether frames were read; a later top-level header then ends the trace.
        var sawFrame = false
        /// Whether an unrelated header at the top level ended the trace.
        var ended = false

        init(main: Block) { blocks = [main] }

        var currentException: Int? {
            if case .exception(let index) = target { return index }
            return nil
        }

        mutating func append(_ frame: Frame) {
            sawFrame = true
            switch target {
            case .exception(let index): blocks[index].frames.append(frame)
            case .thread(let index): threads[index].frames.append(frame)
            case .ignored: break
            }
        }

        mutating func recordOmission(_ count: Int) {
            guard let index = currentException else { return }
            blocks[index].omissions.append((position: blocks[index].frames.count, count: count))
        }

        /// A header after the main one: a cause, an AggregateError member, an error in another property, or
        /// (at the top level, after frames) the start of something else, which ends the trace.
        mutating func start(_ header: Header) {
            // A cause belongs to the exception whose property block holds it.
            let owner = containers.reversed().lazy.compactMap { container -> Int? in
                if case .object(let owner) = container { return owner }
                return nil
            }.first ?? currentException
            var relation: String?
            var parent: Int?
            switch header.label {
            case "[cause]", "cause", "Caused by", "caused by":
                relation = "cause"
                parent = owner
            case nil:
                if case .errors(let arrayOwner) = containers.last {
                    relation = "group"
                    parent = arrayOwner
                } else if containers.isEmpty {
                    if sawFrame { ended = true }
                    return
                }
            default:
                break
            }
            if relation == nil {
                target = .ignored
            } else {
                blocks.append(Block(type: header.type, value: header.value, relation: relation, parent: parent))
                target = .exception(blocks.count - 1)
            }
            if header.opensObject {
                containers.append(.object(owner: currentException))
            } else {
                collectingMessage = currentException
            }
        }

        /// The exceptions in Sentry's order, omitted frames re-expanded, frames caller first.
        func exceptions() -> [ExceptionRecord] {
            var blocks = blocks
            var restored = [Int](repeating: 0, count: blocks.count)
            for index in blocks.indices where !blocks[index].omissions.isEmpty {
                guard let cause = blocks.firstIndex(where: { $0.relation == "cause" && $0.parent == index }) else {
                    continue
                }
                let causeFrames = blocks[cause].frames
                // Node keeps the first shared frame before the marker: the elided ones follow it in the cause.
                for omission in blocks[index].omissions.reversed() where omission.position > 0 {
                    let anchor = blocks[index].frames[omission.position - 1].raw
                    guard let found = causeFrames.firstIndex(where: { $0.raw == anchor }) else { continue }
                    let copied = causeFrames[(found + 1)..<min(found + 1 + omission.count, causeFrames.count)]
                    blocks[index].frames.insert(contentsOf: copied, at: omission.position)
                    restored[index] += copied.count
                }
            }
            return zip(blocks, restored).reversed().map { block, restored in
                ExceptionRecord(type: block.type, value: block.value, frames: block.frames.reversed(),
                                relation: block.relation, framesOmitted: restored > 0 ? restored : nil)
            }
        }
    }
}
