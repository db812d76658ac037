#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte-level text helpers for the grammars. The standard library's generic `contains(_:)` compares
/// `Character`s one by one and its trimming walks grapheme clusters; on records of hundreds of lines that
/// dominated parsing time. These work on UTF-8 bytes, which is exact for ASCII needles and whitespace.
extension StringProtocol {
    /// Whether the text contains `needle`, by a byte search (`memchr` for the first byte, then `memcmp`).
    func containsText(_ needle: String) -> Bool {
        var needle = needle
        var text = String(self)
        return needle.withUTF8 { needleBytes in
            text.withUTF8 { bytes in
                guard let first = needleBytes.first else { return true }
                guard bytes.count >= needleBytes.count, let base = bytes.baseAddress,
                      let needleBase = needleBytes.baseAddress
                else { return false }
                let lastStart = bytes.count - needleBytes.count
                var position = 0
                while position <= lastStart {
                    guard let hit = memchr(base + position, Int32(first), lastStart - position + 1) else { return false }
                    let offset = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                    if memcmp(base + offset, needleBase, needleBytes.count) == 0 { return true }
                    position = offset + 1
                }
                return false
            }
        }
    }

    /// The text without leading and trailing ASCII whitespace (space, tab, CR, LF, vertical tab, form feed).
    func trimmingASCIIWhitespace() -> String {
        let text = String(self)
        let utf8 = text.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        @inline(__always) func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) }
        while start < end, isSpace(utf8[start]) { start = utf8.index(after: start) }
        while end > start {
            let before = utf8.index(before: end)
            guard isSpace(utf8[before]) else { break }
            end = before
        }
        if start == utf8.startIndex && end == utf8.endIndex { return text }
        return String(text[start..<end])
    }
}

/// Small text operations every grammar needs, in one place.
enum GrammarText {
    /// The text without leading and trailing ASCII whitespace.
    static func trimmed(_ text: String) -> String { text.trimmingASCIIWhitespace() }

    /// The text without trailing ASCII whitespace.
    static func trimmedTrailing(_ text: String) -> String {
        let utf8 = text.utf8
        var end = utf8.endIndex
        while end > utf8.startIndex {
            let before = utf8.index(before: end)
            let byte = utf8[before]
            guard byte == 0x20 || (byte >= 0x09 && byte <= 0x0D) else { break }
            end = before
        }
        return end == utf8.endIndex ? text : String(text[..<end])
    }

    /// The text without leading and trailing spaces and tabs (line breaks inside and at the ends stay).
    static func trimmedBlanks(_ text: String) -> String {
        let utf8 = text.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, utf8[start] == 0x20 || utf8[start] == 0x09 { start = utf8.index(after: start) }
        while end > start {
            let before = utf8.index(before: end)
            guard utf8[before] == 0x20 || utf8[before] == 0x09 else { break }
            end = before
        }
        return start == utf8.startIndex && end == utf8.endIndex ? text : String(text[start..<end])
    }

    /// The number of leading spaces and tabs.
    static func indentation(_ text: String) -> Int {
        var count = 0
        for byte in text.utf8 {
            guard byte == 0x20 || byte == 0x09 else { break }
            count += 1
        }
        return count
    }

    /// The text without leading ASCII whitespace.
    static func trimmedLeading(_ text: String) -> String {
        let utf8 = text.utf8
        var start = utf8.startIndex
        while start < utf8.endIndex, utf8[start] == 0x20 || (utf8[start] >= 0x09 && utf8[start] <= 0x0D) {
            start = utf8.index(after: start)
        }
        return start == utf8.startIndex ? text : String(text[start...])
    }

    /// The text without the `\r` a CRLF line leaves behind.
    static func withoutCarriageReturn(_ text: String) -> String {
        text.utf8.last == 0x0D ? String(text.dropLast()) : text
    }

    /// The text without ANSI terminal escapes (Python 3.13 and Ruby colour their reports on a terminal) and
    /// without trailing whitespace.
    static func withoutTerminalEscapes(_ text: String) -> String {
        // Most lines have neither escapes nor trailing whitespace: keep them as they are.
        if let last = text.utf8.last, last != 0x20, last != 0x09, last != 0x0D, !GrammarText.containsEscape(text) {
            return text
        }
        var result = ""
        var inEscape = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if ("@"..."~").contains(scalar), scalar != "[" { inEscape = false }
            } else if scalar == "\u{1B}" {
                inEscape = true
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return trimmedTrailing(result)
    }

    /// Whether the text holds an ESC byte (a terminal escape sequence), found with `memchr`.
    static func containsEscape(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { ByteScan.find(0x1B, in: UnsafeRawBufferPointer($0)) != nil }
    }

    /// Whether a path is absolute: `/…` or a Windows drive path `C:\…` / `C:/…`.
    static func isAbsolutePath(_ path: String) -> Bool {
        if path.hasPrefix("/") { return true }
        let characters = Array(path.prefix(3))
        return characters.count == 3 && characters[0].isLetter && characters[1] == ":"
            && (characters[2] == "/" || characters[2] == "\\")
    }
}

/// The first match of `matcher` in a grammar's line. A match that hits a PCRE2 resource limit counts as
/// no match: the line then ends up among the unparsed ones, which is where it belongs.
func firstMatch(_ matcher: Matcher, _ text: String) -> StringMatch? {
    (try? matcher.firstMatch(in: text)) ?? nil
}
