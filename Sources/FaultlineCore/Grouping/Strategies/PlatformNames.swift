/// Java class names as grouping normalizes them (reference §5.2): generated-code markers replaced by
/// `<auto>` so classes regenerated per deploy group together. Anonymous and inner classes (`Outer$1`,
/// `Outer$Inner`) are left alone, as Sentry leaves them.
///
/// One per thread: it holds PCRE2 matchers.
final class JavaCodegenMarkers {
    /// Each pattern's first group is the marker that stays; the rest of the match becomes `<auto>`.
    static let patterns: [Pattern] = [
        #"(sun\.reflect\.Generated(?:Serialization)?ConstructorAccessor)\d+"#,
        #"(\$\$[\w_]+?CGLIB\$\$)[a-fA-F0-9]+(_[0-9]+)?"#,
        #"(\$\$_javassist)(?:_seam)?(?:_[0-9]+)?"#,
        #"(\$fn__)\d+"#,
        #"(\$\$?EnhancerBy[\w_]+?\$?\$)[a-fA-F0-9]+(_[0-9]+)?"#,
        #"(\$\$?FastClassBy[\w_]+?\$?\$)[a-fA-F0-9]+(_[0-9]+)?"#,
        #"(\$\$?HibernateProxy\$?\$)\w+(_[0-9]+)?"#,
    ].map { source in
        do { return try Pattern(source) } catch { fatalError("JavaCodegenMarkers: \(error)") }
    }

    /// `Foo.java_$$_javassist_123`: the javassist part of a file name.
    static let javassistFilename: Pattern = {
        do { return try Pattern(#"_\$\$_javassist(?:_seam)?(?:_[0-9]+)?"#) } catch { fatalError("\(error)") }
    }()

    private let matchers = JavaCodegenMarkers.patterns.map { Matcher($0) }
    private let javassistMatcher = Matcher(JavaCodegenMarkers.javassistFilename)

    /// The module with markers replaced; `nil` when it has none.
    func normalizedModule(_ module: String) -> String? {
        for prefix in ["sun.reflect.GeneratedMethodAccessor", "jdk.internal.reflect.GeneratedMethodAccessor"]
        where module.hasPrefix(prefix) {
            return prefix
        }
        guard module.utf8.contains(UInt8(ascii: "$")) || module.containsText("Generated") else { return nil }
        var text = module
        for matcher in matchers { text = Self.substitute(matcher, in: text, keepingGroup: 1, appending: "<auto>") }
        return text == module ? nil : text
    }

    /// The file name without its javassist part; `nil` when it has none.
    func normalizedFilename(_ filename: String) -> String? {
        guard filename.containsText("javassist") else { return nil }
        let cleaned = Self.substitute(javassistMatcher, in: filename, keepingGroup: nil, appending: "")
        return cleaned == filename ? nil : cleaned
    }

    /// Every match replaced by its group `keepingGroup` (or nothing) followed by `appending`.
    private static func substitute(_ matcher: Matcher, in text: String, keepingGroup group: Int?, appending suffix: String) -> String {
        var bytes = Array(text.utf8)
        var output: [UInt8] = []
        var last = 0
        var changed = false
        bytes.withUnsafeMutableBytes { buffer in
            let subject = UnsafeRawBufferPointer(buffer)
            try? matcher.forEachMatch(in: subject) { match in
                changed = true
                output += subject[last..<match.range.lowerBound]
                if let group, let kept = match[group] { output += subject[kept] }
                output += suffix.utf8
                last = match.range.upperBound
                return true
            }
            output += subject[last...]
        }
        return changed ? String(decoding: output, as: UTF8.self) : text
    }
}
