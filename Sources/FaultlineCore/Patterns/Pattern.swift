// The only file that imports CPCRE2: everything else sees `Pattern`, `Matcher` and `Match`.
internal import CPCRE2
import Synchronization

@available(*, unavailable, message: "a Matcher belongs to one task; create one per task")
extension Matcher: Sendable {}

/// A compiled PCRE2 pattern, JIT-compiled before its first match.
///
/// Patterns are compiled with `PCRE2_UTF | PCRE2_MATCH_INVALID_UTF`: subjects are raw bytes read as UTF-8,
/// and invalid UTF-8 in a subject never makes matching fail (invalid sequences simply match nothing but
/// negated classes). All offsets are **byte** offsets into the subject.
///
/// A `Pattern` is immutable after compilation and PCRE2 documents compiled code as shareable between
/// threads, so it is `Sendable`. Matching needs per-task scratch space: create a ``Matcher`` for each task.
///
/// JIT compilation costs several times the compilation itself, and a run uses few of the patterns it
/// compiles (the grammars of runtimes absent from the input, record formats of other services, rules whose
/// trigger never fires). So it happens on a pattern's first match, once, under a lock: no thread matches a
/// pattern before its JIT compilation is complete, as PCRE2 requires.
///
/// ```swift
/// let frame = try Pattern(#"^\s+at (?<function>[\w$.<>]+)\("#)
/// let matcher = Matcher(frame)
/// if let match = try matcher.firstMatch(in: lineBytes) { … match["function"] … }
/// ```
public final class Pattern: @unchecked Sendable {
    // @unchecked: `code` is a C pointer to compiled code that PCRE2 never mutates after JIT compilation.

    /// Compile options beyond the UTF mode every pattern uses.
    public struct Options: OptionSet, Sendable, Hashable {
        public let rawValue: UInt32
        public init(rawValue: UInt32) { self.rawValue = rawValue }

        /// Letters match both cases (`PCRE2_CASELESS`).
        public static let caseInsensitive = Options(rawValue: PCRE2_CASELESS)
        /// `^` and `$` match at internal newlines (`PCRE2_MULTILINE`).
        public static let multiline = Options(rawValue: PCRE2_MULTILINE)
        /// `.` matches a newline too (`PCRE2_DOTALL`).
        public static let dotMatchesNewline = Options(rawValue: PCRE2_DOTALL)
        /// Whitespace and `#` comments in the pattern are ignored (`PCRE2_EXTENDED`).
        public static let extended = Options(rawValue: PCRE2_EXTENDED)
        /// The match must start at the start offset (`PCRE2_ANCHORED`).
        public static let anchored = Options(rawValue: PCRE2_ANCHORED)
        /// `\w`, `\d`, `\b` and POSIX classes use Unicode properties (`PCRE2_UCP`); slower, off by default.
        public static let unicodeProperties = Options(rawValue: PCRE2_UCP)
    }

    /// The pattern text as given.
    public let source: String
    /// Whether JIT compilation succeeded (compiling now if no match has yet). Matching falls back to the
    /// interpreter when it did not.
    public var isJITCompiled: Bool { prepareJIT() }
    /// `nil` until the first match asks for JIT compilation, then whether it succeeded.
    private let jitCompiled = Mutex<Bool?>(nil)
    /// The number of capture groups, not counting the whole match.
    public let captureCount: Int
    /// Named groups: name → group number.
    public let captureNames: [String: Int]

    let code: OpaquePointer

    /// Compiles a pattern.
    ///
    /// - Throws: ``PatternError`` with PCRE2's message and the byte offset in the pattern where compilation failed.
    public init(_ source: String, options: Options = []) throws(PatternError) {
        var errorCode: Int32 = 0
        var errorOffset: Int = 0
        let flags = PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | options.rawValue
        var text = source
        let compiled: OpaquePointer? = text.withUTF8 { bytes in
            // An empty UTF8View has no base address; PCRE2 needs a valid pointer even for length 0.
            withUnsafePointer(to: 0 as UInt8) { empty in
                pcre2_compile_8(bytes.baseAddress ?? empty, bytes.count, flags, &errorCode, &errorOffset, nil)
            }
        }
        guard let compiled else {
            throw PatternError(code: errorCode, pattern: source, patternOffset: errorOffset)
        }
        self.code = compiled
        self.source = source

        var count: UInt32 = 0
        pcre2_pattern_info_8(compiled, UInt32(PCRE2_INFO_CAPTURECOUNT), &count)
        self.captureCount = Int(count)
        self.captureNames = Pattern.readNameTable(compiled)
    }

    deinit { pcre2_code_free_8(code) }

    /// Whether the pattern can only match at the start of the subject (every branch begins with `^`, or it
    /// was compiled ``Options/anchored``): PCRE2 then tries one position only.
    public var isAnchored: Bool {
        var options: UInt32 = 0
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_ALLOPTIONS), &options)
        return options & PCRE2_ANCHORED != 0
    }

    /// JIT-compiles the pattern unless done before; returns whether JIT code is available.
    func prepareJIT() -> Bool {
        jitCompiled.withLock { compiled in
            if let compiled { return compiled }
            let succeeded = pcre2_jit_compile_8(code, PCRE2_JIT_COMPLETE) == 0
            compiled = succeeded
            return succeeded
        }
    }

    private static func readNameTable(_ code: OpaquePointer) -> [String: Int] {
        var nameCount: UInt32 = 0
        var entrySize: UInt32 = 0
        var table: UnsafePointer<UInt8>? = nil
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMECOUNT), &nameCount)
        guard nameCount > 0 else { return [:] }
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMEENTRYSIZE), &entrySize)
        pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_NAMETABLE), &table)
        guard let table else { return [:] }
        var names: [String: Int] = [:]
        for index in 0..<Int(nameCount) {
            // Each entry: a 2-byte big-endian group number, then the NUL-terminated name.
            let entry = table + index * Int(entrySize)
            let group = Int(entry[0]) << 8 | Int(entry[1])
            let nameStart = entry + 2
            var length = 0
            while length < Int(entrySize) - 2, nameStart[length] != 0 { length += 1 }
            let name = String(decoding: UnsafeBufferPointer(start: nameStart, count: length), as: UTF8.self)
            names[name] = group
        }
        return names
    }
}

/// Limits that keep a pathological pattern from hanging a run.
///
/// PCRE2 is a backtracking engine: a user's pattern like `(a+)+$` can take exponential time on some lines.
/// When a limit is hit, matching that subject throws ``PatternError`` (code -47, -53, -63 or -46) and the
/// caller records a diagnostic and moves on.
public struct MatchLimits: Sendable, Hashable {
    /// Maximum calls of PCRE2's internal match function per match attempt (`pcre2_set_match_limit`).
    public var matchLimit: UInt32
    /// Maximum backtracking depth for the interpreter (`pcre2_set_depth_limit`).
    public var depthLimit: UInt32
    /// Maximum heap for the interpreter's backtracking frames, in KiB (`pcre2_set_heap_limit`).
    public var heapLimitKiB: UInt32
    /// Maximum size of the JIT stack each matcher owns, in bytes. It grows on demand up to this size, so a
    /// large maximum costs address space, not memory; 64 MiB lets `(?:a|b)*` run over 200,000-byte lines.
    public var jitStackBytes: Int

    public init(matchLimit: UInt32, depthLimit: UInt32, heapLimitKiB: UInt32, jitStackBytes: Int) {
        self.matchLimit = matchLimit
        self.depthLimit = depthLimit
        self.heapLimitKiB = heapLimitKiB
        self.jitStackBytes = jitStackBytes
    }

    /// Generous for real log patterns, small enough that a catastrophic pattern fails within milliseconds.
    public static let `default` = MatchLimits(
        matchLimit: 1_000_000, depthLimit: 10_000, heapLimitKiB: 64 * 1024, jitStackBytes: 64 << 20)
}

/// Per-task matching state for one ``Pattern``: the match data (ovector), a match context with limits and
/// a private JIT stack. PCRE2 forbids sharing these between threads, so a `Matcher` is not `Sendable`:
/// create one per task and reuse it for every subject. (A class rather than a `~Copyable` struct, so the
/// stages that own matchers can be ordinary values.)
public final class Matcher {
    public let pattern: Pattern
    private let matchData: OpaquePointer
    private let context: OpaquePointer
    private let jitStackBytes: Int
    private var jitStack: OpaquePointer?
    /// Whether the pattern's JIT code and this matcher's JIT stack are ready (done before the first match).
    private var isPrepared = false

    public init(_ pattern: Pattern, limits: MatchLimits = .default) {
        self.pattern = pattern
        // Allocation failures here mean the process is out of memory; there is nothing sensible to recover.
        self.matchData = pcre2_match_data_create_from_pattern_8(pattern.code, nil)!
        self.context = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(context, limits.matchLimit)
        pcre2_set_depth_limit_8(context, limits.depthLimit)
        pcre2_set_heap_limit_8(context, limits.heapLimitKiB)
        self.jitStackBytes = limits.jitStackBytes
    }

    /// JIT-compiles the pattern (once for all matchers) and gives this matcher its JIT stack.
    private func prepare() {
        isPrepared = true
        guard pattern.prepareJIT() else { return }
        jitStack = pcre2_jit_stack_create_8(32 * 1024, max(32 * 1024, jitStackBytes), nil)
        if let jitStack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
    }

    deinit {
        pcre2_match_data_free_8(matchData)
        pcre2_match_context_free_8(context)
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
    }

    /// Runs one match attempt; returns PCRE2's result code (> 0 on a match, 0 never, `NOMATCH` on none).
    @inline(__always)
    private func run(_ subject: UnsafeRawBufferPointer, from start: Int, options: UInt32) -> Int32 {
        if !isPrepared { prepare() }
        return withUnsafePointer(to: 0 as UInt8) { empty in
            let base = subject.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? empty
            return pcre2_match_8(pattern.code, base, subject.count, start, options, matchData, context)
        }
    }

    @inline(__always)
    private func check(_ rc: Int32) throws(PatternError) -> Bool {
        if rc > 0 { return true }
        if rc == PCRE2_ERROR_NOMATCH || rc == PCRE2_ERROR_PARTIAL { return false }
        throw PatternError(code: rc, pattern: pattern.source, patternOffset: nil)
    }

    /// Whether the pattern matches anywhere in `subject` at or after `start`. Allocates nothing.
    public func matches(_ subject: UnsafeRawBufferPointer, from start: Int = 0) throws(PatternError) -> Bool {
        try check(run(subject, from: start, options: 0))
    }

    /// The first match at or after `start`, with every capture group's byte range.
    public func firstMatch(in subject: UnsafeRawBufferPointer, from start: Int = 0) throws(PatternError) -> Match? {
        let rc = run(subject, from: start, options: 0)
        guard try check(rc) else { return nil }
        return currentMatch()
    }

    /// Where the first match at or after `start` starts. Allocates nothing.
    public func firstMatchStart(in subject: UnsafeRawBufferPointer, from start: Int = 0) throws(PatternError) -> Int? {
        guard try check(run(subject, from: start, options: 0)) else { return nil }
        return Int(pcre2_get_ovector_pointer_8(matchData)![0])
    }

    /// For a pattern that is an alternation of capture groups, `(a)|(b)|…`: where the first match starts and
    /// the number of the group that made it (the lowest participating one). Allocates nothing.
    public func firstMatchedAlternative(in subject: UnsafeRawBufferPointer) throws(PatternError) -> (start: Int, group: Int)? {
        guard try check(run(subject, from: 0, options: 0)) else { return nil }
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        let unset = cpcre2_unset()
        for group in 1..<(pattern.captureCount + 1) where ovector[2 * group] != unset {
            return (Int(ovector[0]), group)
        }
        return nil
    }

    /// Calls `body` for each non-overlapping match, left to right, until it returns `false`.
    public func forEachMatch(
        in subject: UnsafeRawBufferPointer, _ body: (Match) throws(PatternError) -> Bool
    ) throws(PatternError) {
        var start = 0
        var options: UInt32 = 0
        while start <= subject.count {
            let rc = run(subject, from: start, options: options)
            guard try check(rc) else {
                // After an empty match, retry one position further without the empty-match restriction.
                if options != 0 { options = 0; start += 1; continue }
                return
            }
            let match = currentMatch()
            guard try body(match) else { return }
            let range = match.range
            if range.isEmpty {
                options = PCRE2_NOTEMPTY_ATSTART | PCRE2_ANCHORED
                start = range.lowerBound
            } else {
                options = 0
                start = range.upperBound
            }
        }
    }

    private func currentMatch() -> Match {
        let ovector = pcre2_get_ovector_pointer_8(matchData)!
        let unset = cpcre2_unset()
        var ranges: [Range<Int>?] = []
        ranges.reserveCapacity(pattern.captureCount + 1)
        for group in 0...pattern.captureCount {
            let lower = ovector[2 * group]
            let upper = ovector[2 * group + 1]
            ranges.append(lower == unset || upper < lower ? nil : lower..<upper)
        }
        return Match(ranges: ranges, names: pattern.captureNames)
    }
}

extension Matcher {
    /// Convenience for small `String` subjects (names, configuration values): never use it per log line.
    public func matches(_ string: String) throws(PatternError) -> Bool {
        var copy = string
        let result: Result<Bool, PatternError> = copy.withUTF8 { bytes in
            Result { () throws(PatternError) -> Bool in try matches(UnsafeRawBufferPointer(bytes)) }
        }
        return try result.get()
    }

    /// Convenience for small `String` subjects: the first match and its captures as substrings.
    public func firstMatch(in string: String) throws(PatternError) -> StringMatch? {
        var copy = string
        let result: Result<StringMatch?, PatternError> = copy.withUTF8 { bytes in
            Result { () throws(PatternError) -> StringMatch? in
                let raw = UnsafeRawBufferPointer(bytes)
                guard let match = try firstMatch(in: raw) else { return nil }
                return StringMatch(match: match, subject: string)
            }
        }
        return try result.get()
    }
}

/// The byte ranges of one match and its capture groups.
public struct Match: Sendable, Hashable {
    /// Index 0 is the whole match; index *n* is capture group *n*, `nil` when it did not participate.
    public let ranges: [Range<Int>?]
    let names: [String: Int]

    /// The byte range of the whole match.
    public var range: Range<Int> { ranges[0]! }

    /// The byte range of capture group `group`, or `nil` when it did not participate or does not exist.
    public subscript(group: Int) -> Range<Int>? {
        group >= 0 && group < ranges.count ? ranges[group] : nil
    }

    /// The byte range of the named capture group, or `nil`.
    public subscript(name: String) -> Range<Int>? {
        // Patterns have a handful of names: comparing them beats hashing the key.
        for (candidate, group) in names where candidate == name { return self[group] }
        return nil
    }
}

/// A match on a `String` subject, with captures decoded as strings (invalid UTF-8 becomes U+FFFD).
public struct StringMatch: Sendable, Hashable {
    public let match: Match
    /// The subject (shared, not copied); captures are cut from its UTF-8 view by byte offset.
    let subject: String

    private func text(_ range: Range<Int>) -> String {
        // The subject's contiguous UTF-8 (native strings have it): one copy of the capture's bytes, no index walks.
        if let text = subject.utf8.withContiguousStorageIfAvailable({ String(decoding: $0[range], as: UTF8.self) }) {
            return text
        }
        let utf8 = subject.utf8
        let start = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
        let end = utf8.index(start, offsetBy: range.count)
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    public subscript(group: Int) -> String? {
        match[group].map(text)
    }

    public subscript(name: String) -> String? {
        match[name].map(text)
    }
}

/// A PCRE2 failure: a pattern that does not compile, or a match that hit a resource limit.
///
/// The description carries PCRE2's own message and, for compile errors, the offset in the pattern.
/// It never contains the subject being matched, which may be log content.
public struct PatternError: Error, Sendable, Hashable, CustomStringConvertible {
    /// PCRE2's error code (positive for compile errors, negative for match errors).
    public let code: Int32
    /// PCRE2's message for `code`.
    public let message: String
    /// The pattern that failed.
    public let pattern: String
    /// For compile errors: the byte offset in the pattern where PCRE2 gave up.
    public let patternOffset: Int?

    init(code: Int32, pattern: String, patternOffset: Int?) {
        self.code = code
        self.pattern = pattern
        self.patternOffset = patternOffset
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = buffer.withUnsafeMutableBufferPointer {
            pcre2_get_error_message_8(code, $0.baseAddress, $0.count)
        }
        self.message = length > 0
            ? String(decoding: buffer[0..<Int(length)], as: UTF8.self) : "unknown PCRE2 error \(code)"
    }

    /// Whether the error is a resource limit hit while matching, as opposed to a bad pattern.
    public var isResourceLimit: Bool {
        [PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT, PCRE2_ERROR_JIT_STACKLIMIT]
            .contains(code)
    }

    public var description: String {
        if let patternOffset {
            return "invalid pattern \(pattern.debugDescription) at offset \(patternOffset): \(message)"
        }
        return "PCRE2 error \(code) while matching \(pattern.debugDescription): \(message)"
    }
}
