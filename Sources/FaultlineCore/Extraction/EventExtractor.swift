/// Receives the events an ``EventExtractor`` finds, in input order.
public protocol EventConsumer {
    mutating func consume(_ event: ErrorEvent)
}

/// What extraction found in one logical file.
public struct ExtractionSummary: Sendable, Hashable, Codable {
    public var file: String
    /// Records framed (a record is a start line and its continuation lines).
    public var records: Int
    /// Events delivered, and how many of them have no exception (message events).
    public var events: Int
    public var messageEvents: Int
    /// Lines that look like stack-trace lines but that no grammar could parse.
    public var unparsedLines: [UnparsedLine]
    /// Records cut at `extraction.max-record-lines`.
    public var truncatedRecords: Int

    public init(file: String) {
        self.file = file
        records = 0
        events = 0
        messageEvents = 0
        unparsedLines = []
        truncatedRecords = 0
    }
}

/// A line that looked like part of a stack trace but was not understood.
public struct UnparsedLine: Sendable, Hashable, Codable {
    public var line: Int
    public var text: String
}

/// Reads lines, frames them into records, and turns error records into ``ErrorEvent``s.
///
/// A `LineConsumer`, so it sits directly behind the ``LogReader``. Per line it does a few byte compares
/// (see ``RecordFramer``); records below the level threshold are never copied; only error records and
/// records holding a trace are decoded and parsed. The per-line work lives in a non-generic engine, so it is
/// compiled once, specialized, whatever the sink.
public struct EventExtractor<Sink: EventConsumer>: LineConsumer {
    public private(set) var sink: Sink
    private let engine: ExtractionEngine

    /// - Parameter processing: what happens to each event once built: scrubbing (by default with the built-in
    ///   rules) and grouping (off by default).
    /// - Throws: ``PatternError`` when the configured record-start pattern or a tag pattern is invalid.
    public init(settings: ExtractionSettings = ExtractionSettings(), processing: EventProcessing = .standard,
                sink: Sink) throws(PatternError) {
        self.sink = sink
        self.engine = try ExtractionEngine(settings: settings, processing: processing)
    }

    /// What was found in each logical file read so far.
    public var summaries: [ExtractionSummary] { engine.summaries }

    /// Lines classified by byte compares only, and with PCRE2: for the benchmark's report.
    public var framingCounts: (fast: Int, slow: Int) { engine.framingCounts }

    public mutating func beginFile(_ file: LogicalFile) { engine.beginFile(file.name) }

    public mutating func consume(_ lines: LineBatch) {
        engine.consume(lines)
        deliver()
    }

    public mutating func endFile(_ fileSummary: FileSummary) {
        engine.endFile()
        deliver()
    }

    private mutating func deliver() {
        guard !engine.events.isEmpty else { return }
        for event in engine.events { sink.consume(event) }
        engine.retireDeliveredEvents()
    }
}

/// The per-line state machine behind ``EventExtractor``.
final class ExtractionEngine {
    private(set) var summaries: [ExtractionSummary] = []
    /// Events found and not yet handed to the sink.
    var events: [ErrorEvent] = []
    private let settings: ExtractionSettings
    // Unchecked: the engine is confined to one task, and these are touched for every line.
    private let framer: RecordFramer
    private let builds: BuildQueue
    /// java.util.logging's level line, read while framing.
    private let julLevelLine: Matcher
    @exclusivity(unchecked) private var record = OpenRecord()
    @exclusivity(unchecked) private var linesSeen = 0
    /// Container logs (Docker json-file, CRI) are unwrapped first; decided by the file's first line.
    @exclusivity(unchecked) private var container: ContainerUnwrapper?
    @exclusivity(unchecked) private var formatDecided = false
    /// The file is logfmt (decided by its first line), so lines are read as logfmt before framing.
    @exclusivity(unchecked) private var logfmtFile = false
    /// Plain text lines: the format is decided and neither a container log nor logfmt (the usual case).
    @exclusivity(unchecked) private var plainText = false
    @exclusivity(unchecked) private var summary = ExtractionSummary(file: "")

    init(settings: ExtractionSettings, processing: EventProcessing) throws(PatternError) {
        var formats = RecordFormat.builtIn
        if let custom = settings.recordStart {
            _ = try Pattern(custom)  // fail early with PCRE2's message and offset
            formats.insert(RecordFormat(name: "configured record-start", pattern: custom, examples: []), at: 0)
        }
        self.settings = settings
        let framer = RecordFramer(
            formats: formats, traceStarters: TraceGrammars.all.flatMap { $0.starterPatterns },
            chainSeparators: TraceGrammars.all.flatMap { $0.chainSeparatorPatterns })
        let patterns = try EventBuilder.Patterns(formats: formats, formatPatterns: framer.formatPatterns, settings: settings)
        self.framer = framer
        self.builds = BuildQueue(workers: settings.workers ?? BuildQueue.defaultWorkers, patterns: patterns,
                                 processing: processing)
        self.julLevelLine = Matcher(patterns.levelLine)
    }

    var framingCounts: (fast: Int, slow: Int) { (linesSeen - framer.slowClassified, framer.slowClassified) }

    func beginFile(_ name: String) {
        framer.reset()
        record = OpenRecord()
        summary = ExtractionSummary(file: name)
        builds.begin(file: name, threshold: settings.levelThreshold)
        container = nil
        formatDecided = false
        logfmtFile = false
        plainText = false
    }

    func consume(_ lines: LineBatch) {
        linesSeen += lines.count
        guard plainText else {
            for line in lines { route(line) }
            return
        }
        let threshold = settings.levelThreshold
        for line in lines {
            // A line starting with `{` may be a JSON record: the general path decides.
            guard line.bytes.first != UInt8(ascii: "{") else { handleLine(line); continue }
            let kind = framer.classify(line.bytes)
            // Most lines open or continue a record below the threshold while the open record is one too:
            // such a record is only counted, never kept.
            if record.state == .ignored {
                switch kind {
                case .start(let format, let level?) where level < threshold:
                    summary.records += 1
                    record.restartIgnored(line, format: format, level: level)
                    continue
                case .continuation:
                    continue
                default:
                    break
                }
            }
            handle(line, kind)
        }
    }

    func endFile() {
        if container != nil {
            container!.finish { inner in handleLine(Self.line(inner)) }
        }
        closeRecord()
        builds.drain(deliver: deliver)
        summaries.append(summary)
    }

    /// Decides the file's wrapping on its first non-empty line, then unwraps container lines.
    private func route(_ line: Line) {
        if !formatDecided {
            guard !line.bytes.isEmpty else { return handleLine(line) }
            formatDecided = true
            if ContainerUnwrapper.detect(line.bytes) != nil {
                container = ContainerUnwrapper(maxLineBytes: 1 << 20)
            } else {
                logfmtFile = LogfmtDecoder.looksLikeLogfmt(line.bytes)
            }
            plainText = container == nil && !logfmtFile
        }
        if container != nil {
            let accepted = container!.feed(line.bytes, number: line.number, byteOffset: line.byteOffset) { inner in
                handleLine(Self.line(inner))
            }
            if accepted { return }
        }
        handleLine(line)
    }

    /// An unwrapped line, numbered and placed where its first chunk was.
    private static func line(_ inner: InnerLine) -> Line {
        Line(bytes: inner.bytes, number: inner.firstNumber, byteOffset: inner.firstByteOffset, wasCut: inner.wasCut)
    }

    /// One line of the application's own output: a structured record (JSON, logfmt) or text to frame.
    private func handleLine(_ line: Line) {
        if let first = line.bytes.first, first == UInt8(ascii: "{"), JSONLineDecoder.looksLikeJSON(line.bytes) {
            handleStructured(line, level: JSONLineDecoder.level(line.bytes)) { JSONLineDecoder.decode($0) }
        } else if logfmtFile, LogfmtDecoder.looksLikeLogfmt(line.bytes) {
            handleStructured(line, level: LogfmtDecoder.level(line.bytes)) { LogfmtDecoder.decode($0) }
        } else {
            handle(line, framer.classify(line.bytes))
        }
    }

    /// A structured line is a record of its own; only one at the threshold or above is decoded.
    private func handleStructured(
        _ line: Line, level: Level?, decode: (UnsafeRawBufferPointer) -> StructuredRecord?
    ) {
        closeRecord()
        summary.records += 1
        guard let level, level >= settings.levelThreshold, let structured = decode(line.bytes) else { return }
        builds.submit(.structured(structured, level: level, line: line.number, byteOffset: line.byteOffset),
                      deliver: deliver)
    }

    /// Empties ``events`` once the sink has them (their memory is freed off this thread when workers run).
    func retireDeliveredEvents() {
        builds.retire(&events)
    }

    /// Takes a built result's event (moving it, not copying it) and counts it.
    private func deliver(_ result: inout BuildResult) {
        if !result.unparsed.isEmpty { summary.unparsedLines += result.unparsed }
        guard let event = result.event.take() else { return }
        summary.events += 1
        if event.isMessageEvent { summary.messageEvents += 1 }
        events.append(event)
    }

    private func handle(_ line: Line, _ kind: RecordFramer.Kind) {
        switch kind {
        case .start(let format, let level):
            closeRecord()
            let state: OpenRecord.State
            if let level {
                state = level >= settings.levelThreshold ? .candidate : .ignored
            } else {
                state = .tentative
            }
            record.start(state, line: line, format: format, level: level, startedByTrace: false)
            record.awaitingLevelLine = framer.levelOnNextLine[format]
            if state != .ignored { record.keep(line, limit: settings.maxRecordLines) }
        case .traceStart:
            // A trace right after an error line is that error's trace, and one after a chain separator is the
            // next link of the chain; anywhere else it is a record of its own.
            if record.state != .ignored && record.state != .none && followsChainSeparator() {
                record.keep(line, limit: settings.maxRecordLines)
            } else if record.state == .candidate && !record.sawTraceStart {
                record.sawTraceStart = true
                record.keep(line, limit: settings.maxRecordLines)
            } else {
                closeRecord()
                record.start(.tentative, line: line, format: nil, level: nil, startedByTrace: true)
                record.keep(line, limit: settings.maxRecordLines)
            }
        case .continuation:
            switch record.state {
            case .none:
                // Text before any record start (a file of bare traces): a record of unknown level.
                record.start(.tentative, line: line, format: nil, level: nil, startedByTrace: false)
                record.keep(line, limit: settings.maxRecordLines)
            case .ignored:
                break
            case .candidate, .tentative:
                if record.awaitingLevelLine {
                    record.awaitingLevelLine = false
                    if let level = julLevel(line.bytes) {
                        record.level = level
                        record.state = level < settings.levelThreshold ? .ignored : .candidate
                    }
                }
                if record.state != .ignored {
                    record.keep(line, limit: settings.maxRecordLines)
                    if !line.bytes.isEmpty { record.noteContinuation(line, framer: framer) }
                }
            }
        }
    }

    private func closeRecord() {
        guard record.state != .none else { return }
        defer { record.state = .none }
        summary.records += 1
        if record.truncated { summary.truncatedRecords += 1 }
        switch record.state {
        case .none, .ignored:
            return
        case .tentative where record.numbers.count < 2 && !record.startedByTrace:
            return  // a start line of a format without levels, and nothing after it
        case .candidate, .tentative:
            break
        }
        let facts = EventBuilder.RecordFacts(
            file: summary.file, format: record.format, level: record.level, startedByTrace: record.startedByTrace,
            byteOffset: record.byteOffset)
        let text = RecordText(storage: record.storage, numbers: record.numbers, ends: record.ends)
        builds.submit(.text(text, facts), deliver: deliver)
    }

    /// Whether the last non-blank continuation line kept links two traces of a chain. Asked only when a trace
    /// start arrives, so the separator patterns see one line per trace start, not every kept line.
    private func followsChainSeparator() -> Bool {
        switch record.lastContinuation {
        case .none:
            return false
        case .judged(let isSeparator):
            return isSeparator
        case .kept(let index):
            let isSeparator = record.withKeptLine(index) { framer.isChainSeparator($0) }
            record.lastContinuation = .judged(isSeparator: isSeparator)
            return isSeparator
        }
    }

    /// The level of java.util.logging's second line (`SEVERE: message`), if this is one.
    private func julLevel(_ line: UnsafeRawBufferPointer) -> Level? {
        guard let match = try? julLevelLine.firstMatch(in: line), let range = match["level"] else { return nil }
        return Level(word: String(decoding: UnsafeRawBufferPointer(rebasing: line[range]), as: UTF8.self))
    }
}

/// The record being assembled: its facts, and the lines kept for an error record.
private struct OpenRecord {
    enum State { case none, ignored, candidate, tentative }
    var state = State.none
    var format: Int?
    var level: Level?
    var startedByTrace = false
    var sawTraceStart = false
    var awaitingLevelLine = false
    /// The last non-blank continuation line kept: a trace start right after a chain separator continues the
    /// record (see ``ExtractionEngine/followsChainSeparator()``).
    var lastContinuation = LastContinuation.none
    enum LastContinuation {
        case none
        /// Kept as line `index` of the record; not judged yet.
        case kept(index: Int)
        /// Judged already (or judged at once, for a line past the record's limit that was not kept).
        case judged(isSeparator: Bool)
    }
    var byteOffset: Int64 = 0
    var truncated = false
    /// Kept lines: their numbers and where each ends in `storage`.
    var numbers: [Int] = []
    var ends: [Int] = []
    var storage: [UInt8] = []

    mutating func start(_ state: State, line: Line, format: Int?, level: Level?, startedByTrace: Bool) {
        self.state = state
        self.format = format
        self.level = level
        self.startedByTrace = startedByTrace
        self.sawTraceStart = startedByTrace
        self.lastContinuation = .none
        self.byteOffset = line.byteOffset
        truncated = false
        if !numbers.isEmpty {
            numbers.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            storage.removeAll(keepingCapacity: true)
        }
    }

    /// Starts the next record when this one and the next are both below the threshold: nothing else of an
    /// ignored record is ever read (see ``ExtractionEngine/closeRecord()``), so only its facts change.
    mutating func restartIgnored(_ line: Line, format: Int, level: Level) {
        self.format = format
        self.level = level
        self.byteOffset = line.byteOffset
    }

    /// Remembers a non-blank continuation line as the one a following trace start is judged by.
    mutating func noteContinuation(_ line: Line, framer: RecordFramer) {
        if truncated {
            lastContinuation = .judged(isSeparator: framer.isChainSeparator(line.bytes))
        } else {
            lastContinuation = .kept(index: numbers.count - 1)
        }
    }

    /// Lends the bytes of kept line `index`.
    func withKeptLine<Result>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        let start = index == 0 ? 0 : ends[index - 1]
        return storage.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<ends[index]])) }
    }

    mutating func keep(_ line: Line, limit: Int) {
        guard numbers.count < limit else {
            truncated = true
            return
        }
        numbers.append(line.number)
        storage.append(contentsOf: line.bytes)
        ends.append(storage.count)
    }
}
