/// Sentry's stack trace rules (formerly grouping enhancements, reference §9): a parsed rule set and its two
/// passes over a stack trace.
///
/// 1. ``classify(_:exception:platform:)`` runs once per stack trace while the event is normalized: `+app`,
///    `-app` and `category=` rules set each frame's in-app flag and category.
/// 2. ``contributions(of:initiallyContributing:initialHints:inAppHints:exception:platform:variant:)`` runs per
///    variant while the strategies build component trees: `±group`, `max-frames`, `min-frames` and
///    `invert-stacktrace` decide which frames contribute.
///
/// Rules run in order, the built-in base first (`StackTraceRules.builtInBase + project`), and the last writer
/// wins.
///
/// ```swift
/// let rules = StackTraceRules.builtInBase + (try StackTraceRules(parsing: "stack.function:recordMetrics +app -group"))
/// let inAppHints = rules.classify(&frames, exception: exception, platform: "node")
/// let app = rules.contributions(of: frames, initiallyContributing: flags, inAppHints: inAppHints,
///                               exception: exception, platform: "node", variant: .app)
/// ```
public struct StackTraceRules: Sendable, Hashable {
    /// Every rule, in the order they apply.
    public let rules: [StackTraceRule]
    private let classifierRules: [StackTraceRule]
    private let contributorRules: [StackTraceRule]

    /// The rules of `text`, one per line (reference §9.1); `builtIn` marks them as a built-in base, which hints
    /// name as such.
    public init(parsing text: String, builtIn: Bool = false) throws(RuleSyntaxError) {
        self.init(rules: try StackTraceRuleParser.parse(text, builtIn: builtIn))
    }

    /// A rule set of parsed rules.
    public init(rules: [StackTraceRule] = []) {
        self.rules = rules
        classifierRules = rules.filter(\.isClassifier)
        contributorRules = rules.filter(\.isContributor)
    }

    /// The id of ``builtInBase``: the base of grouping config `newstyle:2023-01-11`.
    public static let builtInBaseID = "all-platforms:2023-01-11"

    /// The built-in base `all-platforms:2023-01-11`, its non-native part (see ``BuiltInStackTraceRules``).
    public static let builtInBase: StackTraceRules = {
        do {
            return try StackTraceRules(parsing: BuiltInStackTraceRules.allPlatforms2023, builtIn: true)
        } catch {
            preconditionFailure("the built-in stack trace rules do not parse: \(error)")
        }
    }()

    /// The base's rules followed by the project's: the order Sentry applies them in.
    public static func + (base: StackTraceRules, project: StackTraceRules) -> StackTraceRules {
        StackTraceRules(rules: base.rules + project.rules)
    }

    // MARK: - Classifier pass

    /// Classifier pass on one stack trace (frames caller first): sets ``GroupingFrame/inApp`` (`nil` becomes
    /// `false` after the pass) and ``GroupingFrame/category``, and returns, per frame, the hint of the rule that
    /// changed its in-app flag — `nil` where no rule did, or where the rules left it as the client sent it.
    ///
    /// For each rule whose exception matchers hold, all matching frames are found first, then the actions are
    /// applied to them (`^` and `v` ranges included), so a rule does not see its own changes; later rules see
    /// earlier categories and in-app flags. `platform` is the event's; a frame's own platform wins for `family:`.
    public func classify(_ frames: inout [GroupingFrame], exception: GroupingException?, platform: String) -> [String?] {
        let original = frames.map(\.inApp)
        var ruleFrames = frames.map { RuleFrame($0, platform: platform) }
        var inApp = original
        var hints = [String?](repeating: nil, count: frames.count)
        let exception = RuleException(exception)

        for rule in classifierRules where rule.matches(exception) {
            let matching = ruleFrames.indices.filter { rule.matches(ruleFrames, at: $0) }
            for index in matching {
                for action in rule.actions {
                    switch action {
                    case .flag(.app, let value, let range):
                        let hint = StackTraceRuleHints.inApp(value, by: rule)
                        for target in StackTraceAction.indices(of: range, at: index, count: frames.count) {
                            inApp[target] = value
                            ruleFrames[target].inApp = value
                            hints[target] = hint
                        }
                    case .category(let name):
                        ruleFrames[index].category = name
                    default:
                        break
                    }
                }
            }
        }

        for index in frames.indices {
            frames[index].inApp = inApp[index] ?? false
            frames[index].category = ruleFrames[index].category
            if inApp[index] == original[index] { hints[index] = nil }
        }
        return hints
    }

    // MARK: - Contributes pass

    /// Contributes pass on one stack trace for one variant.
    ///
    /// - Parameters:
    ///   - frames: The classified frames, caller first.
    ///   - initiallyContributing: Each frame component's own `contributes` (recursion and low-quality frames
    ///     already off), the same in both variants; missing entries count as `true`.
    ///   - initialHints: The frame components' own hints (`ignored due to recursion`), kept where no rule
    ///     changes the frame.
    ///   - inAppHints: What ``classify(_:exception:platform:)`` returned for these frames.
    ///   - exception: The exception that owns the stack trace; `nil` for thread and top-level stack traces.
    ///   - platform: The event's platform.
    ///   - variant: In `app`, frames that are not in-app are forced off at the end, whatever `+group` said.
    ///
    /// `±group` sets contributions over its range, starting from `initiallyContributing`; then `max-frames=N`
    /// keeps the N contributing frames closest to the crash; then `min-frames=N` discards the whole stack trace
    /// when `0 < contributing < N`; then the app variant's forcing. The frame hints are final: the in-app and
    /// contributes hints merged as Sentry merges them (see ``StackTraceRuleHints``).
    public func contributions(of frames: [GroupingFrame], initiallyContributing: [Bool], initialHints: [String?] = [],
                              inAppHints: [String?] = [], exception: GroupingException?, platform: String,
                              variant: GroupingVariantKind) -> StackTraceContributions {
        let count = frames.count
        var contributes = (0..<count).map { $0 < initiallyContributing.count ? initiallyContributing[$0] : true }
        var hints = (0..<count).map { $0 < initialHints.count ? initialHints[$0] : nil }
        let ruleFrames = frames.map { RuleFrame($0, platform: platform) }
        let exception = RuleException(exception)
        var maxFrames: (count: Int, rule: StackTraceRule?) = (0, nil)
        var minFrames: (count: Int, rule: StackTraceRule?) = (0, nil)
        var invert = false

        for rule in contributorRules where rule.matches(exception) {
            for index in ruleFrames.indices where rule.matches(ruleFrames, at: index) {
                for action in rule.actions {
                    switch action {
                    case .flag(.group, let value, let range):
                        for target in StackTraceAction.indices(of: range, at: index, count: count) where contributes[target] != value {
                            contributes[target] = value
                            hints[target] = StackTraceRuleHints.group(value, by: rule)
                        }
                    case .maxFrames(let limit): maxFrames = (limit, rule)
                    case .minFrames(let limit): minFrames = (limit, rule)
                    case .invertStacktrace(let value): invert = value
                    default: break
                    }
                }
            }
        }

        if maxFrames.count > 0 {
            var kept = 0
            for index in contributes.indices.reversed() where contributes[index] {
                kept += 1
                guard kept > maxFrames.count else { continue }
                contributes[index] = false
                hints[index] = StackTraceRuleHints.maxFrames(maxFrames.count, by: maxFrames.rule)
            }
        }

        var stacktraceContributes = true
        var stacktraceHint: String?
        if minFrames.count > 0 {
            let contributing = contributes.count { $0 }
            if contributing > 0 && contributing < minFrames.count {
                stacktraceContributes = false
                stacktraceHint = StackTraceRuleHints.minFrames(contributing: contributing, by: minFrames.rule)
            }
        }

        var frameHints: [String?] = []
        frameHints.reserveCapacity(count)
        for index in 0..<count {
            let inApp = frames[index].inApp ?? false
            if variant == .app && !inApp { contributes[index] = false }
            frameHints.append(StackTraceRuleHints.frameHint(
                variant: variant, inApp: inApp, contributes: contributes[index],
                inAppHint: index < inAppHints.count ? inAppHints[index] : nil, contributesHint: hints[index]))
        }
        return StackTraceContributions(frameContributes: contributes, frameHints: frameHints,
                                       stacktraceContributes: stacktraceContributes, stacktraceHint: stacktraceHint,
                                       invertStacktrace: invert)
    }
}

/// The variants a stack trace is grouped in (reference §3.3): `app` keeps in-app frames only.
public enum GroupingVariantKind: String, Sendable, Hashable {
    case app, system
}

/// What the contributes pass decided for one stack trace in one variant.
public struct StackTraceContributions: Sendable, Hashable {
    /// Per frame, caller first.
    public var frameContributes: [Bool]
    /// Per frame: the final hint for the frame component.
    public var frameHints: [String?]
    /// `false` when `min-frames` discards the whole stack trace. `true` otherwise; the strategy still decides
    /// from the frames (no frames, no in-app frames, no contributing frames).
    public var stacktraceContributes: Bool
    /// Why `min-frames` discarded the stack trace.
    public var stacktraceHint: String?
    /// `invert-stacktrace=1` matched; reported only, it never changes the hash.
    public var invertStacktrace: Bool

    public init(frameContributes: [Bool], frameHints: [String?], stacktraceContributes: Bool,
                stacktraceHint: String?, invertStacktrace: Bool) {
        self.frameContributes = frameContributes
        self.frameHints = frameHints
        self.stacktraceContributes = stacktraceContributes
        self.stacktraceHint = stacktraceHint
        self.invertStacktrace = invertStacktrace
    }
}
