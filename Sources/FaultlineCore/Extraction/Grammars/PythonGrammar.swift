/// Tracebacks printed by CPython 2.7 and 3.x: the interpreter's report of an uncaught exception,
/// `traceback.print_exc()` and `logging.exception()`.
///
/// Read: `Traceback (most recent call last):`, frames (`  File "path", line 12, in function`) with their source
/// line, 3.11+ caret lines, `[Previous line repeated N more times]`, the final `module.Type: message` line
/// (the message may go on over the following lines), chained exceptions ("During handling of the above
/// exception…" and "The above exception was the direct cause…"), `SyntaxError` locations and exception group
/// trees (`  | ` margins, `+-+---- 1 ----` member separators), also when nested.
///
/// Fields follow the Sentry Python SDK. An exception's `type` is the class name (`TimeoutError`) and `module`
/// its module (`redis.exceptions`; `nil` for builtins). A frame's `filename` and `absPath` are the path as
/// printed (the SDK makes `filename` relative to `sys.path`, which a log does not show), with `function`,
/// `lineno` and the source line as `contextLine`; `module` stays `nil` (derived later from configured source
/// roots). A `SyntaxError`'s location is not a frame (the SDK's frames are the traceback's): it goes into the
/// value as `str(exc)` has it, `invalid syntax (app.py, line 3)`.
///
/// Frames are printed caller first already. Exceptions come out in the SDK's order: a plain chain oldest first;
/// for an exception group, the SDK's walk (the exception, then its cause or context, then each member in turn)
/// reversed, so members come before their group and the outermost exception is last.
public final class PythonGrammar: TraceGrammar {
    public static let runtime = Runtime.python

    public static let starterPatterns: [String] = [
        #"^Traceback \(most recent call last\):\s*$"#,
        #"^\s*\+ Exception Group Traceback \(most recent call last\):\s*$"#,
    ]

    public static let chainSeparatorPatterns: [String] = [
        #"^[\s|]*During handling of the above exception, another exception occurred:\s*$"#,
        #"^[\s|]*The above exception was the direct cause of the following exception:\s*$"#,
    ]

    public static let detectionPattern = #"^[\s|+]*File "[^"]*", line \d+(?:, in |\s*$)"#

    public static let examples: [TraceExample] = [
        TraceExample(
            name: "logging.exception with 3.11 carets and a module-qualified type",
            text: """
                Task failed for order 1042
                Traceback (most recent call last):
                  File "/srv/app/worker/tasks.py", line 12, in process_order
                    order = load_order(order_id)
                            ^^^^^^^^^^^^^^^^^^^^
                  File "/srv/app/worker/db.py", line 40, in load_order
                    return client.get(key)
                           ~~~~~~~~~~^^^^^
                  File "/usr/lib/python3/dist-packages/redis/client.py", line 1269, in get
                    return self.execute_command("GET", name)
                redis.exceptions.TimeoutError: Timeout reading from socket
                """,
            exceptions: [
                .init(type: "TimeoutError", value: "Timeout reading from socket", module: "redis.exceptions",
                      functions: ["process_order", "load_order", "get"]),
            ]),
        TraceExample(
            name: "chain: context, then direct cause",
            text: """
                Traceback (most recent call last):
                  File "/srv/app/config.py", line 11, in read_setting
                    return settings[name]
                           ~~~~~~~~^^^^^^
                KeyError: 'timeout'

                During handling of the above exception, another exception occurred:

                Traceback (most recent call last):
                  File "/srv/app/config.py", line 14, in read_setting
                    return json.loads(raw)
                           ^^^^^^^^^^^^^^^
                  File "/usr/lib/python3.12/json/__init__.py", line 346, in loads
                    return _default_decoder.decode(s)
                           ^^^^^^^^^^^^^^^^^^^^^^^^^^
                json.decoder.JSONDecodeError: Expecting value: line 1 column 1 (char 0)

                The above exception was the direct cause of the following exception:

                Traceback (most recent call last):
                  File "/srv/app/main.py", line 5, in <module>
                    start()
                  File "/srv/app/main.py", line 3, in start
                    timeout = read_setting("timeout")
                              ^^^^^^^^^^^^^^^^^^^^^^^
                  File "/srv/app/config.py", line 16, in read_setting
                    raise ConfigError("bad setting") from error
                app.errors.ConfigError: bad setting
                """,
            exceptions: [
                .init(type: "KeyError", value: "'timeout'", functions: ["read_setting"]),
                .init(type: "JSONDecodeError", value: "Expecting value: line 1 column 1 (char 0)",
                      module: "json.decoder", functions: ["read_setting", "loads"]),
                .init(type: "ConfigError", value: "bad setting", module: "app.errors",
                      functions: ["<module>", "start", "read_setting"]),
            ]),
        TraceExample(
            name: "an exception without a message, after text in an interactive console",
            text: """
                >>> while True:
                ...     pass
                ...
                ^CTraceback (most recent call last):
                  File "<stdin>", line 1, in <module>
                KeyboardInterrupt
                """,
            exceptions: [.init(type: "KeyboardInterrupt", functions: ["<module>"])]),
        TraceExample(
            name: "SyntaxError raised by an import: frozen importlib frames and the error's location",
            text: """
                Traceback (most recent call last):
                  File "/srv/app/main.py", line 1, in <module>
                    import settings
                  File "<frozen importlib._bootstrap>", line 1176, in _find_and_load
                  File "<frozen importlib._bootstrap>", line 1147, in _find_and_load_unlocked
                  File "<frozen importlib._bootstrap>", line 690, in _load_unlocked
                  File "<frozen importlib._bootstrap_external>", line 936, in exec_module
                  File "<frozen importlib._bootstrap_external>", line 1074, in get_code
                  File "<frozen importlib._bootstrap_external>", line 1004, in source_to_code
                  File "<frozen importlib._bootstrap>", line 241, in _call_with_frames_removed
                  File "/srv/app/settings.py", line 3
                    TIMEOUT = (30,
                              ^
                SyntaxError: '(' was never closed
                """,
            exceptions: [
                .init(type: "SyntaxError", value: "'(' was never closed (settings.py, line 3)",
                      functions: ["<module>", "_find_and_load", "_find_and_load_unlocked", "_load_unlocked",
                                  "exec_module", "get_code", "source_to_code", "_call_with_frames_removed"]),
            ]),
        TraceExample(
            name: "SyntaxError printed alone, without a traceback",
            text: """
                  File "/srv/app/settings.py", line 7
                    def load(:
                             ^
                SyntaxError: invalid syntax
                """,
            exceptions: [.init(type: "SyntaxError", value: "invalid syntax (settings.py, line 7)", frameCount: 0)]),
        TraceExample(
            name: "recursion folded by [Previous line repeated N more times]",
            text: """
                Traceback (most recent call last):
                  File "/srv/app/tree.py", line 9, in <module>
                    depth(root)
                  File "/srv/app/tree.py", line 6, in depth
                    return 1 + depth(node.parent)
                               ^^^^^^^^^^^^^^^^^^
                  File "/srv/app/tree.py", line 6, in depth
                    return 1 + depth(node.parent)
                               ^^^^^^^^^^^^^^^^^^
                  File "/srv/app/tree.py", line 6, in depth
                    return 1 + depth(node.parent)
                               ^^^^^^^^^^^^^^^^^^
                  [Previous line repeated 996 more times]
                RecursionError: maximum recursion depth exceeded
                """,
            exceptions: [
                .init(type: "RecursionError", value: "maximum recursion depth exceeded",
                      functions: ["<module>", "depth", "depth", "depth"]),
            ]),
        TraceExample(
            name: "nested exception group: members first, in the SDK's order",
            text: """
                  + Exception Group Traceback (most recent call last):
                  |   File "/srv/app/batch.py", line 17, in <module>
                  |     run()
                  |   File "/srv/app/batch.py", line 16, in run
                  |     raise ExceptionGroup("many failures", errors)
                  | ExceptionGroup: many failures (3 sub-exceptions)
                  +-+---------------- 1 ----------------
                    | Traceback (most recent call last):
                    |   File "/srv/app/batch.py", line 9, in run
                    |     step()
                    |   File "/srv/app/batch.py", line 2, in parse_rows
                    |     raise ValueError("bad value")
                    | ValueError: bad value
                    +---------------- 2 ----------------
                    | Traceback (most recent call last):
                    |   File "/srv/app/batch.py", line 9, in run
                    |     step()
                    |   File "/srv/app/batch.py", line 4, in check_types
                    |     raise TypeError("bad type")
                    | TypeError: bad type
                    +---------------- 3 ----------------
                    | Exception Group Traceback (most recent call last):
                    |   File "/srv/app/batch.py", line 13, in run
                    |     raise ExceptionGroup("io", [OSError("disk full")])
                    | ExceptionGroup: io (1 sub-exception)
                    +-+---------------- 1 ----------------
                      | OSError: disk full
                      +------------------------------------
                """,
            exceptions: [
                .init(type: "OSError", value: "disk full", frameCount: 0),
                .init(type: "ExceptionGroup", value: "io (1 sub-exception)", functions: ["run"]),
                .init(type: "TypeError", value: "bad type", functions: ["run", "check_types"]),
                .init(type: "ValueError", value: "bad value", functions: ["run", "parse_rows"]),
                .init(type: "ExceptionGroup", value: "many failures (3 sub-exceptions)", functions: ["<module>", "run"]),
            ]),
        TraceExample(
            name: "Python 2 with a message on several lines",
            text: """
                Traceback (most recent call last):
                  File "/base/data/home/apps/shop/1.3/main.py", line 17, in start
                    return get()
                  File "/base/data/home/apps/shop/1.3/main.py", line 5, in get
                    raise ValueError('no price for\\n  item 42')
                ValueError: no price for
                  item 42
                """,
            exceptions: [
                .init(type: "ValueError", value: "no price for\n  item 42", functions: ["start", "get"]),
            ]),
    ]

    private static let header = compile(#"^(?<lead>.*?)(?:Exception Group )?Traceback \(most recent call last\):$"#)
    private static let frame = compile(#"^\s*File "(?<path>.*?)", line (?<line>\d+)(?:, in (?<function>.+))?$"#)
    private static let repeated = compile(#"^\s*\[Previous line repeated \d+ more times?\]$"#)
    private static let exceptionLine = compile(#"^(?<name>[\p{L}_][\p{L}\p{N}_.<>]*)(?<colon>:(?: (?<value>.*))?)?$"#)
    private static let groupElision = compile(#"^(?:and \d+ more exceptions?|\.\.\. \(max_group_depth is \d+\))$"#)
    private static let margin = compile(
        #"^(?<indent>(?:  )*)(?:\+ (?=Exception Group Traceback)|\|(?: |$))(?<content>.*)$"#)
    private static let memberStart = compile(#"^(?<indent> *)(?<first>\+-)?\+-{16} (?:\d+|\.\.\.) -{16}$"#)
    private static let groupEnd = compile(#"^(?<indent> *)\+-{36}$"#)

    private static let contextSeparator = "During handling of the above exception, another exception occurred:"
    private static let causeSeparator = "The above exception was the direct cause of the following exception:"
    /// Modules the SDK reports as no module at all (`builtins`; Python 2's `exceptions`).
    private static let builtinModules: Set<String> = ["builtins", "__builtin__", "__builtins__", "exceptions"]

    private let headerMatcher = Matcher(PythonGrammar.header)
    private let frameMatcher = Matcher(PythonGrammar.frame)
    private var frameLines = LineMemo<FrameLine?>()

    /// A `File "path", line N, in function` line (the function is missing on a SyntaxError's location line).
    private struct FrameLine {
        var path: String
        var line: String
        var function: String?
    }

    private func frameLine(_ text: String) -> FrameLine? {
        frameLines.value(for: text) { text in
            firstMatch(frameMatcher, text).map { FrameLine(path: $0["path"] ?? "", line: $0["line"] ?? "", function: $0["function"]) }
        }
    }
    private let repeatedMatcher = Matcher(PythonGrammar.repeated)
    private let exceptionLineMatcher = Matcher(PythonGrammar.exceptionLine)
    private let groupElisionMatcher = Matcher(PythonGrammar.groupElision)
    private let marginMatcher = Matcher(PythonGrammar.margin)
    private let memberStartMatcher = Matcher(PythonGrammar.memberStart)
    private let groupEndMatcher = Matcher(PythonGrammar.groupEnd)

    public init() {}

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? {
        var traceLines = prepare(lines)
        var searchFrom = 0
        // A line that only looks like a start (a commented-out header, a frame quoted in a message) is passed over.
        while let start = traceStart(in: &traceLines, from: searchFrom) {
            var cursor = Cursor(lines: traceLines, position: start)
            let chainDepth = traceLines[start].depth > 1 ? traceLines[start].depth : 0
            guard let outermost = parseChain(at: chainDepth, &cursor) else {
                searchFrom = start + 1
                continue
            }
            // Anything after the trace that still looks like one (a second, unrelated traceback) is reported.
            for line in traceLines[cursor.position...] where line.kind != .text || looksLikeFrame(line) {
                cursor.unparsed.append(line.number)
            }
            return ParsedTrace(runtime: .python, exceptions: outermost.sentryOrder(),
                               unparsedLines: cursor.unparsed, firstTraceLine: traceLines[start].index)
        }
        return nil
    }

    // MARK: - Lines

    /// One record line with an exception group's margin taken off.
    private struct TraceLine {
        enum Kind { case text, memberStart, groupEnd }
        var kind: Kind
        /// Exception group nesting: 0 outside any group, 1 for a top-level group's own lines, and so on.
        var depth: Int
        /// The line without margin, terminal escapes and trailing whitespace (or a CRLF's `\r`).
        var text: String
        /// Leading whitespace of `text`, in characters.
        var indent: Int
        /// Position in the record.
        var index: Int
        var number: Int

        var isBlank: Bool { text.isEmpty }
    }

    private func prepare(_ lines: [RecordLine]) -> [TraceLine] {
        let cleaned = lines.map { GrammarText.withoutTerminalEscapes($0.text) }
        let hasGroups = cleaned.contains { $0.containsText("Exception Group Traceback") || $0.containsText("+----------------") }
        return cleaned.enumerated().map { offset, text in
            var kind = TraceLine.Kind.text
            var depth = 0
            var content = text
            if hasGroups {
                if let match = firstMatch(memberStartMatcher, text) {
                    kind = .memberStart
                    depth = ((match["indent"]?.count ?? 0) + (match["first"] == nil ? 0 : 2)) / 2
                } else if let match = firstMatch(groupEndMatcher, text) {
                    kind = .groupEnd
                    depth = (match["indent"]?.count ?? 0) / 2
                } else if let match = firstMatch(marginMatcher, text) {
                    depth = (match["indent"]?.count ?? 0) / 2
                    content = match["content"] ?? ""
                }
            }
            return TraceLine(kind: kind, depth: depth, text: content, indent: GrammarText.indentation(content),
                             index: offset, number: lines[offset].number)
        }
    }

    /// The first line of the trace: a `Traceback` header (text before it on its line, like the `^C` of an
    /// interrupted console, is dropped), a group's margin, or a frame when the header was cut off.
    private func traceStart(in lines: inout [TraceLine], from first: Int) -> Int? {
        for position in first..<lines.count where lines[position].kind == .text {
            let line = lines[position]
            if line.depth > 0 { return position }
            if let match = firstMatch(headerMatcher, line.text) {
                if let lead = match["lead"], !lead.isEmpty {
                    lines[position].text = String(line.text.dropFirst(lead.count))
                    lines[position].indent = 0
                }
                return position
            }
            if frameLine(line.text) != nil { return position }
        }
        return nil
    }

    private struct Cursor {
        let lines: [TraceLine]
        var position: Int
        var unparsed: [Int] = []

        var current: TraceLine? { position < lines.count ? lines[position] : nil }

        mutating func advance() { position += 1 }

        mutating func skipBlankLines() {
            while let line = current, line.kind == .text, line.isBlank { advance() }
        }
    }

    // MARK: - Exceptions

    /// One printed exception, the one it was raised from (`earlier`) and, for a group, its members.
    private final class Node {
        let exception: ExceptionRecord
        var earlier: (node: Node, relation: String)?
        let members: [Node]

        init(exception: ExceptionRecord, members: [Node]) {
            self.exception = exception
            self.members = members
        }

        /// The Sentry SDK's order: its walk (this exception, its cause or context, then each member) reversed.
        func sentryOrder() -> [ExceptionRecord] {
            var walk: [ExceptionRecord] = []
            visit(relation: nil, into: &walk)
            return walk.reversed()
        }

        private func visit(relation: String?, into walk: inout [ExceptionRecord]) {
            var record = exception
            record.relation = relation
            walk.append(record)
            if let earlier { earlier.node.visit(relation: earlier.relation, into: &walk) }
            for member in members { member.visit(relation: "group", into: &walk) }
        }
    }

    /// Exceptions separated by "During handling…" or "The above exception…" lines; returns the last (newest).
    private func parseChain(at depth: Int, _ cursor: inout Cursor) -> Node? {
        guard var newest = parseException(at: depth, &cursor) else { return nil }
        while true {
            let resume = cursor.position
            cursor.skipBlankLines()
            guard let line = cursor.current, line.kind == .text, line.depth == depth,
                  let relation = chainRelation(line.text)
            else {
                cursor.position = resume
                break
            }
            cursor.advance()
            cursor.skipBlankLines()
            guard let next = parseException(at: depth, &cursor) else { break }
            next.earlier = (newest, relation)
            newest = next
        }
        return newest
    }

    private func chainRelation(_ text: String) -> String? {
        switch text.drop(while: \.isWhitespace) {
        case Self.contextSeparator: return "context"
        case Self.causeSeparator: return "cause"
        default: return nil
        }
    }

    /// One exception: an optional header, frames, the exception line and, for a group, its members. A chain at
    /// depth 0 may hold a top-level group, whose own lines are at depth 1.
    private func parseException(at depth: Int, _ cursor: inout Cursor) -> Node? {
        guard let first = cursor.current, first.kind == .text,
              first.depth == depth || (depth == 0 && first.depth == 1)
        else { return nil }
        let unitDepth = first.depth
        let start = cursor.position
        let baseIndent: Int
        if let header = firstMatch(headerMatcher, first.text), header["lead"]?.isEmpty != false {
            baseIndent = first.indent
            cursor.advance()
        } else if frameLine(first.text) != nil {
            baseIndent = max(0, first.indent - 2)
        } else if firstMatch(exceptionLineMatcher, first.text) != nil {
            baseIndent = first.indent
        } else {
            return nil
        }

        var frames: [Frame] = []
        var location: (path: String, line: String)?
        var typeLine: (name: String, value: String?, hasMessage: Bool)?
        while let line = cursor.current, line.kind == .text, line.depth == unitDepth, !line.isBlank {
            if let match = frameLine(line.text) {
                cursor.advance()
                let path = match.path
                let lineText = match.line
                let sourceLine = consumeFrameBody(of: line, &cursor)
                if let function = match.function {
                    frames.append(Frame(function: function, filename: path, absPath: path, lineno: Int(lineText),
                                        contextLine: sourceLine, raw: GrammarText.trimmedLeading(line.text)))
                } else {
                    location = (path, lineText)
                }
            } else if firstMatch(repeatedMatcher, line.text) != nil {
                cursor.advance()
            } else if line.indent <= baseIndent {
                if let match = firstMatch(exceptionLineMatcher, line.text), chainRelation(line.text) == nil {
                    typeLine = (match["name"] ?? "", match["value"], match["colon"] != nil)
                    cursor.advance()
                    break
                }
                guard looksLikeFrame(line) else { break }
                cursor.unparsed.append(line.number)
                cursor.advance()
            } else {
                // Indented text we do not know, like a doctest's "    ...": part of the trace, not a frame.
                if looksLikeFrame(line) { cursor.unparsed.append(line.number) }
                cursor.advance()
            }
        }

        guard let typeLine else {
            if frames.isEmpty {
                cursor.position = start
                return nil
            }
            return Node(exception: ExceptionRecord(type: "<unknown>", frames: frames), members: [])
        }
        var valueLines = typeLine.value.map { [$0] } ?? []
        // An exception without message prints no further lines: what follows is not part of it.
        if typeLine.hasMessage { valueLines += consumeMessageContinuation(depth: unitDepth, &cursor) }
        if let location, !valueLines.isEmpty {
            let fileName = location.path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init)
                ?? location.path
            valueLines[0] += " (\(fileName), line \(location.line))"
        }
        let value = valueLines.joined(separator: "\n")
        let (type, module) = splitTypeName(typeLine.name)
        let exception = ExceptionRecord(type: type, value: value.isEmpty ? nil : value, module: module, frames: frames)
        return Node(exception: exception, members: parseGroupMembers(of: unitDepth, &cursor))
    }

    /// The lines under a frame: its source line, caret lines, the further lines of a multi-line expression.
    /// Returns the source line, trimmed.
    private func consumeFrameBody(of frameHeader: TraceLine, _ cursor: inout Cursor) -> String? {
        var sourceLine: String?
        while let line = cursor.current, line.kind == .text, line.depth == frameHeader.depth, !line.isBlank,
              line.indent > frameHeader.indent, frameLine(line.text) == nil {
            if sourceLine == nil, !isCaretLine(line.text) { sourceLine = GrammarText.trimmedLeading(line.text) }
            cursor.advance()
        }
        return sourceLine
    }

    /// The message's further lines (a multi-line `str(exc)`, 3.11+ notes) up to a blank line or the next part.
    private func consumeMessageContinuation(depth: Int, _ cursor: inout Cursor) -> [String] {
        var continuation: [String] = []
        while let line = cursor.current, line.kind == .text, line.depth == depth, !line.isBlank,
              chainRelation(line.text) == nil, firstMatch(headerMatcher, line.text) == nil,
              frameLine(line.text) == nil, !line.text.hasPrefix(">>>") {
            continuation.append(line.text)
            cursor.advance()
        }
        return continuation
    }

    /// A group's members, each after a `+---- n ----` separator, until the closing `+-----` line.
    private func parseGroupMembers(of groupDepth: Int, _ cursor: inout Cursor) -> [Node] {
        let memberDepth = groupDepth + 1
        var members: [Node] = []
        while let line = cursor.current, line.depth == memberDepth {
            if line.kind == .groupEnd {
                cursor.advance()
                break
            }
            guard line.kind == .memberStart else { break }
            cursor.advance()
            if let next = cursor.current, next.kind == .text, next.depth == memberDepth,
               firstMatch(groupElisionMatcher, next.text) != nil {
                cursor.advance()
            } else if let member = parseChain(at: memberDepth, &cursor) {
                members.append(member)
            }
        }
        return members
    }

    /// `redis.exceptions.TimeoutError` → (`TimeoutError`, `redis.exceptions`); builtins have no module.
    private func splitTypeName(_ name: String) -> (type: String, module: String?) {
        guard let dot = name.utf8.lastIndex(of: UInt8(ascii: ".")), name.index(after: dot) < name.endIndex else { return (name, nil) }
        let module = String(name[..<dot])
        return (String(name[name.index(after: dot)...]), Self.builtinModules.contains(module) ? nil : module)
    }

    private func looksLikeFrame(_ line: TraceLine) -> Bool {
        line.text.drop(while: \.isWhitespace).hasPrefix("File \"")
    }

    /// A 3.11+ position marker line (`    ^^^^^`, `~~~~^^^^`) or a `SyntaxError`'s caret.
    private func isCaretLine(_ text: String) -> Bool {
        let utf8 = text.utf8
        return utf8.contains { $0 == UInt8(ascii: "^") || $0 == UInt8(ascii: "~") }
            && utf8.allSatisfy { $0 == UInt8(ascii: "^") || $0 == UInt8(ascii: "~") || $0 == 0x20 || $0 == 0x09 }
    }

    // MARK: - Text

}
