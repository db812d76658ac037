/// How personal data and secrets are scrubbed: the `scrubbing:` section of the configuration and the flags of
/// `faultline scrub`. A typed value; ``ScrubPolicy`` compiles it once per run.
///
/// ```yaml
/// scrubbing:
///   disable: ["@ip"]                 # built-in rules turned off
///   enable: ["@uuid", "@phone"]      # opt-in rules turned on
///   custom-rules:
///     - name: order-id
///       pattern: 'ORD-\d{6,}'
///       placeholder: order           # written as [order]
///   allow: ["support@acme.example"]  # exact values never replaced
///   pseudonymize: false              # true: [email:3f9a2c] instead of [email]
///   card-masking: placeholder        # or last4: ************1111
/// ```
public struct ScrubSettings: Sendable, Hashable {
    /// Built-in rules turned off, by name (`@ip`).
    public var disabledRules: Set<String> = []
    /// Opt-in rules turned on, by name (`@uuid`, `@phone`, `@mac`).
    public var enabledOptInRules: Set<String> = []
    /// The user's own rules, applied after the built-in ones.
    public var customRules: [CustomScrubRule] = []
    /// Exact values that are never replaced, whichever rule finds them.
    public var allowList: [String] = []
    /// Keyed pseudonyms (`[email:3f9a2c]`, the same for the same value) instead of bare placeholders.
    public var pseudonymize: Bool = false
    /// How card numbers are replaced.
    public var cardMasking: CardMasking = .placeholder

    public init() {}
}

/// A rule of the user's: a PCRE2 pattern and the placeholder its matches become.
public struct CustomScrubRule: Sendable, Hashable {
    /// The rule's name, used in errors and counts (`order-id`); never starts with `@`, which marks built-in rules.
    public var name: String
    /// A PCRE2 pattern. When it has a group named `value`, only that group is replaced; else the whole match.
    public var pattern: String
    /// The placeholder's label: `order` is written `[order]`, or `[order:3f9a2c]` as a pseudonym.
    public var placeholder: String

    /// - Parameter placeholder: the label; surrounding brackets are dropped (`[order]` and `order` are the same).
    public init(name: String, pattern: String, placeholder: String? = nil) {
        self.name = name
        self.pattern = pattern
        var label = placeholder ?? name
        if label.hasPrefix("["), label.hasSuffix("]"), label.count >= 2 { label = String(label.dropFirst().dropLast()) }
        self.placeholder = label
    }
}

/// How a card number found by `@creditcard` is written.
public enum CardMasking: String, Sendable, Hashable, CaseIterable {
    /// `[creditcard]` (or its pseudonym).
    case placeholder
    /// Every digit but the last four becomes `*`; separators are kept: `****-****-****-1111`.
    case lastFour = "last4"
}

/// Settings that cannot be compiled into a policy. The message names the rule and, for a pattern, PCRE2's
/// message and offset; it never contains log content.
public enum ScrubError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A custom rule's pattern does not compile.
    case invalidPattern(rule: String, pattern: String, message: String, offset: Int)
    /// A rule name that is not a built-in rule (in `disable` or `enable`).
    case unknownRule(String, suggestion: String?)
    /// `enable` names a rule that is already on by default.
    case notOptIn(String)
    /// A custom rule without a name, with a name starting with `@`, or a name used twice.
    case invalidRuleName(String, problem: String)

    public var description: String {
        switch self {
        case let .invalidPattern(rule, pattern, message, offset):
            return "custom scrubbing rule '\(rule)': invalid pattern \(pattern.debugDescription) at offset \(offset): \(message)"
        case let .unknownRule(name, suggestion):
            let hint = suggestion.map { " (did you mean '\($0)'?)" } ?? ""
            return "unknown scrubbing rule '\(name)'\(hint); built-in rules: "
                + ScrubRule.builtIn.map(\.name).joined(separator: ", ")
        case let .notOptIn(name):
            return "scrubbing rule '\(name)' is on by default; only these are opt-in: "
                + ScrubRule.builtIn.filter(\.isOptIn).map(\.name).joined(separator: ", ")
        case let .invalidRuleName(name, problem):
            return "custom scrubbing rule '\(name)': \(problem)"
        }
    }
}
