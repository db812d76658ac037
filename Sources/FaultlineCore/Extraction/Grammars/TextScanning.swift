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
