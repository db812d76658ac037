/// The bits of Python's string semantics Sentry's fingerprint rules depend on: what `\s` and `str.strip()`
/// call whitespace, and what `value.encode("ascii", "backslashreplace").decode("unicode-escape")` (Sentry's
/// `unescape_string`) makes of a quoted rule value. Work is on Unicode scalars, Python's characters.
enum PythonText {
    /// `str.isspace()`, which is also what `\s` matches in a `str` regex.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `str.strip()`.
    static func stripped(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(scalars[first...last])
    }

    /// At `start`, `\{\{\s*(\S+)\s*\}\}` as Python's backtracking regex matches it (`\S+` greedy): the end of
    /// the match and the variable name, or `nil`.
    static func variable(in scalars: [Unicode.Scalar], at start: Int) -> (end: Int, name: String)? {
        let count = scalars.count
        guard start + 1 < count, scalars[start] == "{", scalars[start + 1] == "{" else { return nil }
        var nameStart = start + 2
        while nameStart < count, isSpace(scalars[nameStart]) { nameStart += 1 }
        var runEnd = nameStart
        while runEnd < count, !isSpace(scalars[runEnd]) { runEnd += 1 }
        guard runEnd > nameStart else { return nil }
        // The whole run, then blanks, then `}}`.
        var close = runEnd
        while close < count, isSpace(scalars[close]) { close += 1 }
        if close + 1 < count, scalars[close] == "}", scalars[close + 1] == "}" {
            return (close + 2, String(String.UnicodeScalarView(scalars[nameStart..<runEnd])))
        }
        // Backtracking: a shorter name directly followed by `}}` inside the run.
        var nameEnd = runEnd - 1
        while nameEnd > nameStart {
            if nameEnd + 1 < runEnd, scalars[nameEnd] == "}", scalars[nameEnd + 1] == "}" {
                return (nameEnd + 2, String(String.UnicodeScalarView(scalars[nameStart..<nameEnd])))
            }
            nameEnd -= 1
        }
        return nil
    }

    /// Sentry's `unescape_string`: non-ASCII characters become `\xhh`, `\uhhhh` or `\Uhhhhhhhh` first, then
    /// Python's `unicode-escape` codec reads backslash escapes (`\\ \' \" \a \b \f \n \r \t \v`, octal `\ooo`,
    /// `\xhh`, `\uhhhh`, `\Uhhhhhhhh`, `\N{NAME}`, backslash-newline). An unknown escape keeps its backslash.
    /// A lone surrogate, which Swift cannot hold, becomes U+FFFD.
    ///
    /// Returns the text, or the escape that fails (Python raises `UnicodeDecodeError` there).
    static func unescaped(_ text: String) -> Result<String, EscapeFailure> {
        guard text.unicodeScalars.contains(where: { $0 == "\\" || $0.value > 0x7F }) else { return .success(text) }
        // Step 1: encode("ascii", "backslashreplace").
        var ascii: [Unicode.Scalar] = []
        for scalar in text.unicodeScalars {
            if scalar.value < 0x80 {
                ascii.append(scalar)
            } else {
                let (prefix, digits): (Unicode.Scalar, Int) = scalar.value <= 0xFF ? ("x", 2) : (scalar.value <= 0xFFFF ? ("u", 4) : ("U", 8))
                ascii.append("\\")
                ascii.append(prefix)
                ascii.append(contentsOf: hex(scalar.value, digits: digits))
            }
        }
        // Step 2: decode("unicode-escape").
        var output = String.UnicodeScalarView()
        var index = 0
        while index < ascii.count {
            let scalar = ascii[index]
            guard scalar == "\\" else {
                output.append(scalar)
                index += 1
                continue
            }
            guard index + 1 < ascii.count else { return .failure(EscapeFailure(escape: "\\")) }
            let kind = ascii[index + 1]
            index += 2
            switch kind {
            case "\n": break
            case "\\", "'", "\"": output.append(kind)
            case "a": output.append("\u{07}")
            case "b": output.append("\u{08}")
            case "f": output.append("\u{0C}")
            case "n": output.append("\n")
            case "r": output.append("\r")
            case "t": output.append("\t")
            case "v": output.append("\u{0B}")
            case "0"..."7":
                var value = kind.value - 0x30
                var digits = 1
                while digits < 3, index < ascii.count, ("0"..."7").contains(ascii[index]) {
                    value = value * 8 + ascii[index].value - 0x30
                    index += 1
                    digits += 1
                }
                output.append(scalarOrReplacement(value))
            case "x", "u", "U":
                let digits = kind == "x" ? 2 : (kind == "u" ? 4 : 8)
                guard index + digits <= ascii.count, let value = hexValue(ascii[index..<(index + digits)]) else {
                    return .failure(EscapeFailure(escape: "\\" + String(String.UnicodeScalarView(ascii[(index - 1)..<min(ascii.count, index + digits)]))))
                }
                guard value <= 0x10FFFF else {
                    return .failure(EscapeFailure(escape: "\\" + String(String.UnicodeScalarView(ascii[(index - 1)..<(index + digits)]))))
                }
                index += digits
                output.append(scalarOrReplacement(value))
            case "N":
                guard index < ascii.count, ascii[index] == "{",
                      let close = ascii[index...].firstIndex(of: "}"), close > index + 1 else {
                    return .failure(EscapeFailure(escape: "\\N"))
                }
                let name = String(String.UnicodeScalarView(ascii[(index + 1)..<close]))
                guard let named = lookUpScalar(named: name) else {
                    return .failure(EscapeFailure(escape: "\\N{\(name)}"))
                }
                output.append(named)
                index = close + 1
            default:
                output.append("\\")
                output.append(kind)
            }
        }
        return .success(String(output))
    }

    /// An escape sequence Python's codec refuses.
    struct EscapeFailure: Error, Hashable {
        var escape: String
    }

    private static func hex(_ value: UInt32, digits: Int) -> [Unicode.Scalar] {
        let alphabet = Array("0123456789abcdef".unicodeScalars)
        return (0..<digits).reversed().map { alphabet[Int((value >> (UInt32($0) * 4)) & 0xF)] }
    }

    private static func hexValue(_ digits: ArraySlice<Unicode.Scalar>) -> UInt32? {
        var value: UInt32 = 0
        for digit in digits {
            guard let nibble = UInt32(String(digit), radix: 16) else { return nil }
            value = value << 4 | nibble
        }
        return value
    }

    private static func scalarOrReplacement(_ value: UInt32) -> Unicode.Scalar {
        Unicode.Scalar(value) ?? "\u{FFFD}"
    }

    /// `unicodedata.lookup` for `\N{…}`: names and aliases, ignoring ASCII case. A slow scan, and only ever
    /// run for a rule that spells a character by name.
    private static func lookUpScalar(named name: String) -> Unicode.Scalar? {
        let wanted = name.uppercased()
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if scalar.properties.name == wanted || scalar.properties.nameAlias == wanted { return scalar }
        }
        return nil
    }
}
