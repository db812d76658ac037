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
    private let detector: GrammarDetector
    /// The detector's verdict per line text: the grammar's index, or `nil` for a line of no runtime.
    private var detectedGrammars = LineMemo<Int?>()
    private let tagMatchers: [(name: String, matcher: Matcher)]
    private let levelLine: Matcher

    /// The patterns every builder of one extraction uses, compiled once and shared (``Pattern`` is `Sendable`;
    /// each builder makes its own ``Matcher``s).
    struct Patterns: Sendable {
        var formats: [RecordFormat]
        var formatPatterns: [Pattern]
        var detector: GrammarDetector.Patterns
        var tags: [(name: String, pattern: Pattern)]
        var levelLine: Pattern

        /// - Parameter formatPatterns: the formats' patterns when compiled already (by the framer).
        init(formats: [RecordFormat], formatPatterns: [Pattern]? = nil, settings: ExtractionSettings) throws(PatternError) {
            self.formats = formats
            if let formatPatterns {
                self.formatPatterns = formatPatterns
            } else {
                var patterns: [Pattern] = []
                for format in formats { patterns.append(try Pattern(format.pattern)) }
                self.formatPatterns = patterns
            }
            detector = try GrammarDetector.Patterns(TraceGrammars.all.map { $0.detectionPattern })
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
        detector = GrammarDetector(patterns.detector)
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

    // A text record becomes an event in three steps: ``prepare(_:_:)`` reads its prefix, ``body(of:)`` parses
    // its trace and message, ``event(_:_:lines:_:threshold:)`` puts them together. ``EventWorker`` takes them
    // one by one so that a record repeating an earlier one reuses that one's body (``TraceBodies``).

    /// A text record read as far as its prefix: the prefix's fields, the level, and the lines the grammars see.
    struct PreparedRecord {
        var fields = PrefixFields()
        var level: Level?
        /// The first line's message (where a header like `Unhandled rejection TypeError: …` may sit), then the
        /// rest of the record; for java.util.logging, the message after the second line's level instead.
        var traceLines: [RecordLine]
        /// Whether the record started with a known prefix (then its first line is always part of the message).
        var hasPrefix: Bool
    }

    /// What the grammars and the message rule make of a record's ``PreparedRecord/traceLines``. It depends
    /// on those lines' texts and on ``PreparedRecord/hasPrefix`` alone, so a body can be remembered and reused
    /// for a record that repeats another (see ``TraceBodies``).
    struct RecordBody: Sendable {
        var trace: ParsedTrace?
        var message: String?
        /// Lines that looked like trace lines but were not understood, as indices into the trace lines.
        var unparsedIndices: [Int]
    }

    func prepare(_ lines: [RecordLine], _ facts: RecordFacts) -> PreparedRecord? {
        guard let first = lines.first else { return nil }
        var record = PreparedRecord(level: facts.level, traceLines: lines, hasPrefix: facts.format != nil)
        guard let format = facts.format else { return record }
        if let match = try? formatMatchers[format].firstMatch(in: first.text) {
            record.fields = PrefixFields(match, names: formatGroupNames[format])
            if record.level == nil, let word = record.fields.level { record.level = Level(word: word) }
            if record.level == nil, let pri = record.fields.pri.flatMap({ Int($0) }) {
                record.level = Self.syslogLevel(pri)
            }
        }
        record.traceLines[0] = RecordLine(record.fields.message ?? "", number: first.number)
        if formats[format].levelOnNextLine, lines.count > 1, let match = try? levelLine.firstMatch(in: lines[1].text) {
            // java.util.logging: the message is on the second line, after the level.
            record.traceLines[0] = RecordLine(match["message"] ?? "", number: lines[1].number)
            record.traceLines.remove(at: 1)
            if record.level == nil { record.level = match["level"].flatMap { Level(word: $0) } }
        }
        return record
    }

    func body(of record: PreparedRecord) -> RecordBody {
        let traceLines = record.traceLines
        var unparsedNumbers: [Int] = []
        let trace = parseTrace(traceLines, unparsed: &unparsedNumbers)
        var messageLineCount = 1
        if let trace, trace.firstTraceLine > 0 {
            messageLineCount = trace.firstTraceLine
        } else if trace == nil {
            messageLineCount = traceLines.count
        }
        var message: String? = nil
        if record.hasPrefix || trace == nil || (trace?.firstTraceLine ?? 0) > 0 {
            let texts = traceLines.prefix(max(1, messageLineCount)).map(\.text)
            let joined = GrammarText.trimmedBlanks(texts.joined(separator: "\n"))
            message = joined.isEmpty ? nil : joined
        }
        let unparsedIndices = unparsedNumbers.compactMap { number in traceLines.firstIndex { $0.number == number } }
        return RecordBody(trace: trace, message: message, unparsedIndices: unparsedIndices)
    }

    /// The event of a prepared record with its body, or `nil` when the record is not an event after all: below
    /// the threshold, or of unknown level without a trace.
    func event(_ record: PreparedRecord, _ body: RecordBody, lines: [RecordLine], _ facts: RecordFacts,
               threshold: Level) -> ErrorEvent? {
        let trace = body.trace
        guard trace != nil || record.level != nil else { return nil }
        let level = record.level ?? .error
        guard level >= threshold || trace != nil && facts.level == nil else { return nil }
        var tags = configuredTags(for: facts.file)
        if let host = record.fields.host { tags["host"] = host }
        return ErrorEvent(
            timestamp: record.fields.timestamp.map(TimestampParser.parse),
            level: level,
            logger: record.fields.logger,
            thread: record.fields.thread,
            message: body.message,
            exceptions: trace?.exceptions ?? [],
            threads: trace?.threads ?? [],
            runtime: trace?.runtime ?? .unknown,
            tags: tags,
            origin: EventOrigin(file: facts.file, firstLine: lines[0].number, lastLine: lines.last!.number,
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
            var text = text
            return text.withUTF8 { detector.grammar(for: UnsafeRawBufferPointer($0)) }
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
