/// Stack traces printed by .NET (`Exception.ToString()` on .NET Framework, .NET Core/5+ and Mono).
///
/// What it reads:
/// - the header `System.InvalidOperationException: message` (an HRESULT or error code such as `(0x80004005)` or
///   `(111)` after the type is dropped), alone on its line, after `Unhandled exception. `, or at the end of a
///   log line; the message goes on until the first frame;
/// - inner exceptions ` ---> System.Exception: inner message`, on the header's line (.NET Framework) or on a
///   line of their own (.NET Core), and `--- End of inner exception stack trace ---`, which separates an inner
///   exception's frames from the frames of the exception that wraps it;
/// - `--- End of stack trace from previous location ---` (an async rethrow: the same exception goes on);
/// - frames `   at Namespace.Type.Method(ArgType arg) in C:\path\File.cs:line 42` (the ` in …` part is
///   optional), Mono's `at Type.Method (ArgType arg) [0x00012] in /path/File.cs:45` and `(wrapper …)` frames,
///   async state machines (`<Method>d__5.MoveNext()`), generic types (``List`1``, ``Dictionary`2[TKey,TValue]``);
/// - an `AggregateException`'s other members, ` ---> (Inner Exception #1) System.X: …` ending with `<---`.
///
/// Fields follow the Sentry C# SDK: exception `type` is the full type name and `module` (the assembly) stays
/// nil; frame `module` is the type (`Namespace.Type`), `function` the method without its parameter list,
/// `filename` and `absPath` the path after ` in `, `lineno` the line. Exceptions come oldest first: the
/// innermost exception first (relation `inner`), AggregateException members before the aggregate (relation
/// `group`), the outermost last. A trace without a header (frames only) gets the type `<unknown>`.
public final class DotNetGrammar: TraceGrammar {
    public static let runtime = Runtime.dotnet

    public static let starterPatterns = [
        #"^Unhandled (?:[Ee]xception\. |Exception:\s*(?:$|[A-Z]))"#,
        #"^(?:[A-Z][\w`]*\.)+[A-Z][\w`]*Exception(?: \((?:0x[0-9A-Fa-f]+|-?\d+)\))?:\s"#,
    ]

    /// A frame with a .NET parameter list right after the method (`M()`, `M(String name)`; a JVM frame holds a
    /// file there, `Unknown Source` or `Native Method`), a Mono frame (`M (String name) [0x0001c]`), or an
    /// `--- End of …` line. A V8 frame has a space before the parenthesis and no IL offset after it.
    public static let detectionPattern =
        #"^\s*(?:at (?:\(wrapper [^)]*\) )?[^\s(]+(?:\((?!Unknown Source|Native Method)(?:[^()\s]*\s[^()]*)?\)| \([^()]*\) (?:\[0x[0-9a-fA-F]+\]|<0x[0-9a-fA-F]+))|--- End of (?:inner exception stack trace|stack trace from previous location))"#

    public static let examples: [TraceExample] = [
        TraceExample(
            name: ".NET Core unhandled exception with an inner exception on its own line",
            text: """
                Unhandled exception. System.InvalidOperationException: Order 42 could not be loaded
                 ---> System.Collections.Generic.KeyNotFoundException: The given key '42' was not present in the dictionary.
                   at System.Collections.Generic.Dictionary`2.get_Item(TKey key)
                   at Acme.Orders.OrderCache.Get(Int32 id) in /src/Acme.Orders/OrderCache.cs:line 27
                   --- End of inner exception stack trace ---
                   at Acme.Orders.OrderService.Load(Int32 id) in /src/Acme.Orders/OrderService.cs:line 41
                   at Acme.Program.Main(String[] args) in /src/Acme/Program.cs:line 12
                """,
            exceptions: [
                .init(type: "System.Collections.Generic.KeyNotFoundException",
                      value: "The given key '42' was not present in the dictionary.", functions: ["Get", "get_Item"]),
                .init(type: "System.InvalidOperationException", value: "Order 42 could not be loaded",
                      functions: ["Main", "Load"]),
            ]),
        TraceExample(
            name: "async rethrow boundaries, an error code after the type, a local function and a lambda method",
            text: """
                System.Net.Http.HttpRequestException: Connection refused (billing:443)
                 ---> System.Net.Sockets.SocketException (111): Connection refused
                   at System.Net.Http.HttpConnectionPool.ConnectToTcpHostAsync(String host, Int32 port, HttpRequestMessage initialRequest, Boolean async, CancellationToken cancellationToken)
                   --- End of inner exception stack trace ---
                   at System.Net.Http.HttpConnectionPool.ConnectToTcpHostAsync(String host, Int32 port, HttpRequestMessage initialRequest, Boolean async, CancellationToken cancellationToken)
                   at System.Net.Http.HttpClient.<SendAsync>g__Core|83_0(HttpRequestMessage request, HttpCompletionOption completionOption, CancellationTokenSource cts, Boolean disposeCts, CancellationTokenSource pendingRequestsCts, CancellationToken originalCancellationToken)
                   at Acme.Billing.BillingClient.ChargeAsync(Order order) in /src/Acme.Billing/BillingClient.cs:line 58
                --- End of stack trace from previous location ---
                   at Acme.Api.OrdersController.Checkout(Int32 id) in /src/Acme.Api/Controllers/OrdersController.cs:line 33
                   at lambda_method5(Closure , Object )
                """,
            exceptions: [
                .init(type: "System.Net.Sockets.SocketException", value: "Connection refused",
                      functions: ["ConnectToTcpHostAsync"]),
                .init(type: "System.Net.Http.HttpRequestException", value: "Connection refused (billing:443)",
                      functions: ["lambda_method5", "Checkout", "ChargeAsync", "<SendAsync>g__Core|83_0",
                                  "ConnectToTcpHostAsync"]),
            ]),
        TraceExample(
            name: ".NET Framework async state machines",
            text: """
                System.InvalidOperationException: Payment declined
                   at Acme.Payments.Gateway.Authorize(Decimal amount) in C:\\src\\Acme.Payments\\Gateway.cs:line 88
                   at Acme.Payments.Gateway.<ChargeAsync>d__5.MoveNext() in C:\\src\\Acme.Payments\\Gateway.cs:line 61
                --- End of stack trace from previous location where exception was thrown ---
                   at System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw()
                   at System.Runtime.CompilerServices.TaskAwaiter.HandleNonSuccessAndDebuggerNotification(Task task)
                   at Acme.Web.CheckoutController.<Pay>d__3.MoveNext() in C:\\src\\Acme.Web\\CheckoutController.cs:line 40
                """,
            exceptions: [
                .init(type: "System.InvalidOperationException", value: "Payment declined",
                      functions: ["MoveNext", "HandleNonSuccessAndDebuggerNotification", "Throw", "MoveNext",
                                  "Authorize"]),
            ]),
        TraceExample(
            name: "Mono frames with IL offsets, generic types, a wrapper frame and unknown files",
            text: """
                System.NullReferenceException: Object reference not set to an instance of an object
                  at Acme.Game.Inventory.AddItem (Acme.Game.Item item) [0x00012] in /build/Acme.Game/Inventory.cs:45
                  at System.Collections.Generic.List`1[T].ForEach (System.Action`1[T] action) [0x0001e] in <b3f1a1c0e4c94b4a9b3d5b6c7d8e9f00>:0
                  at (wrapper managed-to-native) System.Reflection.RuntimeMethodInfo.InternalInvoke(System.Reflection.RuntimeMethodInfo,object,object[],System.Exception&)
                  at Acme.Game.Loader.Start () [0x00001] in <filename unknown>:0
                """,
            exceptions: [
                .init(type: "System.NullReferenceException",
                      value: "Object reference not set to an instance of an object",
                      functions: ["Start", "InternalInvoke", "ForEach", "AddItem"]),
            ]),
        TraceExample(
            name: ".NET Framework inner exception on the header line, with an HRESULT",
            text: """
                System.Web.HttpUnhandledException (0x80004005): Exception of type 'System.Web.HttpUnhandledException' was thrown. ---> System.FormatException: Input string was not in a correct format.
                   at System.Number.StringToNumber(String str, NumberStyles options, NumberBuffer& number, NumberFormatInfo info, Boolean parseDecimal)
                   at System.Int32.Parse(String s)
                   at Acme.Web.OrderPage.Page_Load(Object sender, EventArgs e) in C:\\inetpub\\Acme.Web\\OrderPage.aspx.cs:line 19
                   --- End of inner exception stack trace ---
                   at System.Web.UI.Page.HandleError(Exception e)
                   at System.Web.UI.Page.ProcessRequest(HttpContext context)
                """,
            exceptions: [
                .init(type: "System.FormatException", value: "Input string was not in a correct format.",
                      functions: ["Page_Load", "Parse", "StringToNumber"]),
                .init(type: "System.Web.HttpUnhandledException",
                      value: "Exception of type 'System.Web.HttpUnhandledException' was thrown.",
                      functions: ["ProcessRequest", "HandleError"]),
            ]),
        TraceExample(
            name: "AggregateException with a second member",
            text: """
                System.AggregateException: One or more errors occurred. (Disk full) (Timeout)
                 ---> System.IO.IOException: Disk full
                   at Acme.Backup.Writer.Flush() in /src/Acme.Backup/Writer.cs:line 30
                   --- End of inner exception stack trace ---
                   at System.Threading.Tasks.Task.WaitAll(Task[] tasks)
                   at Acme.Backup.Program.Main() in /src/Acme.Backup/Program.cs:line 14
                 ---> (Inner Exception #1) System.TimeoutException: Timeout
                   at Acme.Backup.Uploader.Send() in /src/Acme.Backup/Uploader.cs:line 52<---
                """,
            exceptions: [
                .init(type: "System.TimeoutException", value: "Timeout", functions: ["Send"]),
                .init(type: "System.IO.IOException", value: "Disk full", functions: ["Flush"]),
                .init(type: "System.AggregateException", value: "One or more errors occurred. (Disk full) (Timeout)",
                      functions: ["Main", "WaitAll"]),
            ]),
    ]

    private static let typeName = #"[A-Za-z_][\w`]*(?:[.+][A-Za-z_][\w`]*)*(?:\[[^\]\s]*\])?"#
    private static let errorCode = #"(?:\s\((?:0x[0-9A-Fa-f]+|-?\d+)\))?"#

    private static let framePattern = compile(
        #"^\s*at\s+(?:\(wrapper[^)]*\)\s+)?(?<symbol>[^\s(]+) ?\((?<params>[^()]*)\)(?:\s*\[0x[0-9a-fA-F]+\])?(?:\s*<0x[0-9a-fA-F]+(?:\s*\+\s*0x[0-9a-fA-F]+)?>)?(?:\s*\+\s*0x[0-9a-fA-F]+)?(?:\s+in\s+(?<path>.+?)(?::line\s+(?<line>\d+)|:(?<shortLine>\d+))?)?\s*(?:<---)?\s*$"#)
    /// What a JVM frame holds in its parentheses; such a frame is not read as a .NET one.
    private static let jvmSourcePattern = compile(
        #"^(?:Native Method|Unknown Source(?::\d+)?|<generated>|[\w$.<>-]+\.[a-z]\w*(?::\d+)?)$|:"#)
    private static let frameLikePattern = compile(#"^\s*at\s+(?:\(wrapper[^)]*\)\s+)?[^\s(]+(?:\s?\(|\s*$)"#)
    private static let endOfInnerPattern = compile(#"^\s*--- End of inner exception stack trace ---"#)
    private static let endOfPreviousLocationPattern = compile(#"^\s*--- End of stack trace from previous location\b"#)
    private static let aggregateMemberPattern = compile(#"^\s*---> (?<header>\(Inner Exception #\d+\)\s*.*)$"#)
    private static let headerPattern = compile(
        #"^\s*(?<prefix>Unhandled [Ee]xception[.:]\s*|\[ERROR\] FATAL UNHANDLED EXCEPTION:\s*)?(?<header>(?<type>"#
            + typeName + ")" + errorCode + #"(?::\s?.*)?)$"#)
    private static let embeddedHeaderPattern = compile(
        #"(?<![\w.`])(?<header>(?:[A-Za-z_][\w`]*\.)+[A-Za-z_][\w`]*Exception"# + errorCode + #"(?::\s.*|:?\s*)$)"#)
    /// The start of a chain member after `---> `: a type, then `:`, whitespace or the end.
    private static let memberStartPattern = compile(
        #"^(?:\(Inner Exception #\d+\)\s*)?"# + typeName + errorCode + #"(?::|\s|$)"#)
    private static let memberPattern = compile(
        #"^\s*(?:\(Inner Exception #\d+\)\s*)?(?<type>"# + typeName + ")" + errorCode + #"(?::\s?(?<message>.*))?$"#,
        options: .dotMatchesNewline)

    private let frameMatcher = Matcher(framePattern)
    private let jvmSourceMatcher = Matcher(jvmSourcePattern)
    private let frameLikeMatcher = Matcher(frameLikePattern)
    private let endOfInnerMatcher = Matcher(endOfInnerPattern)
    private let endOfPreviousLocationMatcher = Matcher(endOfPreviousLocationPattern)
    private let aggregateMemberMatcher = Matcher(aggregateMemberPattern)
    private let headerMatcher = Matcher(headerPattern)
    private let embeddedHeaderMatcher = Matcher(embeddedHeaderPattern)
    private let memberStartMatcher = Matcher(memberStartPattern)
    private let memberMatcher = Matcher(memberPattern)

    public init() {}

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? {
        let texts = lines.map { GrammarText.withoutCarriageReturn($0.text) }
        guard let firstStructural = texts.firstIndex(where: isStructural) else { return nil }
        let header = findHeader(before: firstStructural, in: texts)

        // The main trace, then an AggregateException's other members.
        var blocks = [Block(header: header?.text ?? "", isGroupMember: false)]
        var unparsed: [Int] = []
        var frameCount = 0
        for index in firstStructural..<texts.count {
            let text = texts[index]
            let last = blocks.count - 1
            if let frame = parseFrame(in: text) {
                blocks[last].add(frame)
                frameCount += 1
                if GrammarText.trimmed(text).hasSuffix("<---") { blocks[last].isClosed = true }
            } else if matches(endOfInnerMatcher, text) {
                blocks[last].segments.append([])
            } else if matches(endOfPreviousLocationMatcher, text) {
                continue
            } else if let member = firstMatch(aggregateMemberMatcher, text) {
                blocks.append(Block(header: member["header"] ?? "", isGroupMember: true))
            } else if matches(frameLikeMatcher, text) {
                unparsed.append(lines[index].number)
            } else if blocks[last].isGroupMember, !blocks[last].hasFrames, !blocks[last].isClosed {
                blocks[last].header += "\n" + text
            }
        }
        guard frameCount > 0 else { return nil }

        let main = chain(of: blocks[0])
        let members = blocks.dropFirst().map { chain(of: $0) }.filter { !repeats($0, innermostOf: main) }
        return ParsedTrace(runtime: Self.runtime, exceptions: members.flatMap { $0 } + main,
                           unparsedLines: unparsed, firstTraceLine: header?.line ?? firstStructural)
    }

    // MARK: - Lines

    private func isStructural(_ text: String) -> Bool {
        parseFrame(in: text) != nil || matches(frameLikeMatcher, text) || matches(endOfInnerMatcher, text)
            || matches(endOfPreviousLocationMatcher, text) || matches(aggregateMemberMatcher, text)
    }

    private func parseFrame(in text: String) -> Frame? {
        guard let match = firstMatch(frameMatcher, text), let symbol = match["symbol"], let params = match["params"],
              !matches(jvmSourceMatcher, params)
        else { return nil }
        let (module, function) = splitMethod(symbol)
        var path = match["path"]
        var line = match["line"] ?? match["shortLine"]
        if let known = path, known.hasPrefix("<"), known.hasSuffix(">") {
            // Mono's `<filename unknown>:0` or an assembly id `<b3f1…>:0`: no file, no line.
            path = nil
            line = nil
        }
        let lineno = line.flatMap { Int($0) }.flatMap { $0 > 0 ? $0 : nil }
        return Frame(function: function, module: module, filename: path, absPath: path, lineno: lineno,
                     raw: GrammarText.trimmed(text))
    }

    /// The header among the lines before the first frame, from its type to the last line before the frames:
    /// the first sure header alone on its line (after `Unhandled exception.`, or a qualified `…Exception`),
    /// else the first likely one, else the first qualified `…Exception: message` at the end of a log line.
    private func findHeader(before end: Int, in texts: [String]) -> (line: Int, text: String)? {
        func text(from line: Int, _ first: String) -> String {
            ([first] + texts[(line + 1)..<end]).joined(separator: "\n")
        }
        var likely: (line: Int, text: String)?
        for index in 0..<end {
            guard let match = firstMatch(headerMatcher, texts[index]), let type = match["type"],
                  let header = match["header"]
            else { continue }
            let qualified = type.contains(".")
            let exceptionName = type.hasSuffix("Exception") || type.contains("Exception`")
            if match["prefix"] != nil || (qualified && exceptionName) { return (index, text(from: index, header)) }
            if qualified || exceptionName, likely == nil { likely = (index, text(from: index, header)) }
        }
        if let likely { return likely }
        for index in 0..<end {
            if let header = firstMatch(embeddedHeaderMatcher, texts[index])?["header"] {
                return (index, text(from: index, header))
            }
        }
        return nil
    }

    // MARK: - Chains

    /// One exception chain as printed: the header text (with its ` ---> ` inner exceptions) and the frames,
    /// in segments separated by `--- End of inner exception stack trace ---`.
    private struct Block {
        var header: String
        var isGroupMember: Bool
        /// Frames as printed, crashing frame first; the first segment belongs to the innermost exception.
        var segments: [[Frame]] = [[]]
        var hasFrames = false
        /// An AggregateException member ends with `<---`.
        var isClosed = false

        mutating func add(_ frame: Frame) {
            segments[segments.count - 1].append(frame)
            hasFrames = true
        }
    }

    /// The block's exceptions, innermost first. Segment *k* holds the frames of the *k*-th exception from the
    /// innermost, and the segment after the last marker those of the outermost: when markers are missing, the
    /// exceptions in between get none. Without any marker the trace was cut before the inner exception's
    /// frames ended, so they all belong to the innermost.
    private func chain(of block: Block) -> [ExceptionRecord] {
        let headers = members(of: block.header).map(exceptionHeader)
        let count = headers.count
        let lastSegment = block.segments.count - 1
        var frames = Array(repeating: [Frame](), count: count)
        for (position, segment) in block.segments.enumerated() {
            let target = position == lastSegment && position > 0 ? count - 1 : min(position, count - 1)
            frames[target] += segment
        }
        return (0..<count).map { position in
            let header = headers[count - 1 - position]
            let relation = position < count - 1 ? "inner" : (block.isGroupMember ? "group" : nil)
            return ExceptionRecord(type: header.type, value: header.value, frames: frames[position].reversed(),
                                   relation: relation)
        }
    }

    /// Splits a header at each ` ---> ` that is followed by a type: outermost exception first.
    private func members(of header: String) -> [String] {
        var members: [String] = []
        var start = header.startIndex
        for separator in header.ranges(of: "---> ") {
            let atLineStart = separator.lowerBound == header.startIndex
                || header[header.index(before: separator.lowerBound)].isWhitespace
            guard atLineStart,
                  matches(memberStartMatcher, String(header[separator.upperBound...]))
            else { continue }
            members.append(GrammarText.trimmedTrailing(String(header[start..<separator.lowerBound])))
            start = separator.upperBound
        }
        members.append(String(header[start...]))
        return members
    }

    private func exceptionHeader(_ text: String) -> (type: String, value: String?) {
        guard let match = firstMatch(memberMatcher, text), let type = match["type"] else { return ("<unknown>", nil) }
        let value = match["message"].map(GrammarText.trimmedTrailing)
        return (type, value?.isEmpty == false ? value : nil)
    }

    /// Whether an AggregateException member is the main chain's inner exception printed again
    /// (.NET Framework prints `(Inner Exception #0)` although ` ---> ` showed it already).
    private func repeats(_ member: [ExceptionRecord], innermostOf main: [ExceptionRecord]) -> Bool {
        guard member.count < main.count else { return false }
        return zip(member, main).allSatisfy { lhs, rhs in
            lhs.type == rhs.type && lhs.value == rhs.value
                && lhs.frames.map(\.function) == rhs.frames.map(\.function)
                && lhs.frames.map(\.lineno) == rhs.frames.map(\.lineno)
        }
    }

    // MARK: - Matching

    private func matches(_ matcher: Matcher, _ text: String) -> Bool {
        (try? matcher.matches(text)) ?? false
    }
}

/// `Namespace.Type.Method` → (`Namespace.Type`, `Method`); `System.Guid..ctor` → (`System.Guid`, `.ctor`).
/// Dots inside generic arguments (``Dictionary`2[System.String,System.Int32]``) and compiler-generated names
/// (`<Main>$`) do not split; a name without a type (`lambda_method5`) has no module.
private func splitMethod(_ symbol: String) -> (module: String?, function: String) {
    var depth = 0
    var lastDot: String.Index?
    var index = symbol.startIndex
    while index < symbol.endIndex {
        switch symbol[index] {
        case "[", "<": depth += 1
        case "]", ">": depth = max(0, depth - 1)
        case "." where depth == 0: lastDot = index
        default: break
        }
        index = symbol.index(after: index)
    }
    guard let dot = lastDot, dot > symbol.startIndex else { return (nil, symbol) }
    let beforeDot = symbol.index(before: dot)
    if symbol[beforeDot] == ".", beforeDot > symbol.startIndex {
        return (String(symbol[..<beforeDot]), String(symbol[dot...]))
    }
    return (String(symbol[..<dot]), String(symbol[symbol.index(after: dot)...]))
}



