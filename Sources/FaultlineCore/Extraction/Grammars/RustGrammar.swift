/// Panics printed by the Rust standard library's panic hook, with or without a backtrace.
///
/// ```
/// thread 'main' panicked at src/main.rs:4:20:
/// index out of bounds: the len is 3 but the index is 7
/// stack backtrace:
///    0: rust_begin_unwind
///              at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/std/src/panicking.rs:665:5
///    1: inventory::main
///              at ./src/main.rs:4:20
/// note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.
/// ```
///
/// Read: the header of Rust ≥ 1.73 (`panicked at file:line:col:` then the message on the following lines,
/// up to a `note:`, `stack backtrace:` or blank line), with the thread id newer releases print
/// (`thread 'main' (12345) panicked at`); the older one-line header (`panicked at 'message', file:line:col`)
/// and its multi-line form; short backtraces (`RUST_BACKTRACE=1`) and full ones (addresses, symbol hashes);
/// inlined frames (an unnumbered symbol line under a numbered one); `thread '…' has overflowed its stack`
/// and `fatal runtime error: …`.
///
/// Decisions:
/// - **Exception.** Type `panic` (as the Sentry Rust SDK reports panics), `value` the message, lines joined
///   by `\n`; `module` `nil`. A stack overflow or other abort is type `fatal runtime error` with its message.
///   Several panics in one record (a panic while unwinding another) are a chain, oldest first, the earlier
///   ones with relation `context`. A `stack backtrace:` without a header gives a `panic` with no value.
/// - **Frames.** Caller first (Rust prints the innermost frame first). `function` is the symbol without the
///   `::h0123456789abcdef` hash (`raw` keeps it); `filename` the path of the `at` line as printed, `absPath`
///   the same when it is absolute, `lineno`/`colno` from it; `module` and `package` stay `nil` (the symbol
///   path is in `function`, as the Sentry Rust SDK sends it). An inlined frame is a frame of its own.
///   `raw` is the trimmed symbol line and the trimmed `at` line joined by `\n`.
/// - **No backtrace.** Without `RUST_BACKTRACE`, the panic location of the header becomes the only frame
///   (`function` `nil`), so grouping still has the file and line.
public final class RustGrammar: TraceGrammar {
    public static let runtime = Runtime.rust

    public static let starterPatterns: [String] = [
        #"^thread '[^']*'(?: \([^)]*\))? panicked at "#,
        #"^thread '[^']*'(?: \([^)]*\))? has overflowed its stack$"#,
    ]

    /// A panic header, an `at /rustc/<commit>/` line, or a numbered frame of the panic machinery.
    public static let detectionPattern =
        #"^(?:thread '[^']*'(?: \([^)]*\))? (?:panicked at |has overflowed its stack)|\s+at /rustc/[0-9a-f]{40}/|\s*\d+: +(?:0x[0-9a-f]+ - )?(?:rust_begin_unwind|core::panicking::|std::panicking::|__rust_))"#

    private static let threadPrefix = #"^thread '(?<thread>[^']*)'(?: \([^)]*\))? "#
    private static let headerPattern = compile(
        threadPrefix + #"panicked at (?<file>.+?):(?<line>\d+):(?<column>\d+):$"#)
    private static let quotedHeaderPattern = compile(
        threadPrefix + #"panicked at '(?<message>.*)', (?<file>[^',]+?):(?<line>\d+)(?::(?<column>\d+))?$"#)
    private static let openQuotedHeaderPattern = compile(threadPrefix + #"panicked at '(?<message>.*)$"#)
    private static let quotedMessageEndPattern = compile(
        #"^(?<message>.*)', (?<file>[^',]+?):(?<line>\d+)(?::(?<column>\d+))?$"#)
    private static let overflowPattern = compile(threadPrefix + #"has overflowed its stack$"#)
    private static let fatalRuntimeErrorPattern = compile(#"^fatal runtime error: (?<message>.+)$"#)
    private static let framePattern = compile(
        #"^\s*(?<index>\d+):\s+(?:0x[0-9a-fA-F]+ - )?(?<symbol>\S.*?)\s*$"#)
    private static let inlinedFramePattern = compile(#"^\s{6,}(?!at )(?<symbol>\S.*?)\s*$"#)
    private static let locationPattern = compile(
        #"^\s+at (?<file>.+?)(?::(?<line>\d+)(?::(?<column>\d+))?)?\s*$"#)
    private static let hashPattern = compile(#"::h[0-9a-f]{16}$"#)
    /// A single token on its own line inside a backtrace (`(end_short_backtrace)`): a frame that did not parse.
    private static let symbolLikePattern = compile(#"^[(<]?[\w:<>{}$.]+[)>]?$"#)
    /// Lines around a panic that carry nothing to keep.
    private static let noisePattern = compile(
        #"^(?:note: .*|thread caused non-unwinding panic\. aborting\.|Aborted(?: \(core dumped\))?|error: process didn't exit successfully: .*)$"#)

    private let header = Matcher(RustGrammar.headerPattern)
    private let quotedHeader = Matcher(RustGrammar.quotedHeaderPattern)
    private let openQuotedHeader = Matcher(RustGrammar.openQuotedHeaderPattern)
    private let quotedMessageEnd = Matcher(RustGrammar.quotedMessageEndPattern)
    private let overflow = Matcher(RustGrammar.overflowPattern)
    private let fatalRuntimeError = Matcher(RustGrammar.fatalRuntimeErrorPattern)
    private let frameLine = Matcher(RustGrammar.framePattern)
    private let inlinedFrameLine = Matcher(RustGrammar.inlinedFramePattern)
    private let locationLine = Matcher(RustGrammar.locationPattern)
    private let hash = Matcher(RustGrammar.hashPattern)
    private let symbolLike = Matcher(RustGrammar.symbolLikePattern)
    private let noise = Matcher(RustGrammar.noisePattern)

    public init() {}

    /// A panic being read.
    private struct PendingPanic {
        var type: String
        var messageLines: [String] = []
        /// The header's panic location, used as the frame when no backtrace is printed.
        var location: Frame?
        /// Frames as printed: the innermost first.
        var frames: [Frame] = []

        var record: ExceptionRecord {
            let value = messageLines.isEmpty ? nil : messageLines.joined(separator: "\n")
            let callerFirst = frames.isEmpty ? (location.map { [$0] } ?? []) : frames.reversed()
            return ExceptionRecord(type: type, value: value, frames: callerFirst)
        }
    }

    private enum Mode {
        case outside
        /// Reading the message lines after a Rust ≥ 1.73 header.
        case message
        /// Inside an old-style quoted message that spans lines.
        case quotedMessage
        case backtrace
    }

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? {
        var panics: [PendingPanic] = []
        var unparsed: [Int] = []
        var traceStart: Int?
        var mode = Mode.outside

        func begin(_ panic: PendingPanic, at index: Int) {
            panics.append(panic)
            if traceStart == nil { traceStart = index }
        }

        for (index, line) in lines.enumerated() {
            let text = line.text.hasSuffix("\r") ? String(line.text.dropLast()) : line.text

            if mode == .quotedMessage {
                if let match = Self.match(quotedMessageEnd, text) {
                    panics[panics.count - 1].messageLines.append(match["message"] ?? "")
                    panics[panics.count - 1].location = Self.location(match, raw: text)
                    mode = .outside
                } else {
                    panics[panics.count - 1].messageLines.append(text)
                }
                continue
            }

            if let match = Self.match(header, text) {
                begin(PendingPanic(type: "panic", location: Self.location(match, raw: text)), at: index)
                mode = .message
                continue
            }
            if let match = Self.match(quotedHeader, text) {
                begin(PendingPanic(type: "panic", messageLines: [match["message"] ?? ""],
                                   location: Self.location(match, raw: text)), at: index)
                mode = .outside
                continue
            }
            if let match = Self.match(openQuotedHeader, text) {
                begin(PendingPanic(type: "panic", messageLines: [match["message"] ?? ""]), at: index)
                mode = .quotedMessage
                continue
            }
            if Self.match(overflow, text) != nil {
                begin(PendingPanic(type: "fatal runtime error", messageLines: ["stack overflow"]), at: index)
                mode = .outside
                continue
            }
            if let message = Self.match(fatalRuntimeError, text)?["message"] {
                // `has overflowed its stack` is followed by `fatal runtime error: stack overflow`: one error.
                if let last = panics.last, last.type == "fatal runtime error", last.messageLines == [message] {
                    continue
                }
                begin(PendingPanic(type: "fatal runtime error", messageLines: [message]), at: index)
                mode = .outside
                continue
            }
            if text == "stack backtrace:" {
                if panics.isEmpty { begin(PendingPanic(type: "panic"), at: index) }
                mode = .backtrace
                continue
            }
            if Self.match(noise, text) != nil, traceStart != nil {
                mode = .outside
                continue
            }

            switch mode {
            case .message:
                if text.allSatisfy(\.isWhitespace) {
                    mode = .outside
                } else {
                    panics[panics.count - 1].messageLines.append(text)
                }

            case .backtrace:
                if let symbol = Self.match(frameLine, text)?["symbol"] ?? Self.match(inlinedFrameLine, text)?["symbol"] {
                    panics[panics.count - 1].frames.append(Frame(function: functionName(symbol), raw: GrammarText.trimmed(text)))
                } else if let match = Self.match(locationLine, text) {
                    // The `at` line of the last frame; a second one, or one before any frame, is not.
                    let frames = panics[panics.count - 1].frames
                    if let last = frames.indices.last, frames[last].filename == nil {
                        Self.fill(&panics[panics.count - 1].frames[last], from: match, raw: text)
                    } else {
                        unparsed.append(line.number)
                    }
                } else if text.allSatisfy(\.isWhitespace) {
                    mode = .outside
                } else if text.first?.isWhitespace == true || Self.match(symbolLike, text) != nil {
                    unparsed.append(line.number)
                } else {
                    mode = .outside
                }

            case .outside, .quotedMessage:
                // Frame lines outside a backtrace: a backtrace whose `stack backtrace:` line was lost.
                if traceStart != nil, Self.match(frameLine, text) != nil || Self.match(locationLine, text) != nil {
                    unparsed.append(line.number)
                }
            }
        }

        guard let traceStart, !panics.isEmpty else { return nil }
        var exceptions = panics.map(\.record)
        for index in exceptions.indices.dropLast() { exceptions[index].relation = "context" }
        return ParsedTrace(runtime: .rust, exceptions: exceptions, unparsedLines: unparsed, firstTraceLine: traceStart)
    }

    /// The symbol without its `::h<16 hex>` hash.
    private func functionName(_ symbol: String) -> String {
        guard let range = Self.match(hash, symbol)?.match.range else { return symbol }
        return String(decoding: Array(symbol.utf8)[..<range.lowerBound], as: UTF8.self)
    }

    private static func match(_ matcher: Matcher, _ text: String) -> StringMatch? {
        (try? matcher.firstMatch(in: text)) ?? nil
    }

    /// The header's panic location as a frame without a function.
    private static func location(_ match: StringMatch, raw: String) -> Frame? {
        guard let file = match["file"] else { return nil }
        return Frame(filename: file, absPath: GrammarText.isAbsolutePath(file) ? file : nil, lineno: match["line"].flatMap { Int($0) },
                     colno: match["column"].flatMap { Int($0) }, raw: GrammarText.trimmed(raw))
    }

    private static func fill(_ frame: inout Frame, from match: StringMatch, raw: String) {
        guard let file = match["file"] else { return }
        frame.filename = file
        frame.absPath = GrammarText.isAbsolutePath(file) ? file : nil
        frame.lineno = match["line"].flatMap { Int($0) }
        frame.colno = match["column"].flatMap { Int($0) }
        frame.raw += "\n" + GrammarText.trimmed(raw)
    }


}

// MARK: - Examples

extension RustGrammar {
    public static let examples: [TraceExample] = [
        TraceExample(
            name: "unwrap on None without a backtrace (Rust ≥ 1.73)",
            text: """
                thread 'main' panicked at src/config.rs:42:38:
                called `Option::unwrap()` on a `None` value
                note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
                """,
            exceptions: [
                .init(type: "panic", value: "called `Option::unwrap()` on a `None` value", frameCount: 1),
            ]),
        TraceExample(
            name: "index out of bounds with a short backtrace (RUST_BACKTRACE=1)",
            text: """
                thread 'main' panicked at src/main.rs:4:20:
                index out of bounds: the len is 3 but the index is 7
                stack backtrace:
                   0: rust_begin_unwind
                             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/std/src/panicking.rs:665:5
                   1: core::panicking::panic_fmt
                             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/core/src/panicking.rs:74:14
                   2: core::panicking::panic_bounds_check
                             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/core/src/panicking.rs:276:5
                   3: <usize as core::slice::index::SliceIndex<[T]>>::index
                             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/core/src/slice/index.rs:302:10
                   4: core::slice::index::<impl core::ops::index::Index<I> for [T]>::index
                             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/core/src/slice/index.rs:16:9
                   5: <alloc::vec::Vec<T,A> as core::ops::index::Index<I>>::index
                             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/alloc/src/vec/mod.rs:3361:9
                   6: inventory::pick_slot
                             at ./src/main.rs:4:20
                   7: inventory::main
                             at ./src/main.rs:9:5
                   8: core::ops::function::FnOnce::call_once
                             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/core/src/ops/function.rs:250:5
                note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.
                """,
            exceptions: [
                .init(type: "panic", value: "index out of bounds: the len is 3 but the index is 7",
                      functions: [
                          "core::ops::function::FnOnce::call_once", "inventory::main", "inventory::pick_slot",
                          "<alloc::vec::Vec<T,A> as core::ops::index::Index<I>>::index",
                          "core::slice::index::<impl core::ops::index::Index<I> for [T]>::index",
                          "<usize as core::slice::index::SliceIndex<[T]>>::index",
                          "core::panicking::panic_bounds_check", "core::panicking::panic_fmt", "rust_begin_unwind",
                      ]),
            ]),
        TraceExample(
            name: "a tokio worker's panic with an inlined frame and a thread id",
            text: """
                2024-03-18T14:02:11.482Z  INFO inventory::api: reserving order_id=A-1001
                thread 'tokio-runtime-worker' (48213) panicked at src/handlers/orders.rs:88:37:
                called `Result::unwrap()` on an `Err` value: Database(PgDatabaseError { severity: Error, code: "23505", message: "duplicate key value violates unique constraint \\"orders_pkey\\"" })
                stack backtrace:
                   0: rust_begin_unwind
                             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/std/src/panicking.rs:665:5
                   1: core::panicking::panic_fmt
                             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/core/src/panicking.rs:74:14
                   2: core::result::unwrap_failed
                             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/core/src/result.rs:1700:5
                   3: inventory::handlers::orders::reserve::{{closure}}
                             at ./src/handlers/orders.rs:88:37
                   4: tokio::runtime::task::core::Core<T,S>::poll::{{closure}}
                             at /usr/local/cargo/registry/src/index.crates.io-6f17d22bba15001f/tokio-1.37.0/src/runtime/task/core.rs:328:17
                      tokio::loom::std::unsafe_cell::UnsafeCell<T>::with_mut
                             at /usr/local/cargo/registry/src/index.crates.io-6f17d22bba15001f/tokio-1.37.0/src/loom/std/unsafe_cell.rs:16:9
                   5: std::sys::backtrace::__rust_begin_short_backtrace
                             at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/std/src/sys/backtrace.rs:154:18
                note: Some details are omitted, run with `RUST_BACKTRACE=full` for a verbose backtrace.
                """,
            exceptions: [
                .init(type: "panic",
                      value: #"called `Result::unwrap()` on an `Err` value: Database(PgDatabaseError { severity: Error, code: "23505", message: "duplicate key value violates unique constraint \"orders_pkey\"" })"#,
                      functions: [
                          "std::sys::backtrace::__rust_begin_short_backtrace",
                          "tokio::loom::std::unsafe_cell::UnsafeCell<T>::with_mut",
                          "tokio::runtime::task::core::Core<T,S>::poll::{{closure}}",
                          "inventory::handlers::orders::reserve::{{closure}}",
                          "core::result::unwrap_failed", "core::panicking::panic_fmt", "rust_begin_unwind",
                      ]),
            ]),
        TraceExample(
            name: "a full backtrace (RUST_BACKTRACE=full): addresses and symbol hashes",
            text: """
                thread 'main' panicked at src/main.rs:12:5:
                stock underflow for sku 4711
                stack backtrace:
                   0:     0x55d0c3b4e4a3 - std::backtrace_rs::backtrace::libunwind::trace::h5d3d8f8e2c2a1b3c
                                               at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/std/src/../../backtrace/src/backtrace/libunwind.rs:116:5
                   1:     0x55d0c3b4e4a3 - std::backtrace_rs::backtrace::trace_unsynchronized::h2f0c5e1e9b4b4a7d
                                               at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/std/src/../../backtrace/src/backtrace/mod.rs:66:5
                   2:     0x55d0c3b6a1f2 - core::panicking::panic_fmt::h3a7d9c2f1e8b4d60
                                               at /rustc/90b35a6239c3d8bdabc530a6a0816f7ff89a0aaf/library/core/src/panicking.rs:74:14
                   3:     0x55d0c3b2f0e1 - inventory::stock::Stock::take::h9c41e0f2a6d3b857
                                               at /app/src/stock.rs:31:13
                                           inventory::stock::Stock::take_checked::h77aa01be23c4d5e6
                                               at /app/src/stock.rs:22:9
                   4:     0x55d0c3b2f3c8 - inventory::main::h1a2b3c4d5e6f7a8b
                                               at /app/src/main.rs:12:5
                   5:     0x7f1e2c829d90 - __libc_start_call_main
                   6:     0x7f1e2c829e40 - __libc_start_main_impl
                   7:     0x55d0c3b2e845 - _start
                   8:                0x0 - <unknown>
                """,
            exceptions: [
                .init(type: "panic", value: "stock underflow for sku 4711",
                      functions: [
                          "<unknown>", "_start", "__libc_start_main_impl", "__libc_start_call_main", "inventory::main",
                          "inventory::stock::Stock::take_checked", "inventory::stock::Stock::take",
                          "core::panicking::panic_fmt", "std::backtrace_rs::backtrace::trace_unsynchronized",
                          "std::backtrace_rs::backtrace::libunwind::trace",
                      ]),
            ]),
        TraceExample(
            name: "the one-line header of Rust before 1.73",
            text: """
                thread 'main' panicked at 'called `Result::unwrap()` on an `Err` value: Os { code: 2, kind: NotFound, message: "No such file or directory" }', src/main.rs:5:37
                note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
                """,
            exceptions: [
                .init(type: "panic",
                      value: #"called `Result::unwrap()` on an `Err` value: Os { code: 2, kind: NotFound, message: "No such file or directory" }"#,
                      frameCount: 1),
            ]),
        TraceExample(
            name: "a multi-line assertion message in the old quoted header",
            text: """
                thread 'orders::tests::totals' panicked at 'assertion failed: `(left == right)`
                  left: `1200`,
                 right: `1250`', src/orders.rs:210:9
                note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
                """,
            exceptions: [
                .init(type: "panic", value: "assertion failed: `(left == right)`\n  left: `1200`,\n right: `1250`",
                      frameCount: 1),
            ]),
        TraceExample(
            name: "a multi-line assertion message after the new header",
            text: """
                thread 'orders::tests::refunds' panicked at src/orders.rs:231:9:
                assertion `left == right` failed: refund must not exceed the total
                  left: 1300
                 right: 1250
                note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
                """,
            exceptions: [
                .init(type: "panic",
                      value: "assertion `left == right` failed: refund must not exceed the total\n  left: 1300\n right: 1250",
                      frameCount: 1),
            ]),
        TraceExample(
            name: "a panic in a destructor while unwinding aborts: two chained panics",
            text: """
                thread 'main' panicked at src/main.rs:18:5:
                reservation table is corrupt
                note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
                thread 'main' panicked at library/core/src/panicking.rs:223:5:
                panic in a destructor during cleanup
                thread caused non-unwinding panic. aborting.
                """,
            exceptions: [
                .init(type: "panic", value: "reservation table is corrupt", frameCount: 1),
                .init(type: "panic", value: "panic in a destructor during cleanup", frameCount: 1),
            ]),
        TraceExample(
            name: "a stack overflow aborts the process",
            text: """
                thread 'main' has overflowed its stack
                fatal runtime error: stack overflow
                Aborted (core dumped)
                """,
            exceptions: [.init(type: "fatal runtime error", value: "stack overflow", frameCount: 0)]),
    ]
}
