/// The fields of an event that Sentry's grouping reads, in Sentry's shape and order.
///
/// Built from an ``ErrorEvent`` extracted from a log, or decoded from a Sentry event payload (`faultline
/// explain --sentry-event`). Exceptions are **oldest cause first**, frames **caller first** (index 0 is the
/// outermost caller, the last frame crashed), as Sentry stores them after Relay's normalization.
public struct GroupingInput: Sendable, Hashable {
    /// The event's platform (`java`, `python`, `javascript`, `node`, `go`, `ruby`, `csharp`, `php`, `native`, …).
    public var platform: String
    public var exceptions: [GroupingException]
    /// A top-level stack trace (an event without exception, with `stacktrace`).
    public var stacktrace: GroupingStacktrace?
    public var threads: [GroupingThread]
    /// `logentry.message`: a template that differs from the formatted text, if the event has one.
    public var messageTemplate: String?
    /// `logentry.formatted`: the message as written.
    public var formattedMessage: String?
    public var logger: String?
    /// The level name as Sentry spells it (`error`, `fatal`, …).
    public var level: String?
    public var transaction: String?
    public var release: String?
    /// The SDK name (`sentry.java`, `sentry.javascript.nextjs`), for the `sdk:` fingerprint matcher.
    public var sdkName: String?
    public var tags: [String: String]
    /// The fingerprint the client sent; `nil` means `["{{ default }}"]`.
    public var fingerprint: [String]?
    /// `event.checksum`, a legacy override of every hash.
    public var checksum: String?

    public init(platform: String, exceptions: [GroupingException] = [], stacktrace: GroupingStacktrace? = nil,
                threads: [GroupingThread] = [], messageTemplate: String? = nil, formattedMessage: String? = nil,
                logger: String? = nil, level: String? = nil, transaction: String? = nil, release: String? = nil,
                sdkName: String? = nil, tags: [String: String] = [:], fingerprint: [String]? = nil,
                checksum: String? = nil) {
        self.platform = platform
        self.exceptions = exceptions
        self.stacktrace = stacktrace
        self.threads = threads
        self.messageTemplate = messageTemplate
        self.formattedMessage = formattedMessage
        self.logger = logger
        self.level = level
        self.transaction = transaction
        self.release = release
        self.sdkName = sdkName
        self.tags = tags
        self.fingerprint = fingerprint
        self.checksum = checksum
    }
}

/// One exception of a chain (`exception.values[i]`).
public struct GroupingException: Sendable, Hashable {
    public var type: String?
    public var value: String?
    public var module: String?
    public var stacktrace: GroupingStacktrace?
    public var mechanism: GroupingMechanism?

    public init(type: String? = nil, value: String? = nil, module: String? = nil,
                stacktrace: GroupingStacktrace? = nil, mechanism: GroupingMechanism? = nil) {
        self.type = type
        self.value = value
        self.module = module
        self.stacktrace = stacktrace
        self.mechanism = mechanism
    }
}

/// `exception.mechanism`: how the exception was captured, and its place in an exception group.
public struct GroupingMechanism: Sendable, Hashable {
    public var type: String?
    /// A synthetic exception's type does not contribute.
    public var synthetic: Bool
    public var exceptionID: Int?
    public var parentID: Int?
    public var isExceptionGroup: Bool
    /// `mechanism.meta.ns_error`: domain and code (Apple platforms).
    public var nsErrorDomain: String?
    public var nsErrorCode: Int?

    public init(type: String? = nil, synthetic: Bool = false, exceptionID: Int? = nil, parentID: Int? = nil,
                isExceptionGroup: Bool = false, nsErrorDomain: String? = nil, nsErrorCode: Int? = nil) {
        self.type = type
        self.synthetic = synthetic
        self.exceptionID = exceptionID
        self.parentID = parentID
        self.isExceptionGroup = isExceptionGroup
        self.nsErrorDomain = nsErrorDomain
        self.nsErrorCode = nsErrorCode
    }
}

/// A stack trace: frames caller first.
public struct GroupingStacktrace: Sendable, Hashable {
    public var frames: [GroupingFrame]

    public init(frames: [GroupingFrame]) {
        self.frames = frames
    }
}

/// A thread of `threads.values`.
public struct GroupingThread: Sendable, Hashable {
    public var id: String?
    public var name: String?
    public var crashed: Bool
    public var current: Bool
    public var stacktrace: GroupingStacktrace?

    public init(id: String? = nil, name: String? = nil, crashed: Bool = false, current: Bool = false,
                stacktrace: GroupingStacktrace? = nil) {
        self.id = id
        self.name = name
        self.crashed = crashed
        self.current = current
        self.stacktrace = stacktrace
    }
}

/// One frame, with every field grouping reads.
public struct GroupingFrame: Sendable, Hashable {
    public var function: String?
    /// The untrimmed function, when normalization trimmed ``function`` (native family; C# groups by it).
    public var rawFunction: String?
    public var module: String?
    public var filename: String?
    public var absPath: String?
    public var package: String?
    /// The frame's own platform; `nil` means the event's.
    public var platform: String?
    public var contextLine: String?
    public var lineno: Int?
    public var colno: Int?
    /// `nil` until the stack trace rules decide; then `false` unless a rule or the client said `true`.
    public var inApp: Bool?
    /// `frame.data.category`, set by `category=` stack trace rules.
    public var category: String?
    /// `frame.data.sourcemap` is set (a source-mapped JavaScript frame).
    public var hasSourcemap: Bool

    public init(function: String? = nil, rawFunction: String? = nil, module: String? = nil, filename: String? = nil,
                absPath: String? = nil, package: String? = nil, platform: String? = nil, contextLine: String? = nil,
                lineno: Int? = nil, colno: Int? = nil, inApp: Bool? = nil, category: String? = nil,
                hasSourcemap: Bool = false) {
        self.function = function
        self.rawFunction = rawFunction
        self.module = module
        self.filename = filename
        self.absPath = absPath
        self.package = package
        self.platform = platform
        self.contextLine = contextLine
        self.lineno = lineno
        self.colno = colno
        self.inApp = inApp
        self.category = category
        self.hasSourcemap = hasSourcemap
    }
}

/// Sentry's behaviour families of platforms (`stacktraces/platform.py`).
public enum PlatformFamily: String, Sendable, Hashable, CaseIterable {
    case native, javascript, other

    /// `objc`, `cocoa`, `swift`, `native`, `c` are native; `javascript` and `node` are JavaScript.
    public init(platform: String?) {
        switch platform {
        case "objc", "cocoa", "swift", "native", "c": self = .native
        case "javascript", "node": self = .javascript
        default: self = .other
        }
    }
}
