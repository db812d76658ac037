/// One structured log record (a JSON line, a logfmt line) read into the fields extraction needs.
///
/// The well-known fields are found under the names the common loggers use (pino, bunyan, winston, logrus,
/// zap, slog, structlog, python-json-logger, logstash-logback-encoder, log4j2, Serilog, .NET, ECS, Google
/// Cloud, Rust tracing); names are matched case-insensitively, and a nested object's members are named with
/// dots (`{"err":{"stack":"…"}}` has `err.stack`), so a nested field and a dotted key read the same.
/// Everything else that is a scalar lands in ``fields``.
public struct StructuredRecord: Sendable, Hashable {
    /// The record's time as written (`2026-11-25T10:00:00Z`, or a number such as zap's `1764064800.123`).
    public var timestamp: String?
    /// The level as written (`error`, `ERROR`, `50`); ``severity`` reads it.
    public var level: String?
    /// The log message.
    public var message: String?
    /// The logger, module or component name.
    public var logger: String?
    /// The thread or goroutine.
    public var thread: String?
    /// A stack trace as multi-line text, as the runtime printed it (`TypeError: x\n    at f (a.js:1:2)`).
    public var stack: String?
    /// The error's type or class (`TypeError`, `java.lang.IllegalStateException`), when the record says it
    /// apart from the stack.
    public var errorType: String?
    /// The error's message, when the record says it apart from the log message (zap's and logrus' `error`,
    /// pino's `err.message`).
    public var errorMessage: String?
    /// The other scalar fields as text (numbers as written, booleans as `true`/`false`), keyed by their
    /// dotted names: material for tags.
    public var fields: [String: String]

    public init(
        timestamp: String? = nil, level: String? = nil, message: String? = nil, logger: String? = nil,
        thread: String? = nil, stack: String? = nil, errorType: String? = nil, errorMessage: String? = nil,
        fields: [String: String] = [:]
    ) {
        self.timestamp = timestamp
        self.level = level
        self.message = message
        self.logger = logger
        self.thread = thread
        self.stack = stack
        self.errorType = errorType
        self.errorMessage = errorMessage
        self.fields = fields
    }

    /// ``level`` read as a ``Level``: a level word (`error`, `WARN`, `Fatal`) or a number — bunyan/pino
    /// levels (10 trace … 60 fatal) and syslog severities (0 emergency … 7 debug).
    public var severity: Level? {
        guard let level else { return nil }
        var text = level
        return text.withUTF8 { StructuredLevel.level(UnsafeRawBufferPointer($0)) }
    }
}

// MARK: - Building a record from named fields

/// One scalar of a structured line, with its dotted name.
struct StructuredField: Hashable {
    var key: String
    var value: String
    /// Whether the value was text (a string) rather than a number, boolean or bare literal. Stacks and error
    /// messages are taken only from text (structlog writes `"exc_info": true` before formatting it).
    var isText: Bool
}

extension StructuredRecord {
    /// Field names for each part of the record, most specific first, in lowercase.
    enum Names {
        static let timestamp = ["time", "timestamp", "@timestamp", "ts", "t", "@t", "asctime"]
        static let message = ["msg", "message", "@message", "@m", "log", "text", "event", "fields.message", "@mt"]
        static let logger = [
            "logger", "logger_name", "loggername", "log.logger", "name", "module", "component", "category",
            "sourcecontext", "target",
        ]
        static let thread = ["thread", "thread_name", "threadname", "process.thread.name", "goroutine"]
        static let stack = [
            "stack", "stack_trace", "stacktrace", "exception", "exc_info", "err.stack", "error.stack",
            "error.stack_trace", "error.stacktrace", "exception.stacktrace", "exception.stack_trace",
            "exception.stack", "@x", "thrown.stack",
        ]
        /// A stack under this name must span several lines: `trace` also names trace ids.
        static let multiLineStack = ["trace"]
        static let errorType = [
            "err.type", "err.name", "error.type", "error.kind", "error.name", "error.class", "exception.type",
            "exception.class", "thrown.name",
        ]
        static let errorMessage = [
            "err.message", "error.message", "exception.message", "thrown.message", "err.msg", "error.msg", "error",
            "err",
        ]
    }

    /// Reads the well-known parts out of `list` (the fields in line order); the first occurrence of a name
    /// counts. Fields not taken for a part go to ``fields``.
    init(fields list: [StructuredField]) {
        var firstIndex: [String: Int] = [:]
        for (index, field) in list.enumerated() {
            let name = field.key.lowercased()
            if firstIndex[name] == nil { firstIndex[name] = index }
        }
        var taken = Set<Int>()
        func take(_ names: [String], textOnly: Bool = false, multiLine: Bool = false) -> String? {
            for name in names {
                guard let index = firstIndex[name], !taken.contains(index) else { continue }
                let field = list[index]
                if textOnly && !field.isText { continue }
                if multiLine && !field.value.contains("\n") { continue }
                taken.insert(index)
                return field.value
            }
            return nil
        }
        self.init()
        level = take(StructuredLevel.fieldNames)
        timestamp = take(Names.timestamp)
        stack = take(Names.stack, textOnly: true) ?? take(Names.multiLineStack, textOnly: true, multiLine: true)
        errorType = take(Names.errorType, textOnly: true)
        errorMessage = take(Names.errorMessage, textOnly: true)
        message = take(Names.message)
        logger = take(Names.logger)
        thread = take(Names.thread)
        for (index, field) in list.enumerated() where !taken.contains(index) && fields[field.key] == nil {
            fields[field.key] = field.value
        }
    }
}

// MARK: - Levels

/// Reading a level value from bytes, without decoding the rest of the line: shared by the JSON and logfmt
/// fast paths and by ``StructuredRecord/severity``.
enum StructuredLevel {
    /// Names of the level field, lowercase: pino/bunyan/zap/logrus/slog `level`, Google Cloud `severity`,
    /// go-kit `lvl`, ECS `log.level`, python-json-logger `levelname`, .NET `LogLevel`, `@level`, Serilog `@l`.
    static let fieldNames = ["level", "severity", "lvl", "log.level", "levelname", "loglevel", "@level", "@l"]

    /// The same names as bytes, for comparing keys in place.
    static let fieldNameBytes: [[UInt8]] = fieldNames.map { Array($0.utf8) }

    /// Whether `key` (raw bytes) is one of ``fieldNames``, ignoring ASCII case.
    static func isLevelName(_ key: UnsafeRawBufferPointer) -> Bool {
        // Every name starts with `l`, `s` or `@`: most keys are turned away by their first byte.
        guard let first = key.first, first | 0x20 == UInt8(ascii: "l") || first | 0x20 == UInt8(ascii: "s")
                || first == UInt8(ascii: "@") else { return false }
        for name in fieldNameBytes where name.count == key.count && equalsIgnoringASCIICase(key, name) {
            return true
        }
        return false
    }

    /// Compares `bytes` with the lowercase ASCII `lowercase`, ignoring the case of `bytes`.
    static func equalsIgnoringASCIICase(_ bytes: UnsafeRawBufferPointer, _ lowercase: [UInt8]) -> Bool {
        guard bytes.count == lowercase.count else { return false }
        for index in 0..<bytes.count {
            var byte = bytes[index]
            if byte >= 0x41 && byte <= 0x5A { byte |= 0x20 }
            if byte != lowercase[index] { return false }
        }
        return true
    }

    /// The level a value stands for: a word (``Level/init(word:)``) or a number. Numbers from 10 up are
    /// bunyan/pino levels (10 trace, 20 debug, 30 info, 40 warn, 50 error, 60 fatal; values in between
    /// round down, as pino's custom levels do); 0–7 are syslog severities (GELF, journald).
    static func level(_ text: UnsafeRawBufferPointer) -> Level? {
        var start = 0
        var end = text.count
        while start < end, text[start] == 0x20 { start += 1 }
        while end > start, text[end - 1] == 0x20 { end -= 1 }
        guard start < end else { return nil }
        let value = UnsafeRawBufferPointer(rebasing: text[start..<end])
        if let number = leadingInteger(value) { return level(number: number) }
        if let packed = packedLowercase(value), let known = commonWords.first(where: { $0.packed == packed }) {
            return known.level
        }
        // Rarer words: a small String is stored inline, so this does not allocate.
        guard value.count <= 15 else { return nil }
        return Level(word: String(decoding: value, as: UTF8.self))
    }

    /// The usual level words, each up to 8 bytes, packed (``packedLowercase(_:)``) with the level
    /// ``Level/init(word:)`` gives them: a lookup without building a String.
    private static let commonWords: [(packed: UInt64, level: Level)] = [
        "trace", "debug", "info", "notice", "warn", "warning", "error", "err", "fatal", "critical", "crit",
        "panic", "dpanic", "severe", "verbose", "emerg", "alert", "fine",
    ].compactMap { word in
        guard let level = Level(word: word) else { return nil }
        return Array(word.utf8).withUnsafeBytes { packedLowercase($0) }.map { ($0, level) }
    }

    /// Up to 8 ASCII bytes lowercased and packed into an integer; nil for longer text.
    private static func packedLowercase(_ text: UnsafeRawBufferPointer) -> UInt64? {
        guard text.count <= 8 else { return nil }
        var packed: UInt64 = 0
        for byte in text {
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            packed = packed << 8 | UInt64(lower)
        }
        return packed
    }

    /// The integer part of a number (`50`, `50.0`, `3`); nil unless the text is a number.
    private static func leadingInteger(_ text: UnsafeRawBufferPointer) -> Int? {
        var number = 0
        var index = 0
        while index < text.count, text[index] >= 0x30, text[index] <= 0x39 {
            guard index < 6 else { return nil }
            number = number * 10 + Int(text[index] - 0x30)
            index += 1
        }
        guard index > 0 else { return nil }
        if index < text.count {
            guard text[index] == 0x2E else { return nil }
            for fraction in (index + 1)..<text.count where text[fraction] < 0x30 || text[fraction] > 0x39 {
                return nil
            }
        }
        return number
    }

    private static func level(number: Int) -> Level? {
        switch number {
        case 0...2: return .critical
        case 3: return .error
        case 4: return .warning
        case 5: return .notice
        case 6: return .info
        case 7: return .debug
        case 8...9: return nil
        case 10..<20: return .trace
        case 20..<30: return .debug
        case 30..<40: return .info
        case 40..<50: return .warning
        case 50..<60: return .error
        default: return .critical
        }
    }
}
