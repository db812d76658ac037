/// The `in_app_include` / `in_app_exclude` options of Sentry's SDKs (`in-app-includes`, `inAppIncludes`,
/// `in_app_include`, …), applied as the SDKs apply them: on the client, before the server's stack trace rules,
/// which may still override the result.
///
/// A frame matches a prefix by its module (Java `com.acme.billing.Invoice`, Python `acme.billing`, .NET,
/// Go, …) or, on the platforms whose SDKs decide by file path (PHP, Ruby, JavaScript, Node), by `abs_path`
/// or else `filename`. How a prefix matches follows the SDK:
/// - Python: the module equals the prefix or starts with the prefix and a dot (`acme` matches `acme.billing`,
///   not `acmesoft`), as `sentry_sdk.utils._module_in_list` does;
/// - every other platform: a plain string prefix, as the Java, .NET and PHP SDKs compare (`com.acme` also
///   matches `com.acmesoft.X`, exactly as in Sentry's Java SDK).
///
/// **Include wins over exclude.** Sentry's Java SDK (`SentryStackTraceFactory.isInApp`) and Python SDK
/// (`set_in_app_in_frames`) test the include list first and return on a match; the PHP SDK tests excludes first
/// and lets a matching include set the flag back to in-app. So a frame matching both lists is in-app: exclude
/// `com.acme`, include `com.acme.billing` keeps billing in-app, and include `com.acme`, exclude
/// `com.acme.vendored` still keeps the vendored code in-app (list the narrower prefix in include only).
///
/// Frames whose in-app flag is already decided are left alone, as the Python SDK leaves them; a frame that
/// matches neither list keeps `nil`, for the server rules and the final `nil → false`. (The Java SDK's quirk of
/// marking frames without a class name in-app is not reproduced.)
///
/// ```swift
/// InAppPrefixes(include: ["com.acme"], exclude: ["com.acme.vendored", "org.apache"])
///     .apply(to: &frames, platform: "java")
/// // com.acme.Api → true, com.acme.vendored.Json → true (include wins), org.apache.Foo → false, java.lang.Thread → nil
/// ```
public struct InAppPrefixes: Sendable, Hashable {
    public var include: [String]
    public var exclude: [String]

    public init(include: [String], exclude: [String]) {
        self.include = include.filter { !$0.isEmpty }
        self.exclude = exclude.filter { !$0.isEmpty }
    }

    /// Whether neither list has a prefix.
    public var isEmpty: Bool { include.isEmpty && exclude.isEmpty }

    /// Platforms whose SDKs match the prefixes against file paths rather than modules.
    static let pathPlatforms: Set<String> = ["php", "ruby", "javascript", "node"]

    /// Sets ``GroupingFrame/inApp`` on the undecided frames that match a prefix. `platform` is the event's; a
    /// frame's own platform wins.
    public func apply(to frames: inout [GroupingFrame], platform: String) {
        guard !isEmpty else { return }
        for index in frames.indices where frames[index].inApp == nil {
            if let decision = inApp(frames[index], platform: frames[index].platform ?? platform) {
                frames[index].inApp = decision
            }
        }
    }

    /// `true` for an include match, else `false` for an exclude match, else `nil`.
    func inApp(_ frame: GroupingFrame, platform: String) -> Bool? {
        let value: String?
        if Self.pathPlatforms.contains(platform) {
            value = frame.absPath.flatMap { $0.isEmpty ? nil : $0 } ?? frame.filename
        } else {
            value = frame.module
        }
        guard let value, !value.isEmpty else { return nil }
        let matches: (String) -> Bool = platform == "python"
            ? { value == $0 || value.hasPrefix($0 + ".") }
            : { value.hasPrefix($0) }
        if include.contains(where: matches) { return true }
        if exclude.contains(where: matches) { return false }
        return nil
    }
}
