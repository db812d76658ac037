/// The `grouping:` section of the configuration: the project's Sentry rules, unchanged, and what a log cannot
/// tell but an SDK would have (in-app prefixes, Python source roots), plus the beyond-Sentry switches, all off
/// by default so hashes match Sentry's.
public struct GroupingSettings: Sendable, Hashable {
    /// The project's stack trace rules (Sentry's grammar), applied after the built-in base.
    public var stackTraceRules = StackTraceRules()
    /// The project's fingerprint rules (Sentry's grammar), checked before the built-in ones.
    public var fingerprintRules = FingerprintRules(rules: [])
    /// `in_app_include` / `in_app_exclude` as Sentry SDKs take them (`com.acme`, `acme`).
    public var inAppInclude: [String] = []
    public var inAppExclude: [String] = []
    /// Directories under which Python files are importable modules (`/srv/app`).
    public var pythonSourceRoots: [String] = []
    /// Beyond Sentry: placeholders left as written (`int`, `ip`, …).
    public var keptPlaceholders: Set<String> = []
    /// Beyond Sentry: HTTP status codes after `HTTP`/`status`/`code` stay as written.
    public var keepHTTPStatusCodes = false
    /// Beyond Sentry: without in-app frames, group by the exception types and the top system frames.
    public var systemFramesFallback = false

    public init() {}

    /// The grouping configuration these settings make.
    public var configuration: GroupingConfiguration {
        var options = ParameterizationOptions()
        options.disabledPlaceholders = keptPlaceholders
        options.keepHTTPStatusCodes = keepHTTPStatusCodes
        return GroupingConfiguration(
            stackTraceRules: .builtInBase + stackTraceRules,
            fingerprintRules: fingerprintRules + .builtInJavaScript2024,
            inAppPrefixes: InAppPrefixes(include: inAppInclude, exclude: inAppExclude),
            parameterization: MessageParameterization(options: options),
            fallBackToSystemFramesWithoutInApp: systemFramesFallback)
    }

    /// How log events become Sentry events under these settings.
    public var conversion: LogEventConversion { LogEventConversion(pythonSourceRoots: pythonSourceRoots) }
}
