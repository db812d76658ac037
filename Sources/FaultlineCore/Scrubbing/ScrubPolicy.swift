/// The scrubbing stage compiled once per run: the rules that are on, their PCRE2 patterns (JIT), the allow-list
/// and the pseudonym key. Shared by every thread; each thread scrubs with its own ``Scrubber``.
public struct ScrubPolicy: Sendable {
    /// The rules that run, built-in ones in ``ScrubRule/builtIn`` order, then the custom ones.
    public let ruleNames: [String]
    let detectors: [CompiledDetector]
    /// The distinct triggers of ``detectors``: a line is scanned once per trigger, however many detectors share it.
    let triggers: [ScrubTrigger]
    /// The one pass over a line that answers the anchored triggers.
    let dispatch: TriggerDispatch
    /// Per trigger, the detectors it gates, in order.
    let detectorsByTrigger: [[Int]]
    let allowList: [[UInt8]]
    let pseudonyms: PseudonymKey?
    let cardMasking: CardMasking
    /// `@pemkey` is on: key blocks spread over several lines are followed.
    let followsKeyBlocks: Bool

    /// One detector with its compiled pattern, ready to run.
    struct CompiledDetector: Sendable {
        let pattern: Pattern
        /// Index into ``ScrubPolicy/triggers``.
        let trigger: Int
        let lookback: Int
        let validator: ScrubValidator?
        /// The group named `value`, if the pattern has one.
        let valueGroup: Int?
        /// Index into ``ScrubPolicy/ruleNames``.
        let ruleIndex: Int
        /// The placeholder's label as bytes (`email`).
        let label: [UInt8]
        let isPaymentCard: Bool
        let valuesIgnoreCase: Bool
    }

    /// Compiles the settings.
    ///
    /// - Parameter pseudonymKey: the secret for keyed pseudonyms, kept by the caller (the history database). When
    ///   `settings.pseudonymize` is true but no key is given, placeholders are written instead.
    /// - Throws: ``ScrubError`` naming the custom rule, its pattern, PCRE2's message and offset; or an unknown rule name.
    public init(settings: ScrubSettings, pseudonymKey: [UInt8]?) throws(ScrubError) {
        let builtIn = ScrubRule.builtIn
        let builtInNames = builtIn.map(\.name)
        for name in settings.disabledRules.union(settings.enabledOptInRules).sorted() where !builtInNames.contains(name) {
            let closest = builtInNames.min { editDistance($0, name) < editDistance($1, name) }
            throw .unknownRule(name, suggestion: closest.flatMap { editDistance($0, name) <= 3 ? $0 : nil })
        }
        for name in settings.enabledOptInRules.sorted() where builtIn.contains(where: { $0.name == name && !$0.isOptIn }) {
            throw .notOptIn(name)
        }

        var names: [String] = []
        var detectors: [CompiledDetector] = []
        var triggers: [ScrubTrigger] = []
        func slot(_ trigger: ScrubTrigger) -> Int {
            if let index = triggers.firstIndex(of: trigger) { return index }
            triggers.append(trigger)
            return triggers.count - 1
        }
        for (index, rule) in builtIn.enumerated() {
            let isOn = rule.isOptIn ? settings.enabledOptInRules.contains(rule.name) : !settings.disabledRules.contains(rule.name)
            guard isOn else { continue }
            for (detector, pattern) in zip(rule.detectors, Self.builtInPatterns[index]) {
                detectors.append(CompiledDetector(
                    pattern: pattern, trigger: slot(detector.trigger), lookback: detector.lookback, validator: detector.validator,
                    valueGroup: pattern.captureNames["value"], ruleIndex: names.count,
                    label: Array((detector.label ?? rule.label).utf8), isPaymentCard: rule.isPaymentCard,
                    valuesIgnoreCase: rule.valuesIgnoreCase))
            }
            names.append(rule.name)
        }
        for custom in settings.customRules {
            guard !custom.name.isEmpty, !custom.name.hasPrefix("@") else {
                throw .invalidRuleName(custom.name, problem: "a custom rule's name must not be empty nor start with '@'")
            }
            guard !names.contains(custom.name) else {  // also holds the custom rules before this one
                throw .invalidRuleName(custom.name, problem: "the name is used by another rule")
            }
            guard !custom.placeholder.isEmpty else {
                throw .invalidRuleName(custom.name, problem: "the placeholder must not be empty")
            }
            let pattern: Pattern
            do {
                pattern = try Pattern(custom.pattern)
            } catch {
                throw .invalidPattern(rule: custom.name, pattern: custom.pattern, message: error.message,
                                      offset: error.patternOffset ?? 0)
            }
            detectors.append(CompiledDetector(
                pattern: pattern, trigger: slot(.always), lookback: 0, validator: nil, valueGroup: pattern.captureNames["value"],
                ruleIndex: names.count, label: Array(custom.placeholder.utf8), isPaymentCard: false,
                valuesIgnoreCase: false))
            names.append(custom.name)
        }
        self.ruleNames = names
        self.detectors = detectors
        self.triggers = triggers
        dispatch = TriggerDispatch(triggers)
        detectorsByTrigger = triggers.indices.map { slot in detectors.indices.filter { detectors[$0].trigger == slot } }
        self.allowList = settings.allowList.filter { !$0.isEmpty }.map { Array($0.utf8) }
        self.pseudonyms = settings.pseudonymize ? pseudonymKey.map(PseudonymKey.init) : nil
        self.cardMasking = settings.cardMasking
        self.followsKeyBlocks = names.contains(ScrubRule.pemKey.name)
    }

    /// The default policy: every default rule on, placeholders, no allow-list.
    public static let standard: ScrubPolicy = {
        do { return try ScrubPolicy(settings: ScrubSettings(), pseudonymKey: nil) } catch {
            preconditionFailure("the built-in scrubbing rules do not compile: \(error)")
        }
    }()

    /// The built-in rules' patterns, compiled once per process: `[rule][detector]`.
    private static let builtInPatterns: [[Pattern]] = ScrubRule.builtIn.map { rule in
        rule.detectors.map { detector in
            do { return try Pattern(detector.pattern, options: detector.options) } catch {
                preconditionFailure("built-in scrubbing rule \(rule.name) does not compile: \(error)")
            }
        }
    }
}
