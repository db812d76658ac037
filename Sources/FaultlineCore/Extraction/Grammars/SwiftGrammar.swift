/// Crashes of Swift programs: runtime traps (`Fatal error`, `Precondition failed`, `Assertion failed`), the
/// backtracer of Swift 5.9+ (Linux servers), the `Current stack trace:` of older Linux runtimes, and the
/// thread sections of Apple crash reports.
///
/// ```
/// Swift/ContiguousArrayBuffer.swift:600: Fatal error: Index out of range
/// *** Signal 4: Backtracing from 0x7f3e1c8d5b6e... done ***
///
/// 💣 Program crashed: Illegal instruction at 0x00007f3e1c8d5b6e
///
/// Thread 2 "NIO-ELT-0-#1" crashed:
///
/// 0      0x00007f3e1c8d5b6e _assertionFailure(_:_:file:line:flags:) + 254 in libswiftCore.so
/// 1 [ra] 0x000055b3c7e2a1d4 OrderController.reserve(req:) + 1108 in Inventory at /app/Sources/App/OrderController.swift:42:31
/// ```
///
/// Frame lines read: the backtracer's `N [flags] 0xADDR symbol + offset in image at file:line:column`
/// (flags such as `[ra]`, `[inlined]`, `[system]`, `[thunk]`; symbol, offset and location optional), and
/// the native `N  image  0xADDR symbol + offset (File.swift:12)` of `Current stack trace:` and crash reports.
/// Source context the backtracer prints under a frame (`27│ return URL(string: value!)!`) fills the
/// frame's `contextLine`. Registers, image lists and timing lines are recognised and skipped.
///
/// Decisions:
/// - **Exception type.** The trap's kind as printed (`Fatal error`, `Precondition failed`, `Assertion
///   failed`), `value` its message (an old `: file X, line N` suffix removed). Without a trap message, a
///   crash is typed by its signal name (`SIGSEGV`), from the backtracer's description (`Bad pointer
///   dereference`), its `*** Signal N` line (Linux numbering) or a crash report's `Exception Type`; `value` is
///   the description as printed (`Bad pointer dereference at 0x0000000000000008`) or the exception codes.
///   A crashed thread with no header at all gives `Program crashed`; `module` stays `nil`.
/// - **Frames.** Caller first (Swift prints the crashing frame first). `function` is the symbol as printed
///   (demangled by the backtracer; mangled `$s…` names and `<unavailable>` stay as they are; a bare load
///   address is no function), `package` the image (`libswiftCore.so`, `Inventory`), `filename`/`absPath`,
///   `lineno`, `colno` from the location; `raw` the trimmed frame line.
/// - **Threads.** The crashed thread (`Thread 0 crashed:`, `Thread 0 Crashed:`, a report's `Crashed
///   Thread:`) gives the frames; other threads go to ``ParsedTrace/threads`` with `id` and the thread's name
///   as `state`. Threads printed without any crash or trap are a message event: threads only.
/// - **No backtrace.** A trap with a file (`File.swift:12: Fatal error: …`) and no frames gets that
///   location as its only frame (`function` `nil`).
public final class SwiftGrammar: TraceGrammar {
    public static let runtime = Runtime.swift

    /// A runtime trap message. The backtracer's `*** Signal` and `Program crashed` lines are not starters:
    /// they follow a trap message, and a starter there would cut the message from its backtrace.
    public static let starterPatterns: [String] = [
        #"^(?:[^\s:][^:]*\.swift:\d+: )?(?:Fatal error|Precondition failed|Assertion failed)(?:: |$)"#,
    ]

    /// Lines only a Swift crash prints: a trap with its Swift file, the backtracer's headers and frames,
    /// `Current stack trace:`, a `libswiftCore` or mangled Swift frame, a crash report's crashed thread.
    public static let detectionPattern =
        #"^(?:[^\s:][^:]*\.swift:\d+: (?:Fatal error|Precondition failed|Assertion failed)|(?:💣 |\*\*\* )Program crashed: |\*\*\* Signal \d+: Backtracing from 0x|Current stack trace:\r?$|Thread \d+(?: "[^"]*")? [Cc]rashed:|\d+(?: \[[a-z]+\])*\s+0x[0-9a-fA-F]+ .* in \S+ at .+\.swift(?::\d+)?|\d+\s+(?:libswiftCore\.(?:so|dylib)|\S+\s+0x[0-9a-fA-F]+ \$s))"#

    private static let trapPattern = compile(
        #"^(?:(?<file>[^\s:][^:]*\.swift):(?<line>\d+): )?(?<kind>Fatal error|Precondition failed|Assertion failed)(?:: (?<message>.*?))?(?:: file (?<oldFile>.+?), line (?<oldLine>\d+))?$"#)
    private static let backtracingPattern = compile(#"^\*\*\* Signal (?<number>\d+): Backtracing from 0x[0-9a-fA-F]+.*$"#)
    private static let crashPattern = compile(#"^(?:💣 |\*\*\* )?Program crashed: (?<description>.+?)(?: \*\*\*)?$"#)
    private static let threadPattern = compile(
        #"^Thread (?<id>\d+)(?: "(?<quoted>[^"]*)")?(?<crashed> [Cc]rashed)?:(?::? *(?<label>\S.*))?$"#)
    private static let threadNamePattern = compile(#"^Thread (?<id>\d+) name: +(?<name>.+)$"#)
    private static let backtracerFramePattern = compile(
        #"^(?<index>\d+)(?: \[[a-z]+\])*\s+0x[0-9a-fA-F]+(?: (?<symbol>.+?) \+ \d+| (?<bareSymbol>.+?))? in (?<image>\S+)(?: at (?<file>.+?)(?::(?<line>\d+)(?::(?<column>\d+))?)?)?\s*$"#)
    private static let nativeFramePattern = compile(
        #"^(?<index>\d+)\s+(?<image>\S(?:.*?\S)?)\s+0x[0-9a-fA-F]+ (?<symbol>.+?)(?: \+ \d+)?(?: \((?<file>[^()]+?):(?<line>\d+)\))?\s*$"#)
    private static let sourceContextPattern = compile(#"^\s*(?<number>\d+)?\s*│(?<code>.*)$"#)
    private static let skippedSectionPattern = compile(
        #"^(?:Registers:|Images(?: \(\d+ omitted\))?:|Binary Images:|Thread \d+ crashed with .*Thread State.*:)$"#)
    private static let reportFieldPattern = compile(
        #"^(?<field>Exception Type|Exception Codes|Crashed Thread|Triggered by Thread): +(?<value>.+?)\s*$"#)
    /// Lines around a crash that carry nothing to keep.
    private static let noisePattern = compile(
        #"^(?:\s*done \*\*\*|\.\.\.|Backtrace took \d+(?:\.\d+)?s|(?:Illegal instruction|Segmentation fault|Trace/breakpoint trap|Aborted|Bus error|Floating point exception)(?: \(core dumped\))?)$"#)

    private let trap = Matcher(SwiftGrammar.trapPattern)
    private let backtracing = Matcher(SwiftGrammar.backtracingPattern)
    private let crash = Matcher(SwiftGrammar.crashPattern)
    private let threadHeader = Matcher(SwiftGrammar.threadPattern)
    private let threadName = Matcher(SwiftGrammar.threadNamePattern)
    private let backtracerFrame = Matcher(SwiftGrammar.backtracerFramePattern)
    private let nativeFrame = Matcher(SwiftGrammar.nativeFramePattern)
    private let sourceContext = Matcher(SwiftGrammar.sourceContextPattern)
    private let skippedSection = Matcher(SwiftGrammar.skippedSectionPattern)
    private let reportField = Matcher(SwiftGrammar.reportFieldPattern)
    private let noise = Matcher(SwiftGrammar.noisePattern)

    public init() {}

    /// A thread being read.
    private struct PendingThread {
        var id: String?
        var name: String?
        var crashed: Bool
        /// Frames as printed: the crashing frame first.
        var frames: [Frame] = []

        var framesCallerFirst: [Frame] { frames.reversed() }
    }

    /// Everything read from one record.
    private struct State {
        var trap: ExceptionRecord?
        var trapLocation: Frame?
        var crashDescription: String?
        var signalNumber: Int?
        var reportExceptionType: String?
        var reportExceptionCodes: String?
        var reportCrashedThread: String?
        var sawCurrentStackTrace = false
        var threads: [PendingThread] = []
        var current: PendingThread?
        /// Thread names announced by a crash report's `Thread N name:` line.
        var announcedNames: [String: String] = [:]
        var skipping = false
        var unparsed: [Int] = []
        var traceStart: Int?

        mutating func startTrace(at index: Int) {
            if traceStart == nil { traceStart = index }
        }

        mutating func open(_ thread: PendingThread) {
            closeThread()
            current = thread
            skipping = false
        }

        mutating func closeThread() {
            if let thread = current { threads.append(thread) }
            current = nil
        }
    }

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? {
        var state = State()
        for (index, line) in lines.enumerated() {
            let text = line.text.hasSuffix("\r") ? String(line.text.dropLast()) : line.text
            read(text, number: line.number, at: index, into: &state)
        }
        state.closeThread()
        return assemble(state)
    }

    private func read(_ text: String, number: Int, at index: Int, into state: inout State) {
        if text.allSatisfy(\.isWhitespace) { return }
        if let match = Self.match(trap, text), let kind = match["kind"] {
            state.startTrace(at: index)
            if state.trap == nil {
                let message = match["message"].flatMap { $0.isEmpty ? nil : $0 }
                state.trap = ExceptionRecord(type: kind, value: message)
                let file = match["file"] ?? match["oldFile"]
                let line = (match["line"] ?? match["oldLine"]).flatMap { Int($0) }
                state.trapLocation = file.map {
                    Frame(filename: $0, absPath: GrammarText.isAbsolutePath($0) ? $0 : nil, lineno: line, raw: GrammarText.trimmed(text))
                }
            }
            return
        }
        if let number = Self.match(backtracing, text)?["number"] {
            state.startTrace(at: index)
            state.signalNumber = Int(number)
            return
        }
        if let description = Self.match(crash, text)?["description"] {
            state.startTrace(at: index)
            state.crashDescription = description
            return
        }
        if let match = Self.match(threadHeader, text), let id = match["id"] {
            state.startTrace(at: index)
            let name = match["quoted"] ?? match["label"] ?? state.announcedNames[id]
            state.open(PendingThread(id: id, name: name, crashed: match["crashed"] != nil))
            return
        }
        if let match = Self.match(threadName, text), let id = match["id"] {
            state.announcedNames[id] = match["name"]
            return
        }
        if text == "Current stack trace:" {
            state.startTrace(at: index)
            state.sawCurrentStackTrace = true
            state.open(PendingThread(crashed: true))
            return
        }
        if Self.match(skippedSection, text) != nil {
            state.closeThread()
            state.skipping = true
            return
        }
        if let match = Self.match(reportField, text), let field = match["field"], let value = match["value"] {
            state.startTrace(at: index)
            switch field {
            case "Exception Type": state.reportExceptionType = value
            case "Exception Codes": state.reportExceptionCodes = value
            default: state.reportCrashedThread = String(value.prefix { $0.isNumber })
            }
            return
        }
        if state.skipping || Self.match(noise, text) != nil { return }

        if let frame = readFrame(text) {
            if state.current == nil {
                // Frames whose thread header was lost.
                state.startTrace(at: index)
                state.open(PendingThread(crashed: false))
            }
            state.current?.frames.append(frame)
            return
        }
        if let match = Self.match(sourceContext, text) {
            if let line = match["number"].flatMap({ Int($0) }), let last = state.current?.frames.indices.last,
               state.current?.frames[last].lineno == line {
                state.current?.frames[last].contextLine = GrammarText.trimmed(match["code"] ?? "")
            }
            return
        }
        // A numbered line in a thread that is no frame: a frame the patterns could not read.
        if state.current != nil, Self.isNumbered(text) { state.unparsed.append(number) }
    }

    /// Whether a line starts with a number and whitespace, as every frame line does.
    private static func isNumbered(_ text: String) -> Bool {
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        return !digits.isEmpty && text.dropFirst(digits.count).first?.isWhitespace == true
    }

    private func readFrame(_ text: String) -> Frame? {
        if let match = Self.match(backtracerFrame, text) {
            let file = match["file"]
            return Frame(function: match["symbol"] ?? match["bareSymbol"], package: match["image"], filename: file,
                         absPath: file.flatMap { GrammarText.isAbsolutePath($0) ? $0 : nil },
                         lineno: match["line"].flatMap { Int($0) }, colno: match["column"].flatMap { Int($0) },
                         raw: GrammarText.trimmed(text))
        }
        if let match = Self.match(nativeFrame, text) {
            let symbol = match["symbol"]
            let image = match["image"]
            return Frame(function: symbol.flatMap { $0.hasPrefix("0x") ? nil : $0 },
                         package: image == "???" ? nil : image, filename: match["file"],
                         lineno: match["line"].flatMap { Int($0) }, raw: GrammarText.trimmed(text))
        }
        return nil
    }

    private func assemble(_ state: State) -> ParsedTrace? {
        guard let traceStart = state.traceStart else { return nil }
        let crashedIndex = state.threads.firstIndex { $0.crashed }
            ?? state.reportCrashedThread.flatMap { id in state.threads.firstIndex { $0.id == id } }

        var exception = state.trap
        if exception == nil, let type = Self.signalName(state) {
            exception = ExceptionRecord(type: type, value: state.crashDescription ?? state.reportExceptionCodes)
        }
        if exception == nil, crashedIndex != nil {
            exception = ExceptionRecord(type: state.sawCurrentStackTrace ? "Fatal error" : "Program crashed")
        }
        guard var exception else {
            if state.threads.isEmpty { return nil }
            return ParsedTrace(runtime: .swift, exceptions: [], threads: state.threads.map(Self.threadStack),
                               unparsedLines: state.unparsed, firstTraceLine: traceStart)
        }

        // A crash or trap without a thread marked crashed: the first thread printed crashed.
        let crashing = crashedIndex ?? (state.threads.isEmpty ? nil : 0)
        if let crashing { exception.frames = state.threads[crashing].framesCallerFirst }
        if exception.frames.isEmpty, let location = state.trapLocation { exception.frames = [location] }
        let others = state.threads.indices.filter { $0 != crashing }.map { Self.threadStack(state.threads[$0]) }
        return ParsedTrace(runtime: .swift, exceptions: [exception], threads: others, unparsedLines: state.unparsed,
                           firstTraceLine: traceStart)
    }

    /// The signal name of a crash without a trap message, if the record names the crash at all.
    private static func signalName(_ state: State) -> String? {
        if let description = state.crashDescription {
            return signalByDescription.first { description.hasPrefix($0.description) }?.signal
                ?? state.signalNumber.flatMap { signalByNumber[$0] } ?? "Program crashed"
        }
        if let number = state.signalNumber { return signalByNumber[number] ?? "Program crashed" }
        if let type = state.reportExceptionType {
            // `EXC_BAD_ACCESS (SIGSEGV)` → `SIGSEGV`; `SIGSEGV` stays.
            if let open = type.firstIndex(of: "("), let close = type.lastIndex(of: ")"), open < close {
                return String(type[type.index(after: open)..<close])
            }
            return type
        }
        return nil
    }

    /// The backtracer's crash descriptions.
    private static let signalByDescription: [(description: String, signal: String)] = [
        ("Bad pointer dereference", "SIGSEGV"), ("Illegal instruction", "SIGILL"), ("Aborted", "SIGABRT"),
        ("Bus error", "SIGBUS"), ("Floating point exception", "SIGFPE"), ("System trap", "SIGTRAP"),
        ("Terminated", "SIGQUIT"),
    ]

    /// Linux signal numbers of the crashes the Swift runtime backtraces.
    private static let signalByNumber: [Int: String] = [
        3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE", 11: "SIGSEGV", 31: "SIGSYS",
    ]

    private static func threadStack(_ thread: PendingThread) -> ThreadStack {
        ThreadStack(id: thread.id, state: thread.name, frames: thread.framesCallerFirst, crashed: false)
    }

    private static func match(_ matcher: Matcher, _ text: String) -> StringMatch? {
        (try? matcher.firstMatch(in: text)) ?? nil
    }


}

// MARK: - Examples

extension SwiftGrammar {
    public static let examples: [TraceExample] = [
        TraceExample(
            name: "index out of range in a Vapor server, Swift 5.9+ backtracer on Linux",
            text: """
                Swift/ContiguousArrayBuffer.swift:600: Fatal error: Index out of range
                *** Signal 4: Backtracing from 0x7f3e1c8d5b6e... done ***

                💣 Program crashed: Illegal instruction at 0x00007f3e1c8d5b6e

                Thread 2 "NIO-ELT-0-#1" crashed:

                0      0x00007f3e1c8d5b6e _assertionFailure(_:_:file:line:flags:) + 254 in libswiftCore.so
                1 [ra] 0x00007f3e1ca6c7a1 specialized Array._checkSubscript(_:wasNativeTypeChecked:) + 48 in libswiftCore.so
                2 [ra] 0x000055b3c7e2a1d4 OrderController.reserve(req:) + 1108 in Inventory at /app/Sources/App/Controllers/OrderController.swift:42:31
                3 [ra] 0x000055b3c7e2b3f0 closure #1 in OrderController.boot(routes:) + 64 in Inventory at /app/Sources/App/Controllers/OrderController.swift:12:52
                4 [ra] [thunk] 0x000055b3c7e2b4a9 thunk for @escaping @callee_guaranteed (@guaranteed Request) -> (@owned EventLoopFuture<Response>, @error @owned Error) + 25 in Inventory at /app/<compiler-generated>
                5 [ra] 0x000055b3c81a02c4 closure #1 in BasicResponder.respond(to:) + 180 in Inventory at /app/.build/checkouts/vapor/Sources/Vapor/Responder/BasicResponder.swift:15:40
                ...

                Registers:

                rax 0x0000000000000000  0
                rdx 0x00007f3e0c0010a0  0x00007f3e0c0010a0
                rip 0x00007f3e1c8d5b6e  _assertionFailure(_:_:file:line:flags:) + 254 in libswiftCore.so

                Images (42 omitted):

                0x000055b3c7d3f000–0x000055b3c8a6b2c8 7d3c9b0a1e5f4c2d8a6b7e9f0c1d2e3f4a5b6c7d Inventory /app/Inventory

                Backtrace took 0.31s

                Illegal instruction (core dumped)
                """,
            exceptions: [
                .init(type: "Fatal error", value: "Index out of range",
                      functions: [
                          "closure #1 in BasicResponder.respond(to:)",
                          "thunk for @escaping @callee_guaranteed (@guaranteed Request) -> (@owned EventLoopFuture<Response>, @error @owned Error)",
                          "closure #1 in OrderController.boot(routes:)", "OrderController.reserve(req:)",
                          "specialized Array._checkSubscript(_:wasNativeTypeChecked:)",
                          "_assertionFailure(_:_:file:line:flags:)",
                      ]),
            ]),
        TraceExample(
            name: "a bad pointer dereference with every thread (no emoji, threads=all)",
            text: """
                *** Signal 11: Backtracing from 0x55d5a1c8e1a4... done ***

                *** Program crashed: Bad pointer dereference at 0x0000000000000008 ***

                Thread 0 "main" crashed:

                0 0x000055d5a1c8e1a4 StockCache.lookup(_:) + 20 in inventory-worker at /app/Sources/Worker/StockCache.swift:57:21
                1 [ra] 0x000055d5a1c8e2b9 Worker.run() + 121 in inventory-worker at /app/Sources/Worker/Worker.swift:33:9
                2 [ra] [system] 0x000055d5a1c8e2e9 static Main.$main() + 41 in inventory-worker at /app/Sources/Worker/Main.swift:8:5
                3 [ra] [system] 0x000055d5a1c8e3b9 main + 9 in inventory-worker at /app/Sources/Worker/Main.swift
                4 [ra] [system] 0x00007f5b5a029d90 __libc_start_call_main + 128 in libc.so.6 at ./csu/../sysdeps/nptl/libc_start_call_main.h:58:16

                Thread 1 "NIOThreadPool-1":

                0      0x00007f5b5a091117 __futex_abstimed_wait_common + 199 in libc.so.6 at ./nptl/futex-internal.c:103:30
                1 [ra] 0x00007f5b5a093a41 pthread_cond_wait@@GLIBC_2.3.2 + 545 in libc.so.6 at ./nptl/pthread_cond_wait.c:627:27
                2 [ra] 0x000055d5a1d0c8f2 NIOThreadPool.process(identifier:) + 402 in inventory-worker at /app/.build/checkouts/swift-nio/Sources/NIOPosix/NIOThreadPool.swift:216:27

                Backtrace took 0.54s
                """,
            exceptions: [
                .init(type: "SIGSEGV", value: "Bad pointer dereference at 0x0000000000000008",
                      functions: ["__libc_start_call_main", "main", "static Main.$main()", "Worker.run()",
                                  "StockCache.lookup(_:)"]),
            ]),
        TraceExample(
            name: "unwrapping nil, with an inlined frame and the backtracer's source context",
            text: """
                App/Config.swift:27: Fatal error: Unexpectedly found nil while unwrapping an Optional value

                💣 Program crashed: System trap at 0x000055f0c2b1e6a4

                Thread 0 "main" crashed:

                0 [inlined] 0x000055f0c2b1e6a4 Config.databaseURL.getter in App at /src/Sources/App/Config.swift:27:49

                    25│     var databaseURL: URL {
                    26│         let value = Environment.get("DATABASE_URL")
                    27│         return URL(string: value!)!
                      │                                                 ▲
                    28│     }

                1 [ra] 0x000055f0c2b1e9c0 configure(_:) + 96 in App at /src/Sources/App/configure.swift:14:22
                2 [ra] [system] 0x000055f0c2b1f1e8 static Entrypoint.main() + 312 in App at /src/Sources/App/entrypoint.swift:30:13
                """,
            exceptions: [
                .init(type: "Fatal error", value: "Unexpectedly found nil while unwrapping an Optional value",
                      functions: ["static Entrypoint.main()", "configure(_:)", "Config.databaseURL.getter"]),
            ]),
        TraceExample(
            name: "Current stack trace: of Swift 5.x runtimes on Linux, mangled names",
            text: """
                Fatal error: Unexpectedly found nil while unwrapping an Optional value: file App/OrderService.swift, line 88
                Current stack trace:
                0    libswiftCore.so                    0x00007f0e7f6f7ec0 swift_reportError + 50
                1    libswiftCore.so                    0x00007f0e7f769f60 _swift_stdlib_reportFatalErrorInFile + 115
                2    libswiftCore.so                    0x00007f0e7f45d08e <unavailable> + 1384590
                3    libswiftCore.so                    0x00007f0e7f45c6c0 _assertionFailure(_:_:file:line:flags:) + 520
                4    Run                                0x000055d4b26a3f1c $s3App12OrderServiceC7reserve2idySS_tKF + 1212
                5    Run                                0x000055d4b26a2c01 $s3App15OrderControllerC7reserveyAA5OrderCSg5Vapor7RequestCKF + 321
                6    Run                                0x000055d4b2640a8d $s4main4mainyyKF + 77
                7    libc.so.6                          0x00007f0e7e9c8bf7 __libc_start_main + 231
                8    Run                                0x000055d4b2640b5a <unavailable> + 1247066
                Illegal instruction (core dumped)
                """,
            exceptions: [
                .init(type: "Fatal error", value: "Unexpectedly found nil while unwrapping an Optional value",
                      functions: [
                          "<unavailable>", "__libc_start_main", "$s4main4mainyyKF",
                          "$s3App15OrderControllerC7reserveyAA5OrderCSg5Vapor7RequestCKF",
                          "$s3App12OrderServiceC7reserve2idySS_tKF", "_assertionFailure(_:_:file:line:flags:)",
                          "<unavailable>", "_swift_stdlib_reportFatalErrorInFile", "swift_reportError",
                      ]),
            ]),
        TraceExample(
            name: "a precondition failure without a backtrace",
            text: """
                App/Models/Stock.swift:31: Precondition failed: quantity must not be negative
                Trace/breakpoint trap (core dumped)
                """,
            exceptions: [.init(type: "Precondition failed", value: "quantity must not be negative", frameCount: 1)]),
        TraceExample(
            name: "the crashed thread of an Apple crash report",
            text: """
                Exception Type:  EXC_BREAKPOINT (SIGTRAP)
                Exception Codes: 0x0000000000000001, 0x00000001a3b9c8f8
                Termination Reason: SIGNAL 5 Trace/BPT trap: 5
                Triggered by Thread:  0

                Thread 0 name:   Dispatch queue: com.apple.main-thread
                Thread 0 Crashed:
                0   libswiftCore.dylib            \t0x00000001a3b9c8f8 $ss17_assertionFailure__4file4line5flagss5NeverOs12StaticStringV_SSAHSus6UInt32VtF + 444
                1   Inventory                     \t0x0000000102f8a3c4 OrderViewController.reserve(_:) + 1220 (OrderViewController.swift:88)
                2   Inventory                     \t0x0000000102f8a7d0 @objc OrderViewController.reserve(_:) + 60
                3   UIKitCore                     \t0x00000001a0d6a2b4 -[UIApplication sendAction:to:from:forEvent:] + 96

                Thread 1:
                0   libsystem_pthread.dylib       \t0x00000001f0a7e9f0 start_wqthread + 0
                """,
            exceptions: [
                .init(type: "SIGTRAP", value: "0x0000000000000001, 0x00000001a3b9c8f8",
                      functions: [
                          "-[UIApplication sendAction:to:from:forEvent:]", "@objc OrderViewController.reserve(_:)",
                          "OrderViewController.reserve(_:)",
                          "$ss17_assertionFailure__4file4line5flagss5NeverOs12StaticStringV_SSAHSus6UInt32VtF",
                      ]),
            ]),
    ]
}
