/// Renderings of a ``GroupingResult`` for `faultline explain`: Sentry's "grouping info" as JSON, and as an
/// indented tree in the style of Sentry's variant snapshots (`*` marks what contributes, hints in parentheses).
public enum GroupingExplanation {
    /// `{"config": …, "fingerprint": […], "variants": {"app": {"hash": …, "contributes": …, "hint": …,
    /// "component": {"id": …, "contributes": …, "hint": …, "values": [ … ]}}, …}}`, keys sorted.
    public static func json(_ result: GroupingResult) -> String {
        var variants: [String] = []
        for name in result.variants.keys.sorted() {
            let variant = result.variants[name]!
            var fields = [
                "\"hash\": " + (variant.hash.map(quoted) ?? "null"),
                "\"contributes\": \(variant.contributes)",
                "\"hint\": " + (variant.hint.map(quoted) ?? "null"),
            ]
            if let values = variant.values { fields.append("\"values\": [" + values.map(quoted).joined(separator: ", ") + "]") }
            fields.append("\"component\": " + json(variant.component))
            variants.append(quoted(name) + ": {" + fields.joined(separator: ", ") + "}")
        }
        var top = [
            "\"config\": " + quoted(result.config),
            "\"fingerprint\": [" + result.fingerprint.map(quoted).joined(separator: ", ") + "]",
        ]
        if let rule = result.matchedFingerprintRule { top.append("\"fingerprint_rule\": " + quoted(rule)) }
        if let title = result.title { top.append("\"title\": " + quoted(title)) }
        top.append("\"variants\": {" + variants.joined(separator: ", ") + "}")
        return "{" + top.joined(separator: ", ") + "}"
    }

    static func json(_ component: GroupingComponent) -> String {
        let values = component.values.map { value -> String in
            switch value {
            case .component(let child): return json(child)
            case .string(let text): return quoted(text)
            case .int(let number): return String(number)
            }
        }
        return "{\"id\": \(quoted(component.id)), \"contributes\": \(component.contributes), \"hint\": "
            + (component.hint.map(quoted) ?? "null") + ", \"values\": [" + values.joined(separator: ", ") + "]}"
    }

    /// The snapshot-style text: one block per variant, alphabetically.
    public static func text(_ result: GroupingResult) -> String {
        var lines = ["config: \(result.config)", "fingerprint: " + result.fingerprint.map(quoted).joined(separator: ", ")]
        if let rule = result.matchedFingerprintRule { lines.append("fingerprint rule: \(rule)") }
        if let title = result.title { lines.append("title: \(title)") }
        for name in result.variants.keys.sorted() {
            let variant = result.variants[name]!
            lines.append(String(repeating: "-", count: 74))
            lines.append("\(name):")
            lines.append("  hash: " + (variant.hash.map(quoted) ?? "null"))
            if let hint = variant.hint { lines.append("  hint: \(hint)") }
            if let values = variant.values { lines.append("  values: [" + values.map(quoted).joined(separator: ", ") + "]") }
            lines.append("  component:")
            render(variant.component, depth: 2, into: &lines)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func render(_ component: GroupingComponent, depth: Int, into lines: inout [String]) {
        let indent = String(repeating: "  ", count: depth)
        var head = indent + component.id + (component.contributes ? "*" : "")
        if let hint = component.hint { head += " (\(hint))" }
        lines.append(head)
        for value in component.values {
            switch value {
            case .component(let child): render(child, depth: depth + 1, into: &lines)
            case .string(let text): lines.append(indent + "  " + quoted(text))
            case .int(let number): lines.append(indent + "  \(number)")
            }
        }
    }

    /// A JSON string literal.
    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
