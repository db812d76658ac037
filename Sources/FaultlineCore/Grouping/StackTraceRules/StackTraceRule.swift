/// One stack trace rule (formerly a grouping enhancement, reference §9): matchers that must all hold on one
/// frame (and on the exception that owns the stack trace), and the actions applied where they do.
///
/// ```
/// family:javascript path:**/node_modules/** -app -group
/// [ category:std ] | category:std category=internals
/// error.mechanism:ANR invert-stacktrace=1
/// ```
public struct StackTraceRule: Sendable, Hashable, CustomStringConvertible {
    /// In written order; a caller matcher (`[ m ] |`) comes first, a callee matcher (`| [ m ]`) last.
    public let matchers: [StackTraceMatcher]
    /// In written order.
    public let actions: [StackTraceAction]
    /// Whether the rule comes from a built-in base rather than from the project; hints say so.
    public var isBuiltIn: Bool
    /// The exception matchers (`type`, `value`, `mechanism`), checked once per stack trace.
    let exceptionMatchers: [StackTraceMatcher]
    /// The frame matchers, checked per frame index (caller and callee ones at the neighbour).
    let frameMatchers: [StackTraceMatcher]

    public init(matchers: [StackTraceMatcher], actions: [StackTraceAction], isBuiltIn: Bool = false) {
        self.matchers = matchers
        self.actions = actions
        self.isBuiltIn = isBuiltIn
        exceptionMatchers = matchers.filter(\.field.isExceptionField)
        frameMatchers = matchers.filter { !$0.field.isExceptionField }
    }

    /// The rule in canonical form: short matcher names, then the actions (`function:runApp -app -group`).
    public var description: String { Self.text(matchers, actions) }

    /// Whether the rule changes frames in the classifier pass (`+app`, `-app`, `category=`).
    public var isClassifier: Bool { actions.contains { $0.isClassifier } }

    /// Whether the rule takes part in the contributes pass (`±group`, `max-frames`, `min-frames`,
    /// `invert-stacktrace`).
    public var isContributor: Bool { actions.contains { !$0.isClassifier } }

    /// The rule as its classifier half: the matchers and the `±app` / `category=` actions only. Hints about
    /// in-app changes name this text (`function:recordMetrics +app`).
    public var classifierDescription: String { Self.text(matchers, actions.filter(\.isClassifier)) }

    /// The rule as its contributes half: the matchers and the other actions only. Hints about contributions
    /// name this text (`function:recordMetrics -group`).
    public var contributorDescription: String { Self.text(matchers, actions.filter { !$0.isClassifier }) }

    private static func text(_ matchers: [StackTraceMatcher], _ actions: [StackTraceAction]) -> String {
        (matchers.map(\.description) + actions.map(\.description)).joined(separator: " ")
    }
}

/// A matcher: `name:argument`, optionally negated with `!`, optionally tested on the caller or callee frame.
public struct StackTraceMatcher: Sendable, Hashable, CustomStringConvertible {
    /// Which frame a frame matcher tests, relative to the frame index `i` a rule is checked at.
    public enum Offset: Sendable, Hashable {
        /// Frame `i`.
        case current
        /// `[ m ] |`: frame `i - 1`, the caller; fails on the first frame.
        case caller
        /// `| [ m ]`: frame `i + 1`, the callee; fails on the last frame.
        case callee
    }

    public var field: StackTraceField
    /// The argument as written, unquoted (`**/node_modules/**`, `javascript,native`, `yes`).
    public var argument: String
    public var isNegated: Bool
    public var offset: Offset
    /// The compiled glob for glob fields; `nil` for `family` and `app`.
    let glob: SentryGlob?
    /// `family:` values, split on commas.
    let families: Set<String>
    /// `app:` value; `nil` when the argument is not one of `1 yes true 0 no false` (never matches).
    let inApp: Bool?

    public init(field: StackTraceField, argument: String, isNegated: Bool = false, offset: Offset = .current) {
        self.field = field
        self.argument = argument
        self.isNegated = isNegated
        self.offset = offset
        switch field {
        case .path, .package:
            glob = SentryGlob(argument, kind: .path)
        case .module, .function, .category, .type, .value, .mechanism:
            glob = SentryGlob(argument, kind: .plain(caseSensitive: true))
        case .family, .app:
            glob = nil
        }
        families = field == .family ? Set(argument.split(separator: ",", omittingEmptySubsequences: false).map(String.init)) : []
        inApp = field == .app ? stackTraceRuleBool(argument) : nil
    }

    /// `!path:**/vendor/**`, `[ category:std ] |`, `| [ function:foo ]`; arguments with spaces are quoted.
    public var description: String {
        let needsQuotes = argument.isEmpty || argument.unicodeScalars.contains { $0.properties.isWhitespace }
        let argumentText = needsQuotes ? "\"\(argument)\"" : argument
        let text = "\(isNegated ? "!" : "")\(field.rawValue):\(argumentText)"
        switch offset {
        case .current: return text
        case .caller: return "[ \(text) ] |"
        case .callee: return "| [ \(text) ]"
        }
    }
}

/// The fields a matcher can test; the raw value is the canonical (short) name.
public enum StackTraceField: String, Sendable, Hashable, CaseIterable {
    /// `abs_path` or else `filename`, lowercased, `\` as `/`; a path glob.
    case path
    /// The module as sent; a case-sensitive glob.
    case module
    /// The (trimmed) function, `<unknown>` when missing; a case-sensitive glob.
    case function
    /// The package (native image), lowercased, `\` as `/`; a path glob.
    case package
    /// `native`, `javascript` or `other`, from the frame's platform or else the event's: a comma list, `all`.
    case family
    /// The frame's in-app flag (`nil` counts as `false`): `1 yes true` or `0 no false`.
    case app
    /// The category set by earlier `category=` rules; a case-sensitive glob.
    case category
    /// The owning exception's type, `<unknown>` when missing or without exception.
    case type
    /// The owning exception's value, `<unknown>` when missing or without exception.
    case value
    /// The owning exception's `mechanism.type`, `<unknown>` when missing or without exception.
    case mechanism

    /// Every name the field is written as: the short name and its long alias.
    public var names: [String] {
        switch self {
        case .path: ["path", "stack.abs_path"]
        case .module: ["module", "stack.module"]
        case .function: ["function", "stack.function"]
        case .package: ["package", "stack.package"]
        case .family: ["family"]
        case .app: ["app"]
        case .category: ["category"]
        case .type: ["type", "error.type"]
        case .value: ["value", "error.value"]
        case .mechanism: ["mechanism", "error.mechanism"]
        }
    }

    /// The field a name denotes, short or long.
    public init?(name: String) {
        guard let field = Self.allCases.first(where: { $0.names.contains(name) }) else { return nil }
        self = field
    }

    /// Whether the field belongs to the exception rather than to a frame.
    public var isExceptionField: Bool {
        switch self {
        case .type, .value, .mechanism: true
        default: false
        }
    }
}

/// An action of a rule.
public enum StackTraceAction: Sendable, Hashable, CustomStringConvertible {
    /// `+app`, `-app`, `+group`, `-group`, optionally with a range (`^-group`, `v+app`).
    case flag(Flag, Bool, range: Range)
    /// `max-frames=N`: only the N contributing frames closest to the crash contribute (0: no limit).
    case maxFrames(Int)
    /// `min-frames=N`: a stack trace with fewer contributing frames (but some) does not contribute.
    case minFrames(Int)
    /// `invert-stacktrace=1`: parsed and reported; it does not change the hash.
    case invertStacktrace(Bool)
    /// `category=NAME`: sets the frame's category for later rules.
    case category(String)

    /// What a flag action sets.
    public enum Flag: String, Sendable, Hashable {
        /// The frame's in-app flag (classifier pass).
        case app
        /// Whether the frame contributes (contributes pass).
        case group
    }

    /// Which frames a flag action sets, relative to the matching frame `i`.
    public enum Range: String, Sendable, Hashable {
        /// Frame `i` only.
        case none = ""
        /// `^`: frames `i + 1 …` toward the crash (the callees).
        case up = "^"
        /// `v`: frames `… i - 1` toward the outermost caller (the callers).
        case down = "v"
    }

    /// `+app`, `^-group`, `max-frames=3`, `category=framework`.
    public var description: String {
        switch self {
        case .flag(let flag, let value, let range): "\(range.rawValue)\(value ? "+" : "-")\(flag.rawValue)"
        case .maxFrames(let count): "max-frames=\(count)"
        case .minFrames(let count): "min-frames=\(count)"
        case .invertStacktrace(let value): "invert-stacktrace=\(value ? "1" : "0")"
        case .category(let name): "category=\(name)"
        }
    }

    /// `±app` and `category=` run in the classifier pass; the rest in the contributes pass.
    public var isClassifier: Bool {
        switch self {
        case .flag(.app, _, _), .category: true
        default: false
        }
    }

    /// The indices a flag action with `range` sets for a match at `index` in `count` frames.
    static func indices(of range: Range, at index: Int, count: Int) -> Swift.Range<Int> {
        switch range {
        case .none: index..<(index + 1)
        case .up: (index + 1)..<max(count, index + 1)
        case .down: 0..<index
        }
    }
}

/// Sentry's rule booleans: `1 yes true` and `0 no false`, any case; anything else is `nil`.
func stackTraceRuleBool(_ text: String) -> Bool? {
    switch text.lowercased() {
    case "1", "yes", "true": true
    case "0", "no", "false": false
    default: nil
    }
}
