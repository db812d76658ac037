#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole typed configuration of a run, read from YAML and handed to each stage.
///
/// Stages never read files themselves: the command line finds the file (``Configuration/locate(explicit:)``),
/// loads it here, applies its own flags on top, and passes the sections down.
///
/// ```yaml
/// # .faultline.yml
/// extraction:
///   level: error
///   record-start: '^(?<timestamp>\S+) (?<level>[A-Z]+) '
///   tags:
///     service: '(?<value>[^/]+)/[^/]+$'
/// reader:
///   max-line-bytes: 1MiB
///   max-member-bytes: 64GiB
///   max-compression-ratio: 1000
///   max-archive-depth: 4
///   exclude: ["*.pid", "**/tmp/**"]
///   include-hidden: false
///   follow-symlinks: true
///   temporary-directory: /var/tmp
/// scrubbing:
///   disable: ["@ip"]
///   enable: ["@uuid"]
///   custom-rules:
///     - name: order-id
///       pattern: 'ORD-\d{6,}'
///       placeholder: order
///   allow: ["support@acme.example"]
///   pseudonymize: true
///   card-masking: last4
/// grouping:
///   stack-trace-rules: |
///     stack.module:com.acme.* +app
///     family:javascript path:**/generated/** -group
///   fingerprint-rules: |
///     error.type:DatabaseUnavailable -> database-unavailable
///   in-app-include: ["com.acme"]
///   in-app-exclude: ["com.acme.vendor"]
///   python-source-roots: ["/srv/app"]
///   keep-placeholders: ["ip"]        # beyond Sentry, changes hashes
///   keep-http-status-codes: true     # beyond Sentry, changes hashes
///   system-frames-fallback: true     # beyond Sentry, changes hashes
/// history:
///   path: .faultline/history.sqlite
/// ```
///
/// Unknown keys and values of the wrong type are errors that name the key and its line, so a typo never
/// silently falls back to a default.
public struct Configuration: Sendable, Hashable {
    /// How inputs are found and read.
    public var reader = ReaderSettings()
    /// How records become events.
    public var extraction = ExtractionSettings()
    /// What personal data and secrets are replaced, and how.
    public var scrubbing = ScrubSettings()
    /// How events are grouped into issues.
    public var grouping = GroupingSettings()
    /// Where the history database is; `nil` means ``historyDefaultPath``.
    public var historyPath: String?

    public init() {}

    /// The file name looked up in the working directory when no `--config` is given.
    public static let defaultFileName = ".faultline.yml"

    /// The configuration file to use: the explicit path if given, else `.faultline.yml` in the working
    /// directory if it exists, else `nil` (built-in defaults).
    public static func locate(explicit: String?) -> String? {
        if let explicit { return explicit }
        return access(defaultFileName, F_OK) == 0 ? defaultFileName : nil
    }

    /// Loads a configuration file.
    public static func load(path: String) throws(ConfigurationError) -> Configuration {
        guard let text = readTextFile(path) else {
            throw ConfigurationError(file: path, problem: "cannot read the file: \(errorText())")
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses configuration text; `file` is used in error messages only.
    public static func parse(yaml: String, file: String) throws(ConfigurationError) -> Configuration {
        let root = try ConfigNode.parse(yaml, file: file)
        var configuration = Configuration()
        guard let root else { return configuration }  // an empty file means defaults
        let sections = ["reader", "extraction", "scrubbing", "grouping", "history"]
        try root.forEachEntry(of: "", known: sections) { (key, value) throws(ConfigurationError) in
            switch key {
            case "reader": try configuration.reader.apply(value)
            case "extraction": try configuration.extraction.apply(value)
            case "scrubbing": try configuration.scrubbing.apply(value)
            case "grouping": try configuration.grouping.apply(value)
            case "history":
                try value.forEachEntry(of: "history", known: ["path"]) { (_, path) throws(ConfigurationError) in
                    configuration.historyPath = try path.string()
                }
            default: break
            }
        }
        return configuration
    }

    private static func readTextFile(_ path: String) -> String? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if count < buffer.count { break }
        }
        if ferror(file) != 0 { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension ReaderSettings {
    /// Applies the `reader:` section.
    mutating func apply(_ section: ConfigNode) throws(ConfigurationError) {
        let known = ["max-line-bytes", "max-member-bytes", "max-compression-ratio", "ratio-check-after-bytes",
                     "max-archive-depth", "exclude", "include-hidden", "follow-symlinks", "temporary-directory"]
        try section.forEachEntry(of: "reader", known: known) { (key, value) throws(ConfigurationError) in
            switch key {
            case "max-line-bytes": maxLineBytes = Int(try value.byteSize(minimum: 64))
            case "max-member-bytes": maxMemberBytes = try value.byteSize(minimum: 1)
            case "max-compression-ratio": maxCompressionRatio = try value.number(minimum: 1)
            case "ratio-check-after-bytes": ratioCheckAfterBytes = try value.byteSize(minimum: 0)
            case "max-archive-depth": maxArchiveDepth = try value.integer(minimum: 1)
            case "exclude": exclude = try value.stringList()
            case "include-hidden": includeHidden = try value.boolean()
            case "follow-symlinks": followSymlinks = try value.boolean()
            case "temporary-directory": temporaryDirectory = try value.string()
            default: break
            }
        }
    }
}

extension ExtractionSettings {
    /// Applies the `extraction:` section. Patterns are compiled here, so a bad one names its key and line.
    mutating func apply(_ section: ConfigNode) throws(ConfigurationError) {
        let known = ["level", "record-start", "max-record-lines", "tags"]
        try section.forEachEntry(of: "extraction", known: known) { (key, value) throws(ConfigurationError) in
            switch key {
            case "level":
                let word = try value.string()
                guard let level = Level(word: word) else {
                    throw value.failure("expected a level such as error, warning or critical")
                }
                levelThreshold = level
            case "record-start": recordStart = try value.pattern()
            case "max-record-lines": maxRecordLines = try value.integer(minimum: 2)
            case "tags":
                var parsed: [String: String] = [:]
                try value.forEachEntry(of: value.key, known: nil) { (name, pattern) throws(ConfigurationError) in
                    parsed[name] = try pattern.pattern()
                }
                tags = parsed
            default: break
            }
        }
    }
}

extension ScrubSettings {
    /// Applies the `scrubbing:` section. Rule names are checked and custom patterns compiled here, so a mistake names
    /// its key and line.
    mutating func apply(_ section: ConfigNode) throws(ConfigurationError) {
        let known = ["disable", "enable", "custom-rules", "allow", "pseudonymize", "card-masking"]
        try section.forEachEntry(of: "scrubbing", known: known) { (key, value) throws(ConfigurationError) in
            switch key {
            case "disable": disabledRules = try Self.ruleNames(value, optIn: false)
            case "enable": enabledOptInRules = try Self.ruleNames(value, optIn: true)
            case "custom-rules":
                var rules: [CustomScrubRule] = []
                for item in try value.sequence(indexed: true) {
                    let rule = try Self.customRule(item)
                    if rules.contains(where: { $0.name == rule.name }) {
                        throw item.failure("the rule name '\(rule.name)' is used twice")
                    }
                    rules.append(rule)
                }
                customRules = rules
            case "allow": allowList = try value.stringList()
            case "pseudonymize": pseudonymize = try value.boolean()
            case "card-masking":
                guard let masking = CardMasking(rawValue: try value.string()) else {
                    throw value.failure("expected placeholder or last4")
                }
                cardMasking = masking
            default: break
            }
        }
    }

    /// Built-in rule names; with `optIn`, only the opt-in ones.
    private static func ruleNames(_ list: ConfigNode, optIn: Bool) throws(ConfigurationError) -> Set<String> {
        let rules = ScrubRule.builtIn
        var names: Set<String> = []
        for item in try list.sequence(indexed: false) {
            let name = try item.string()
            guard let rule = rules.first(where: { $0.name == name }) else {
                let closest = rules.map(\.name).min { editDistance($0, name) < editDistance($1, name) }
                    .flatMap { editDistance($0, name) <= 3 ? " (did you mean '\($0)'?)" : nil } ?? ""
                throw item.failure("unknown rule '\(name)'\(closest); built-in rules: "
                                   + rules.map(\.name).joined(separator: ", "))
            }
            if optIn && !rule.isOptIn {
                throw item.failure("'\(name)' is on by default; opt-in rules: "
                                   + rules.filter(\.isOptIn).map(\.name).joined(separator: ", "))
            }
            names.insert(name)
        }
        return names
    }

    /// One entry of `custom-rules`: `name`, `pattern` (PCRE2, compiled now) and `placeholder` (default: the name).
    private static func customRule(_ item: ConfigNode) throws(ConfigurationError) -> CustomScrubRule {
        var name: String?
        var pattern: String?
        var placeholder: String?
        try item.forEachEntry(of: item.key, known: ["name", "pattern", "placeholder"]) { (key, value) throws(ConfigurationError) in
            switch key {
            case "name":
                let text = try value.string()
                guard !text.isEmpty, !text.hasPrefix("@") else {
                    throw value.failure("a custom rule's name must not be empty nor start with '@' (built-in rules do)")
                }
                name = text
            case "pattern":
                let text = try value.string()
                do throws(PatternError) {
                    _ = try Pattern(text)
                } catch {
                    throw value.failure("invalid pattern \(text.debugDescription) at offset \(error.patternOffset ?? 0): \(error.message)")
                }
                pattern = text
            case "placeholder":
                let text = try value.string()
                guard !text.isEmpty, text != "[]" else { throw value.failure("the placeholder must not be empty") }
                placeholder = text
            default: break
            }
        }
        guard let name else { throw item.failure("a custom rule needs a 'name'") }
        guard let pattern else { throw item.failure("a custom rule needs a 'pattern'") }
        return CustomScrubRule(name: name, pattern: pattern, placeholder: placeholder)
    }
}

extension GroupingSettings {
    /// Applies the `grouping:` section. Rules are parsed here, so a syntax error names the configuration file's
    /// line and the column in the rule.
    mutating func apply(_ section: ConfigNode) throws(ConfigurationError) {
        let known = ["stack-trace-rules", "fingerprint-rules", "in-app-include", "in-app-exclude", "python-source-roots",
                     "keep-placeholders", "keep-http-status-codes", "system-frames-fallback"]
        try section.forEachEntry(of: "grouping", known: known) { (key, value) throws(ConfigurationError) in
            switch key {
            case "stack-trace-rules":
                let text = try value.string()
                do throws(RuleSyntaxError) {
                    stackTraceRules = try StackTraceRules(parsing: text)
                } catch {
                    throw value.failure(inText: error.line, column: error.column,
                                        "stack trace rule: \(error.message)")
                }
            case "fingerprint-rules":
                let text = try value.string()
                do throws(FingerprintRuleError) {
                    fingerprintRules = try FingerprintRules(parsing: text)
                } catch {
                    throw value.failure(inText: error.line ?? 1, column: error.column ?? 1,
                                        "fingerprint rule: \(error.message)")
                }
            case "in-app-include": inAppInclude = try value.stringList()
            case "in-app-exclude": inAppExclude = try value.stringList()
            case "python-source-roots": pythonSourceRoots = try value.stringList()
            case "keep-placeholders":
                let names = try value.stringList()
                let unknown = names.filter { !MessageParameterization.placeholderNames.contains($0) }
                guard unknown.isEmpty else {
                    throw value.failure("unknown placeholder \(unknown.map { "'\($0)'" }.joined(separator: ", ")); known: "
                                        + MessageParameterization.placeholderNames.joined(separator: ", "))
                }
                keptPlaceholders = Set(names)
            case "keep-http-status-codes": keepHTTPStatusCodes = try value.boolean()
            case "system-frames-fallback": systemFramesFallback = try value.boolean()
            default: break
            }
        }
    }
}
