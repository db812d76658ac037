/// Everything grouping needs to know besides the event: the pinned Sentry config, the rules, and the
/// beyond-Sentry options (all off in compatibility mode). Compiled once per run and shared by every thread.
public struct GroupingConfiguration: Sendable {
    /// The Sentry grouping config this implements; part of every stored hash.
    public static let sentryConfigID = "newstyle:2023-01-11"

    /// Built-in base rules followed by the project's stack trace rules.
    public var stackTraceRules: StackTraceRules
    /// The project's fingerprint rules followed by the built-in ones.
    public var fingerprintRules: FingerprintRules
    /// `in_app_include` / `in_app_exclude` prefixes, applied as an SDK applies them, before the rules.
    public var inAppPrefixes: InAppPrefixes
    public var parameterization: MessageParameterization
    /// Beyond Sentry: when no frame is in-app, the app variant groups by the top system frames and the
    /// exception type instead of having no hash. Off in compatibility mode.
    public var fallBackToSystemFramesWithoutInApp: Bool
    /// How many frames from the crash end the fallback above uses.
    public var fallbackFrameCount: Int

    /// Sentry's behaviour: built-in rules only, no prefixes, Sentry's parameterization.
    public static var sentryCompatible: GroupingConfiguration {
        GroupingConfiguration(stackTraceRules: .builtInBase, fingerprintRules: .builtInJavaScript2024)
    }

    public init(stackTraceRules: StackTraceRules, fingerprintRules: FingerprintRules,
                inAppPrefixes: InAppPrefixes = InAppPrefixes(include: [], exclude: []),
                parameterization: MessageParameterization = MessageParameterization(),
                fallBackToSystemFramesWithoutInApp: Bool = false, fallbackFrameCount: Int = 3) {
        self.stackTraceRules = stackTraceRules
        self.fingerprintRules = fingerprintRules
        self.inAppPrefixes = inAppPrefixes
        self.parameterization = parameterization
        self.fallBackToSystemFramesWithoutInApp = fallBackToSystemFramesWithoutInApp
        self.fallbackFrameCount = fallbackFrameCount
    }

    /// The config id stored with hashes: Sentry's id, marked when a beyond-Sentry option changes hashes
    /// (`newstyle:2023-01-11+system-fallback+keep=ip`), so hashes of different settings never mix.
    public var id: String {
        var id = Self.sentryConfigID
        if fallBackToSystemFramesWithoutInApp { id += "+system-fallback" }
        if !parameterization.options.isSentryCompatible { id += "+" + parameterization.options.identifier }
        return id
    }
}
