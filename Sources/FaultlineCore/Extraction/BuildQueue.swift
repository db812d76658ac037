import Dispatch
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error record waiting to become an event: everything building needs, owned, so another thread can build it.
enum BuildJob: Sendable {
    /// A framed text record: its kept lines (bytes, with each line's number and end) and what framing learned.
    case text(RecordText, EventBuilder.RecordFacts)
    /// A JSON or logfmt line at the threshold or above, decoded.
    case structured(StructuredRecord, level: Level, line: Int, byteOffset: Int64)
}

/// The lines of a framed record as bytes: line *i* is `storage[ends[i - 1]..<ends[i]]`, numbered `numbers[i]`.
struct RecordText: Sendable {
    var storage: [UInt8]
    var numbers: [Int]
    var ends: [Int]

    /// The lines decoded for the grammars (invalid UTF-8 repaired to U+FFFD).
    var lines: [RecordLine] {
        var lines: [RecordLine] = []
        lines.reserveCapacity(numbers.count)
        var start = 0
        storage.withUnsafeBytes { bytes in
            for (number, end) in zip(numbers, ends) {
                lines.append(RecordLine(String(decoding: bytes[start..<end], as: UTF8.self), number: number))
                start = end
            }
        }
        return lines
    }
}

/// What building one job produced.
struct BuildResult: Sendable {
    var event: ErrorEvent?
    var unparsed: [UnparsedLine]
}

/// What happens to an event after it is built, on the same worker thread: scrubbing, then grouping.
public struct EventProcessing: Sendable {
    /// The scrubbing policy; `nil` leaves events as extracted (only for tests of extraction itself).
    public var scrubbing: ScrubPolicy?
    /// The grouping configuration; `nil` leaves events ungrouped.
    public var grouping: GroupingConfiguration?
    /// How log events become Sentry-shaped events for grouping.
    public var conversion: LogEventConversion

    public init(scrubbing: ScrubPolicy? = .standard, grouping: GroupingConfiguration? = nil,
                conversion: LogEventConversion = LogEventConversion()) {
        self.scrubbing = scrubbing
        self.grouping = grouping
        self.conversion = conversion
    }

    /// Scrubbed with the built-in rules, not grouped: what `faultline events` does by default.
    public static let standard = EventProcessing()
}

/// One worker's tools: a builder, a scrubber and a grouper, each holding its own PCRE2 matchers, and the
/// bodies of the records built so far.
final class EventWorker {
    let builder: EventBuilder
    private let scrubber: Scrubber?
    private let grouper: Grouper?
    private let conversion: LogEventConversion
    private let bodies = TraceBodies()

    init(patterns: EventBuilder.Patterns, processing: EventProcessing) {
        builder = EventBuilder(patterns)
        scrubber = processing.scrubbing.map { Scrubber($0) }
        grouper = processing.grouping.map { Grouper(configuration: $0, detailedTrees: false) }
        conversion = processing.conversion
    }

    /// Builds one job's event, scrubs it and the unparsed lines' text, and groups it.
    func run(_ job: BuildJob, file: String, threshold: Level) -> BuildResult {
        var result = build(job, file: file, threshold: threshold)
        if let scrubber {
            result.unparsed = result.unparsed.map { UnparsedLine(line: $0.line, text: scrubber.scrub($0.text)) }
        }
        if let grouper, var event = result.event {
            let (grouping, normalized) = grouper.groupReturningInput(conversion.input(for: event))
            event.grouping = EventGrouping(grouping)
            conversion.copyInApp(from: normalized, to: &event)
            result.event = event
        }
        return result
    }

    /// Builds (and scrubs) one job's event. A text record's body comes from ``TraceBodies`` when the record
    /// repeats one built before; only its prefix is read and scrubbed then.
    private func build(_ job: BuildJob, file: String, threshold: Level) -> BuildResult {
        var unparsed: [Int] = []
        switch job {
        case let .text(text, facts):
            let lines = text.lines
            guard let record = builder.prepare(lines, facts) else { return BuildResult(event: nil, unparsed: []) }
            let body = bodies.body(for: record) { record in
                let body = builder.body(of: record)
                return scrubber.map { $0.scrub(body) } ?? body
            }
            var event = builder.event(record, body, lines: lines, facts, threshold: threshold)
            if let scrubber, let built = event { event = scrubber.scrubPrefixFields(built) }
            guard !body.unparsedIndices.isEmpty else { return BuildResult(event: event, unparsed: []) }
            let numbers = body.unparsedIndices.map { record.traceLines[$0].number }
            let texts = Dictionary(lines.map { ($0.number, $0.text) }, uniquingKeysWith: { first, _ in first })
            return BuildResult(event: event, unparsed: numbers.map { UnparsedLine(line: $0, text: texts[$0] ?? "") })
        case let .structured(record, level, line, byteOffset):
            var event = builder.build(structured: record, level: level, file: file, line: line, byteOffset: byteOffset,
                                      unparsed: &unparsed)
            if let scrubber { event = scrubber.scrub(event) }
            // The stack of a structured record is one field of one line: name the field rather than the line.
            return BuildResult(
                event: event, unparsed: unparsed.map { UnparsedLine(line: $0, text: "(a line of this record's stack field)") })
        }
    }
}

/// Builds events from error records on other cores while the reader frames the next lines, and hands the
/// results back **in input order**.
///
/// Jobs are gathered into batches; a batch is built by one worker with its own ``EventWorker`` (builders,
/// scrubbers and groupers hold PCRE2 matchers and memos, which belong to one thread at a time). At most twice
/// `workers` batches are in flight: the reader waits for the oldest before it submits more, so memory stays
/// bounded. With one worker there are no threads at all: jobs are built as they come.
final class BuildQueue {
    private let workers: Int
    private let patterns: EventBuilder.Patterns
    private let processing: EventProcessing
    /// Workers not in use by a batch in flight. Touched only by the reader's thread.
    private var idle: [EventWorker] = []
    private var pending: [BuildJob] = []
    private var pendingBytes = 0
    private var inFlight: [Batch] = []
    /// Delivered events waiting to be freed by the next batch's worker.
    private var retired: [[ErrorEvent]] = []
    private var file = ""
    private var threshold = Level.error

    /// Jobs per batch, and record bytes per batch: enough to make a hand-over cheap next to building.
    private static let batchJobs = 256
    private static let batchBytes = 1 << 20

    init(workers: Int, patterns: EventBuilder.Patterns, processing: EventProcessing) {
        self.workers = max(1, workers)
        self.patterns = patterns
        self.processing = processing
        // With threads, workers are made on them (their grammars compile patterns), not on the reader's thread.
        if self.workers == 1 { idle = [EventWorker(patterns: patterns, processing: processing)] }
    }

    deinit {
        // The workers' memos hold tens of thousands of small strings; a run ends right after this, so they are
        // freed on another thread rather than delaying the end of the run.
        guard workers > 1 else { return }
        // Moved out first, so that the closure holds the last references.
        let leftovers = UncheckedBox((idle, retired))
        idle = []
        retired = []
        DispatchQueue.global(qos: .background).async { withExtendedLifetime(leftovers) {} }
    }

    /// Takes events the sink has consumed: with worker threads, the next batch's worker frees them, so the
    /// reader's thread spends its time reading and framing rather than releasing what workers allocated.
    func retire(_ events: inout [ErrorEvent]) {
        guard workers > 1 else { return events.removeAll(keepingCapacity: true) }
        retired.append(events)
        events = []
    }

    /// The number of cores to build on by default: the processors online.
    static var defaultWorkers: Int {
        max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Starts a logical file's jobs; the file before must have been drained.
    func begin(file: String, threshold: Level) {
        self.file = file
        self.threshold = threshold
    }

    /// Queues a job. Results that are ready, in order, go to `deliver`.
    func submit(_ job: BuildJob, deliver: (inout BuildResult) -> Void) {
        if workers == 1 {
            var result = idle[0].run(job, file: file, threshold: threshold)
            return deliver(&result)
        }
        if case let .text(text, _) = job { pendingBytes += text.storage.count }
        pending.append(job)
        guard pending.count >= Self.batchJobs || pendingBytes >= Self.batchBytes else { return }
        launch(deliver: deliver)
    }

    /// Builds every queued job and delivers every result, in order.
    func drain(deliver: (inout BuildResult) -> Void) {
        if !pending.isEmpty { launch(deliver: deliver) }
        while !inFlight.isEmpty { collectOldest(deliver: deliver) }
    }

    private func launch(deliver: (inout BuildResult) -> Void) {
        if inFlight.count >= 2 * workers { collectOldest(deliver: deliver) }
        while let first = inFlight.first, first.isDone { collectOldest(deliver: deliver) }
        let batch = Batch(jobs: pending, retired: retired, worker: idle.popLast(), file: file, threshold: threshold,
                          makeWorker: { [patterns, processing] in EventWorker(patterns: patterns, processing: processing) })
        pending = []
        retired = []
        pendingBytes = 0
        inFlight.append(batch)
        DispatchQueue.global().async { batch.build() }
    }

    private func collectOldest(deliver: (inout BuildResult) -> Void) {
        let batch = inFlight.removeFirst()
        batch.done.wait()
        // Results are moved to the consumer, not copied: a copy of an event built on another core would retain
        // each of its strings and arrays here, touching their memory from this thread.
        var results = batch.takeResults()
        for index in results.indices { deliver(&results[index]) }
        idle.append(batch.worker)
    }
}

/// One batch of jobs in flight.
///
/// Unchecked `Sendable`: the worker thread alone touches `worker` and writes `results` until it signals `done`;
/// the reader's thread reads them only after waiting on `done`, which orders the two.
private final class Batch: @unchecked Sendable {
    private var jobs: [BuildJob]
    /// Events already delivered, whose memory the worker frees (see ``BuildQueue/retire(_:)``).
    private var retired: [[ErrorEvent]]
    /// The worker that built the batch: given, or made on the worker thread when none was idle.
    private(set) var worker: EventWorker!
    private let makeWorker: @Sendable () -> EventWorker
    let file: String
    let threshold: Level
    private var results: [BuildResult] = []
    let done = DispatchSemaphore(value: 0)
    private let finished = Atomic<Bool>(false)

    init(jobs: [BuildJob], retired: [[ErrorEvent]], worker: EventWorker?, file: String, threshold: Level,
         makeWorker: @escaping @Sendable () -> EventWorker) {
        self.jobs = jobs
        self.retired = retired
        self.worker = worker
        self.makeWorker = makeWorker
        self.file = file
        self.threshold = threshold
    }

    var isDone: Bool { finished.load(ordering: .acquiring) }

    /// The results, handed over once (after waiting on ``done``).
    func takeResults() -> [BuildResult] {
        defer { results = [] }
        return results
    }

    func build() {
        retired = []
        results.reserveCapacity(jobs.count)
        if worker == nil { worker = makeWorker() }
        for job in jobs { results.append(worker.run(job, file: file, threshold: threshold)) }
        jobs = []  // the records' bytes are freed here, not on the reader's thread
        finished.store(true, ordering: .releasing)
        done.signal()
    }
}

/// A value handed from one thread to another whole, never shared.
private struct UncheckedBox<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
