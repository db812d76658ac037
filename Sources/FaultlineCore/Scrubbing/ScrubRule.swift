/// A kind of personal data or secret and how to find it, as data: the patterns, their prefilters and
/// validators, the placeholder, and examples that drive the tests and the documentation.
///
/// Built-in rules are named as Sentry Relay names them (`@email`, `@ip`, `@creditcard`, …); ``builtIn`` lists them
/// in the order they run. Opt-in rules (``isOptIn``) run only when the settings enable them.
public struct ScrubRule: Sendable {
    /// `@email`.
    public let name: String
    /// The placeholder's label: `email` is written `[email]`, or `[email:3f9a2c]` as a pseudonym.
    public let label: String
    /// One sentence for the documentation and `faultline scrub --list-rules`.
    public let summary: String
    /// Off unless enabled (`@phone`, `@mac`, `@uuid`).
    public let isOptIn: Bool
    /// The ways this kind of value is found; any of them may replace a span.
    let detectors: [ScrubDetector]
    /// Input → output with every default rule on (and this rule, when it is opt-in).
    public let examples: [(input: String, output: String)]
    /// Inputs that come out unchanged under the same settings: what the rule must leave alone.
    public let survivors: [String]
    /// `card-masking: last4` applies to this rule's values.
    let isPaymentCard: Bool
    /// Values differing in ASCII letter case are the same value (e-mail addresses): one pseudonym for all.
    let valuesIgnoreCase: Bool

    init(name: String, label: String, summary: String, isOptIn: Bool = false, isPaymentCard: Bool = false,
         valuesIgnoreCase: Bool = false, detectors: [ScrubDetector], examples: [(input: String, output: String)],
         survivors: [String]) {
        self.name = name
        self.label = label
        self.summary = summary
        self.isOptIn = isOptIn
        self.isPaymentCard = isPaymentCard
        self.valuesIgnoreCase = valuesIgnoreCase
        self.detectors = detectors
        self.examples = examples
        self.survivors = survivors
    }
}

/// One way of finding a rule's values: a prefilter, a PCRE2 pattern, and a validator for what the pattern's
/// shape cannot say (checksums, ranges, context).
struct ScrubDetector: Sendable {
    /// PCRE2. When it has a group named `value`, only that group is replaced (`https://[auth]@host`); otherwise
    /// the whole match.
    let pattern: String
    let options: Pattern.Options
    /// The pattern runs only on lines where this fires.
    let trigger: ScrubTrigger
    /// How far before the trigger's first occurrence a match may start: the pattern runs from there.
    let lookback: Int
    /// Checks each match; may narrow the span it replaces.
    let validator: ScrubValidator?
    /// A label of its own (`github-token` within `@secrets`); `nil` uses the rule's.
    let label: String?

    init(_ pattern: String, options: Pattern.Options = [], trigger: ScrubTrigger, lookback: Int = 0,
         validator: ScrubValidator? = nil, label: String? = nil) {
        self.pattern = pattern
        self.options = options
        self.trigger = trigger
        self.lookback = lookback
        self.validator = validator
        self.label = label
    }
}
