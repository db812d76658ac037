/// What a fingerprint matcher tests (reference §8.2), by its canonical name.
///
/// | keys | canonical | record | semantics |
/// |---|---|---|---|
/// | `error.type`, `type` | `type` | one per exception | glob, case-sensitive |
/// | `error.value`, `value` | `value` | one per exception | glob, case-insensitive |
/// | `message` | `message` | the formatted message, stripped, and one per exception | glob, case-insensitive, on the message or the exception value |
/// | `logger` | `logger` | the event | glob, case-sensitive |
/// | `level` | `level` | the event | glob, case-insensitive |
/// | `tags.<name>` | same | the event's tags | glob, case-sensitive |
/// | `stack.function`, `function` | `function` | one per frame | glob, case-sensitive; `<unknown>` without function |
/// | `stack.module`, `module` | `module` | one per frame | glob, case-sensitive |
/// | `stack.abs_path`, `path` | `path` | one per frame | path glob on `abs_path or filename`, then on `filename` |
/// | `stack.package`, `package` | `package` | one per frame | path glob |
/// | `app` | `app` | one per frame | `in_app` equals `1/yes/true` or `0/no/false` (any case) |
/// | `family` | `family` | the event | comma list of `native`, `javascript`, `other`; `all` matches all |
/// | `sdk` | `sdk` | the event | comma list, exact |
/// | `release` | `release` | the event | path glob |
public enum FingerprintMatcherKey: Sendable, Hashable {
    case type, value, message, logger, level, function, module, path, package, app, family, sdk, release
    /// `tags.<name>`.
    case tag(String)

    /// Every key the rules accept (`tags.<name>` aside) with its canonical key, as data.
    public static let names: [(key: String, canonical: FingerprintMatcherKey)] = [
        ("type", .type), ("error.type", .type),
        ("value", .value), ("error.value", .value),
        ("message", .message),
        ("logger", .logger),
        ("level", .level),
        ("function", .function), ("stack.function", .function),
        ("module", .module), ("stack.module", .module),
        ("path", .path), ("stack.abs_path", .path),
        ("package", .package), ("stack.package", .package),
        ("app", .app),
        ("family", .family),
        ("sdk", .sdk),
        ("release", .release),
    ]

    /// The canonical key of a key as written (`error.type` → `type`), or `nil` for an unknown one.
    public init?(_ key: String) {
        if key.hasPrefix("tags.") {
            self = .tag(String(key.dropFirst(5)))
            return
        }
        guard let canonical = Self.names.first(where: { $0.key == key })?.canonical else { return nil }
        self = canonical
    }

    /// The canonical name, as Sentry stores it (`type`, `tags.server_name`).
    public var name: String {
        switch self {
        case .type: "type"
        case .value: "value"
        case .message: "message"
        case .logger: "logger"
        case .level: "level"
        case .function: "function"
        case .module: "module"
        case .path: "path"
        case .package: "package"
        case .app: "app"
        case .family: "family"
        case .sdk: "sdk"
        case .release: "release"
        case .tag(let name): "tags." + name
        }
    }

    /// The kind of record the key is tested on. All matchers of one rule with the same record kind must hold
    /// on one record.
    var recordKind: FingerprintRecordKind {
        switch self {
        case .message: .toplevel
        case .logger, .level: .logInfo
        case .type, .value: .exceptions
        case .tag: .tags
        case .sdk: .sdk
        case .family: .family
        case .release: .release
        case .function, .module, .path, .package, .app: .frames
        }
    }
}

/// One `key:pattern` condition of a fingerprint rule, possibly negated (`!path:**/vendor/**`).
///
/// A record without the value fails the positive test, so a negated matcher holds on it. A rule whose
/// records of a kind do not exist at all (no exception, no frame) never matches, negated or not.
public struct FingerprintMatcher: Sendable, Hashable {
    public let key: FingerprintMatcherKey
    /// The pattern as written (unescaped when it was quoted).
    public let pattern: String
    public let isNegated: Bool
    private let test: Test

    private enum Test: Sendable, Hashable {
        case glob(SentryGlob)
        /// `family` and `sdk`: the comma-separated names.
        case names([String])
        /// `app`: the boolean, `nil` when the pattern is not one (it never matches).
        case flag(Bool?)
    }

    /// A matcher from a key as Sentry accepts it (aliases, `tags.<name>`).
    public init(key: String, pattern: String, negated: Bool = false) throws(FingerprintRuleError) {
        guard let canonical = FingerprintMatcherKey(key) else {
            throw FingerprintRuleError(.unknownMatcher(key), line: nil, column: nil)
        }
        self.init(key: canonical, pattern: pattern, negated: negated)
    }

    public init(key: FingerprintMatcherKey, pattern: String, negated: Bool = false) {
        self.key = key
        self.pattern = pattern
        self.isNegated = negated
        switch key {
        case .path, .package, .release:
            test = .glob(SentryGlob(pattern, kind: .path))
        case .family, .sdk:
            test = .names(pattern.split(separator: ",", omittingEmptySubsequences: false).map(String.init))
        case .app:
            switch pattern.lowercased() {
            case "1", "yes", "true": test = .flag(true)
            case "0", "no", "false": test = .flag(false)
            default: test = .flag(nil)
            }
        case .value, .message, .level:
            test = .glob(SentryGlob(pattern, kind: .plain(caseSensitive: false)))
        case .type, .logger, .function, .module, .tag:
            test = .glob(SentryGlob(pattern, kind: .plain(caseSensitive: true)))
        }
    }

    /// Sentry's text of the matcher: `!path:"**/x/**"` (canonical key, pattern quoted as is).
    public var text: String {
        "\(isNegated ? "!" : "")\(key.name):\"\(pattern)\""
    }

    /// Whether the matcher holds on one record of its kind.
    func matches(_ record: FingerprintRecord) -> Bool {
        positiveMatch(record) != isNegated
    }

    private func positiveMatch(_ record: FingerprintRecord) -> Bool {
        switch (key, record) {
        case (.path, .frame(let frame)):
            if glob(frame.absPath) { return true }
            return frame.filename != frame.absPath && glob(frame.filename)
        case (.message, .message(let text)):
            return glob(text)
        case (.type, .exception(let type, _)):
            return glob(type)
        case (.value, .exception(_, let value)):
            return glob(value)
        case (.logger, .logInfo(let logger, _)):
            return glob(logger)
        case (.level, .logInfo(_, let level)):
            return glob(level)
        case (.tag(let name), .tags(let tags)):
            return glob(tags[name])
        case (.function, .frame(let frame)):
            return glob(frame.function)
        case (.module, .frame(let frame)):
            return glob(frame.module)
        case (.package, .frame(let frame)):
            return glob(frame.package)
        case (.app, .frame(let frame)):
            guard case .flag(let wanted) = test, let wanted, let inApp = frame.inApp else { return false }
            return inApp == wanted
        case (.family, .family(let family)), (.sdk, .sdk(let family)):
            guard case .names(let names) = test else { return false }
            return names.contains("all") || names.contains(family)
        case (.release, .release(let release)):
            return glob(release)
        default:
            return false
        }
    }

    private func glob(_ value: String?) -> Bool {
        guard let value, case .glob(let glob) = test else { return false }
        return glob.matches(value)
    }
}

// MARK: - Records

/// The kinds of records matchers test, as Sentry's event datastore for fingerprinting hands them out.
enum FingerprintRecordKind: Sendable, Hashable, CaseIterable {
    case exceptions, toplevel, logInfo, tags, frames, family, sdk, release
}

/// One record a matcher is tested on.
enum FingerprintRecord {
    case exception(type: String?, value: String?)
    /// The formatted message (stripped), or an exception's value: the `message` matcher's records.
    case message(String?)
    case logInfo(logger: String?, level: String?)
    case tags([String: String])
    case frame(Frame)
    case family(String)
    case sdk(String)
    case release(String?)

    struct Frame {
        /// The function, `<unknown>` when the frame has none.
        var function: String
        /// `abs_path`, else `filename`.
        var absPath: String?
        var filename: String?
        var module: String?
        var package: String?
        var inApp: Bool?
    }
}

/// An event's records, each kind built the first time a rule asks for it.
struct FingerprintRecords {
    let input: GroupingInput
    private var cache: [FingerprintRecordKind: [FingerprintRecord]] = [:]

    init(_ input: GroupingInput) {
        self.input = input
    }

    mutating func records(_ kind: FingerprintRecordKind) -> [FingerprintRecord] {
        if let cached = cache[kind] { return cached }
        let records = build(kind)
        cache[kind] = records
        return records
    }

    private func build(_ kind: FingerprintRecordKind) -> [FingerprintRecord] {
        switch kind {
        case .exceptions:
            return input.exceptions.map { .exception(type: $0.type, value: $0.value) }
        case .toplevel:
            var records: [FingerprintRecord] = []
            if let formatted = input.formattedMessage, !formatted.isEmpty {
                records.append(.message(PythonText.stripped(formatted)))
            }
            records += input.exceptions.map { .message($0.value) }
            return records
        case .logInfo:
            return [.logInfo(logger: input.logger, level: input.level)]
        case .tags:
            return [.tags(input.tags)]
        case .frames:
            var stacks: [GroupingStacktrace] = []
            if let stacktrace = input.stacktrace { stacks.append(stacktrace) }
            stacks += input.exceptions.compactMap(\.stacktrace)
            stacks += input.threads.compactMap(\.stacktrace)
            return stacks.flatMap(\.frames).map { frame in
                .frame(FingerprintRecord.Frame(
                    function: frame.function.flatMap { $0.isEmpty ? nil : $0 } ?? "<unknown>",
                    absPath: frame.absPath.flatMap { $0.isEmpty ? nil : $0 } ?? frame.filename,
                    filename: frame.filename, module: frame.module, package: frame.package, inApp: frame.inApp))
            }
        case .family:
            return [.family(PlatformFamily(platform: input.platform).rawValue)]
        case .sdk:
            return [.sdk(input.sdkName.flatMap { $0.isEmpty ? nil : $0 } ?? "other")]
        case .release:
            return [.release(input.release)]
        }
    }
}
