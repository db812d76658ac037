/// What grouping decided for one event: every variant with its hash and component tree, Sentry's
/// "grouping info".
public struct GroupingResult: Sendable, Hashable {
    /// The grouping config every hash belongs to; stored with each hash.
    public var config: String
    /// Variants by name: `app`, `system`, `default`, and `custom_fingerprint`, `built_in_fingerprint` or
    /// `fallback` when they apply.
    public var variants: [String: GroupingVariant]
    /// The fingerprint after fingerprint rules (`["{{ default }}"]` when nothing set one).
    public var fingerprint: [String]
    /// The text of the fingerprint rule that matched, if any.
    public var matchedFingerprintRule: String?
    /// A title set by the matched fingerprint rule.
    public var title: String?

    public init(config: String, variants: [String: GroupingVariant], fingerprint: [String],
                matchedFingerprintRule: String? = nil, title: String? = nil) {
        self.config = config
        self.variants = variants
        self.fingerprint = fingerprint
        self.matchedFingerprintRule = matchedFingerprintRule
        self.title = title
    }

    /// The hashes in Sentry's order: every variant but `system` first (by name), `system` last. An event
    /// joins an issue if any of these is already that issue's.
    public var hashes: [String] {
        let ordered = variants.keys.sorted().filter { $0 != "system" } + (variants["system"] == nil ? [] : ["system"])
        var seen = Set<String>()
        return ordered.compactMap { variants[$0]?.hash }.filter { seen.insert($0).inserted }
    }

    /// The first hash: the one an issue is known by.
    public var primaryHash: String? { hashes.first }
}

/// One way of grouping an event (`app`: in-app frames only; `system`: all frames; `default`: the message).
public struct GroupingVariant: Sendable, Hashable {
    /// The md5 of the contributing leaf values, or `nil` when the variant does not contribute.
    public var hash: String?
    /// The root component: the variant's name, holding each strategy's component.
    public var component: GroupingComponent
    /// For fingerprint variants: the fingerprint values that were hashed.
    public var values: [String]?

    public init(hash: String?, component: GroupingComponent, values: [String]? = nil) {
        self.hash = hash
        self.component = component
        self.values = values
    }

    public var contributes: Bool { hash != nil }
    public var hint: String? { component.hint }
}
