/// The hints stack trace rules leave on frames and stack traces, worded as Sentry's snapshots word them
/// (reference §11 examples B, C and D), all in one place.
///
/// - In-app changes name the rule's classifier half and never say "built-in" — example B shows the built-in
///   Go rule as "marked out of app by stack trace rule (path:**/go/pkg/mod/** -app)".
/// - Contribution changes name the rule's contributes half: "ignored by stack trace rule
///   (function:recordMetrics -group)" for a project rule (example C), "ignored by built-in stacktrace rule
///   (module:io.sentry.* -group)" for a built-in one (example D, spelled "stacktrace" there).
/// - In the `app` variant an in-app frame shows its in-app hint, joined to its contributes hint with " but "
///   when it does not contribute: "marked in-app by stack trace rule (function:recordMetrics +app) but ignored
///   by stack trace rule (function:recordMetrics -group)". An out-of-app frame shows its in-app hint, or
///   "non app frame". The `system` variant shows contributes hints only.
enum StackTraceRuleHints {
    /// An app-variant frame that is not in-app and no rule moved there.
    static let nonAppFrame = "non app frame"

    /// `marked in-app by stack trace rule (function:playFetch +app)`.
    static func inApp(_ value: Bool, by rule: StackTraceRule) -> String {
        "marked \(value ? "in-app" : "out of app") by stack trace rule (\(rule.classifierDescription))"
    }

    /// `ignored by stack trace rule (function:runApp -group)`, `un-ignored by …`.
    static func group(_ value: Bool, by rule: StackTraceRule) -> String {
        "\(value ? "un-ignored" : "ignored") by \(contributorReference(rule))"
    }

    /// `ignored because only 3 frames are considered by stack trace rule (… max-frames=3)`.
    static func maxFrames(_ count: Int, by rule: StackTraceRule?) -> String {
        let hint = "ignored because only \(count) \(count == 1 ? "frame is" : "frames are") considered"
        return rule.map { "\(hint) by \(contributorReference($0))" } ?? hint
    }

    /// `discarded because stack trace only contains 2 frames which is under the configured threshold by …`.
    static func minFrames(contributing count: Int, by rule: StackTraceRule?) -> String {
        let hint = "discarded because stack trace only contains \(count) frame\(count == 1 ? "" : "s") which is under the configured threshold"
        return rule.map { "\(hint) by \(contributorReference($0))" } ?? hint
    }

    /// A frame's hint in one variant, from its in-app hint (classifier pass) and its contributes hint (the rules'
    /// or the strategy's own).
    static func frameHint(variant: GroupingVariantKind, inApp: Bool, contributes: Bool, inAppHint: String?,
                          contributesHint: String?) -> String? {
        switch variant {
        case .system:
            return contributesHint
        case .app where !inApp:
            return inAppHint ?? nonAppFrame
        case .app:
            guard let inAppHint else { return contributesHint }
            guard !contributes, let contributesHint else { return inAppHint }
            return "\(inAppHint) but \(contributesHint)"
        }
    }

    private static func contributorReference(_ rule: StackTraceRule) -> String {
        "\(rule.isBuiltIn ? "built-in stacktrace rule" : "stack trace rule") (\(rule.contributorDescription))"
    }
}
