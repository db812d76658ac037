/// Sentry's server-side fingerprint rules (reference §8): an ordered list of `matchers -> fingerprint` rules
/// whose first match replaces the event's fingerprint and may set its title.
///
/// Rules are accepted unchanged from Sentry, in the text form users write (``init(parsing:builtIn:)``,
/// grammar in ``FingerprintRuleSyntax``) and in the JSON form Sentry stores and its fixtures carry
/// (``init(sentryJSON:)``). A project's rules go before the built-in base:
///
/// ```swift
/// let rules = try FingerprintRules(parsing: """
///     # database outages are one issue
///     error.type:DatabaseUnavailable -> database-unavailable
///     logger:sentry.* -> logger-{{ logger }}, title="Message from {{ logger }}"
///     """) + .builtInJavaScript2024
/// rules.firstMatch(for: input)?.fingerprint   // ["logger-", "{{ logger }}"]
/// ```
public struct FingerprintRules: Sendable, Hashable {
    /// The rules in the order they are tried.
    public var rules: [FingerprintRule]

    public init(rules: [FingerprintRule] = []) {
        self.rules = rules
    }

    /// Parses the text form. `builtIn` marks every rule as one of Sentry's built-in rules (their match hashes
    /// as `built_in_fingerprint` rather than `custom_fingerprint`).
    public init(parsing text: String, builtIn: Bool = false) throws(FingerprintRuleError) {
        var rules = try FingerprintRuleSyntax.parse(text)
        if builtIn {
            for index in rules.indices { rules[index].isBuiltIn = true }
        }
        self.rules = rules
    }

    /// Reads the JSON form: `{"version":1,"rules":[{"matchers":[["type","Foo"],["!path","**/x/**"]],
    /// "fingerprint":[…],"attributes":{"title":…},"text":…,"is_builtin":true}]}`. A bare array of rules, as
    /// the `_fingerprinting_rules` key of Sentry's grouping fixtures holds it, is read as version 1.
    public init(sentryJSON: [UInt8]) throws(FingerprintRuleError) {
        self.rules = try FingerprintRulesJSON.rules(from: sentryJSON)
    }

    /// Sentry's built-in base `javascript@2024-02-02`, which the grouping config `newstyle:2023-01-11` tries
    /// after the project's rules. See ``BuiltInFingerprintRules``.
    public static let builtInJavaScript2024: FingerprintRules = {
        do {
            return try FingerprintRules(parsing: BuiltInFingerprintRules.javaScript2024, builtIn: true)
        } catch {
            fatalError("built-in fingerprint rules do not parse: \(error)")
        }
    }()

    /// The project's rules, then the base's: the order Sentry tries them in.
    public static func + (project: FingerprintRules, base: FingerprintRules) -> FingerprintRules {
        FingerprintRules(rules: project.rules + base.rules)
    }

    /// The first rule that matches the event (its frames' inApp already decided by the stack trace rules).
    ///
    /// The match carries the rule's fingerprint as written (variables unresolved: ``FingerprintKind`` needs
    /// `{{ default }}`, and ``FingerprintVariables/resolve(_:in:legacyUnknownVariables:)`` resolves the rest)
    /// and its title already expanded.
    public func firstMatch(for input: GroupingInput) -> FingerprintMatch? {
        guard !rules.isEmpty else { return nil }
        var records = FingerprintRecords(input)
        for rule in rules where rule.matches(&records) {
            return FingerprintMatch(
                ruleText: rule.text, fingerprint: rule.fingerprint,
                title: rule.title.flatMap { $0.isEmpty ? nil : FingerprintVariables.expandTitle($0, in: input) },
                isBuiltIn: rule.isBuiltIn)
        }
        return nil
    }
}

/// One rule: matchers, the fingerprint it gives, and an optional title.
public struct FingerprintRule: Sendable, Hashable {
    public let matchers: [FingerprintMatcher]
    /// The fingerprint as written, split and unescaped; `{{default}}` variations read `{{ default }}`.
    public let fingerprint: [String]
    /// The `title="…"` attribute, variables unexpanded.
    public let title: String?
    /// One of Sentry's built-in rules rather than the project's.
    public var isBuiltIn: Bool
    /// The matchers grouped by the kind of record they test, in order of first appearance.
    private let groups: [MatcherGroup]

    private struct MatcherGroup: Sendable, Hashable {
        var kind: FingerprintRecordKind
        var matchers: [FingerprintMatcher]
    }

    public init(matchers: [FingerprintMatcher], fingerprint: [String], title: String? = nil, isBuiltIn: Bool = false) {
        self.matchers = matchers
        self.fingerprint = fingerprint.map { FingerprintVariables.isDefault($0) ? "{{ default }}" : $0 }
        self.title = title
        self.isBuiltIn = isBuiltIn
        var groups: [MatcherGroup] = []
        for matcher in matchers {
            let kind = matcher.key.recordKind
            if let index = groups.firstIndex(where: { $0.kind == kind }) {
                groups[index].matchers.append(matcher)
            } else {
                groups.append(MatcherGroup(kind: kind, matchers: [matcher]))
            }
        }
        self.groups = groups
    }

    /// Sentry's text of the rule, as its grouping info shows it:
    /// `type:"Foo" !path:"**/x/**" -> "foo{{ error.value }}" title="Foo"` (the fingerprint joined without a
    /// separator).
    public var text: String {
        var text = matchers.map(\.text).joined(separator: " ") + " -> \"" + fingerprint.joined() + "\""
        if let title { text += " title=\"\(title)\"" }
        return text
    }

    /// Each group of matchers holds on one record of its kind; the groups together.
    func matches(_ records: inout FingerprintRecords) -> Bool {
        for group in groups {
            let candidates = records.records(group.kind)
            guard candidates.contains(where: { record in group.matchers.allSatisfy { $0.matches(record) } }) else {
                return false
            }
        }
        return true
    }
}

/// The rule that matched an event.
public struct FingerprintMatch: Sendable, Hashable {
    /// The rule in Sentry's text form (``FingerprintRule/text``), for the grouping info.
    public var ruleText: String
    /// The rule's fingerprint, variables not yet resolved.
    public var fingerprint: [String]
    /// The rule's title with its variables expanded; `nil` when the rule has none.
    public var title: String?
    /// A built-in rule matched: the variant is `built_in_fingerprint`, not `custom_fingerprint`.
    public var isBuiltIn: Bool

    public init(ruleText: String, fingerprint: [String], title: String? = nil, isBuiltIn: Bool = false) {
        self.ruleText = ruleText
        self.fingerprint = fingerprint
        self.title = title
        self.isBuiltIn = isBuiltIn
    }
}

/// How a fingerprint groups (reference §3.5, Sentry's `get_fingerprint_type`).
public enum FingerprintKind: Sendable, Hashable {
    /// Exactly `["{{ default }}"]`: the strategies' variants unchanged.
    case `default`
    /// No `{{ default }}`: one variant hashing the resolved values; the strategies' variants do not contribute.
    case custom
    /// `{{ default }}` among other values: each strategy variant salted with the other values.
    case hybrid

    public init(_ fingerprint: [String]) {
        if fingerprint.count == 1, FingerprintVariables.isDefault(fingerprint[0]) {
            self = .default
        } else if fingerprint.contains(where: FingerprintVariables.isDefault) {
            self = .hybrid
        } else {
            self = .custom
        }
    }
}
