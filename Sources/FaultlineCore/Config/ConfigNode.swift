import Yams

/// A configuration file that cannot be used: unreadable, not YAML, an unknown key, a wrong type.
///
/// The message names the file, the line and column, and the key (`reader.max-line-bytes`).
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int?
    public var column: Int?
    /// The dotted key path, e.g. `reader.exclude`; empty for file-level problems.
    public var key: String
    public var problem: String

    public init(file: String, line: Int? = nil, column: Int? = nil, key: String = "", problem: String) {
        self.file = file
        self.line = line
        self.column = column
        self.key = key
        self.problem = problem
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" }
        if let column { location += ":\(column)" }
        return key.isEmpty ? "\(location): \(problem)" : "\(location): '\(key)': \(problem)"
    }
}

/// A YAML node with its position and key path, and typed accessors whose errors name both.
struct ConfigNode {
    let node: Node
    let key: String
    let file: String

    static func parse(_ yaml: String, file: String) throws(ConfigurationError) -> ConfigNode? {
        do {
            guard let node = try Yams.compose(yaml: yaml) else { return nil }
            return ConfigNode(node: node, key: "", file: file)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
                 .composer(_, let problem, let mark, _):
                throw ConfigurationError(file: file, line: mark.line, column: mark.column,
                                         problem: "not valid YAML: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
                throw ConfigurationError(file: file, line: context.mark.line, column: context.mark.column,
                                         problem: "the mapping starting here repeats the key \(keys)")
            default:
                throw ConfigurationError(file: file, problem: "not valid YAML: \(error)")
            }
        } catch {
            throw ConfigurationError(file: file, problem: "not valid YAML: \(error)")
        }
    }

    func failure(_ problem: String) -> ConfigurationError {
        ConfigurationError(file: file, line: node.mark?.line, column: node.mark?.column, key: key, problem: problem)
    }

    /// A problem at a line and column of this node's text (a rule in a block scalar): the file's line is
    /// counted from the node's first line of text.
    func failure(inText line: Int, column: Int, _ problem: String) -> ConfigurationError {
        guard let mark = node.mark else { return failure(problem) }
        // A block scalar (`|`, `>`) starts its text on the line after its indicator.
        let isBlock = node.scalar.map { $0.style == .literal || $0.style == .folded } ?? false
        let fileLine = mark.line + (isBlock ? line : line - 1)
        let fileColumn = isBlock || line > 1 ? column : mark.column + column
        return ConfigurationError(file: file, line: fileLine, column: fileColumn, key: key, problem: problem)
    }

    /// Calls `body` for each entry of a mapping, rejecting repeated keys and, when `known` is given, keys
    /// not in it.
    func forEachEntry(
        of section: String, known: [String]?, _ body: (String, ConfigNode) throws(ConfigurationError) -> Void
    ) throws(ConfigurationError) {
        guard case .mapping(let mapping) = node else {
            throw failure("expected a mapping of keys to values")
        }
        var seen: Set<String> = []
        for (keyNode, value) in mapping {
            guard let name = keyNode.string else {
                throw ConfigurationError(file: file, line: keyNode.mark?.line, column: keyNode.mark?.column,
                                         key: section, problem: "keys must be strings")
            }
            let path = section.isEmpty ? name : section + "." + name
            if let known, !known.contains(name) {
                let suggestion = known.min { editDistance($0, name) < editDistance($1, name) }
                    .flatMap { editDistance($0, name) <= 3 ? " (did you mean '\($0)'?)" : nil } ?? ""
                throw ConfigurationError(
                    file: file, line: keyNode.mark?.line, column: keyNode.mark?.column, key: path,
                    problem: "unknown key\(suggestion); known keys here: \(known.joined(separator: ", "))")
            }
            guard seen.insert(name).inserted else {
                throw ConfigurationError(file: file, line: keyNode.mark?.line, column: keyNode.mark?.column,
                                         key: path, problem: "appears more than once")
            }
            try body(name, ConfigNode(node: value, key: path, file: file))
        }
    }

    private var scalarText: String? {
        if case .scalar(let scalar) = node { return scalar.string }
        return nil
    }

    func string() throws(ConfigurationError) -> String {
        guard let text = scalarText else { throw failure("expected a string") }
        return text
    }

    func boolean() throws(ConfigurationError) -> Bool {
        guard case .scalar = node, let value = node.bool else { throw failure("expected true or false") }
        return value
    }

    func integer(minimum: Int) throws(ConfigurationError) -> Int {
        guard case .scalar = node, let value = node.int else { throw failure("expected a whole number") }
        guard value >= minimum else { throw failure("must be at least \(minimum)") }
        return value
    }

    func number(minimum: Double) throws(ConfigurationError) -> Double {
        guard case .scalar = node, let value = node.float else { throw failure("expected a number") }
        guard value >= minimum else { throw failure("must be at least \(minimum)") }
        return value
    }

    /// A byte count: a whole number, or a number with a unit (`512KiB`, `1 MiB`, `64GiB`, `10MB`).
    func byteSize(minimum: Int64) throws(ConfigurationError) -> Int64 {
        guard let text = scalarText, let value = ByteSize.parse(text) else {
            throw failure("expected a byte size such as 1048576, 512KiB, 1MiB or 64GiB")
        }
        guard value >= minimum else { throw failure("must be at least \(minimum) bytes") }
        return value
    }

    /// A PCRE2 pattern, compiled to check it: an invalid one names the key, line, PCRE2's message and offset.
    func pattern() throws(ConfigurationError) -> String {
        let text = try string()
        do {
            _ = try Pattern(text)
        } catch {
            throw failure("invalid pattern at offset \(error.patternOffset ?? 0): \(error.message)")
        }
        return text
    }

    /// The items of a list (a single scalar counts as a list of one), each with its own position. With `indexed`,
    /// each item's key path ends with its index: `scrubbing.custom-rules[0]`.
    func sequence(indexed: Bool) throws(ConfigurationError) -> [ConfigNode] {
        if case .scalar = node { return [self] }
        guard case .sequence(let sequence) = node else { throw failure("expected a list") }
        return sequence.enumerated().map { index, item in
            ConfigNode(node: item, key: indexed ? "\(key)[\(index)]" : key, file: file)
        }
    }

    func stringList() throws(ConfigurationError) -> [String] {
        if case .scalar = node, let single = scalarText { return [single] }
        guard case .sequence(let sequence) = node else { throw failure("expected a list of strings") }
        var result: [String] = []
        for item in sequence {
            guard case .scalar = item, let text = item.string else {
                throw ConfigurationError(file: file, line: item.mark?.line, column: item.mark?.column, key: key,
                                         problem: "expected a list of strings")
            }
            result.append(text)
        }
        return result
    }
}

/// Parses byte sizes with binary (`KiB`, `MiB`, `GiB`, `TiB`) or decimal (`KB`, `MB`, `GB`, `TB`) units.
public enum ByteSize {
    public static func parse(_ text: String) -> Int64? {
        let trimmed = text.filter { $0 != " " && $0 != "_" }
        let digits = trimmed.prefix { $0.isNumber }
        guard !digits.isEmpty, let number = Int64(digits) else { return nil }
        let multiplier: Int64
        switch trimmed.dropFirst(digits.count).lowercased() {
        case "", "b": multiplier = 1
        case "k", "kib": multiplier = 1 << 10
        case "m", "mib": multiplier = 1 << 20
        case "g", "gib": multiplier = 1 << 30
        case "t", "tib": multiplier = 1 << 40
        case "kb": multiplier = 1_000
        case "mb": multiplier = 1_000_000
        case "gb": multiplier = 1_000_000_000
        case "tb": multiplier = 1_000_000_000_000
        default: return nil
        }
        let (result, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : result
    }
}

/// Levenshtein distance, for "did you mean" suggestions on short keys.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
        var current = [i] + [Int](repeating: 0, count: b.count)
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
