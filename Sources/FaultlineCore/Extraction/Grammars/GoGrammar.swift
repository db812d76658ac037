/// Stack traces printed by the Go runtime: panics, fatal errors, signal crashes and goroutine dumps
/// (`runtime.Stack`, `debug.Stack`, `/debug/pprof/goroutine?debug=2`), and the bare stacks that loggers
/// such as zap print (a function line, then its tab-indented file line, without a goroutine header).
///
/// The runtime prints a header, a blank line, then goroutines; each frame takes two lines:
///
/// ```
/// panic: runtime error: invalid memory address or nil pointer dereference
/// [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b8f34]
///
/// goroutine 34 [running]:
/// main.(*Worker).process(0xc000120000, {0x8a1f40, 0xc0001a6000})
///         /app/worker.go:61 +0x1d4
/// created by main.main in goroutine 1
///         /app/main.go:27 +0x1c5
/// exit status 2
/// ```
///
/// Decisions, so later stages can rely on them:
/// - **Exception type.** From a log only the text of the panic value is known, not its Go type (which the
///   Sentry Go SDK reports), so every `panic: …` gives type `panic` — a runtime error too, whose kind stays
///   in the value (`runtime error: index out of range …`), as the synthetic truth files name it; `fatal error: …` gives
///   `fatal error`; a crash on a signal with no panic (`SIGQUIT: quit`) gives the signal name. `value` is
///   the message as printed (`runtime error: index out of range [5] with length 3`), continuation lines of a
///   multi-line message included; `module` stays `nil`.
/// - **Re-panics.** `panic: a [recovered]` then `\tpanic: b` is a chain, oldest first: `a` has relation
///   `context` and no frames; the last panic (the outermost) gets the goroutine's frames.
/// - **Recovered panics in a log.** A dump after a log message that reports a panic (`http: panic serving
///   10.0.0.1:5000: boom`, `recovered from panic: boom`) gives a `panic` exception with that message; the
///   message line stays the record's message.
/// - **Crashing goroutine.** The first goroutine after a header (or, without a goroutine, the first bare
///   stack) gives the last exception's frames; every other goroutine, the `runtime stack:` block
///   (state `runtime stack`) and `[originating from goroutine N]` ancestors (state `ancestor of goroutine M`)
///   go to ``ParsedTrace/threads``. A dump with no panic header is not an exception: all its goroutines are
///   threads and the event is a message event, as the Sentry Go SDK sends a message with a stack.
/// - **Thread fields.** `id` is the goroutine number; `state` is the bracket text as printed
///   (`chan receive, 5 minutes`, `running, locked to thread`).
/// - **Creator frame.** `created by net/http.(*Server).Serve in goroutine 1` is kept as the outermost
///   (first) frame, with its file line: it is the code that started the goroutine. Its `raw` starts with
///   `created by`, so a later stage can drop it to match what the Sentry Go SDK captures.
/// - **Frame fields.** As the Sentry Go SDK splits `runtime.Frame.Function`: `module` is the package path up
///   to the first `.` after the last `/` (`net/http`, `github.com/acme/inventory/stock`, with `%2e` unescaped
///   to `.`), `function` the rest (`(*Server).handleOrder`, `Serve.func1`); `panic` has no module.
///   `filename` is the file as printed, `absPath` the same when it is absolute, `lineno` its line. `raw` is
///   the trimmed function line and the trimmed file line joined by `\n`.
/// - `...additional frames elided...` is recognised; the elided frames are unknown, so nothing is added.
public final class GoGrammar: TraceGrammar {
    public static let runtime = Runtime.go

    /// The first line of a crash. A goroutine header is not one: it also follows a panic header, and a
    /// starter there would cut the panic from its stack. (`runtime:` diagnostics and `unexpected fault
    /// address` precede a `fatal error:`, which starts the record.)
    public static let starterPatterns: [String] = [
        #"^panic: "#,
        #"^fatal error: "#,
        #"^SIG(?:QUIT|ABRT|SEGV|BUS|ILL|FPE|TRAP|SYS|EMT|STKFLT): [a-z][a-z /-]*$"#,
    ]

    /// A goroutine header, or a frame's file line (`\t/app/server.go:123 +0x1d4`).
    public static let detectionPattern =
        #"^(?:goroutine \d+ (?:gp=0x[0-9a-f]+ m=\S+ (?:mp=0x[0-9a-f]+ )?)?\[[^\]]*\]:|[ \t]+\S[^\t]*\.go:\d+(?: \+0x[0-9a-f]+)?(?: fp=0x[0-9a-f]+ sp=0x[0-9a-f]+(?: pc=0x[0-9a-f]+)?)?)\r?$"#

    private static let goroutineHeaderPattern = compile(
        #"^goroutine (?<id>\d+)(?: gp=0x[0-9a-f]+ m=(?:\d+|nil)(?: mp=0x[0-9a-f]+)?)? \[(?<state>[^\]]*)\]:$"#)
    private static let panicPattern = compile(
        #"^(?<nested>[ \t]+)?panic: (?<value>.*?)(?<recovered> \[recovered(?:, repanicked)?\])?$"#)
    private static let fatalErrorPattern = compile(#"^fatal error: (?<value>.*)$"#)
    private static let signalDetailPattern = compile(
        #"^\[signal (?<name>SIG[A-Z0-9]+|0x[0-9a-f]+)(?:: (?<description>[^\]]*?))?(?: code=[^\]]*)?\]$"#)
    private static let signalHeaderPattern = compile(
        #"^(?<name>SIG(?:QUIT|ABRT|SEGV|BUS|ILL|FPE|TRAP|SYS|EMT|STKFLT)): (?<description>[a-z][a-z /-]*)$"#)
    private static let ancestorPattern = compile(#"^\[originating from goroutine (?<id>\d+)\]:$"#)
    private static let createdByPattern = compile(#"^created by (?<function>\S+?)(?: in goroutine \d+)?$"#)
    private static let callPattern = compile(#"^(?<function>[^\s(]\S*)\([^()]*\)$"#)
    private static let bareFunctionPattern = compile(#"^(?<function>[^\s(]\S*\.\S*[\w\]])$"#)
    private static let locationPattern = compile(
        #"^(?<indent>\s+)?(?<file>\S.*?):(?<line>\d+)(?: \+0x[0-9a-f]+)?(?: fp=0x[0-9a-f]+ sp=0x[0-9a-f]+(?: pc=0x[0-9a-f]+)?)?\s*$"#)
    private static let elidedPattern = compile(#"^\.\.\.(?:additional|\d+) frames elided\.\.\.$"#)
    /// Lines of a Go crash that carry nothing to keep: exit status, registers, runtime diagnostics.
    private static let noisePattern = compile(
        #"""
        ^(?:exit\ status\ \d+
        |\s*goroutine\ running\ on\ other\ thread;\ stack\ unavailable
        |unexpected\ fault\ address\ 0x[0-9a-f]+
        |runtime:\ .*
        |PC=0x[0-9a-f]+\ m=\S+\ sigcode=\S+.*
        |signal\ arrived\ during\ (?:cgo|external\ code)\ execution
        |instruction\ bytes:.*
        |-----
        |(?:r[a-z0-9]{1,3}|e[a-z]{2}|rip|rflags|[cdefgs]s|x\d{1,2}|pc|sp|lr|fp|fault|trap|err|oldmask|cpsr)\s+0x[0-9a-f]+
        )$
        """#, options: .extended)
    /// A log message reporting a recovered panic, printed before the dump.
    private static let messagePanicPattern = compile(
        #"\b(?:http: panic serving \S+|panic|panicked|recovered(?: from panic)?): (?<value>.+)$"#)

    private let goroutineHeader = Matcher(GoGrammar.goroutineHeaderPattern)
    private let panicLine = Matcher(GoGrammar.panicPattern)
    private let fatalErrorLine = Matcher(GoGrammar.fatalErrorPattern)
    private let signalDetail = Matcher(GoGrammar.signalDetailPattern)
    private let signalHeader = Matcher(GoGrammar.signalHeaderPattern)
    private let ancestorHeader = Matcher(GoGrammar.ancestorPattern)
    private let createdBy = Matcher(GoGrammar.createdByPattern)
    private let call = Matcher(GoGrammar.callPattern)
    private let bareFunction = Matcher(GoGrammar.bareFunctionPattern)
    private let location = Matcher(GoGrammar.locationPattern)
    private let elided = Matcher(GoGrammar.elidedPattern)
    private let noise = Matcher(GoGrammar.noisePattern)
    private let messagePanic = Matcher(GoGrammar.messagePanicPattern)
    private var lineKinds = LineMemo<Line>()
    private var callFrames = LineMemo<Frame>()

    public init() {}

    // MARK: - Lines

    /// What one line of Go output is.
    private enum Line {
        case blank
        case goroutineHeader(id: String, state: String)
        case panic(value: String, nested: Bool)
        case fatalError(value: String)
        case signalHeader(name: String, description: String)
        case signalDetail(name: String, description: String?)
        case ancestorHeader(id: String)
        case runtimeStack
        case createdBy(function: String)
        case call(function: String)
        case location(file: String, line: Int?, indented: Bool)
        case elided
        case noise
        /// Not a Go line on its own; `bareFunction` is set when it could be a bare stack's function line.
        case other(bareFunction: String?)
    }

    private func classify(_ text: String) -> Line {
        lineKinds.value(for: text, readLine)
    }

    private func readLine(_ text: String) -> Line {
        if text.allSatisfy(\.isWhitespace) { return .blank }
        if let match = Self.match(goroutineHeader, text), let id = match["id"] {
            return .goroutineHeader(id: id, state: match["state"] ?? "")
        }
        if let match = Self.match(panicLine, text) {
            return .panic(value: match["value"] ?? "", nested: match["nested"] != nil)
        }
        if let match = Self.match(fatalErrorLine, text) { return .fatalError(value: match["value"] ?? "") }
        if let match = Self.match(signalDetail, text), let name = match["name"] {
            return .signalDetail(name: name, description: match["description"])
        }
        if let match = Self.match(signalHeader, text), let name = match["name"] {
            return .signalHeader(name: name, description: match["description"] ?? "")
        }
        if let match = Self.match(ancestorHeader, text), let id = match["id"] { return .ancestorHeader(id: id) }
        if text == "runtime stack:" { return .runtimeStack }
        if let match = Self.match(createdBy, text), let function = match["function"] {
            return .createdBy(function: function)
        }
        if let match = Self.match(call, text), let function = match["function"] { return .call(function: function) }
        if Self.match(elided, text) != nil { return .elided }
        if Self.match(noise, text) != nil { return .noise }
        if let match = Self.match(location, text), let file = match["file"] {
            return .location(file: file, line: match["line"].flatMap { Int($0) }, indented: match["indent"] != nil)
        }
        return .other(bareFunction: Self.match(bareFunction, text)?["function"])
    }

    // MARK: - Parsing

    /// A stack being read: a goroutine, the `runtime stack:` block, an ancestor, or a bare stack.
    private struct Block {
        enum Kind {
            case goroutine(id: String, state: String)
            case runtimeStack
            case ancestor(id: String, of: String?)
            case bare
        }

        var kind: Kind
        /// Frames as printed: the crashing frame first.
        var frames: [Frame] = []
        var creator: Frame?
        /// Whether the last function line still waits for its file line.
        var awaitingLocation = false
        var awaitingCreatorLocation = false

        /// Frames caller first, the creator outermost.
        var framesCallerFirst: [Frame] { (creator.map { [$0] } ?? []) + frames.reversed() }

        var isGoroutineOrBare: Bool {
            switch kind {
            case .goroutine, .bare: return true
            case .runtimeStack, .ancestor: return false
            }
        }

        var threadStack: ThreadStack {
            switch kind {
            case let .goroutine(id, state): return ThreadStack(id: id, state: state, frames: framesCallerFirst)
            case .runtimeStack: return ThreadStack(state: "runtime stack", frames: framesCallerFirst)
            case let .ancestor(id, of):
                return ThreadStack(id: id, state: of.map { "ancestor of goroutine \($0)" } ?? "ancestor",
                                   frames: framesCallerFirst)
            case .bare: return ThreadStack(frames: framesCallerFirst)
            }
        }
    }

    /// The state of one parse.
    private struct State {
        var exceptions: [ExceptionRecord] = []
        var blocks: [Block] = []
        var current: Block?
        var unparsed: [Int] = []
        var traceStart: Int?
        /// The message of a recovered panic reported by a log line before the dump.
        var loggedPanic: String?
        /// Whether the next lines continue the last panic's message.
        var continuesPanicValue = false
        /// Whether a second trace began: the rest of the record is not read.
        var finished = false

        mutating func startTrace(at index: Int) {
            if traceStart == nil { traceStart = index }
        }

        mutating func closeBlock() {
            if let block = current.take() { blocks.append(block) }
        }

        mutating func open(_ kind: Block.Kind, at index: Int) {
            closeBlock()
            startTrace(at: index)
            continuesPanicValue = false
            current = Block(kind: kind)
        }

        /// The id of the goroutine an ancestor block belongs to.
        var lastGoroutineID: String? {
            for block in ([current].compactMap { $0 } + blocks.reversed()) {
                if case let .goroutine(id, _) = block.kind { return id }
            }
            return nil
        }
    }

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? {
        var state = State()
        let texts = lines.map { GrammarText.withoutCarriageReturn($0.text) }

        for (index, text) in texts.enumerated() {
            let line = classify(text)
            if state.finished {
                if Self.looksLikeTrace(line) { state.unparsed.append(lines[index].number) }
                continue
            }
            if state.continuesPanicValue, Self.continuesMessage(line) {
                appendToPanicValue(text, in: &state)
                continue
            }
            read(line, text: text, at: index, lines: lines, texts: texts, into: &state)
        }
        state.closeBlock()
        return assemble(state)
    }

    private func read(_ line: Line, text: String, at index: Int, lines: [RecordLine], texts: [String],
                      into state: inout State) {
        let number = lines[index].number
        switch line {
        case .blank:
            state.closeBlock()
            state.continuesPanicValue = false

        case let .goroutineHeader(id, goroutineState):
            state.open(.goroutine(id: id, state: goroutineState), at: index)

        case let .panic(value, nested):
            if !nested, startsSecondTrace(state) { finish(at: number, &state); return }
            state.closeBlock()
            state.startTrace(at: index)
            // A panic printed after another one was raised while handling it (or re-raised it).
            if !state.exceptions.isEmpty { state.exceptions[state.exceptions.count - 1].relation = "context" }
            state.exceptions.append(ExceptionRecord(type: Self.panicType(value), value: value))
            state.continuesPanicValue = true

        case let .fatalError(value):
            if startsSecondTrace(state) { finish(at: number, &state); return }
            state.closeBlock()
            state.startTrace(at: index)
            if !state.exceptions.isEmpty { state.exceptions[state.exceptions.count - 1].relation = "context" }
            state.exceptions.append(ExceptionRecord(type: "fatal error", value: value))

        case let .signalHeader(name, description):
            // GOTRACEBACK=crash repeats the signal header before each thread's stack: not a new trace.
            state.startTrace(at: index)
            if state.exceptions.isEmpty { state.exceptions.append(ExceptionRecord(type: name, value: description)) }

        case let .signalDetail(name, description):
            state.startTrace(at: index)
            if state.exceptions.isEmpty { state.exceptions.append(ExceptionRecord(type: name, value: description)) }

        case let .ancestorHeader(id):
            let owner = state.lastGoroutineID
            state.open(.ancestor(id: id, of: owner), at: index)

        case .runtimeStack:
            state.open(.runtimeStack, at: index)

        case let .createdBy(function):
            guard state.current != nil else { state.unparsed.append(number); return }
            state.current?.creator = Self.frame(function: function, raw: text)
            state.current?.awaitingLocation = false
            state.current?.awaitingCreatorLocation = true

        case let .call(function):
            if state.current == nil {
                // Frames without a goroutine header: a bare stack when the file line follows.
                guard Self.isFollowedByLocation(index, texts: texts, classify: classify) else {
                    if state.traceStart != nil { state.unparsed.append(number) } else { noteMessage(text, &state) }
                    return
                }
                state.open(.bare, at: index)
            }
            addFrame(function: function, raw: text, to: &state)

        case let .location(file, lineNumber, indented):
            guard state.current?.awaitingLocation == true || state.current?.awaitingCreatorLocation == true else {
                if indented || state.current != nil { state.unparsed.append(number) }
                return
            }
            // Moved out, so its frames are changed in place rather than copied.
            var block = state.current.take()!
            if block.awaitingCreatorLocation, var creator = block.creator {
                Self.fill(&creator, file: file, line: lineNumber, raw: text)
                block.creator = creator
            } else if var last = block.frames.popLast() {
                Self.fill(&last, file: file, line: lineNumber, raw: text)
                block.frames.append(last)
            }
            block.awaitingLocation = false
            block.awaitingCreatorLocation = false
            state.current = block

        case .elided:
            if state.current == nil { state.unparsed.append(number) }
            state.current?.awaitingLocation = false

        case .noise:
            if state.traceStart == nil, !Self.isPreamble(text) { noteMessage(text, &state); return }
            state.startTrace(at: index)

        case let .other(bareFunction):
            if let bareFunction, Self.isFollowedByLocation(index, texts: texts, classify: classify) {
                if state.current == nil { state.open(.bare, at: index) }
                addFrame(function: bareFunction, raw: text, to: &state)
                return
            }
            if state.current != nil {
                // Inside a stack: a line shaped like a frame that does not parse is reported; any other
                // text ends the stack (a log line written after the dump).
                if Self.looksLikeBrokenFrame(text) { state.unparsed.append(number); return }
                state.closeBlock()
            }
            if state.traceStart == nil { noteMessage(text, &state) }
        }
    }

    /// Whether a header line begins a new, separate trace (the record holds two crashes).
    private func startsSecondTrace(_ state: State) -> Bool {
        state.traceStart != nil && (state.current != nil || !state.blocks.isEmpty)
    }

    /// Stops reading at a line that opens a second trace; it and the Go lines after it are reported.
    private func finish(at number: Int, _ state: inout State) {
        state.closeBlock()
        state.finished = true
        state.unparsed.append(number)
    }

    private func addFrame(function: String, raw: String, to state: inout State) {
        // The function is read from `raw`, so the line's text alone decides the frame.
        state.current?.frames.append(callFrames.value(for: raw) { Self.frame(function: function, raw: $0) })
        state.current?.awaitingLocation = true
        state.current?.awaitingCreatorLocation = false
    }

    private func appendToPanicValue(_ text: String, in state: inout State) {
        guard var last = state.exceptions.popLast() else { return }
        var continuation = text
        if continuation.hasSuffix(" [recovered]") { continuation.removeLast(" [recovered]".count) }
        last.value = (last.value ?? "") + "\n" + continuation
        state.exceptions.append(last)
    }

    /// Remembers a log line before the trace that reports a recovered panic.
    private func noteMessage(_ text: String, _ state: inout State) {
        if let value = Self.match(messagePanic, text)?["value"] { state.loggedPanic = value }
    }

    private func assemble(_ state: State) -> ParsedTrace? {
        var exceptions = state.exceptions
        if exceptions.isEmpty, let logged = state.loggedPanic, !state.blocks.isEmpty {
            exceptions = [ExceptionRecord(type: Self.panicType(logged), value: logged)]
        }
        guard !exceptions.isEmpty || !state.blocks.isEmpty, let traceStart = state.traceStart else { return nil }

        var threads: [ThreadStack] = []
        var crashingBlockTaken = exceptions.isEmpty
        for block in state.blocks {
            if !crashingBlockTaken, block.isGoroutineOrBare {
                exceptions[exceptions.count - 1].frames = block.framesCallerFirst
                crashingBlockTaken = true
            } else {
                threads.append(block.threadStack)
            }
        }
        return ParsedTrace(runtime: .go, exceptions: exceptions, threads: threads,
                           unparsedLines: state.unparsed, firstTraceLine: traceStart)
    }

    // MARK: - Helpers

    private static func match(_ matcher: Matcher, _ text: String) -> StringMatch? {
        (try? matcher.firstMatch(in: text)) ?? nil
    }


    /// `panic` for every panic value: the log shows its text, not its Go type.
    private static func panicType(_ value: String) -> String { "panic" }

    /// Lines that may continue a multi-line panic message: anything but a blank line or a new header.
    private static func continuesMessage(_ line: Line) -> Bool {
        switch line {
        case .blank, .goroutineHeader, .panic, .fatalError, .signalHeader, .signalDetail, .ancestorHeader,
             .runtimeStack, .noise:
            return false
        case .createdBy, .call, .location, .elided, .other:
            return true
        }
    }

    /// Runtime diagnostics that open a crash before its `fatal error:` line.
    private static func isPreamble(_ text: String) -> Bool {
        text.hasPrefix("runtime: ") || text.hasPrefix("unexpected fault address ") || text.hasPrefix("PC=0x")
            || text.hasPrefix("signal arrived during ")
    }

    private static func looksLikeTrace(_ line: Line) -> Bool {
        switch line {
        case .goroutineHeader, .panic, .fatalError, .signalHeader, .signalDetail, .ancestorHeader, .runtimeStack,
             .createdBy, .call, .location, .elided:
            return true
        case .blank, .noise, .other:
            return false
        }
    }

    /// An indented line, or one ending in a parenthesis: a frame line the patterns could not read.
    private static func looksLikeBrokenFrame(_ text: String) -> Bool {
        text.first?.isWhitespace == true || text.hasSuffix(")") || text.hasSuffix("(")
    }

    private static func isFollowedByLocation(_ index: Int, texts: [String], classify: (String) -> Line) -> Bool {
        guard index + 1 < texts.count, case .location = classify(texts[index + 1]) else { return false }
        return true
    }

    private static func frame(function qualified: String, raw: String) -> Frame {
        let (module, function) = splitQualifiedName(qualified)
        return Frame(function: function, module: module, raw: GrammarText.trimmed(raw))
    }

    private static func fill(_ frame: inout Frame, file: String, line: Int?, raw: String) {
        frame.filename = file
        frame.absPath = GrammarText.isAbsolutePath(file) ? file : nil
        frame.lineno = line
        frame.raw += "\n" + GrammarText.trimmed(raw)
    }

    /// Splits `github.com/acme/stock.(*Store).Reserve` into the package path and the function, at the first
    /// `.` after the last `/`, as the Sentry Go SDK does.
    static func splitQualifiedName(_ name: String) -> (module: String?, function: String) {
        let pathEnd = name.utf8.lastIndex(of: UInt8(ascii: "/")) ?? name.startIndex
        let isCompilerSymbol = pathEnd == name.startIndex && (name.hasPrefix("go.") || name.hasPrefix("type."))
        guard !name.hasPrefix("("), !isCompilerSymbol, let dot = name.utf8[pathEnd...].firstIndex(of: UInt8(ascii: ".")),
              dot != name.startIndex
        else { return (nil, name) }
        let module = String(name[..<dot]).replacing("%2e", with: ".")
        return (module, String(name[name.index(after: dot)...]))
    }


}

// MARK: - Examples

extension GoGrammar {
    public static let examples: [TraceExample] = [
        TraceExample(
            name: "nil pointer dereference in a worker goroutine (go run)",
            text: """
                panic: runtime error: invalid memory address or nil pointer dereference
                [signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x6b8f34]

                goroutine 34 [running]:
                github.com/acme/inventory/stock.(*Store).Reserve(0x0, {0x8a1f40, 0xc0001a6000}, {0xc00012c0f0, 0x8}, 0x2)
                \t/app/stock/store.go:88 +0x54
                main.(*Worker).process(0xc000120000, {0x8a1f40, 0xc0001a6000}, 0xc000184100)
                \t/app/worker.go:61 +0x1d4
                main.(*Worker).Run(0xc000120000, {0x8a1f40, 0xc0001a6000})
                \t/app/worker.go:40 +0x9a
                created by main.main in goroutine 1
                \t/app/main.go:27 +0x1c5
                exit status 2
                """,
            exceptions: [
                .init(type: "panic",
                      value: "runtime error: invalid memory address or nil pointer dereference",
                      functions: ["main", "(*Worker).Run", "(*Worker).process", "(*Store).Reserve"]),
            ]),
        TraceExample(
            name: "net/http logs a recovered handler panic with the goroutine's stack",
            text: """
                2024/03/18 14:02:11 http: panic serving 10.0.3.17:52814: runtime error: index out of range [5] with length 3
                goroutine 7 [running]:
                net/http.(*conn).serve.func1()
                \t/usr/local/go/src/net/http/server.go:1898 +0xbe
                panic({0x6c8a20?, 0xc000016168?})
                \t/usr/local/go/src/runtime/panic.go:770 +0x132
                main.(*Server).handleOrder(0xc000120000, {0x7f3c20, 0xc00012a000}, 0xc000184100)
                \t/app/server.go:123 +0x1d4
                net/http.HandlerFunc.ServeHTTP(0xc000118030?, {0x7f3c20?, 0xc00012a000?}, 0xc000184100?)
                \t/usr/local/go/src/net/http/server.go:2166 +0x29
                net/http.(*ServeMux).ServeHTTP(0x4ad9f9?, {0x7f3c20, 0xc00012a000}, 0xc000184100)
                \t/usr/local/go/src/net/http/server.go:2683 +0x1ad
                net/http.serverHandler.ServeHTTP({0xc00011e0f0?}, {0x7f3c20?, 0xc00012a000?}, 0x6?)
                \t/usr/local/go/src/net/http/server.go:3137 +0x8e
                net/http.(*conn).serve(0xc000192000, {0x7f4a88, 0xc000110a80})
                \t/usr/local/go/src/net/http/server.go:2039 +0x5e8
                created by net/http.(*Server).Serve in goroutine 1
                \t/usr/local/go/src/net/http/server.go:3285 +0x4b4
                """,
            exceptions: [
                .init(type: "panic", value: "runtime error: index out of range [5] with length 3",
                      functions: ["(*Server).Serve", "(*conn).serve", "serverHandler.ServeHTTP",
                                  "(*ServeMux).ServeHTTP", "HandlerFunc.ServeHTTP", "(*Server).handleOrder",
                                  "panic", "(*conn).serve.func1"]),
            ]),
        TraceExample(
            name: "a test's panic recovered and re-raised by the testing package",
            text: """
                --- FAIL: TestReserve (0.00s)
                panic: stock: negative quantity -2 [recovered]
                \tpanic: stock: negative quantity -2

                goroutine 21 [running]:
                testing.tRunner.func1.2({0x5f2c40, 0xc000014290})
                \t/usr/local/go/src/testing/testing.go:1631 +0x24a
                testing.tRunner.func1()
                \t/usr/local/go/src/testing/testing.go:1634 +0x377
                panic({0x5f2c40?, 0xc000014290?})
                \t/usr/local/go/src/runtime/panic.go:770 +0x132
                github.com/acme/inventory/stock.(*Store).Reserve(...)
                \t/app/stock/store.go:54
                github.com/acme/inventory/stock.TestReserve(0xc0000a8820)
                \t/app/stock/store_test.go:19 +0x45
                testing.tRunner(0xc0000a8820, 0x61c8d0)
                \t/usr/local/go/src/testing/testing.go:1689 +0xfb
                created by testing.(*T).Run in goroutine 1
                \t/usr/local/go/src/testing/testing.go:1742 +0x390
                exit status 2
                FAIL\tgithub.com/acme/inventory/stock\t0.006s
                """,
            exceptions: [
                .init(type: "panic", value: "stock: negative quantity -2", frameCount: 0),
                .init(type: "panic", value: "stock: negative quantity -2",
                      functions: ["(*T).Run", "tRunner", "TestReserve", "(*Store).Reserve", "panic",
                                  "tRunner.func1", "tRunner.func1.2"]),
            ]),
        TraceExample(
            name: "deadlock: a fatal error with every goroutine",
            text: """
                fatal error: all goroutines are asleep - deadlock!

                goroutine 1 [chan receive]:
                main.main()
                \t/app/main.go:31 +0x8e

                goroutine 6 [select]:
                github.com/acme/inventory/queue.(*Consumer).loop(0xc00007e000)
                \t/app/queue/consumer.go:77 +0x10c
                created by github.com/acme/inventory/queue.Start in goroutine 1
                \t/app/queue/consumer.go:40 +0x145

                goroutine 7 [sync.Mutex.Lock]:
                sync.runtime_SemacquireMutex(0xc000012108?, 0x0?, 0x1?)
                \t/usr/local/go/src/runtime/sema.go:77 +0x25
                sync.(*Mutex).lockSlow(0xc000012104)
                \t/usr/local/go/src/sync/mutex.go:171 +0x15d
                sync.(*Mutex).Lock(...)
                \t/usr/local/go/src/sync/mutex.go:90
                main.updateCache(...)
                \t/app/cache.go:18
                created by main.main in goroutine 1
                \t/app/main.go:25 +0x6a
                exit status 2
                """,
            exceptions: [
                .init(type: "fatal error", value: "all goroutines are asleep - deadlock!", functions: ["main"]),
            ]),
        TraceExample(
            name: "stack overflow: runtime stack, system traceback header and elided frames",
            text: """
                runtime: goroutine stack exceeds 1000000000-byte limit
                runtime: sp=0xc020160398 stack=[0xc020160000, 0xc040160000]
                fatal error: stack overflow

                runtime stack:
                runtime.throw({0x4a3d35?, 0x5ba880?})
                \t/usr/local/go/src/runtime/panic.go:1023 +0x5c fp=0x7ffd2a4b5f28 sp=0x7ffd2a4b5ef8 pc=0x4377dc
                runtime.newstack()
                \t/usr/local/go/src/runtime/stack.go:1103 +0x5bd fp=0x7ffd2a4b60d8 sp=0x7ffd2a4b5f28 pc=0x452b5d
                runtime.morestack()
                \t/usr/local/go/src/runtime/asm_amd64.s:616 +0x7a fp=0x7ffd2a4b60e0 sp=0x7ffd2a4b60d8 pc=0x46a3fa

                goroutine 1 gp=0xc000002380 m=0 mp=0x5bb0a0 [running]:
                github.com/acme/tree.(*Node).Walk(0xc000010018, 0xc000012090)
                \t/app/tree/node.go:14 +0x49 fp=0xc0201603a8 sp=0xc0201603a0 pc=0x47a109
                github.com/acme/tree.(*Node).Walk(0xc000010018, 0xc000012090)
                \t/app/tree/node.go:15 +0x2f fp=0xc0201603d0 sp=0xc0201603a8 pc=0x47a0ef
                github.com/acme/tree.(*Node).Walk(0xc000010018, 0xc000012090)
                \t/app/tree/node.go:15 +0x2f fp=0xc0201603f8 sp=0xc0201603d0 pc=0x47a0ef
                ...additional frames elided...
                exit status 2
                """,
            exceptions: [
                .init(type: "fatal error", value: "stack overflow",
                      functions: ["(*Node).Walk", "(*Node).Walk", "(*Node).Walk"]),
            ]),
        TraceExample(
            name: "SIGQUIT dump of a hung server",
            text: """
                SIGQUIT: quit
                PC=0x46d1a1 m=0 sigcode=0

                goroutine 0 gp=0x5bb2e0 m=0 mp=0x5bb9e0 [idle]:
                runtime.futex(0x5bbb20, 0x80, 0x0, 0x0, 0x0, 0x0)
                \t/usr/local/go/src/runtime/sys_linux_amd64.s:557 +0x21 fp=0x7ffc6f1d1e70 sp=0x7ffc6f1d1e68 pc=0x46d1a1
                runtime.futexsleep(0x7ffc6f1d1ee8?, 0x43a0f3?, 0x1f9d0b5be?)
                \t/usr/local/go/src/runtime/os_linux.go:69 +0x30 fp=0x7ffc6f1d1ec0 sp=0x7ffc6f1d1e70 pc=0x434c30

                goroutine 1 gp=0xc0000061c0 m=nil [IO wait, 12 minutes]:
                internal/poll.runtime_pollWait(0x7f1c2c5e0e28, 0x72)
                \t/usr/local/go/src/runtime/netpoll.go:345 +0x85 fp=0xc00012fa88 sp=0xc00012fa68 pc=0x462f25
                net/http.(*Server).ListenAndServe(0xc00011e0f0)
                \t/usr/local/go/src/net/http/server.go:3189 +0x7a fp=0xc00012fe30 sp=0xc00012fde0 pc=0x6474da
                main.main()
                \t/app/main.go:44 +0x2b9 fp=0xc00012ff50 sp=0xc00012fe30 pc=0x6a1b59
                """,
            exceptions: [
                .init(type: "SIGQUIT", value: "quit", functions: ["futexsleep", "futex"]),
            ]),
        TraceExample(
            name: "a goroutine dump logged with debug.Stack: a message event with threads",
            text: """
                2024-03-18T14:02:11Z ERROR watchdog: worker stalled for 30s, dumping stack
                goroutine 12 [running]:
                runtime/debug.Stack()
                \t/usr/local/go/src/runtime/debug/stack.go:26 +0x5e
                main.(*Watchdog).check(0xc0000b4000)
                \t/app/watchdog.go:52 +0x8c
                created by main.startWatchdog in goroutine 1
                \t/app/watchdog.go:30 +0x9c
                """,
            exceptions: []),
        TraceExample(
            name: "a stack printed by zap under an error log line",
            text: """
                2024-03-18T14:02:11.123Z\tERROR\tapi/handler.go:88\treserve failed\t{"order": "A-1001", "error": "stock: insufficient quantity"}
                github.com/acme/inventory/api.(*Handler).Reserve
                \t/app/api/handler.go:88
                net/http.HandlerFunc.ServeHTTP
                \t/usr/local/go/src/net/http/server.go:2166
                net/http.(*conn).serve
                \t/usr/local/go/src/net/http/server.go:2039
                """,
            exceptions: []),
    ]
}
