/// Reads logfmt lines: `time=2026-11-25T10:00:00Z level=error msg="failed to connect" err="dial tcp: i/o
/// timeout"` (go-kit, logrus' text formatter, Go's `log/slog` TextHandler, Heroku, Grafana Loki's tools).
///
/// A pair is `key=value` or a bare `key`; a value is bare (up to the next blank) or double-quoted with
/// backslash escapes. ``level(_:)`` runs on every line and only scans bytes; ``decode(_:)`` runs on errors.
public enum LogfmtDecoder {
    /// Whether the line looks like logfmt: it starts with `key=` (a key of letters, digits and `_ . - @ /`)
    /// and has at least one more `key=` pair after it, so a plain message that happens to hold one `=` does
    /// not count.
    public static func looksLikeLogfmt(_ line: UnsafeRawBufferPointer) -> Bool {
        var scanner = LogfmtScanner(line)
        var pairs = 0
        while pairs < 2, let pair = scanner.nextPair() {
            guard pair.value != nil, isPlainKey(UnsafeRawBufferPointer(rebasing: line[pair.key])) else { return false }
            pairs += 1
        }
        return pairs == 2
    }

    private static func isPlainKey(_ key: UnsafeRawBufferPointer) -> Bool {
        guard !key.isEmpty else { return false }
        for byte in key {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"),
                 UInt8(ascii: "@"), UInt8(ascii: "/"):
                continue
            default:
                return false
            }
        }
        return true
    }

    /// The level of a logfmt line, read without decoding the rest: the first level field
    /// (``StructuredLevel/fieldNames``, any case) whose value reads as a level.
    public static func level(_ line: UnsafeRawBufferPointer) -> Level? {
        var scanner = LogfmtScanner(line)
        while let pair = scanner.nextPair() {
            guard let value = pair.value,
                  StructuredLevel.isLevelName(UnsafeRawBufferPointer(rebasing: line[pair.key])) else { continue }
            if let level = StructuredLevel.level(UnsafeRawBufferPointer(rebasing: line[value.content])) {
                return level
            }
        }
        return nil
    }

    /// Decodes a whole logfmt line into a record. Nil when the line has no pair or a quoted value does not
    /// end. A bare key (a flag without `=`) is kept in the fields with an empty value.
    public static func decode(_ line: UnsafeRawBufferPointer) -> StructuredRecord? {
        var scanner = LogfmtScanner(line)
        var fields: [StructuredField] = []
        var scratch: [UInt8] = []
        while let pair = scanner.nextPair() {
            let key = String(decoding: UnsafeRawBufferPointer(rebasing: line[pair.key]), as: UTF8.self)
            guard let value = pair.value else {
                fields.append(StructuredField(key: key, value: "", isText: false))
                continue
            }
            let content = UnsafeRawBufferPointer(rebasing: line[value.content])
            let text: String
            if value.hasEscapes {
                scratch.removeAll(keepingCapacity: true)
                appendUnescaped(content, to: &scratch)
                text = String(decoding: scratch, as: UTF8.self)
            } else {
                text = String(decoding: content, as: UTF8.self)
            }
            fields.append(StructuredField(key: key, value: text, isText: value.quoted || !isLiteral(text)))
        }
        guard scanner.isAtEnd, !fields.isEmpty else { return nil }
        return StructuredRecord(fields: fields)
    }

    /// A bare `true`, `false`, `null` or number: not text.
    private static func isLiteral(_ text: String) -> Bool {
        text == "true" || text == "false" || text == "null" || Double(text) != nil
    }

    /// Appends what a quoted value's content stands for. Go writes these values with `strconv.Quote` or
    /// go-logfmt: `\" \\ \/ \n \r \t \a \b \f \v`, `\xNN`, `\uXXXX` (surrogate pairs joined), `\UXXXXXXXX`.
    /// An unknown escape is kept as written.
    static func appendUnescaped(_ content: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        var index = 0
        while index < content.count {
            let byte = content[index]
            guard byte == 0x5C, index + 1 < content.count else {
                output.append(byte)
                index += 1
                continue
            }
            let escape = content[index + 1]
            index += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "'"): output.append(escape)
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "a"): output.append(0x07)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "v"): output.append(0x0B)
            case UInt8(ascii: "x"):
                if let value = JSONText.hexValue(content, at: index, digits: 2) {
                    output.append(UInt8(value))
                    index += 2
                } else {
                    output.append(contentsOf: [0x5C, escape])
                }
            case UInt8(ascii: "u"):
                if var value = JSONText.hexValue(content, at: index, digits: 4) {
                    index += 4
                    if (0xD800...0xDBFF).contains(value), index + 6 <= content.count, content[index] == 0x5C,
                       content[index + 1] == UInt8(ascii: "u"),
                       let low = JSONText.hexValue(content, at: index + 2, digits: 4), (0xDC00...0xDFFF).contains(low) {
                        value = 0x10000 + ((value - 0xD800) << 10) + (low - 0xDC00)
                        index += 6
                    }
                    JSONText.appendUTF8(value, to: &output)
                } else {
                    output.append(contentsOf: [0x5C, escape])
                }
            case UInt8(ascii: "U"):
                if let value = JSONText.hexValue(content, at: index, digits: 8) {
                    JSONText.appendUTF8(value, to: &output)
                    index += 8
                } else {
                    output.append(contentsOf: [0x5C, escape])
                }
            default:
                output.append(contentsOf: [0x5C, escape])
            }
        }
    }
}

/// Walks the pairs of a logfmt line.
struct LogfmtScanner {
    /// One `key=value` or bare `key`.
    struct Pair {
        var key: Range<Int>
        /// Nil for a bare key.
        var value: Value?
    }

    struct Value {
        /// The value's bytes (between the quotes for a quoted value).
        var content: Range<Int>
        var quoted: Bool
        var hasEscapes: Bool
    }

    let bytes: UnsafeRawBufferPointer
    private var position = 0
    /// Set when the scan stopped at something that is not logfmt (an unterminated quote, a stray `=`).
    private var malformed = false

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Whether the whole line was read as pairs.
    var isAtEnd: Bool { !malformed && position >= bytes.count }

    private static func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }

    /// The next pair; nil at the end of the line or at malformed input (see ``isAtEnd``).
    mutating func nextPair() -> Pair? {
        while position < bytes.count, Self.isBlank(bytes[position]) { position += 1 }
        guard !malformed, position < bytes.count else { return nil }
        let keyStart = position
        while position < bytes.count {
            let byte = bytes[position]
            if Self.isBlank(byte) || byte == UInt8(ascii: "=") { break }
            if byte == UInt8(ascii: "\"") { return stop() }
            position += 1
        }
        let key = keyStart..<position
        guard !key.isEmpty else { return stop() }
        guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else { return Pair(key: key, value: nil) }
        position += 1
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
            let valueStart = position
            while position < bytes.count, !Self.isBlank(bytes[position]) { position += 1 }
            return Pair(key: key, value: Value(content: valueStart..<position, quoted: false, hasEscapes: false))
        }
        position += 1
        let valueStart = position
        var hasEscapes = false
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "\\"):
                hasEscapes = true
                position += 2
            case UInt8(ascii: "\""):
                let content = valueStart..<position
                position += 1
                guard position >= bytes.count || Self.isBlank(bytes[position]) else { return stop() }
                return Pair(key: key, value: Value(content: content, quoted: true, hasEscapes: hasEscapes))
            default:
                position += 1
            }
        }
        return stop()
    }

    private mutating func stop() -> Pair? {
        malformed = true
        return nil
    }
}
