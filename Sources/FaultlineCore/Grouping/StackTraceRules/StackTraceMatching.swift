/// A frame as the rules see it (reference §9.2): the values every matcher tests, computed once per pass.
struct RuleFrame: Sendable {
    /// `abs_path` or else `filename`, lowercased, backslashes as `/`.
    var path: String?
    var module: String?
    /// The function, `<unknown>` when missing.
    var function: String
    /// Lowercased, backslashes as `/`.
    var package: String?
    var family: PlatformFamily
    var category: String?
    /// `nil` counts as `false`.
    var inApp: Bool

    init(_ frame: GroupingFrame, platform: String) {
        path = Self.pathValue(frame.absPath.nonEmpty ?? frame.filename.nonEmpty)
        module = frame.module.nonEmpty
        function = frame.function.nonEmpty ?? "<unknown>"
        package = Self.pathValue(frame.package.nonEmpty)
        family = PlatformFamily(platform: frame.platform ?? platform)
        category = frame.category.nonEmpty
        inApp = frame.inApp ?? false
    }

    private static func pathValue(_ value: String?) -> String? {
        guard let value else { return nil }
        let lowered = value.lowercased()
        guard lowered.utf8.contains(UInt8(ascii: "\\")) else { return lowered }
        return String(decoding: lowered.utf8.map { $0 == UInt8(ascii: "\\") ? UInt8(ascii: "/") : $0 }, as: UTF8.self)
    }
}

/// The exception that owns a stack trace, as the rules see it: each field `<unknown>` when missing, and all three
/// `<unknown>` for thread and top-level stack traces.
struct RuleException: Sendable {
    var type: String
    var value: String
    var mechanism: String

    init(_ exception: GroupingException?) {
        type = exception?.type.nonEmpty ?? "<unknown>"
        value = exception?.value.nonEmpty ?? "<unknown>"
        mechanism = exception?.mechanism?.type.nonEmpty ?? "<unknown>"
    }
}

extension StackTraceMatcher {
    /// Whether an exception matcher holds. Frame matchers always hold here.
    func matches(_ exception: RuleException) -> Bool {
        let value: String
        switch field {
        case .type: value = exception.type
        case .value: value = exception.value
        case .mechanism: value = exception.mechanism
        default: return true
        }
        return isNegated != (glob?.matches(value) ?? false)
    }

    /// Whether a frame matcher holds for a rule checked at `index`: on that frame, its caller or its callee. A
    /// caller or callee beyond the ends fails, negated or not.
    func matches(_ frames: [RuleFrame], at index: Int) -> Bool {
        let target: Int
        switch offset {
        case .current: target = index
        case .caller: target = index - 1
        case .callee: target = index + 1
        }
        guard frames.indices.contains(target) else { return false }
        return isNegated != matchesPositively(frames[target])
    }

    /// The match before negation. A missing value, an invalid glob and an invalid `app:` value never match.
    private func matchesPositively(_ frame: RuleFrame) -> Bool {
        switch field {
        case .path: frame.path.map { glob?.matches($0) ?? false } ?? false
        case .module: frame.module.map { glob?.matches($0) ?? false } ?? false
        case .function: glob?.matches(frame.function) ?? false
        case .package: frame.package.map { glob?.matches($0) ?? false } ?? false
        case .category: frame.category.map { glob?.matches($0) ?? false } ?? false
        case .family: families.contains("all") || families.contains(frame.family.rawValue)
        case .app: inApp == frame.inApp
        case .type, .value, .mechanism: false
        }
    }
}

extension StackTraceRule {
    /// Whether every exception matcher holds.
    func matches(_ exception: RuleException) -> Bool {
        exceptionMatchers.allSatisfy { $0.matches(exception) }
    }

    /// Whether every frame matcher holds at `index` (a rule with exception matchers only matches every frame).
    func matches(_ frames: [RuleFrame], at index: Int) -> Bool {
        frameMatchers.allSatisfy { $0.matches(frames, at: index) }
    }
}

extension Optional where Wrapped == String {
    /// The string unless it is `nil` or empty (Python's `value or fallback`).
    fileprivate var nonEmpty: String? {
        switch self {
        case .some(let text) where !text.isEmpty: text
        default: nil
        }
    }
}
