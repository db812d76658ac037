/// The `frame:v1` strategy of `newstyle:2023-01-11` (reference §5): which of a frame's fields contribute, and
/// how each is normalized.
///
/// A frame component holds `module`, `filename`, `function` and, on the context-line platforms, `context-line`.
/// Module wins over filename; line and column numbers never contribute (they only tell recursion apart).
///
/// One per thread: Java's codegen markers are found with PCRE2 matchers.
final class FrameStrategy {
    private let codegenMarkers = JavaCodegenMarkers()
    /// Components already built: the frames of one bug repeat in every one of its events.
    private var built: [FrameKey: GroupingComponent] = [:]

    private struct FrameKey: Hashable {
        let frame: GroupingFrame
        let platform: String

        /// Hashes the fields a frame component is made of, cheaply: function, module, file and platform.
        func hash(into hasher: inout Hasher) {
            hasher.combine(frame.function?.utf8.count ?? -1)
            hasher.combine(frame.module?.utf8.count ?? -1)
            hasher.combine(frame.filename?.utf8.count ?? -1)
            hasher.combine(frame.lineno ?? -1)
            if let function = frame.function { hasher.combine(function) }
        }
    }

    /// Platforms whose frames group by their source line too.
    static let contextLinePlatforms: Set<String> = ["javascript", "node", "python", "php", "ruby"]

    /// The component of one frame. `platform` is the event's; the frame's own platform wins.
    func component(for frame: GroupingFrame, eventPlatform: String) -> GroupingComponent {
        let key = FrameKey(frame: frame, platform: eventPlatform)
        if let component = built[key] { return component }
        let component = buildComponent(for: frame, eventPlatform: eventPlatform)
        if built.count >= 16_384 { built.removeAll(keepingCapacity: true) }
        built[key] = component
        return component
    }

    private func buildComponent(for frame: GroupingFrame, eventPlatform: String) -> GroupingComponent {
        let platform = frame.platform ?? eventPlatform
        let family = PlatformFamily(platform: platform)

        var filename = filenameComponent(frame, platform: platform)
        let module = moduleComponent(frame, platform: platform)
        if module.contributes && filename.contributes {
            filename.contributes = false
            filename.hint = "ignored because module takes precedence"
        }
        let contextLine = Self.contextLinePlatforms.contains(platform) ? Self.contextLineComponent(frame, family: family) : nil
        let function = Self.functionComponent(frame, platform: platform, family: family,
                                         contextLineContributes: contextLine?.contributes == true)

        if family == .native && function.contributes && filename.contributes {
            // Native function names describe the full namespace; the file only adds instability.
            filename.contributes = false
            filename.hint = "discarded native filename for grouping stability"
        }

        var values: [GroupingComponent.Value] = [.component(module), .component(filename), .component(function)]
        if let package = Self.packageFallback(frame, platform: platform, others: [module, filename, function, contextLine]) {
            values.append(.component(package))
        }
        if let contextLine { values.append(.component(contextLine)) }
        var frameComponent = GroupingComponent(id: "frame", values: values)

        if family == .javascript {
            let name = (frame.rawFunction ?? frame.function).map(JavaScriptNames.lastSegment)
            if name == "eval" || ["[native code]", "native code", "eval code", "<anonymous>"].contains(frame.absPath ?? "") {
                frameComponent.contributes = false
                frameComponent.hint = "ignored low quality javascript frame"
            }
        }
        return frameComponent
    }

    /// Whether two frames are the same call repeated: recursion, which contributes once.
    static func isRecursion(_ frame: GroupingFrame, of previous: GroupingFrame) -> Bool {
        frame.absPath == previous.absPath && frame.package == previous.package && frame.module == previous.module
            && frame.filename == previous.filename && frame.function == previous.function
            && frame.lineno == previous.lineno && frame.colno == previous.colno
    }

    // MARK: - Fields

    func moduleComponent(_ frame: GroupingFrame, platform: String) -> GroupingComponent {
        guard let module = frame.module, !module.isEmpty else { return GroupingComponent(id: "module") }
        var component = GroupingComponent(id: "module", values: [.string(module)])
        switch platform {
        case "java":
            if module.containsText("$$Lambda$") {
                component.contributes = false
                component.hint = "ignored java lambda"
            } else if let normalized = codegenMarkers.normalizedModule(module) {
                component.values = [.string(normalized)]
                component.hint = "removed codegen marker"
            }
        case "javascript", "node":
            if module.utf8.contains(UInt8(ascii: "/")), let absPath = frame.absPath, absPath.hasSuffix(module) {
                component.contributes = false
                component.hint = "ignored bad javascript module"
            }
        default:
            break
        }
        return component
    }

    func filenameComponent(_ frame: GroupingFrame, platform: String) -> GroupingComponent {
        guard let filename = frame.filename, !filename.isEmpty else { return GroupingComponent(id: "filename") }
        if filename == "<anonymous>" || filename == "[native code]" {
            return GroupingComponent(id: "filename", values: [.string(filename)], contributes: false,
                                     hint: "ignored because filename is not a real file")
        }
        if let absPath = frame.absPath, URLOrigin.isURL(absPath, allowFileOrigin: false) {
            return GroupingComponent(id: "filename", values: [.string(Self.basename(filename).lowercased())],
                                     contributes: false, hint: "ignored because frame points to a URL")
        }
        var name = Self.basename(filename).lowercased()
        var hint: String? = nil
        if platform == "java", let cleaned = codegenMarkers.normalizedFilename(name) {
            name = cleaned
            hint = "cleaned javassist parts"
        }
        return GroupingComponent(id: "filename", values: [.string(name)], hint: hint)
    }

    static func functionComponent(_ frame: GroupingFrame, platform: String, family: PlatformFamily,
                                  contextLineContributes: Bool) -> GroupingComponent {
        var function: String?
        if platform == "csharp" {
            // C# groups by the raw, untrimmed function the SDK sent.
            function = frame.rawFunction ?? frame.function
        } else {
            function = frame.function ?? frame.rawFunction
            if frame.rawFunction == nil, family == .native, let name = function {
                function = NativeFunctionName.trimmed(name)
            }
        }
        guard let function, !function.isEmpty else { return GroupingComponent(id: "function") }
        var component = GroupingComponent(id: "function", values: [.string(function)])

        switch (platform, family) {
        case ("ruby", _):
            if function.hasPrefix("block ") {
                component.values = [.string("block")]
                component.hint = "ruby block"
            } else if let trimmed = RubyNames.withoutERBSuffix(function), trimmed != function {
                component.values = [.string(trimmed)]
                component.hint = "removed generated erb template suffix"
            }
        case ("php", _):
            if function.hasPrefix("[Anonymous") || function.hasPrefix("class@anonymous\u{0}") {
                component.contributes = false
                component.hint = "ignored anonymous function"
            } else if function.hasPrefix("class@anonymous"), let range = function.lastRange(of: "::") {
                component.values = [.string(String(function[range.upperBound...]))]
                component.hint = "anonymous class method"
            }
        case ("java", _):
            if function.hasPrefix("lambda$") {
                component.contributes = false
                component.hint = "ignored lambda function"
            }
        case (_, .native):
            if function == "<redacted>" || function == "<unknown>" {
                component.contributes = false
                component.hint = "ignored unknown function"
            } else {
                let trimmed = NativeFunctionName.trimmed(function)
                if trimmed != function {
                    component.values = [.string(trimmed)]
                    component.hint = "isolated function"
                }
            }
        case (_, .javascript):
            let last = JavaScriptNames.lastSegment(function)
            if last != function {
                component.values = [.string(last)]
                component.hint = "trimmed javascript function"
            }
            if last.isEmpty {
                component.contributes = false
                component.hint = nil
            } else if ["?", "<anonymous function>", "<anonymous>", "Anonymous function"].contains(last) || last.hasSuffix("/<") {
                component.contributes = false
                component.hint = "ignored unknown function name"
            } else if frame.hasSourcemap && contextLineContributes {
                component.contributes = false
                component.hint = "ignored because sourcemap used and context line available"
            }
        default:
            break
        }
        return component
    }

    static func contextLineComponent(_ frame: GroupingFrame, family: PlatformFamily) -> GroupingComponent {
        guard let raw = frame.contextLine else { return GroupingComponent(id: "context-line") }
        let line = raw.expandingTabs().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !line.isEmpty else { return GroupingComponent(id: "context-line") }
        var component = GroupingComponent(id: "context-line", values: [.string(line)])
        if raw.count > 120 {
            component.contributes = false
            component.hint = "ignored because line exceeds maximum length"
        } else if family == .javascript, frame.function == nil || frame.function == "",
                  let absPath = frame.absPath, URLOrigin.isURL(absPath, allowFileOrigin: true) {
            component.contributes = false
            component.hint = "discarded because from URL origin and no function"
        }
        return component
    }

    /// A native frame that symbolicated to nothing groups by its package (the binary), if that is all it has.
    static func packageFallback(_ frame: GroupingFrame, platform: String, others: [GroupingComponent?]) -> GroupingComponent? {
        guard PlatformFamily(platform: platform) == .native, let package = frame.package, !package.isEmpty else { return nil }
        let name = basename(package).lowercased()
        if others.contains(where: { $0?.contributes == true }) {
            return GroupingComponent(id: "package", values: [.string(name)], contributes: false,
                                     hint: "ignored because function takes precedence")
        }
        return GroupingComponent(id: "package", values: [.string(name)],
                                 hint: "used as fallback because function name is not available")
    }

    /// The last path segment, split on `/` or `\`.
    static func basename(_ path: String) -> String {
        guard let slash = path.utf8.lastIndex(where: { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }) else {
            return path
        }
        return String(path[path.utf8.index(after: slash)...])
    }
}

/// URL origins, as grouping tells a web frame from a file.
enum URLOrigin {
    /// `http:`, `https:`, `applewebdata:`, `blob:`; `file:` only when `allowFileOrigin`.
    static func isURL(_ path: String, allowFileOrigin: Bool) -> Bool {
        let lower = path.lowercased()
        if lower.hasPrefix("http:") || lower.hasPrefix("https:") || lower.hasPrefix("applewebdata:") || lower.hasPrefix("blob:") {
            return true
        }
        return allowFileOrigin && lower.hasPrefix("file:")
    }
}

enum JavaScriptNames {
    /// `Object.foo` → `foo`.
    static func lastSegment(_ function: String) -> String {
        guard let dot = function.utf8.lastIndex(of: UInt8(ascii: ".")) else { return function }
        return String(function[function.utf8.index(after: dot)...])
    }
}

enum RubyNames {
    /// `_foo_html_erb__3327151541118998292_70361296749460` → `_foo_html_erb`: the ERB template suffix
    /// `__\d{4,}_\d{4,}` at the end removed.
    static func withoutERBSuffix(_ function: String) -> String? {
        let scalars = Array(function.unicodeScalars)
        var end = scalars.count
        func digits() -> Int {
            var count = 0
            while end > 0, ("0"..."9").contains(scalars[end - 1]) {
                end -= 1
                count += 1
            }
            return count
        }
        guard digits() >= 4, end > 0, scalars[end - 1] == "_" else { return nil }
        end -= 1
        guard digits() >= 4, end >= 2, scalars[end - 1] == "_", scalars[end - 2] == "_" else { return nil }
        end -= 2
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[..<end])
        return String(result)
    }
}

extension String {
    /// Tabs expanded to columns of 2, as Python's `expandtabs(2)`.
    fileprivate func expandingTabs() -> String {
        guard contains("\t") else { return self }
        var result = ""
        var column = 0
        for character in self {
            if character == "\t" {
                let spaces = 2 - column % 2
                result += String(repeating: " ", count: spaces)
                column += spaces
            } else if character == "\n" || character == "\r" {
                result.append(character)
                column = 0
            } else {
                result.append(character)
                column += 1
            }
        }
        return result
    }
}
