/// The JSON form of fingerprint rules, as Sentry stores them and its grouping fixtures carry them:
///
/// ```json
/// {"version": 1, "rules": [{"matchers": [["type", "Foo"], ["!path", "**/x/**"]],
///                           "fingerprint": ["foo", "{{ error.value }}"],
///                           "attributes": {"title": "Foo"}, "text": "…", "is_builtin": true}]}
/// ```
///
/// Matcher keys may be aliases (`error.type`) and carry their negation as leading `!`s. `attributes` and
/// `is_builtin` are optional; `text` is Sentry's display form and is recomputed, not read. The
/// `_fingerprinting_rules` key of Sentry's fixtures holds the bare array of rules, read here as version 1.
/// Built on the core's own JSON parser (the core does not import Foundation).
enum FingerprintRulesJSON {
    static func rules(from bytes: [UInt8]) throws(FingerprintRuleError) -> [FingerprintRule] {
        let parsed = bytes.withUnsafeBytes { JSONParser.parse($0) }
        let ruleValues: [JSONValue]
        switch parsed {
        case .object(let members)?:
            guard let version = member("version", in: members) else { throw invalid("'version' is missing") }
            guard case .number(let number) = version, Double(number) == 1 else { throw invalid("Unknown version") }
            guard case .array(let values)? = member("rules", in: members) else { throw invalid("'rules' is not a list") }
            ruleValues = values
        case .array(let values)?:
            ruleValues = values
        case nil:
            throw invalid("not JSON")
        default:
            throw invalid("expected an object with 'version' and 'rules'")
        }
        var rules: [FingerprintRule] = []
        for (index, value) in ruleValues.enumerated() {
            rules.append(try rule(from: value, index: index))
        }
        return rules
    }

    private static func rule(from value: JSONValue, index: Int) throws(FingerprintRuleError) -> FingerprintRule {
        guard case .object(let members) = value else { throw invalid("rule \(index + 1) is not an object") }
        guard case .array(let matcherValues)? = member("matchers", in: members) else {
            throw invalid("rule \(index + 1) has no 'matchers' list")
        }
        var matchers: [FingerprintMatcher] = []
        for matcherValue in matcherValues {
            guard case .array(let pair) = matcherValue, pair.count == 2,
                  case .string(let written) = pair[0], case .string(let pattern) = pair[1] else {
                throw invalid("rule \(index + 1) has a matcher that is not [key, pattern]")
            }
            let key = String(written.drop { $0 == "!" })
            matchers.append(try FingerprintMatcher(key: key, pattern: pattern, negated: written.hasPrefix("!")))
        }
        guard case .array(let fingerprintValues)? = member("fingerprint", in: members) else {
            throw invalid("rule \(index + 1) has no 'fingerprint' list")
        }
        var fingerprint: [String] = []
        for entry in fingerprintValues {
            guard case .string(let text) = entry else { throw invalid("rule \(index + 1) has a fingerprint entry that is not a string") }
            fingerprint.append(text)
        }
        var title: String?
        switch member("attributes", in: members) {
        case .object(let attributes)?:
            switch member("title", in: attributes) {
            case .string(let text)?: title = text
            case nil, .null?: break
            default: throw invalid("rule \(index + 1) has a title that is not a string")
            }
        case nil, .null?:
            break
        default:
            throw invalid("rule \(index + 1) has 'attributes' that are not an object")
        }
        var isBuiltIn = false
        switch member("is_builtin", in: members) {
        case .bool(let flag)?: isBuiltIn = flag
        case nil, .null?: break
        default: throw invalid("rule \(index + 1) has 'is_builtin' that is not a boolean")
        }
        return FingerprintRule(matchers: matchers, fingerprint: fingerprint, title: title, isBuiltIn: isBuiltIn)
    }

    /// The last member with the key, as Python's `json` keeps the last duplicate.
    private static func member(_ key: String, in members: [JSONMember]) -> JSONValue? {
        members.last { $0.key == key }?.value
    }

    private static func invalid(_ detail: String) -> FingerprintRuleError {
        FingerprintRuleError(.invalidJSON(detail), line: nil, column: nil)
    }
}
