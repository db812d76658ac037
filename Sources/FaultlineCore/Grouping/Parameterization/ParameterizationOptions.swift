/// Options beyond Sentry for message parameterization (issue 5, item 7). All off by default: the default
/// value, ``sentryCompatible``, parameterizes exactly as Sentry does.
///
/// ```swift
/// var options = ParameterizationOptions()
/// options.disabledPlaceholders = ["ip"]   // "connect 10.0.0.1 failed" stays as it is
/// options.keepHTTPStatusCodes = true      // "HTTP 503" stays, "retry 3" → "retry <int>"
/// ```
public struct ParameterizationOptions: Sendable, Hashable {
    /// Placeholder names (`ip`, `uuid`, `int`, …; see ``MessageParameterization/sentryPatterns``) whose
    /// matches stay as written.
    ///
    /// A disabled pattern still matches, so the text it recognizes is not parameterized piecemeal by later
    /// patterns: with `ip` disabled, `10.0.0.1` stays whole instead of becoming `<float>.<float>`.
    /// Unknown names are ignored; ``validate()`` reports them.
    public var disabledPlaceholders: Set<String>
    /// Keeps an integer 100–599 that follows `HTTP`, `HTTP/1.1`, `status`, `code` or `statusCode` and a
    /// separator (`HTTP 503`, `HTTP/1.1 404`, `status=500`, `"status": 502`, `code 429`), so different
    /// status codes make different groups. Anything an earlier pattern takes (`404.5` is a float) is unchanged.
    public var keepHTTPStatusCodes: Bool

    public init() {
        self.disabledPlaceholders = []
        self.keepHTTPStatusCodes = false
    }

    /// Sentry's behaviour: every placeholder, no status codes kept.
    public static let sentryCompatible = ParameterizationOptions()

    /// Whether these options parameterize exactly as Sentry does (unknown disabled names change nothing).
    public var isSentryCompatible: Bool {
        !keepHTTPStatusCodes && disabledPlaceholders.isDisjoint(with: MessageParameterization.placeholderNames)
    }

    /// A stable text for the options that change results, for config ids stored with hashes: `sentry` when
    /// compatible, otherwise e.g. `keep=ip,uuid;http-status`.
    public var identifier: String {
        if isSentryCompatible { return "sentry" }
        var parts: [String] = []
        let kept = MessageParameterization.placeholderNames.filter(disabledPlaceholders.contains)
        if !kept.isEmpty { parts.append("keep=" + kept.joined(separator: ",")) }
        if keepHTTPStatusCodes { parts.append("http-status") }
        return parts.joined(separator: ";")
    }

    /// Checks that every disabled placeholder exists.
    public func validate() throws(ParameterizationError) {
        let known = Set(MessageParameterization.placeholderNames)
        if let unknown = disabledPlaceholders.subtracting(known).sorted().first {
            throw .unknownPlaceholder(unknown)
        }
    }
}

/// A problem with ``ParameterizationOptions``.
public enum ParameterizationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A disabled placeholder name that no pattern has.
    case unknownPlaceholder(String)

    public var description: String {
        switch self {
        case .unknownPlaceholder(let name):
            "unknown placeholder \"\(name)\"; known: "
                + MessageParameterization.placeholderNames.joined(separator: ", ")
        }
    }
}

/// The status-code rule behind ``ParameterizationOptions/keepHTTPStatusCodes``: an alternative placed just
/// before `int` whose matches stay as written.
enum HTTPStatusRule {
    /// Words a status code follows; matched case-insensitively and not after a letter, so `http_status`
    /// and `response.code` count too.
    static let keywords = [#"HTTP"#, #"HTTP/\d"#, #"HTTP/\d\.\d"#, "status", "statuscode", "code"]
    /// What stands between the word and the code.
    static let separators = [PythonClass.space, "=", ":", ":" + PythonClass.space,
                             PythonClass.space + "=" + PythonClass.space, #"":"#, #"":"# + PythonClass.space]

    static let pattern = ParameterizationPattern(
        name: "http_status",
        // One lookbehind branch per keyword and separator: PCRE2 10.42 needs each branch to be fixed length.
        source: "(?<= "
            + keywords.flatMap { keyword in
                separators.map { "(?<![A-Za-z])(?i:\(keyword))\($0)" }
            }.joined(separator: " | ")
            + #") [1-5][0-9]{2} \b"#,
        examples: [
            .init("HTTP 503", "HTTP 503"),
            .init("HTTP/1.1 404 Not Found", "HTTP/<float> 404 Not Found"),
            .init("HTTP/2 502", "HTTP/<int> 502"),
            .init("upstream status=500 after 3 tries", "upstream status=500 after <int> tries"),
            .init("http_status=429", "http_status=429"),
            .init(#"{"status": 502, "retries": 2}"#, #"{"status": 502, "retries": <int>}"#),
            .init("statusCode: 401", "statusCode: 401"),
            .init("Status code 418", "Status code 418"),
            .init("exit code 137", "exit code 137"),
            // Outside 100–599, after another word, or taken by an earlier pattern: parameterized as before.
            .init("status 600", "status <int>"),
            .init("exit code 1", "exit code <int>"),
            .init("retry 404", "retry <int>"),
            .init("nostatus 404", "nostatus <int>"),
            .init("status 404.5", "status <float>"),
            .init("status 500ms", "status <duration>"),
        ])
}
