/// Turns one framed record into an ``ErrorEvent``: parses the prefix of its first line, finds the runtime
/// whose trace the record holds, and lets that runtime's grammar parse it.
///
/// Runs only for error records (about 1–2 % of a log), so it may decode text into `String`s.
final class EventBuilder {
    private let formats: [RecordFormat]
    private let formatMatchers: [Matcher]
    /// Per format, the group numbers of the prefix fields its pattern names.
    private let formatGroupNames: [PrefixFields.Groups]
    private let grammars: [any TraceGrammar]
    /// All grammars' detection patterns in one alternation; group *i* (1-based) is grammar *i − 1*.
    private let detector: Matcher
    /// The detector's verdict per line text: the grammar's index, or `nil` for a line of no runtime.
    private var detectedGrammars = LineMemo<Int?>()
    private let tagMatchers: [(name: String, matcher: Matcher)]
    private let levelLine: Matcher

    /// The patterns every builder of one extraction uses, compiled once and shared (``Pattern`` is `Sendable`;
    /// each builder makes its own ``Matcher``s).
    struct Patterns: Sendable {
        var formats: [RecordFormat]
        var formatPatterns: [Pattern]
        var detector: Pattern
        var tags: [(name: String, pattern: Pattern)]
        var levelLine: Pattern

        init(formats: [RecordFormat], settings: ExtractionSettings) throws(PatternError) {
            self.formats = formats
            var patterns: [Pattern] = []
            for format in formats { patterns.append(try Pattern(format.pattern)) }
            formatPatterns = patterns
            let alternation = TraceGrammars.all
                .map { "(" + RecordFramer.withoutNamedGroups($0.detectionPattern) + ")" }
                .joined(separator: "|")
            detector = try Pattern(alternation)
            var tags: [(String, Pattern)] = []
            for (name, pattern) in settings.tags.sorted(by: { $0.key < $1.key }) {
                tags.append((name, try Pattern(pattern)))
            }
            self.tags = tags
            levelLine = try Pattern(EventBuilder.julLevelPattern)
        }
    }

    init(_ patterns: Patterns) {
        formats = patterns.formats
        formatMatchers = patterns.formatPatterns.map { Matcher($0) }
        formatGroupNames = patterns.formatPatterns.map { PrefixFields.Groups($0) }
        grammars = TraceGrammars.all.map { $0.init() }
        detector = Matcher(patterns.detector)
        tagMatchers = patterns.tags.map { ($0.name, Matcher($0.pattern)) }
        levelLine = Matcher(patterns.levelLine)
    }

    /// java.util.logging's second line: `SEVERE: message`.
    static let julLevelPattern = #"^(?<level>SEVERE|WARNING|INFO|CONFIG|FINE|FINER|FINEST): (?<message>.*)$"#

    /// The fields a record format's pattern captures from a record's first line; empty captures count as absent.
    struct PrefixFields {
        var timestamp: String?
        var level: String?
        var thread: String?
        var logger: String?
        var host: String?
        var pri: String?
        var message: String?

        init() {}

        /// The group number of each field in one format's pattern (`thread2` is a second place for the thread).
        struct Groups {
            var timestamp, level, thread, thread2, logger, host, pri, message: Int?

            init(_ pattern: Pattern) {
                let names = pattern.captureNames
                (timestamp, level, thread, thread2) = (names["timestamp"], names["level"], names["thread"], names["thread2"])
                (logger, host, pri, message) = (names["logger"], names["host"], names["pri"], names["message"])
            }
        }

        init(_ match: StringMatch, names: Groups) {
            func field(_ group: Int?) -> String? {
                guard let group, let value = match[group], !value.isEmpty else { return nil }
                return value
            }
            timestamp = field(names.timestamp)
            level = field(names.level)
            thread = field(names.thread) ?? field(names.thread2)
            logger = field(names.logger)
            host = field(names.host)
            pri = field(names.pri)
            message = field(names.message)
        }
    }

    /// What a record was, as far as building needs to know.
    struct RecordFacts: Sendable {
        var file: String
        var format: Int?
        var level: Level?
        var startedByTrace: Bool
        var byteOffset: Int64
    }

    /// Builds the event for a record, or returns `nil` when an unknown-level record holds no trace.
    /// `unparsed` receives the line numbers of lines that looked like trace lines but were not understood.
    func build(_ lines: [RecordLine], _ facts: RecordFacts, threshold: Level, unparsed: inout [Int]) -> ErrorEvent? {
        guard let first = lines.first else { return nil }
        var fields = PrefixFields()
        var level = facts.level
        if let format = facts.format, let match = try? formatMatchers[format].firstMatch(in: first.text) {
            fields = PrefixFields(match, names: formatGroupNames[format])
            if level == nil, let word = fields.level { level = Level(word: word) }
            if level == nil, let pri = fields.pri.flatMap({ Int($0) }) { level = Self.syslogLevel(pri) }
        }

        // The lines a grammar sees: the first line's message (where a header like `Unhandled rejection
        // TypeError: …` may sit), then the rest of the record.
        var traceLines = lines
        var messageLineCount = 1
        if facts.format != nil {
            traceLines[0] = RecordLine(fields.message ?? "", number: first.number)
            if formats[facts.format!].levelOnNextLine, lines.count > 1,
               let match = try? levelLine.firstMatch(in: lines[1].text) {
                // java.util.logging: the message is on the second line, after the level.
                traceLines[0] = RecordLine(match["message"] ?? "", number: lines[1].number)
                traceLines.remove(at: 1)
                if level == nil { level = match["level"].flatMap { Level(word: $0) } }
            }
        }

        let trace = parseTrace(traceLines, unparsed: &unparsed)
        if trace == nil && level == nil { return nil }
        if let trace, trace.firstTraceLine > 0 {
            messageLineCount = trace.firstTraceLine
        } else if trace == nil {
            messageLineCount = traceLines.count
        }
        if level == nil { level = .error }
        guard let level, level >= threshold || trace != nil && facts.level == nil else { return nil }

        var message: String? = nil
        if facts.format != nil || trace == nil || (trace?.firstTraceLine ?? 0) > 0 {
            let texts = traceLines.prefix(max(1, messageLineCount)).map(\.text)
            let joined = GrammarText.trimmedBlanks(texts.joined(separator: "\n"))
            message = joined.isEmpty ? nil : joined
        }
        var tags = configuredTags(for: facts.file)
        if let host = fields.host { tags["host"] = host }
        return ErrorEvent(
            timestamp: fields.timestamp.map(TimestampParser.parse),
            level: level,
            logger: fields.logger,
            thread: fields.thread,
            message: message,
            exceptions: trace?.exceptions ?? [],
            threads: trace?.threads ?? [],
            runtime: trace?.runtime ?? .unknown,
            tags: tags,
            origin: EventOrigin(file: facts.file, firstLine: first.number, lastLine: lines.last!.number,
                                byteOffset: facts.byteOffset))
    }

    /// Builds the event for a structured record (a JSON or logfmt line at the threshold or above): its stack
    /// text is parsed by the grammars like any trace; an error type and message without a stack make an
    /// exception without frames.
    func build(structured: StructuredRecord, level: Level, file: String, line: Int, byteOffset: Int64,
               unparsed: inout [Int]) -> ErrorEvent {
        var exceptions: [ExceptionRecord] = []
        var threads: [ThreadStack] = []
        var runtime = Runtime.unknown
        if let stack = structured.stack, !stack.isEmpty {
            let lines = stack.split(separator: "\n", omittingEmptySubsequences: false).map {
                RecordLine(String($0.hasSuffix("\r") ? $0.dropLast() : $0), number: line)
            }
            if let trace = parseTrace(lines, unparsed: &unparsed) {
                exceptions = trace.exceptions
                threads = trace.threads
                runtime = trace.runtime
            }
        }
        if exceptions.isEmpty, let type = structured.errorType {
            exceptions = [ExceptionRecord(type: type, value: structured.errorMessage)]
        }
        let tags = configuredTags(for: file)
        return ErrorEvent(
            timestamp: structured.timestamp.map(TimestampParser.parse), level: level, logger: structured.logger,
            thread: structured.thread, message: structured.message ?? structured.errorMessage,
            exceptions: exceptions, threads: threads, runtime: runtime, tags: tags,
            origin: EventOrigin(file: file, firstLine: line, lastLine: line, byteOffset: byteOffset))
    }

    /// Tags from `extraction.tags`: each pattern matched against the logical file's name.
    private func configuredTags(for file: String) -> [String: String] {
        var tags: [String: String] = [:]
        for (name, matcher) in tagMatchers {
            guard let match = try? matcher.firstMatch(in: file) else { continue }
            tags[name] = match["value"] ?? match[1] ?? match[0]
        }
        return tags
    }

    /// Finds the grammar whose detection pattern a line matches first, and lets it parse.
    private func parseTrace(_ lines: [RecordLine], unparsed: inout [Int]) -> ParsedTrace? {
        var tried = Set<Int>()
        var traceLike: [Int] = []
        for line in lines {
            guard let index = detectedGrammar(line.text) else { continue }
            traceLike.append(line.number)
            guard tried.insert(index).inserted else { continue }
            if let parsed = grammars[index].parse(lines), !parsed.exceptions.isEmpty || !parsed.threads.isEmpty {
                unparsed += parsed.unparsedLines
                return parsed
            }
        }
        // Lines that look like trace lines, but no grammar made a trace of them.
        unparsed += traceLike
        return nil
    }

    /// The grammar whose detection pattern matches the line first, if any.
    private func detectedGrammar(_ text: String) -> Int? {
        detectedGrammars.value(for: text) { text in
            guard let match = try? detector.firstMatch(in: text) else { return nil }
            return (1...grammars.count).first(where: { match.match[$0] != nil }).map { $0 - 1 }
        }
    }

    /// RFC 5424 severity from a PRI value.
    static func syslogLevel(_ pri: Int) -> Level {
        switch pri % 8 {
        case 0, 1, 2: return .critical
        case 3: return .error
        case 4: return .warning
        case 5: return .notice
        case 6: return .info
        default: return .debug
        }
    }
}

extension StringProtocol {
    /// The range of the last occurrence of `needle` (the standard library's search, not Foundation's).
    func lastRange(of needle: some StringProtocol) -> Range<Index>? {
        ranges(of: needle).last
    }
}
