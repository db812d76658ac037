/// The `{{ … }}` variables of fingerprints and titles (reference §8.4, Sentry's `resolve_fingerprint_variable`).
///
/// A fingerprint entry is a variable only as a whole (`{{ error.type }}`, any blanks inside the braces); the
/// rule parser splits `logger-{{ logger }}` into `logger-` and `{{ logger }}` so that it is. A title expands
/// every variable in it.
///
/// | variable | value | fallback |
/// |---|---|---|
/// | `transaction` | the transaction | `<no-transaction>` |
/// | `message` | the formatted message, else the template, else the last exception's value | `<no-message>` |
/// | `type`, `error.type` | the last exception's type | `<no-type>` |
/// | `value`, `error.value` | the last exception's value | `<no-value>` |
/// | `function`, `stack.function` | the crash frame's function | `<no-function>` |
/// | `path`, `stack.abs_path` | the crash frame's `abs_path`, else `filename` | `<no-abs-path>` |
/// | `stack.filename` | the crash frame's `filename`, else `abs_path` | `<no-filename>` |
/// | `module`, `stack.module` | the crash frame's module | `<no-module>` |
/// | `package`, `stack.package` | the last path segment of the crash frame's package | `<no-package>` |
/// | `level` | the level | `<no-level>` |
/// | `logger` | the logger | `<no-logger>` |
/// | `tags.X` | tag X | `<no-value-for-tag-X>` |
///
/// An empty value counts as missing (Python's `or`), except for tags. The crash frame is
/// ``crashFrame(in:)``.
public enum FingerprintVariables {
    /// Resolves `{{ … }}` entries (not `{{ default }}`) against the event, with Sentry's fallbacks.
    ///
    /// Anything that is not a whole-entry variable comes back unchanged, and so does `{{ default }}`. An unknown
    /// variable stays as written with `legacyUnknownVariables` (the 2023 config), and becomes
    /// `<unrecognized-variable-X>` without (the Fall-2025 config).
    public static func resolve(_ value: String, in input: GroupingInput, legacyUnknownVariables: Bool = true) -> String {
        guard let name = variableName(value), name != "default" else { return value }
        if let resolved = self.value(of: name, in: input) { return resolved }
        return legacyUnknownVariables ? value : "<unrecognized-variable-\(name)>"
    }

    /// Whether the entry is `{{ default }}`, however it is spaced (`{{default}}`, `{{  default }}`).
    public static func isDefault(_ value: String) -> Bool {
        variableName(value) == "default"
    }

    /// The name of a whole-entry variable (`{{ error.type }}` → `error.type`), or `nil` when the entry is not one.
    public static func variableName(_ value: String) -> String? {
        let scalars = Array(value.unicodeScalars)
        guard let match = PythonText.variable(in: scalars, at: 0), match.end == scalars.count else { return nil }
        return match.name
    }

    /// A title with each `{{ … }}` replaced by its value; unknown variables (and `{{ default }}`) stay as written.
    public static func expandTitle(_ template: String, in input: GroupingInput) -> String {
        let scalars = Array(template.unicodeScalars)
        guard scalars.count >= 2 else { return template }
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if let match = PythonText.variable(in: scalars, at: index) {
                if let resolved = value(of: match.name, in: input) {
                    output.append(contentsOf: resolved.unicodeScalars)
                } else {
                    output.append(contentsOf: scalars[index..<match.end])
                }
                index = match.end
            } else {
                output.append(scalars[index])
                index += 1
            }
        }
        return String(output)
    }

    /// The value of a variable by name, with its fallback; `nil` for a name Sentry does not know.
    static func value(of name: String, in input: GroupingInput) -> String? {
        func orFallback(_ value: String?, _ fallback: String) -> String {
            guard let value, !value.isEmpty else { return fallback }
            return value
        }
        switch name {
        case "transaction":
            return orFallback(input.transaction, "<no-transaction>")
        case "message":
            let message = [input.formattedMessage, input.messageTemplate, input.exceptions.last?.value]
                .lazy.compactMap { $0 }.first { !$0.isEmpty }
            return orFallback(message, "<no-message>")
        case "type", "error.type":
            return orFallback(input.exceptions.last?.type, "<no-type>")
        case "value", "error.value":
            return orFallback(input.exceptions.last?.value, "<no-value>")
        case "function", "stack.function":
            return orFallback(crashFrame(in: input)?.function, "<no-function>")
        case "path", "stack.abs_path":
            let frame = crashFrame(in: input)
            return orFallback(nonEmpty(frame?.absPath) ?? frame?.filename, "<no-abs-path>")
        case "stack.filename":
            let frame = crashFrame(in: input)
            return orFallback(nonEmpty(frame?.filename) ?? frame?.absPath, "<no-filename>")
        case "module", "stack.module":
            return orFallback(crashFrame(in: input)?.module, "<no-module>")
        case "package", "stack.package":
            let package = crashFrame(in: input)?.package.map { package in
                let lastSlash = package.split(separator: "/", omittingEmptySubsequences: false).last ?? ""
                return String(lastSlash.split(separator: "\\", omittingEmptySubsequences: false).last ?? "")
            }
            return orFallback(package, "<no-package>")
        case "level":
            return orFallback(input.level, "<no-level>")
        case "logger":
            return orFallback(input.logger, "<no-logger>")
        default:
            guard name.hasPrefix("tags.") else { return nil }
            let tag = String(name.dropFirst(5))
            return input.tags[tag] ?? "<no-value-for-tag-\(tag)>"
        }
    }

    /// The frame the frame variables read (Sentry's `get_crash_frame_from_event_data`): the frames of the
    /// last exception, else of the top-level stack trace, else of the only thread; from the crash end, the
    /// first in-app frame, else the crash frame itself.
    public static func crashFrame(in input: GroupingInput) -> GroupingFrame? {
        var frames = input.exceptions.last?.stacktrace?.frames ?? []
        if frames.isEmpty { frames = input.stacktrace?.frames ?? [] }
        if frames.isEmpty, input.threads.count == 1 { frames = input.threads[0].stacktrace?.frames ?? [] }
        return frames.last { $0.inApp == true } ?? frames.last
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value, !value.isEmpty else { return nil }
        return value
    }
}
