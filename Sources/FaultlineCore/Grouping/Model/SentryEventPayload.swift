import FoundationEssentials

/// A Sentry event payload, as SDKs send it and as Sentry's grouping fixtures hold it, read into the fields
/// grouping uses — with Relay's normalizations that matter for grouping (reference §1): a bare `exception`
/// object or list becomes `exception.values`, a top-level `message` becomes the log entry, and a log entry's
/// `message` moves to `formatted` unless it is a real template.
///
/// The fixtures' extra keys come along: `_grouping.enhancements` (stack trace rules appended to the base) and
/// `_fingerprinting_rules` (fingerprint rules in Sentry's JSON form).
public struct SentryEventPayload: Sendable {
    public var input: GroupingInput
    /// `_grouping.enhancements`, if the payload carries it.
    public var stackTraceRules: String?
    /// `_fingerprinting_rules`, re-encoded as JSON bytes, if the payload carries it.
    public var fingerprintRulesJSON: [UInt8]?

    /// Reads a payload.
    ///
    /// - Throws: ``SentryEventPayloadError`` when the bytes are not a JSON object.
    public init(json bytes: [UInt8]) throws(SentryEventPayloadError) {
        let root: PayloadJSON
        do {
            root = try JSONDecoder().decode(PayloadJSON.self, from: Data(bytes))
        } catch {
            throw SentryEventPayloadError(reason: "not valid JSON (\(Self.describe(error)))")
        }
        guard case .object(let event) = root else { throw SentryEventPayloadError(reason: "the payload is not a JSON object") }

        let platform = event["platform"]?.string ?? "other"
        var exceptions: [GroupingException] = []
        let exceptionValues: [PayloadJSON]
        switch event["exception"] {
        case .object(let container)? where container["values"] != nil: exceptionValues = container["values"]?.array ?? []
        case .object? : exceptionValues = [event["exception"]!]
        case .array(let list)?: exceptionValues = list
        default: exceptionValues = []
        }
        for value in exceptionValues {
            guard case .object(let exception) = value else { continue }
            exceptions.append(GroupingException(
                type: exception["type"]?.string, value: exception["value"]?.string, module: exception["module"]?.string,
                stacktrace: Self.stacktrace(exception["stacktrace"]), mechanism: Self.mechanism(exception["mechanism"])))
        }

        var threads: [GroupingThread] = []
        let threadValues = event["threads"]?.object?["values"]?.array ?? event["threads"]?.array ?? []
        for value in threadValues {
            guard case .object(let thread) = value else { continue }
            threads.append(GroupingThread(
                id: thread["id"]?.text, name: thread["name"]?.string, crashed: thread["crashed"]?.bool ?? false,
                current: thread["current"]?.bool ?? false, stacktrace: Self.stacktrace(thread["stacktrace"])))
        }

        // Relay: `message` → log entry; a log entry's message is a template only when it differs from the text.
        var template: String?
        var formatted: String?
        if case .object(let logentry)? = event["logentry"] ?? event["sentry.interfaces.Message"] {
            template = logentry["message"]?.string
            formatted = logentry["formatted"]?.string
            if formatted == nil, let template, let params = logentry["params"] {
                formatted = Self.format(template, params: params)
            }
        } else if let message = event["message"]?.string {
            formatted = message
        } else if case .object(let message)? = event["message"] {
            template = message["message"]?.string
            formatted = message["formatted"]?.string
        }
        if formatted == nil || template == formatted {
            formatted = formatted ?? template
            template = nil
        }

        var tags: [String: String] = [:]
        switch event["tags"] {
        case .object(let object)?:
            for (key, value) in object { if let text = value.text { tags[key] = text } }
        case .array(let pairs)?:
            for pair in pairs {
                if let items = pair.array, items.count == 2, let key = items[0].string, let value = items[1].text { tags[key] = value }
            }
        default:
            break
        }

        input = GroupingInput(
            platform: platform, exceptions: exceptions, stacktrace: Self.stacktrace(event["stacktrace"]), threads: threads,
            messageTemplate: template, formattedMessage: formatted, logger: event["logger"]?.string,
            level: event["level"]?.string, transaction: event["transaction"]?.string, release: event["release"]?.string,
            sdkName: event["sdk"]?.object?["name"]?.string, tags: tags,
            fingerprint: event["fingerprint"]?.array?.compactMap(\.text), checksum: event["checksum"]?.string)
        stackTraceRules = event["_grouping"]?.object?["enhancements"]?.string
        if let rules = event["_fingerprinting_rules"] {
            fingerprintRulesJSON = (try? JSONEncoder().encode(rules)).map { [UInt8]($0) }
        }
    }

    private static func stacktrace(_ value: PayloadJSON?) -> GroupingStacktrace? {
        guard let frames = value?.object?["frames"]?.array else { return nil }
        return GroupingStacktrace(frames: frames.compactMap { frame in
            guard case .object(let fields) = frame else { return nil }
            let data = fields["data"]?.object
            return GroupingFrame(
                function: fields["function"]?.string, rawFunction: fields["raw_function"]?.string,
                module: fields["module"]?.string, filename: fields["filename"]?.string, absPath: fields["abs_path"]?.string,
                package: fields["package"]?.string, platform: fields["platform"]?.string,
                contextLine: fields["context_line"]?.string, lineno: fields["lineno"]?.int, colno: fields["colno"]?.int,
                inApp: fields["in_app"]?.bool, category: data?["category"]?.string,
                hasSourcemap: data?["sourcemap"].map { $0 != .null } ?? false)
        })
    }

    private static func mechanism(_ value: PayloadJSON?) -> GroupingMechanism? {
        guard case .object(let mechanism)? = value else { return nil }
        let nsError = mechanism["meta"]?.object?["ns_error"]?.object
        return GroupingMechanism(
            type: mechanism["type"]?.string, synthetic: mechanism["synthetic"]?.bool ?? false,
            exceptionID: mechanism["exception_id"]?.int, parentID: mechanism["parent_id"]?.int,
            isExceptionGroup: mechanism["is_exception_group"]?.bool ?? false,
            nsErrorDomain: nsError?["domain"]?.string, nsErrorCode: nsError?["code"]?.int)
    }

    /// Relay's formatting of a template with parameters: `%s`-style in order, or `{}` / `{0}` style.
    private static func format(_ template: String, params: PayloadJSON) -> String {
        let values = params.array?.map { $0.text ?? "" } ?? []
        var result = ""
        var next = 0
        var characters = template[...]
        while let character = characters.first {
            characters = characters.dropFirst()
            if character == "%", let specifier = characters.first {
                if specifier == "%" { result.append("%"); characters = characters.dropFirst(); continue }
                if specifier.isLetter, next < values.count {
                    result += values[next]
                    next += 1
                    characters = characters.dropFirst()
                    continue
                }
            }
            if character == "{", let close = characters.firstIndex(of: "}") {
                let inside = characters[..<close]
                let index = inside.isEmpty ? next : Int(inside)
                if let index, index < values.count {
                    result += values[index]
                    if inside.isEmpty { next += 1 }
                    characters = characters[characters.index(after: close)...]
                    continue
                }
            }
            result.append(character)
        }
        return result
    }

    private static func describe(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        return "unreadable"
    }
}

/// A payload that cannot be read.
public struct SentryEventPayloadError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { "cannot read the Sentry event: \(reason)" }
}

/// Any JSON value, for payloads whose shape varies.
enum PayloadJSON: Codable, Sendable, Hashable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([PayloadJSON])
    case object([String: PayloadJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([PayloadJSON].self) { self = .array(value) }
        else { self = .object(try container.decode([String: PayloadJSON].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    var string: String? { if case .string(let value) = self { value } else { nil } }
    var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    var int: Int? { if case .number(let value) = self, value == value.rounded() { Int(value) } else { nil } }
    var array: [PayloadJSON]? { if case .array(let value) = self { value } else { nil } }
    var object: [String: PayloadJSON]? { if case .object(let value) = self { value } else { nil } }

    /// Strings as they are, numbers and booleans as text.
    var text: String? {
        switch self {
        case .string(let value): return value
        case .number(let value): return value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
        case .bool(let value): return value ? "true" : "false"
        default: return nil
        }
    }
}
