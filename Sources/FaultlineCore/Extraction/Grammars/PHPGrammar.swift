/// Stack traces printed by PHP 5–8: an uncaught exception (`PHP Fatal error:  Uncaught Exception: message in
/// /var/www/app.php:12`, also without `PHP ` or under another level word), a logged `Throwable::__toString()`
/// (`Exception: message in …`, PHP 5's `exception 'Exception' with message '…' in …`), and Monolog's
/// normalized exceptions as Laravel logs them (`[object] (Type(code: 0): message at /path.php:12)`,
/// `[stacktrace]`, `[previous exception]`, with the JSON string's `\\` escapes).
///
/// `Stack trace:` is followed by `#0 /path.php(12): Foo->bar('x')`, `#1 [internal function]: f()` and
/// `#2 {main}`; `  thrown in … on line N` closes the report. PHP prints the previous (older) exception first
/// and each newer one after `Next `, so that order is kept; Monolog prints the newest first: reversed.
///
/// Fields follow the Sentry PHP SDK, which pairs each function with the place *inside* it: a `#n` line names a
/// function and the place it was called from, so the SDK gives the exception's own file and line to `#0`'s
/// function, `#0`'s place to `#1`'s function, and so on, ending with a frame without function for the
/// top-level code (`{main}`). `function` is `Class::method` for both `->` and `::` calls; `filename` and
/// `absPath` are the path as printed (`[internal]` without `absPath` for internal functions; eval'd code
/// takes the file and line of the `eval`). The exception `type` is the class with its namespace. Frames come
/// out caller first.
public final class PHPGrammar: TraceGrammar {
    public static let runtime = Runtime.php

    public static let starterPatterns: [String] = [
        #"^(?:PHP )?[A-Z][a-z]+(?: [a-z]+)*: +Uncaught "#,
    ]

    public static let detectionPattern = #"^#\d+ (?:\{main\}$|\[internal function\]: |.+\(\d+\): )"#

    private static let strongHeaderStart = compile(
        #"(?<monolog>\[object\] \()(?=[^\s(]+\(code: )|(?:^|[\s>])Uncaught (?=\S)|^Next (?=\S)|(?:^|\s)(?=exception '[^']*' with message ')"#)
    private static let weakHeaderStart = compile(#"^\s*(?=[A-Za-z_\\][\w\\]*(?::\s| in ))"#)
    private static let modernHeader = compile(
        #"^(?<type>[A-Za-z_\\][\w\\]*)(?:: (?<message>.*))? in (?<file>.+):(?<line>\d+)$"#, options: .dotMatchesNewline)
    private static let legacyHeader = compile(
        #"^exception '(?<type>[^']+)' with message '(?<message>.*)' in (?<file>.+):(?<line>\d+)$"#,
        options: .dotMatchesNewline)
    private static let monologHeader = compile(
        #"^(?<type>[^\s(]+)\(code: [^)]*\): (?<message>.*) at (?<file>.+):(?<line>\d+)\)$"#, options: .dotMatchesNewline)
    private static let frameLine = compile(
        #"^#\d+ (?:(?<main>\{main\})|\[internal function\]: (?<internalCall>.+)|(?<file>.+?)\((?<line>\d+)\): (?<call>.+))$"#)
    private static let call = compile(
        #"^(?:(?<class>[^\s{(][^\s(]*?)(?:->|::))?(?<function>[\w\\]*\{closure[^}]*\}|[^\s(]+)\((?<arguments>.*)\)$"#)
    /// The file of eval'd or runtime-created code: `/path.php(12) : eval()'d code`.
    private static let evalFile = compile(#"^(?<file>.*)\((?<line>\d+)\) : (?:eval\(\)'d code|runtime-created function)$"#)
    /// An anonymous class's suffix that the SDK strips: `class@anonymous/in/x.php:3$0` → `class@anonymous/in/x.php`.
    private static let anonymousClassSuffix = compile(#"(?::\d+\$|0x)[a-fA-F0-9]+$"#)
    private static let numberedLine = compile(#"^#\d+ "#)

    /// Sentry PHP's file name for frames of internal functions.
    private static let internalFile = "[internal]"
    /// How far above `Stack trace:` a header (a message over several lines) is looked for.
    private static let headerLineLimit = 50

    private let strongHeaderStartMatcher = Matcher(PHPGrammar.strongHeaderStart)
    private let weakHeaderStartMatcher = Matcher(PHPGrammar.weakHeaderStart)
    private let modernHeaderMatcher = Matcher(PHPGrammar.modernHeader)
    private let legacyHeaderMatcher = Matcher(PHPGrammar.legacyHeader)
    private let monologHeaderMatcher = Matcher(PHPGrammar.monologHeader)
    private let frameLineMatcher = Matcher(PHPGrammar.frameLine)
    private let callMatcher = Matcher(PHPGrammar.call)
    private let evalFileMatcher = Matcher(PHPGrammar.evalFile)
    private let anonymousClassSuffixMatcher = Matcher(PHPGrammar.anonymousClassSuffix)
    private let numberedLineMatcher = Matcher(PHPGrammar.numberedLine)

    public static let examples: [TraceExample] = [
        TraceExample(
            name: "PHP 8 uncaught exception with a previous one (Next), a message on two lines, an internal function",
            text: """
                PHP Fatal error:  Uncaught InvalidArgumentException: no row
                for id 42 in /var/www/src/Repository.php:31
                Stack trace:
                #0 /var/www/src/Loader.php(18): App\\Repository->find(42)
                #1 /var/www/src/Loader.php(25): App\\load(42)
                #2 [internal function]: App\\{closure}(42)
                #3 /var/www/public/index.php(12): array_map(Object(Closure), Array)
                #4 {main}

                Next RuntimeException: load failed in /var/www/src/Loader.php:20
                Stack trace:
                #0 /var/www/src/Loader.php(25): App\\load(42)
                #1 [internal function]: App\\{closure}(42)
                #2 /var/www/public/index.php(12): array_map(Object(Closure), Array)
                #3 {main}
                  thrown in /var/www/src/Loader.php on line 20
                """,
            exceptions: [
                .init(type: "InvalidArgumentException", value: "no row\nfor id 42",
                      functions: ["", "array_map", "App\\{closure}", "App\\load", "App\\Repository::find"]),
                .init(type: "RuntimeException", value: "load failed",
                      functions: ["", "array_map", "App\\{closure}", "App\\load"]),
            ]),
        TraceExample(
            name: "PHP 5 on App Engine: exception 'Type' with message '…', static and instance calls",
            text: """
                PHP Fatal error:  Uncaught exception 'Exception' with message 'message' in /base/data/home/apps/shop/errors.php:60
                Stack trace:
                #0 [internal function]: ErrorEntryGenerator::{closure}()
                #1 /base/data/home/apps/shop/errors.php(20): call_user_func_array(Object(Closure), Array)
                #2 /base/data/home/apps/shop/index.php(36): ErrorEntry->__call('raise', Array)
                #3 /base/data/home/apps/shop/index.php(36): ErrorEntry->raise()
                #4 {main}
                  thrown in /base/data/home/apps/shop/errors.php on line 60
                """,
            exceptions: [
                .init(type: "Exception", value: "message",
                      functions: ["", "ErrorEntry::raise", "ErrorEntry::__call", "call_user_func_array",
                                  "ErrorEntryGenerator::{closure}"]),
            ]),
        TraceExample(
            name: "display_errors output without PHP prefix, in eval'd code",
            text: """
                Fatal error: Uncaught Exception: from eval in /var/www/tools/run.php(5) : eval()'d code:1
                Stack trace:
                #0 /var/www/tools/run.php(5): eval()
                #1 {main}
                  thrown in /var/www/tools/run.php(5) : eval()'d code on line 1
                """,
            exceptions: [.init(type: "Exception", value: "from eval", functions: ["", "eval"])]),
        TraceExample(
            name: "a logged exception without Uncaught, after an error log prefix's message",
            text: """
                Payment failed
                Stripe\\Exception\\CardException: Your card was declined. in /var/www/vendor/stripe/lib/ApiRequestor.php:210
                Stack trace:
                #0 /var/www/src/Billing/Charge.php(44): Stripe\\ApiRequestor::_specificAPIError('{"error": {"cod...', 402)
                #1 {main}
                """,
            exceptions: [
                .init(type: "Stripe\\Exception\\CardException", value: "Your card was declined.",
                      functions: ["", "Stripe\\ApiRequestor::_specificAPIError"]),
            ]),
        TraceExample(
            name: "Laravel (Monolog): newest first with [previous exception], JSON-escaped backslashes",
            text: """
                Connection failed {"exception":"[object] (Illuminate\\\\Database\\\\QueryException(code: 2002): SQLSTATE[HY000] [2002] Connection refused at /var/www/vendor/laravel/framework/src/Illuminate/Database/Connection.php:760)
                [stacktrace]
                #0 /var/www/app/Http/Controllers/OrderController.php(25): Illuminate\\\\Database\\\\Connection->select('select * from o...')
                #1 {main}

                [previous exception] [object] (PDOException(code: 2002): SQLSTATE[HY000] [2002] Connection refused at /var/www/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php:70)
                [stacktrace]
                #0 /var/www/vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php(70): PDO->__construct('mysql:host=db;p...', 'app', Object(SensitiveParameterValue), Array)
                #1 {main}
                "}
                """,
            exceptions: [
                .init(type: "PDOException", value: "SQLSTATE[HY000] [2002] Connection refused",
                      functions: ["", "PDO::__construct"]),
                .init(type: "Illuminate\\Database\\QueryException", value: "SQLSTATE[HY000] [2002] Connection refused",
                      functions: ["", "Illuminate\\Database\\Connection::select"]),
            ]),
    ]

    public init() {}

    // MARK: - Parsing

    /// One printed exception: its header and its `#n` lines in printed order.
    private struct Block {
        var header: Header
        var entries: [Entry]
        /// The `{main}` line, if the trace reached it.
        var mainRaw: String?
        /// Monolog prints the newest exception first.
        var isMonolog: Bool
    }

    private struct Header {
        var type: String
        var message: String?
        var file: String?
        var line: Int?
    }

    /// One `#n` line: where a function was called from, and the function.
    private struct Entry {
        var file: String?
        var line: Int?
        var function: String?
        var raw: String
    }

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? {
        let texts = lines.map { Self.withoutTrailingWhitespace($0.text) }
        var blocks: [Block] = []
        var unparsed: [Int] = []
        var firstTraceLine: Int?
        var position = 0
        var blockEnd = 0

        while position < texts.count {
            let marker = texts[position].drop(while: \.isWhitespace)
            guard marker == "Stack trace:" || marker == "[stacktrace]" else {
                position += 1
                continue
            }
            let isMonolog = marker == "[stacktrace]"
            let start = headerStart(above: position, notAbove: blockEnd, texts)
            let following = start.line < position ? Array(texts[(start.line + 1)..<position]) : []
            var body = ([start.text] + following).joined(separator: "\n")
            if isMonolog { body = Self.jsonUnescaped(body) }
            let header = parseHeader(body, isMonolog: start.isMonolog || isMonolog)
            if header.file == nil { unparsed.append(lines[start.line].number) }
            if firstTraceLine == nil { firstTraceLine = start.line }

            var block = Block(header: header, entries: [], isMonolog: isMonolog)
            position += 1
            while position < texts.count {
                var text = String(texts[position].drop(while: \.isWhitespace))
                if isMonolog { text = Self.jsonUnescaped(text) }
                guard firstMatch(numberedLineMatcher, text) != nil else { break }
                position += 1
                guard let match = firstMatch(frameLineMatcher, text) else {
                    unparsed.append(lines[position - 1].number)
                    continue
                }
                if match["main"] != nil {
                    block.mainRaw = text
                    break
                }
                let call = match["call"] ?? match["internalCall"] ?? ""
                let function = sentryFunction(call)
                if function == nil { unparsed.append(lines[position - 1].number) }
                block.entries.append(Entry(file: match["file"], line: match["line"].flatMap { Int($0) },
                                           function: function, raw: text))
            }
            blocks.append(block)
            blockEnd = position
        }
        guard let firstTraceLine else { return nil }
        for index in blockEnd..<texts.count
        where firstMatch(numberedLineMatcher, String(texts[index].drop(while: \.isWhitespace))) != nil {
            unparsed.append(lines[index].number)
        }

        let ordered = blocks.contains(where: \.isMonolog) ? blocks.reversed() : blocks
        let exceptions = ordered.enumerated().map { index, block in
            let type = block.header.type.hasPrefix("\\") ? String(block.header.type.dropFirst()) : block.header.type
            return ExceptionRecord(type: type, value: block.header.message, frames: frames(of: block),
                                   relation: index == ordered.count - 1 ? nil : "cause")
        }
        return ParsedTrace(runtime: .php, exceptions: exceptions, unparsedLines: unparsed,
                           firstTraceLine: firstTraceLine)
    }

    /// Where the header of the trace at `marker` starts: the nearest line above it with `Uncaught `, `Next `,
    /// `[object] (` or PHP 5's `exception '`, else the nearest line that starts with a class name. Returns the
    /// line and its text from the header on.
    private func headerStart(above marker: Int, notAbove limit: Int, _ texts: [String])
        -> (line: Int, text: String, isMonolog: Bool) {
        let lowest = max(limit, marker - Self.headerLineLimit)
        guard marker > lowest else { return (marker, "", false) }
        for line in stride(from: marker - 1, through: lowest, by: -1) {
            let text = texts[line]
            if let match = firstMatch(strongHeaderStartMatcher, text) {
                let utf8 = Array(text.utf8)
                let end = match.match.range.upperBound
                return (line, String(decoding: utf8[end...], as: UTF8.self), match["monolog"] != nil)
            }
        }
        for line in stride(from: marker - 1, through: lowest, by: -1)
        where firstMatch(weakHeaderStartMatcher, texts[line]) != nil {
            return (line, String(texts[line].drop(while: \.isWhitespace)), false)
        }
        return (marker - 1, texts[marker - 1], false)
    }

    private func parseHeader(_ body: String, isMonolog: Bool) -> Header {
        let matchers = isMonolog ? [monologHeaderMatcher] : [legacyHeaderMatcher, modernHeaderMatcher]
        for matcher in matchers {
            guard let match = firstMatch(matcher, body) else { continue }
            let message = match["message"] ?? ""
            return Header(type: match["type"] ?? "", message: message.isEmpty ? nil : message, file: match["file"],
                          line: match["line"].flatMap { Int($0) })
        }
        return Header(type: "<unknown>", message: body.isEmpty ? nil : body)
    }

    /// `Foo->bar('x')` and `Foo::bar()` → `Foo::bar`; `array_map(…)` → `array_map`; `nil` if it is no call.
    private func sentryFunction(_ call: String) -> String? {
        guard let match = firstMatch(callMatcher, call), let function = match["function"] else { return nil }
        guard var className = match["class"] else { return function }
        if let suffix = firstMatch(anonymousClassSuffixMatcher, className) {
            className = String(decoding: Array(className.utf8)[..<suffix.match.range.lowerBound], as: UTF8.self)
        }
        return className + "::" + function
    }

    /// The SDK's frames, caller first: each function with the place inside it (see the type's documentation).
    private func frames(of block: Block) -> [Frame] {
        var crashFirst: [Frame] = []
        var file = block.header.file
        var line = block.header.line
        for entry in block.entries {
            crashFirst.append(frame(function: entry.function, file: file, line: line, raw: entry.raw))
            file = entry.file ?? Self.internalFile
            line = entry.line
        }
        if let raw = block.mainRaw ?? block.entries.last?.raw {
            crashFirst.append(frame(function: nil, file: file, line: line, raw: raw))
        }
        return crashFirst.reversed()
    }

    private func frame(function: String?, file: String?, line: Int?, raw: String) -> Frame {
        var file = file
        var line = line
        if let path = file, let match = firstMatch(evalFileMatcher, path) {
            file = match["file"]
            line = match["line"].flatMap { Int($0) }
        }
        return Frame(function: function, filename: file, absPath: file == Self.internalFile ? nil : file,
                     lineno: line, raw: raw)
    }

    // MARK: - Text

    private static func withoutTrailingWhitespace(_ text: String) -> String {
        var result = text
        while let last = result.last, last.isWhitespace { result.removeLast() }
        return result
    }

    /// Undoes the escapes a JSON string puts on `\`, `/` and `"` (Monolog writes the trace in a JSON string).
    private static func jsonUnescaped(_ text: String) -> String {
        guard text.contains("\\") else { return text }
        var result = ""
        var escaped = false
        for character in text {
            if escaped {
                if character != "\\" && character != "/" && character != "\"" { result.append("\\") }
                result.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                result.append(character)
            }
        }
        if escaped { result.append("\\") }
        return result
    }
}
