/// Recognises the file names log rotation produces, so the files of one log form a set read oldest first.
///
/// Every rule is data with the examples that drive its tests. Compression suffixes are removed first,
/// so `app.log.2.gz` is read as `app.log.2`.
public struct RotationName: Sendable, Hashable {
    /// Where a file sorts in its set.
    public enum Age: Sendable, Hashable, Comparable {
        /// Rotated with a date stamp (`app.log-20261124`, `app-2026-11-24.log`): oldest date first, then
        /// the counter within the day (`app.2026-11-24.0.log` before `.1.log`).
        case dated(stamp: String, counter: Int)
        /// Rotated with a counter (`app.log.1`, `app.log.2.gz`): a higher counter is older.
        case numbered(Int)
        /// The live file (`app.log`), newest.
        case live

        private var sortKey: (Int, String, Int) {
            switch self {
            case .dated(let stamp, let counter): return (0, stamp, counter)
            case .numbered(let counter): return (1, "", -counter)
            case .live: return (2, "", 0)
            }
        }

        public static func < (lhs: Age, rhs: Age) -> Bool { lhs.sortKey < rhs.sortKey }
    }

    /// The live file's name: what every file of the set is called before rotation.
    public var base: String
    public var age: Age

    /// Compression suffixes rotation tools append.
    public static let compressionSuffixes = [".gz", ".gzip", ".bz2", ".xz", ".lzma", ".zst", ".zstd", ".lz4", ".Z"]

    /// One naming scheme.
    public struct Rule: Sendable {
        public let name: String
        /// A PCRE2 pattern over the whole file name (compression suffix removed) with named groups
        /// `base`, or `stem` and `ext`; `stamp` and `counter`.
        public let pattern: String
        /// File name → base and age that the rule must produce.
        public let examples: [(file: String, base: String, age: Age)]
    }

    private static let datePart = #"(?<stamp>\d{4}-?\d{2}-?\d{2}(?:[T_.-]?\d{2}(?:[:.-]?\d{2}){0,2})?)"#
    private static let extPart = #"(?<ext>\.(?:log|txt|out|err|json|jsonl|ndjson|trace))"#

    /// The rules, tried in order; a name no rule matches is a live file.
    public static let rules: [Rule] = [
        Rule(
            name: "dated suffix (logrotate dateext, Python TimedRotatingFileHandler)",
            pattern: #"^(?<base>.+?)[._-]"# + datePart + #"(?:[._-](?<counter>\d{1,4}))?$"#,
            examples: [
                ("app.log-20261124", "app.log", .dated(stamp: "20261124", counter: 0)),
                ("app.log.2026-11-24", "app.log", .dated(stamp: "20261124", counter: 0)),
                ("app.log-2026112413", "app.log", .dated(stamp: "2026112413", counter: 0)),
                ("app.log.2026-11-24_13-00", "app.log", .dated(stamp: "202611241300", counter: 0)),
            ]),
        Rule(
            name: "dated infix (logback, log4j2 %d patterns)",
            pattern: #"^(?<stem>.+?)[._-]"# + datePart + #"(?:[._-](?<counter>\d{1,4}))?"# + extPart + "$",
            examples: [
                ("app-2026-11-24.log", "app.log", .dated(stamp: "20261124", counter: 0)),
                ("app.2026-11-24.1.log", "app.log", .dated(stamp: "20261124", counter: 1)),
                ("app-2026-11-24-3.log", "app.log", .dated(stamp: "20261124", counter: 3)),
            ]),
        Rule(
            name: "numbered suffix (logrotate, RotatingFileHandler)",
            pattern: #"^(?<base>.+)\.(?<counter>\d{1,4})$"#,
            examples: [
                ("app.log.1", "app.log", .numbered(1)),
                ("app.log.12", "app.log", .numbered(12)),
                ("syslog.3", "syslog", .numbered(3)),
            ]),
        Rule(
            name: "numbered infix (log4j DefaultRolloverStrategy)",
            pattern: #"^(?<stem>.+?)[._-](?<counter>\d{1,4})"# + extPart + "$",
            examples: [
                ("app-1.log", "app.log", .numbered(1)),
                ("app.2.log", "app.log", .numbered(2)),
            ]),
    ]

    static let compiledRules: [Pattern] = rules.map { rule in
        // The rules are constants checked by the tests; a failure here is a programming error.
        do { return try Pattern(rule.pattern) } catch { fatalError("\(error)") }
    }

    /// Parses a file name (without directories). Compression suffixes are removed first.
    public init(fileName: String) {
        self.init(fileName: fileName, matchers: Self.compiledRules.map { Matcher($0) })
    }

    /// Parses with matchers made once for many names (one per rule, in rule order).
    init(fileName: String, matchers: [Matcher]) {
        var name = fileName
        for suffix in Self.compressionSuffixes where name.hasSuffix(suffix) && name.count > suffix.count {
            name.removeLast(suffix.count)
            break
        }
        for matcher in matchers {
            // Resource limits cannot trigger on these anchored patterns and short names.
            guard let match = try? matcher.firstMatch(in: name) else { continue }
            let base = match["base"] ?? ((match["stem"] ?? "") + (match["ext"] ?? ""))
            let counter = match["counter"].flatMap { Int($0) } ?? 0
            if let stamp = match["stamp"] {
                self.init(base: base, age: .dated(stamp: stamp.filter(\.isNumber), counter: counter))
            } else {
                self.init(base: base, age: .numbered(counter))
            }
            return
        }
        self.init(base: name, age: .live)
    }

    public init(base: String, age: Age) {
        self.base = base
        self.age = age
    }
}

/// Groups paths into rotation sets and orders each set oldest first.
enum RotationPlanner {
    /// Returns, for each input in `paths`, its set name and position. Sets are keyed by directory plus base
    /// name; the directory separator is `/`. Ties (the same age twice, e.g. `app.log` and `app.log.gz`) keep
    /// the order of `paths`.
    static func positions(for paths: [String]) -> [RotationPosition] {
        var members: [String: [(index: Int, age: RotationName.Age)]] = [:]
        let matchers = RotationName.compiledRules.map { Matcher($0) }
        for (index, path) in paths.enumerated() {
            let (directory, fileName) = split(path)
            let name = RotationName(fileName: fileName, matchers: matchers)
            members[directory + name.base, default: []].append((index, name.age))
        }
        var result = [RotationPosition?](repeating: nil, count: paths.count)
        for (set, files) in members {
            let ordered = files.enumerated().sorted { lhs, rhs in
                lhs.element.age != rhs.element.age ? lhs.element.age < rhs.element.age : lhs.offset < rhs.offset
            }
            for (position, entry) in ordered.enumerated() {
                result[entry.element.index] = RotationPosition(set: set, index: position + 1, count: files.count)
            }
        }
        return result.map { $0! }
    }

    /// `dir/sub/app.log.1` → (`dir/sub/`, `app.log.1`).
    static func split(_ path: String) -> (directory: String, fileName: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        return (String(path[...slash]), String(path[path.index(after: slash)...]))
    }
}
