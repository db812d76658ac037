/// Native function names (C, C++, Rust, Swift, Objective-C) trimmed to what identifies the function, as
/// Sentry's `trim_function_name` does (reference §5.3): no argument lists, return types or `const`, template
/// arguments as `<T>`, lambdas as `lambda`, no Rust hash suffix.
///
/// ```
/// std::vector<int>::push_back(int const&) const   →  std::vector<T>::push_back
/// myapp::main::h7f3c2a9e4b1d0c5f                  →  myapp::main
/// main.Worker.run() -> ()                          →  main.Worker.run
/// -[NSObject description]                          →  -[NSObject description]
/// ```
enum NativeFunctionName {
    static func trimmed(_ function: String) -> String {
        // Objective-C methods are left as they are.
        if function.hasPrefix("[") || function.hasPrefix("+[") || function.hasPrefix("-[") { return function }
        var text = function

        // (1) Trailing `const`, `&`, `&&`.
        var changed = true
        while changed {
            changed = false
            for suffix in [" const", "const", "&&", "&"] where text.hasSuffix(suffix) && text.count > suffix.count {
                text.removeLast(suffix.count)
                text = String(text.reversed().drop(while: { $0 == " " }).reversed())
                changed = true
            }
        }

        // (2) Protect what looks like brackets or arrows but is not.
        let protected: [(String, String)] = [
            ("operator<<", "\u{1}shl\u{1}"), ("operator<", "\u{1}lt\u{1}"), ("operator()", "\u{1}call\u{1}"),
            ("`anonymous namespace'", "\u{1}anon\u{1}"), ("(anonymous namespace)", "\u{1}anon2\u{1}"),
        ]
        for (original, placeholder) in protected { text = text.replacingAll(original, with: placeholder) }
        let arrow = text.firstRange(of: " -> ")

        // (3) Lambdas.
        text = replacingLambdas(in: text)

        // (4) MSVC anonymous namespaces `?A0x1234abcd::`.
        text = replacingMSVCAnonymousNamespaces(in: text)

        // (5) Argument lists and (6) template arguments.
        text = collapsingBrackets(in: text, arrowAt: arrow.map { text.distance(from: text.startIndex, to: $0.lowerBound) })

        // (7) The token before a Swift `->`, else the last whitespace-separated token.
        let tokens = text.split(separator: " ", omittingEmptySubsequences: true)
        if let arrowIndex = tokens.firstIndex(of: "->"), arrowIndex > 0 {
            text = String(tokens[arrowIndex - 1])
        } else if let last = tokens.last {
            text = String(last)
        }

        // (8) Rust's `::h0123456789abcdef` hash and the Windows `@N` decoration.
        if let range = text.ranges(of: "::h").last, text.distance(from: range.upperBound, to: text.endIndex) == 16,
           text[range.upperBound...].allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
            text = String(text[..<range.lowerBound])
        }
        if let at = text.lastIndex(of: "@"), at != text.startIndex, text[text.index(after: at)...].allSatisfy(\.isNumber),
           text.index(after: at) < text.endIndex {
            text = String(text[..<at])
        }

        for (original, placeholder) in protected { text = text.replacingAll(placeholder, with: original) }
        return text.isEmpty ? function : text
    }

    /// gcc `{lambda(int)#1}`, msvc `lambda_0123…` (32 hex digits), clang `$_3` → `lambda`.
    private static func replacingLambdas(in text: String) -> String {
        var result = text
        while let open = result.firstRange(of: "{lambda("), let close = result[open.upperBound...].firstRange(of: "}") {
            result.replaceSubrange(open.lowerBound..<close.upperBound, with: "lambda")
        }
        var scan = result.startIndex
        while let hit = result[scan...].firstRange(of: "lambda_") {
            let hex = result[hit.upperBound...].prefix { $0.isHexDigit }
            if hex.count == 32 {
                result.replaceSubrange(hit.lowerBound..<result.index(hit.upperBound, offsetBy: 32), with: "lambda")
                scan = result.startIndex
            } else {
                scan = hit.upperBound
            }
        }
        scan = result.startIndex
        while let hit = result[scan...].firstRange(of: "$_") {
            let digits = result[hit.upperBound...].prefix(while: \.isNumber)
            if !digits.isEmpty {
                result.replaceSubrange(hit.lowerBound..<result.index(hit.upperBound, offsetBy: digits.count), with: "lambda")
                scan = result.startIndex
            } else {
                scan = hit.upperBound
            }
        }
        return result
    }

    private static func replacingMSVCAnonymousNamespaces(in text: String) -> String {
        var result = text
        var scan = result.startIndex
        while let hit = result[scan...].firstRange(of: "?A0x") {
            let hex = result[hit.upperBound...].prefix { $0.isHexDigit }
            let end = result.index(hit.upperBound, offsetBy: hex.count)
            if hex.count == 8, result[end...].hasPrefix("::") {
                result.replaceSubrange(hit.lowerBound..<end, with: "\u{1}anon\u{1}")
                scan = result.startIndex
            } else {
                scan = hit.upperBound
            }
        }
        return result
    }

    /// Removes `(…)` argument lists and turns `<…>` template arguments into `<T>`, both at any nesting.
    /// At the very start, Rust's `<X as Trait>::` keeps `X` (or the trait, for a blanket `T as Trait`).
    private static func collapsingBrackets(in text: String, arrowAt: Int?) -> String {
        var characters = Array(text)
        if characters.first == "<", let close = matchingClose(characters, from: 0) {
            let inner = String(characters[1..<close])
            if let asRange = inner.firstRange(of: " as ") {
                let subject = String(inner[..<asRange.lowerBound])
                let trait = String(inner[asRange.upperBound...])
                let kept = subject == "T" || subject.count == 1 ? trait : subject
                characters = Array(kept) + characters[(close + 1)...]
            }
        }
        var result = ""
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character == "(" || character == "<", let close = matchingClose(characters, from: index) {
                if character == "<" { result += "<T>" }
                index = close + 1
                continue
            }
            result.append(character)
            index += 1
        }
        return result
    }

    /// The index of the bracket closing the one at `start`, counting nested brackets of the same kind.
    private static func matchingClose(_ characters: [Character], from start: Int) -> Int? {
        let open = characters[start]
        let close: Character = open == "(" ? ")" : ">"
        var depth = 0
        var index = start
        while index < characters.count {
            let character = characters[index]
            if character == open {
                depth += 1
            } else if character == close {
                // `->` inside a template is an arrow, not a closing bracket.
                if close == ">", index > 0, characters[index - 1] == "-" {
                    index += 1
                    continue
                }
                depth -= 1
                if depth == 0 { return index }
            }
            index += 1
        }
        return nil
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty, contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
