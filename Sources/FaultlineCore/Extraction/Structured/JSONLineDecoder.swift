#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads JSON-lines logs: one JSON object per line (pino, bunyan, winston, logrus, zap, slog, structlog,
/// python-json-logger, logstash-logback-encoder, log4j2, Serilog, .NET, ECS, Google Cloud, Rust tracing).
///
/// ``level(_:)`` runs on every line and only scans bytes; ``decode(_:)`` builds the whole record and runs
/// only on the records that are errors.
public enum JSONLineDecoder {
    /// Whether the line's first non-blank byte is `{`.
    public static func looksLikeJSON(_ line: UnsafeRawBufferPointer) -> Bool {
        var scanner = JSONScanner(line)
        scanner.skipWhitespace()
        return scanner.current == UInt8(ascii: "{")
    }

    /// The level of a JSON line, read without decoding the rest: the first top-level level field
    /// (``StructuredLevel/fieldNames``, any case, or `level` inside a top-level `log` object as ECS nests
    /// it) whose value reads as a level. Nil when there is none or the line is not a JSON object.
    public static func level(_ line: UnsafeRawBufferPointer) -> Level? {
        var scanner = JSONScanner(line)
        guard scanner.enterObject() else { return nil }
        return levelOfMembers(&scanner, allowNestedLog: true)
    }

    private static let logKey: [UInt8] = Array("log".utf8)
    private static let levelKey: [UInt8] = Array("level".utf8)

    private static func levelOfMembers(_ scanner: inout JSONScanner, allowNestedLog: Bool) -> Level? {
        while case .key(let key) = scanner.nextMember() {
            let keyBytes = UnsafeRawBufferPointer(rebasing: scanner.bytes[key])
            let isLevel = allowNestedLog
                ? StructuredLevel.isLevelName(keyBytes)
                : StructuredLevel.equalsIgnoringASCIICase(keyBytes, levelKey)
            if !isLevel, allowNestedLog, scanner.current == UInt8(ascii: "{"),
               StructuredLevel.equalsIgnoringASCIICase(keyBytes, logKey) {
                var nested = scanner
                if nested.enterObject(), let level = levelOfMembers(&nested, allowNestedLog: false) { return level }
            }
            let valueStart = scanner.position
            guard scanner.skipValue() else { return nil }
            let value = UnsafeRawBufferPointer(rebasing: scanner.bytes[valueStart..<scanner.position])
            if isLevel, let level = levelValue(value) { return level }
        }
        return nil
    }

    /// A string or number value read as a level. A string with escapes is not a level word.
    private static func levelValue(_ value: UnsafeRawBufferPointer) -> Level? {
        guard value.count >= 2, value[0] == UInt8(ascii: "\"") else { return StructuredLevel.level(value) }
        let content = UnsafeRawBufferPointer(rebasing: value[1..<(value.count - 1)])
        guard !content.contains(0x5C) else { return nil }
        return StructuredLevel.level(content)
    }

    /// Decodes a whole JSON line into a record. Nil unless the line is one well-formed JSON object (blanks
    /// around it allowed).
    public static func decode(_ line: UnsafeRawBufferPointer) -> StructuredRecord? {
        guard case .object(let members)? = JSONParser.parse(line) else { return nil }
        var fields: [StructuredField] = []
        flatten(members, prefix: "", into: &fields)
        return StructuredRecord(fields: fields)
    }

    /// Names nested members with dots and keeps the scalars. An array of strings becomes one text joined
    /// with newlines (loggers that write a stack as an array of lines); other arrays and nulls are left out.
    /// log4j2's `thrown` object becomes a Java stack trace text (``Log4jThrown``). The parser's depth limit
    /// bounds the recursion.
    static func flatten(_ members: [JSONMember], prefix: String, into fields: inout [StructuredField]) {
        for member in members {
            let key = prefix + member.key
            switch member.value {
            case .string(let text):
                fields.append(StructuredField(key: key, value: text, isText: true))
            case .number(let text):
                fields.append(StructuredField(key: key, value: text, isText: false))
            case .bool(let flag):
                fields.append(StructuredField(key: key, value: flag ? "true" : "false", isText: false))
            case .null:
                break
            case .object(let nested):
                if member.key.lowercased() == "thrown", let thrown = Log4jThrown(nested) {
                    thrown.appendFields(prefix: key, to: &fields)
                } else {
                    flatten(nested, prefix: key + ".", into: &fields)
                }
            case .array(let elements):
                var lines: [String] = []
                for element in elements {
                    guard case .string(let text) = element else { break }
                    lines.append(text)
                }
                if !elements.isEmpty, lines.count == elements.count {
                    fields.append(StructuredField(key: key, value: lines.joined(separator: "\n"), isText: true))
                }
            }
        }
    }
}

// MARK: - log4j2's thrown object

/// log4j2 `JsonLayout` writes an exception as an object: `{"name":"java.lang.IllegalStateException",
/// "message":"…","extendedStackTrace":[{"class":"com.acme.A","method":"run","file":"A.java","line":42},…],
/// "cause":{…}}`. It is turned back into the trace Java prints, so the Java grammar reads it like any other.
struct Log4jThrown {
    /// One exception of the chain.
    struct Exception {
        var name: String
        var message: String?
        /// `at com.acme.A.run(A.java:42)` lines.
        var frames: [String]
    }

    /// The thrown exception first, then its causes.
    var chain: [Exception]
    /// The whole trace when the layout wrote it as text (`"extendedStackTrace":"java.lang…\n\tat …"`).
    var printedTrace: String?

    init?(_ members: [JSONMember]) {
        var chain: [Exception] = []
        var printedTrace: String?
        var next: [JSONMember]? = members
        while let current = next, chain.count < JSONParser.maximumDepth {
            next = nil
            var name: String?
            var message: String?
            var frames: [String] = []
            for member in current {
                switch (member.key, member.value) {
                case ("name", .string(let text)): name = text
                case ("message", .string(let text)): message = text
                case ("localizedMessage", .string(let text)) where message == nil: message = text
                case ("extendedStackTrace", .array(let elements)), ("stackTrace", .array(let elements)):
                    frames = elements.compactMap(Self.frameLine)
                case ("extendedStackTrace", .string(let text)), ("stackTrace", .string(let text)):
                    if chain.isEmpty { printedTrace = text }
                case ("cause", .object(let cause)): next = cause
                default: break
                }
            }
            guard let name else { break }
            chain.append(Exception(name: name, message: message, frames: frames))
        }
        guard !chain.isEmpty else { return nil }
        self.chain = chain
        self.printedTrace = printedTrace
    }

    /// `at com.acme.A.run(A.java:42)` from a frame object; `Native Method` and `Unknown Source` as Java
    /// prints them.
    private static func frameLine(_ value: JSONValue) -> String? {
        guard case .object(let members) = value else { return nil }
        var className: String?
        var method: String?
        var file: String?
        var line: Int?
        for member in members {
            switch (member.key, member.value) {
            case ("class", .string(let text)): className = text
            case ("method", .string(let text)): method = text
            case ("file", .string(let text)): file = text
            case ("line", .number(let text)): line = Int(text)
            default: break
            }
        }
        guard let className, let method else { return nil }
        let location: String
        if line == -2 {
            location = "Native Method"
        } else if let file {
            location = line.map { $0 >= 0 ? "\(file):\($0)" : file } ?? file
        } else {
            location = "Unknown Source"
        }
        return "at \(className).\(method)(\(location))"
    }

    /// The trace as Java prints it: header, tab-indented frames, then each `Caused by:` in turn.
    var traceText: String {
        if let printedTrace { return printedTrace }
        var lines: [String] = []
        for (index, exception) in chain.enumerated() {
            let header = exception.message.map { "\(exception.name): \($0)" } ?? exception.name
            lines.append(index == 0 ? header : "Caused by: " + header)
            lines.append(contentsOf: exception.frames.map { "\t" + $0 })
        }
        return lines.joined(separator: "\n")
    }

    /// The outermost exception's name and message, and the trace, as `<prefix>.name`, `<prefix>.message`
    /// and `<prefix>.stack`.
    func appendFields(prefix: String, to fields: inout [StructuredField]) {
        let thrown = chain[0]
        fields.append(StructuredField(key: prefix + ".name", value: thrown.name, isText: true))
        if let message = thrown.message {
            fields.append(StructuredField(key: prefix + ".message", value: message, isText: true))
        }
        fields.append(StructuredField(key: prefix + ".stack", value: traceText, isText: true))
    }
}

// MARK: - Byte scanning

/// Where a JSON string's content is in the scanned bytes.
struct JSONStringSpan {
    /// The bytes between the quotes.
    var content: Range<Int>
    /// Whether the content holds a backslash (and must be unescaped).
    var hasEscapes: Bool
}

/// Byte-level scanning of JSON text without building values: find an object's members, skip values. It
/// checks only what it needs to find its way (quotes, brackets), so it is fast and lenient; it never reads
/// outside the bytes. Strings may hold raw control bytes.
struct JSONScanner {
    let bytes: UnsafeRawBufferPointer
    private(set) var position: Int

    init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    /// What ``nextMember()`` found.
    enum MemberStep {
        /// A member whose key is at this range; the scanner is at its value.
        case key(Range<Int>)
        /// The closing `}` (the scanner is past it).
        case end
        /// Anything else: the object is truncated or malformed.
        case malformed
    }

    /// The byte at the current position, nil at the end.
    var current: UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    /// Moves `count` bytes ahead (the caller has checked they are there).
    mutating func skip(_ count: Int) { position += count }

    /// Skips blanks and enters the object that starts there; false if there is no `{`.
    mutating func enterObject() -> Bool {
        skipWhitespace()
        guard current == UInt8(ascii: "{") else { return false }
        position += 1
        return true
    }

    /// Moves to the next member of the object the scanner is in: past a `,`, then the key and the `:`.
    /// Call it after entering the object and after consuming each value.
    mutating func nextMember() -> MemberStep {
        skipWhitespace()
        guard let byte = current else { return .malformed }
        if byte == UInt8(ascii: "}") {
            position += 1
            return .end
        }
        if byte == UInt8(ascii: ",") {
            position += 1
            skipWhitespace()
        }
        guard current == UInt8(ascii: "\""), let key = scanString() else { return .malformed }
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { return .malformed }
        position += 1
        skipWhitespace()
        return position < bytes.count ? .key(key.content) : .malformed
    }

    /// At a `"`: moves past the string and returns where its content is; nil (position unchanged) if the
    /// string does not end on this line.
    mutating func scanString() -> JSONStringSpan? {
        guard let base = bytes.baseAddress, current == UInt8(ascii: "\"") else { return nil }
        let start = position + 1
        // Most strings are short and plain: one pass over their first bytes settles them.
        var index = start
        let shortEnd = min(bytes.count, start + 64)
        while index < shortEnd {
            let byte = bytes[index]
            if byte == 0x22 {
                position = index + 1
                return JSONStringSpan(content: start..<index, hasEscapes: false)
            }
            if byte == 0x5C { break }
            index += 1
        }
        // Long strings and strings with escapes: find each quote with memchr; it ends the string unless an
        // odd number of backslashes comes before it.
        var search = index
        while search < bytes.count {
            guard let found = memchr(base + search, 0x22, bytes.count - search) else { return nil }
            let quote = base.distance(to: UnsafeRawPointer(found))
            var backslashes = 0
            while quote - backslashes - 1 >= start, bytes[quote - backslashes - 1] == 0x5C { backslashes += 1 }
            if backslashes % 2 == 0 {
                position = quote + 1
                let hasEscapes = quote > index && memchr(base + index, 0x5C, quote - index) != nil
                return JSONStringSpan(content: start..<quote, hasEscapes: hasEscapes)
            }
            search = quote + 1
        }
        return nil
    }

    /// Moves past one value of any kind (nested objects and arrays included); false if it is truncated.
    mutating func skipValue() -> Bool {
        guard let byte = current else { return false }
        switch byte {
        case UInt8(ascii: "\""):
            return scanString() != nil
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            var depth = 0
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: "\""):
                    guard scanString() != nil else { return false }
                    continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    depth -= 1
                    if depth == 0 {
                        position += 1
                        return true
                    }
                default:
                    break
                }
                position += 1
            }
            return false
        case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ","), UInt8(ascii: ":"):
            return false
        default:
            let start = position
            while position < bytes.count {
                switch bytes[position] {
                case UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]"), 0x20, 0x09, 0x0A, 0x0D: break
                default:
                    position += 1
                    continue
                }
                break
            }
            return position > start
        }
    }
}

// MARK: - String content

/// JSON string escapes.
enum JSONText {
    /// Appends raw bytes to a byte array.
    @inline(__always)
    static func append(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        output.append(contentsOf: UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self),
                                                      count: bytes.count))
    }

    /// Appends the bytes a JSON string's content (between the quotes) stands for: `\n \t \r \b \f \" \\ \/`
    /// and `\uXXXX`, surrogate pairs joined, as UTF-8. A lone surrogate becomes U+FFFD. False (with part of
    /// the content appended) on an unknown or cut escape.
    static func appendUnescaped(_ content: UnsafeRawBufferPointer, to output: inout [UInt8]) -> Bool {
        guard let base = content.baseAddress else { return true }
        let count = content.count
        var index = 0
        while index < count {
            guard let found = memchr(base + index, 0x5C, count - index) else {
                append(UnsafeRawBufferPointer(rebasing: content[index..<count]), to: &output)
                return true
            }
            let backslash = base.distance(to: UnsafeRawPointer(found))
            append(UnsafeRawBufferPointer(rebasing: content[index..<backslash]), to: &output)
            guard backslash + 1 < count else { return false }
            index = backslash + 2
            switch content[backslash + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): output.append(content[backslash + 1])
            case UInt8(ascii: "n"): output.append(0x0A)
            case UInt8(ascii: "t"): output.append(0x09)
            case UInt8(ascii: "r"): output.append(0x0D)
            case UInt8(ascii: "b"): output.append(0x08)
            case UInt8(ascii: "f"): output.append(0x0C)
            case UInt8(ascii: "u"):
                guard let unit = hexValue(content, at: index, digits: 4) else { return false }
                index += 4
                var scalar = unit
                if (0xD800...0xDBFF).contains(unit), index + 6 <= count,
                   content[index] == 0x5C, content[index + 1] == UInt8(ascii: "u"),
                   let low = hexValue(content, at: index + 2, digits: 4), (0xDC00...0xDFFF).contains(low) {
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                } else if (0xD800...0xDFFF).contains(unit) {
                    scalar = 0xFFFD
                }
                appendUTF8(scalar, to: &output)
            default:
                return false
            }
        }
        return true
    }

    /// The value of `digits` hex digits at `index`, nil if they are not all there.
    static func hexValue(_ bytes: UnsafeRawBufferPointer, at index: Int, digits: Int) -> UInt32? {
        guard index >= 0, index + digits <= bytes.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<digits {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x41...0x46: digit = byte - 0x41 + 10
            case 0x61...0x66: digit = byte - 0x61 + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Appends a Unicode scalar value as UTF-8 (U+FFFD for a value that is not a scalar).
    static func appendUTF8(_ value: UInt32, to output: inout [UInt8]) {
        let scalar = Unicode.Scalar(value).map(\.value) ?? 0xFFFD
        switch scalar {
        case 0..<0x80:
            output.append(UInt8(scalar))
        case 0x80..<0x800:
            output.append(UInt8(0xC0 | scalar >> 6))
            output.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            output.append(UInt8(0xE0 | scalar >> 12))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        default:
            output.append(UInt8(0xF0 | scalar >> 18))
            output.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            output.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            output.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

// MARK: - Full parsing

/// A JSON value. Numbers keep their text, so they read back as written.
indirect enum JSONValue: Hashable {
    case object([JSONMember])
    case array([JSONValue])
    case string(String)
    case number(String)
    case bool(Bool)
    case null
}

/// One member of a JSON object, in the order written.
struct JSONMember: Hashable {
    var key: String
    var value: JSONValue
}

/// A small, strict JSON parser on bytes (RFC 8259 values, escapes, numbers, nesting up to
/// ``maximumDepth``). It returns nil on anything malformed or truncated and never reads outside the bytes.
/// Two leniencies, both common in real logs: raw control bytes inside strings, and invalid UTF-8 (repaired
/// to U+FFFD).
struct JSONParser {
    /// Deeper nesting is refused, so hostile input cannot exhaust the stack.
    static let maximumDepth = 128

    private var scanner: JSONScanner
    private var scratch: [UInt8] = []

    private init(_ bytes: UnsafeRawBufferPointer) { scanner = JSONScanner(bytes) }

    /// Parses `bytes` as one JSON value with optional blanks around it.
    static func parse(_ bytes: UnsafeRawBufferPointer) -> JSONValue? {
        var parser = JSONParser(bytes)
        parser.scanner.skipWhitespace()
        guard let value = parser.parseValue(depth: 0) else { return nil }
        parser.scanner.skipWhitespace()
        return parser.scanner.current == nil ? value : nil
    }

    private mutating func parseValue(depth: Int) -> JSONValue? {
        guard let byte = scanner.current else { return nil }
        switch byte {
        case UInt8(ascii: "{"):
            guard depth < Self.maximumDepth else { return nil }
            return parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            guard depth < Self.maximumDepth else { return nil }
            return parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            return parseString().map(JSONValue.string)
        case UInt8(ascii: "t"):
            return parseLiteral("true", .bool(true))
        case UInt8(ascii: "f"):
            return parseLiteral("false", .bool(false))
        case UInt8(ascii: "n"):
            return parseLiteral("null", .null)
        default:
            return parseNumber()
        }
    }

    private mutating func parseObject(depth: Int) -> JSONValue? {
        scanner.skip(1)
        var members: [JSONMember] = []
        scanner.skipWhitespace()
        if scanner.current == UInt8(ascii: "}") {
            scanner.skip(1)
            return .object(members)
        }
        while true {
            scanner.skipWhitespace()
            guard scanner.current == UInt8(ascii: "\""), let key = parseString() else { return nil }
            scanner.skipWhitespace()
            guard scanner.current == UInt8(ascii: ":") else { return nil }
            scanner.skip(1)
            scanner.skipWhitespace()
            guard let value = parseValue(depth: depth) else { return nil }
            members.append(JSONMember(key: key, value: value))
            scanner.skipWhitespace()
            switch scanner.current {
            case UInt8(ascii: ","): scanner.skip(1)
            case UInt8(ascii: "}"):
                scanner.skip(1)
                return .object(members)
            default: return nil
            }
        }
    }

    private mutating func parseArray(depth: Int) -> JSONValue? {
        scanner.skip(1)
        var elements: [JSONValue] = []
        scanner.skipWhitespace()
        if scanner.current == UInt8(ascii: "]") {
            scanner.skip(1)
            return .array(elements)
        }
        while true {
            scanner.skipWhitespace()
            guard let value = parseValue(depth: depth) else { return nil }
            elements.append(value)
            scanner.skipWhitespace()
            switch scanner.current {
            case UInt8(ascii: ","): scanner.skip(1)
            case UInt8(ascii: "]"):
                scanner.skip(1)
                return .array(elements)
            default: return nil
            }
        }
    }

    private mutating func parseString() -> String? {
        guard let span = scanner.scanString() else { return nil }
        let content = UnsafeRawBufferPointer(rebasing: scanner.bytes[span.content])
        guard span.hasEscapes else { return String(decoding: content, as: UTF8.self) }
        scratch.removeAll(keepingCapacity: true)
        guard JSONText.appendUnescaped(content, to: &scratch) else { return nil }
        return String(decoding: scratch, as: UTF8.self)
    }

    private mutating func parseLiteral(_ word: StaticString, _ value: JSONValue) -> JSONValue? {
        let length = word.utf8CodeUnitCount
        guard scanner.position + length <= scanner.bytes.count else { return nil }
        let expected = UnsafeRawBufferPointer(start: word.utf8Start, count: length)
        for offset in 0..<length where scanner.bytes[scanner.position + offset] != expected[offset] { return nil }
        scanner.skip(length)
        return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, kept as text.
    private mutating func parseNumber() -> JSONValue? {
        let bytes = scanner.bytes
        let start = scanner.position
        var index = start
        func digits() -> Int {
            let first = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - first
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let integerStart = index
        let integerDigits = digits()
        guard integerDigits > 0, integerDigits == 1 || bytes[integerStart] != 0x30 else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return nil }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard digits() > 0 else { return nil }
        }
        scanner.skip(index - start)
        return .number(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
    }
}

