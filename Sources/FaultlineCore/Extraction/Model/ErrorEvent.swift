/// One error found in a log: a record at level ERROR or above, or a record carrying a stack trace, turned
/// into the structured shape Sentry's SDKs send. Everything after extraction (scrubbing, grouping,
/// aggregation) works on these values.
public struct ErrorEvent: Sendable, Hashable, Codable {
    /// When the record was written, if its prefix says.
    public var timestamp: Timestamp?
    /// The record's level; `.error` when the record has no level but carries a trace.
    public var level: Level
    /// The logger or component name from the log prefix (`com.acme.api.OrderController`, `app.worker.tasks`).
    public var logger: String?
    /// The thread, goroutine or worker from the log prefix.
    public var thread: String?
    /// The log message of the record's first line (after the prefix), if any.
    public var message: String?
    /// The exceptions, **oldest cause first** and the outermost exception last, as Sentry orders
    /// `exception.values`. Empty for a message event.
    public var exceptions: [ExceptionRecord]
    /// Other threads' stacks printed with the error (a Go goroutine dump), the crashing one excluded.
    public var threads: [ThreadStack]
    /// The runtime that printed the trace.
    public var runtime: Runtime
    /// Tags from configured patterns (host, service, environment) and from the input (release).
    public var tags: [String: String]
    /// Where the record is.
    public var origin: EventOrigin
    /// The issue the event belongs to, once grouped: the config id and the hashes in Sentry's order.
    public var grouping: EventGrouping?

    public init(
        timestamp: Timestamp? = nil, level: Level, logger: String? = nil, thread: String? = nil,
        message: String? = nil, exceptions: [ExceptionRecord] = [], threads: [ThreadStack] = [],
        runtime: Runtime = .unknown, tags: [String: String] = [:], origin: EventOrigin
    ) {
        self.timestamp = timestamp
        self.level = level
        self.logger = logger
        self.thread = thread
        self.message = message
        self.exceptions = exceptions
        self.threads = threads
        self.runtime = runtime
        self.tags = tags
        self.origin = origin
    }

    /// Sentry's `platform` for this event.
    public var platform: String { runtime.sentryPlatform }

    /// A message event has no exception: an ERROR record without a trace.
    public var isMessageEvent: Bool { exceptions.isEmpty }
}

/// How an event was grouped: what an issue is known by.
public struct EventGrouping: Sendable, Hashable, Codable {
    /// The grouping config of the hashes (`newstyle:2023-01-11`).
    public var config: String
    /// Every contributing variant's hash, non-`system` variants first: an event belongs to the issue that
    /// already owns any of them. The first is the primary hash.
    public var hashes: [String]
    /// A title set by a fingerprint rule.
    public var title: String?

    public init(config: String, hashes: [String], title: String? = nil) {
        self.config = config
        self.hashes = hashes
        self.title = title
    }

    public init(_ result: GroupingResult) {
        self.init(config: result.config, hashes: result.hashes, title: result.title)
    }

    /// The hash an issue is known by.
    public var primaryHash: String? { hashes.first }
}

/// A point in time as written in the log, parsed where the format allows.
public struct Timestamp: Sendable, Hashable, Codable {
    /// The text as it appeared.
    public var text: String
    /// Seconds since 1970-01-01T00:00:00Z, if the text could be parsed. Without a zone in the text, the
    /// time is read as UTC and ``utcOffsetKnown`` is false.
    public var secondsSince1970: Double?
    /// Whether the text carried its zone (`Z`, `+01:00`).
    public var utcOffsetKnown: Bool

    public init(text: String, secondsSince1970: Double?, utcOffsetKnown: Bool) {
        self.text = text
        self.secondsSince1970 = secondsSince1970
        self.utcOffsetKnown = utcOffsetKnown
    }
}

/// Severity, ordered. Names follow the common log vocabularies; `critical` covers FATAL, CRITICAL,
/// SEVERE-as-fatal, PANIC, EMERG and ALERT.
public enum Level: Int, Sendable, Hashable, Codable, Comparable, CaseIterable, CustomStringConvertible {
    case trace, debug, info, notice, warning, error, critical

    public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The level's name: `trace`, `debug`, `info`, `notice`, `warning`, `error`, `critical`.
    public var description: String {
        switch self {
        case .trace: return "trace"
        case .debug: return "debug"
        case .info: return "info"
        case .notice: return "notice"
        case .warning: return "warning"
        case .error: return "error"
        case .critical: return "critical"
        }
    }

    /// Encoded by name, so JSON says `"level": "error"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let name = try container.decode(String.self)
        guard let level = Level.allCases.first(where: { $0.description == name }) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown level \(name)")
        }
        self = level
    }

    /// The name Sentry uses (`debug`, `info`, `warning`, `error`, `fatal`).
    public var sentryName: String {
        switch self {
        case .trace, .debug: return "debug"
        case .info, .notice: return "info"
        case .warning: return "warning"
        case .error: return "error"
        case .critical: return "fatal"
        }
    }

    /// Reads a level word as logs write it: `ERROR`, `error`, `E` (klog), `SEVERE` (java.util.logging),
    /// `err`/`crit`/`emerg` (syslog), `WARN`/`WARNING`, `FATAL`, `CRITICAL`, `PANIC`, `DPANIC`. Case-insensitive.
    public init?(word: some StringProtocol) {
        switch word.lowercased() {
        case "trace", "finest", "finer", "verbose", "t": self = .trace
        case "debug", "fine", "config", "dbug", "d": self = .debug
        case "info", "information", "informational", "i": self = .info
        case "notice": self = .notice
        case "warn", "warning", "w": self = .warning
        case "error", "err", "severe", "e", "eror": self = .error
        case "fatal", "critical", "crit", "panic", "dpanic", "emerg", "emergency", "alert", "f", "c": self = .critical
        default: return nil
        }
    }
}

/// The runtime whose trace format an event was read from.
public enum Runtime: String, Sendable, Hashable, Codable, CaseIterable {
    case java, python, node, javascript, go, ruby, dotnet, php, rust, swift, unknown

    /// The `platform` value Sentry's SDKs send for this runtime.
    public var sentryPlatform: String {
        switch self {
        case .java: return "java"
        case .python: return "python"
        case .node: return "node"
        case .javascript: return "javascript"
        case .go: return "go"
        case .ruby: return "ruby"
        case .dotnet: return "csharp"
        case .php: return "php"
        case .rust, .swift: return "native"
        case .unknown: return "other"
        }
    }
}

/// One exception of a chain.
public struct ExceptionRecord: Sendable, Hashable, Codable {
    /// The type as the platform's Sentry SDK reports it: the simple class name for Java
    /// (`NullPointerException`) with the package in ``module``; the class name for Python (`TimeoutError`)
    /// with its module (`redis.exceptions`); `panic` or the runtime error kind for Go; the constructor name
    /// for JavaScript (`TypeError`).
    public var type: String
    /// The exception message, if any.
    public var value: String?
    /// The module or package of the type, if the runtime prints it.
    public var module: String?
    /// Frames, **caller first** and the crashing frame last, as Sentry orders them.
    public var frames: [Frame]
    /// How this exception relates to the next one in the chain: `cause` (Java `Caused by:`, Python
    /// "direct cause"), `context` (Python "during handling"), `suppressed`, `inner` (.NET `--->`),
    /// `group` (an ExceptionGroup member); `nil` for the outermost exception.
    public var relation: String?
    /// Frames elided by the runtime (`... 12 more`) that were re-expanded from the enclosing trace.
    public var framesOmitted: Int?

    public init(type: String, value: String? = nil, module: String? = nil, frames: [Frame] = [],
                relation: String? = nil, framesOmitted: Int? = nil) {
        self.type = type
        self.value = value
        self.module = module
        self.frames = frames
        self.relation = relation
        self.framesOmitted = framesOmitted
    }
}

/// One stack frame, with the fields Sentry's grouping reads.
///
/// A value type whose fields live in one copy-on-write box: a frame is copied several times on its way (the
/// grammars' line memo, the exception chain, scrubbing, the event), and retaining one reference costs less
/// than retaining seven strings. Frames that share a box compare equal at once.
public struct Frame: Sendable, Hashable, Codable {
    /// The function or method (`getOrder`, `process_order`, `(*Server).handleOrder`, `OrderService.load`).
    public var function: String? {
        get { storage.fields.function }
        set { mutate { $0.function = newValue } }
    }
    /// The module: Java class (`com.acme.api.OrderController`), Python module, Go package path.
    public var module: String? {
        get { storage.fields.module }
        set { mutate { $0.module = newValue } }
    }
    /// The package or binary for native frames (`java.base` for a JDK module, a crate, a dylib).
    public var package: String? {
        get { storage.fields.package }
        set { mutate { $0.package = newValue } }
    }
    /// The file name as printed (`OrderController.java`, `/srv/app/worker/tasks.py`).
    public var filename: String? {
        get { storage.fields.filename }
        set { mutate { $0.filename = newValue } }
    }
    /// The absolute path or URL, when the runtime prints one.
    public var absPath: String? {
        get { storage.fields.absPath }
        set { mutate { $0.absPath = newValue } }
    }
    /// 1-based line number.
    public var lineno: Int? {
        get { storage.fields.lineno }
        set { mutate { $0.lineno = newValue } }
    }
    /// 1-based column number.
    public var colno: Int? {
        get { storage.fields.colno }
        set { mutate { $0.colno = newValue } }
    }
    /// The source line the runtime printed with the frame (Python tracebacks), trimmed.
    public var contextLine: String? {
        get { storage.fields.contextLine }
        set { mutate { $0.contextLine = newValue } }
    }
    /// Whether the frame is the application's own code; decided later by grouping rules.
    public var inApp: Bool? {
        get { storage.fields.inApp }
        set { mutate { $0.inApp = newValue } }
    }
    /// The frame's text as it appeared in the log, trimmed.
    public var raw: String {
        get { storage.fields.raw }
        set { mutate { $0.raw = newValue } }
    }

    public init(function: String? = nil, module: String? = nil, package: String? = nil, filename: String? = nil,
                absPath: String? = nil, lineno: Int? = nil, colno: Int? = nil, contextLine: String? = nil,
                inApp: Bool? = nil, raw: String) {
        storage = Storage(Fields(function: function, module: module, package: package, filename: filename,
                                 absPath: absPath, lineno: lineno, colno: colno, contextLine: contextLine,
                                 inApp: inApp, raw: raw))
    }

    /// The fields, encoded under their own names.
    private struct Fields: Hashable, Codable {
        var function: String?
        var module: String?
        var package: String?
        var filename: String?
        var absPath: String?
        var lineno: Int?
        var colno: Int?
        var contextLine: String?
        var inApp: Bool?
        var raw: String
    }

    /// Unchecked `Sendable`: a box is written only through ``mutate(_:)``, which first makes it unique to the
    /// writer (`isKnownUniquelyReferenced`), so no other frame or thread can see the write.
    private final class Storage: @unchecked Sendable {
        var fields: Fields
        init(_ fields: Fields) { self.fields = fields }
    }

    private var storage: Storage

    private mutating func mutate(_ change: (inout Fields) -> Void) {
        if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.fields) }
        change(&storage.fields)
    }

    public static func == (lhs: Frame, rhs: Frame) -> Bool {
        lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields
    }

    public func hash(into hasher: inout Hasher) {
        storage.fields.hash(into: &hasher)
    }

    public init(from decoder: any Decoder) throws {
        storage = Storage(try Fields(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try storage.fields.encode(to: encoder)
    }
}

/// The stack of a thread or goroutine other than the crashing one.
public struct ThreadStack: Sendable, Hashable, Codable {
    /// The id as printed (`1` for `goroutine 1`), if any.
    public var id: String?
    /// The state or name (`running`, `chan receive, 5 minutes`, `main`).
    public var state: String?
    /// Frames, caller first.
    public var frames: [Frame]
    /// Whether this thread crashed.
    public var crashed: Bool

    public init(id: String? = nil, state: String? = nil, frames: [Frame], crashed: Bool = false) {
        self.id = id
        self.state = state
        self.frames = frames
        self.crashed = crashed
    }
}

/// Where an event is in the input.
public struct EventOrigin: Sendable, Hashable, Codable {
    /// The logical file (`logs.tar.gz!/app/app.log.3`).
    public var file: String
    /// 1-based line numbers of the record's first and last line.
    public var firstLine: Int
    public var lastLine: Int
    /// Byte offset of the record's first line in the logical file's decoded content.
    public var byteOffset: Int64

    public init(file: String, firstLine: Int, lastLine: Int, byteOffset: Int64) {
        self.file = file
        self.firstLine = firstLine
        self.lastLine = lastLine
        self.byteOffset = byteOffset
    }
}
