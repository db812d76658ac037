import ArgumentParser
import FaultlineCore
import FoundationEssentials

struct Events: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Extract error events: stack traces of every major runtime and records at level ERROR or above.",
        discussion: """
            Records are framed by their log prefix (detected per file: ISO 8601, logback/log4j, Python \
            logging, syslog, journald, nginx, Apache, Go log, Rails, klog, java.util.logging) and traces \
            are parsed for Java/Kotlin/Scala, Python, Node and browsers, Go, Ruby, .NET, PHP, Rust and Swift. \
            Personal data and secrets are scrubbed from every event before it is printed (see `faultline scrub \
            --list-rules`); --pseudonymize writes keyed pseudonyms instead of placeholders. --group adds each \
            event's issue, grouped as Sentry groups (config newstyle:2023-01-11, with the configured stack trace \
            and fingerprint rules). With --json the output is one JSON document: {"events": [...], "files": \
            [...], "diagnostics": [...]}, written as events are found.
            """)

    @OptionGroup var reading: ReadingOptions

    @Flag(name: .long, help: "Print the result as JSON on standard output.")
    var json = false

    @Flag(name: .long, help: "Also list the lines that looked like stack-trace lines but could not be parsed.")
    var unparsed = false

    @Flag(name: .long, help: "Print only the counts, not the events.")
    var count = false

    @Option(name: .long, help: ArgumentHelp(
        "Lowest level that makes a record without a trace an event (default: error).", valueName: "level"))
    var level: String?

    @Flag(name: .long, help: "Group events into issues as Sentry does and show each event's issue hash.")
    var group = false

    @Flag(name: .long, help: ArgumentHelp(
        "With --group: list issues whose top in-app frames are equal, which may be one bug (beyond Sentry)."))
    var suggestMerges = false

    @Flag(name: .long, help: ArgumentHelp(
        "Replace personal data with keyed pseudonyms ([email:3f9a2c]) instead of placeholders; the key lives in the history."))
    var pseudonymize = false

    @Option(name: .long, help: ArgumentHelp(
        "The history database (default: history.path in the configuration, else .faultline/history.sqlite).",
        valueName: "file"))
    var history: String?

    @Option(name: .long, help: ArgumentHelp(
        "Threads that build events from error records (default: one per processor; 1 builds on the reading thread).",
        valueName: "n"))
    var jobs: Int?

    @Argument(help: ArgumentHelp("Files, directories, globs, or - for standard input.", valueName: "path"))
    var paths: [String]

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs: expected 1 or more") }
        if suggestMerges && !group { throw ValidationError("--suggest-merges needs --group") }
    }

    func run() throws {
        var configuration = try reading.loadConfiguration()
        if let jobs { configuration.extraction.workers = jobs }
        if let level {
            guard let threshold = Level(word: level) else {
                throw ValidationError("--level: expected a level such as error, warning or critical")
            }
            configuration.extraction.levelThreshold = threshold
        }
        if pseudonymize { configuration.scrubbing.pseudonymize = true }
        let processing = try eventProcessing(configuration, history: history, grouping: group)
        let printer = EventPrinter(json: json, countOnly: count, suggestMerges: suggestMerges)
        var extractor: EventExtractor<EventPrinter>
        do {
            extractor = try EventExtractor(settings: configuration.extraction, processing: processing, sink: printer)
        } catch {
            standardError("faultline: configuration error: \(error)\n")
            throw ExitCode(2)
        }
        let progress = ProgressLine()
        let onProgress: ((ReadProgress) -> Void)? = progress.isEnabled ? { progress.update($0) } : nil
        printer.begin()
        let report = LogReader(settings: configuration.reader).read(paths, into: &extractor, progress: onProgress)
        progress.clear()
        try printer.end(summaries: extractor.summaries, report: report, showUnparsed: unparsed)
        if count {
            let (fast, slow) = extractor.framingCounts
            print("framing: \(fast) lines classified by byte compares, \(slow) with PCRE2")
        }
        if reading.strict && report.diagnostics.contains(where: { $0.severity >= .warning }) { throw ExitCode(1) }
    }
}

/// Writes events as they are found: a readable block each, or elements of one JSON document.
final class EventPrinter: EventConsumer, @unchecked Sendable {
    // @unchecked: used only from the reading thread, synchronously.
    let json: Bool
    let countOnly: Bool
    private var count = 0
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    private var merges: MergeSuggestions?

    init(json: Bool, countOnly: Bool, suggestMerges: Bool = false) {
        self.json = json && !countOnly
        self.countOnly = countOnly
        self.merges = suggestMerges ? MergeSuggestions() : nil
    }

    func begin() {
        if json { print("{\"events\":[", terminator: "") }
    }

    private var issues = Set<String>()

    func consume(_ event: ErrorEvent) {
        count += 1
        if let hash = event.grouping?.primaryHash { issues.insert(hash) }
        merges?.add(event)
        if countOnly { return }
        if json {
            let data = (try? encoder.encode(event)) ?? Data("{}".utf8)
            print((count > 1 ? ",\n" : "\n") + String(decoding: data, as: UTF8.self), terminator: "")
        } else {
            print(EventText.render(event))
        }
    }

    func end(summaries: [ExtractionSummary], report: ReadReport, showUnparsed: Bool) throws {
        if json {
            let files = String(decoding: try encoder.encode(summaries), as: UTF8.self)
            let diagnostics = String(decoding: try encoder.encode(report.diagnostics), as: UTF8.self)
            var mergeField = ""
            if let merges {
                let suggestions = merges.suggestions.map { ["issues": $0.issues, "frames": $0.frames] }
                mergeField = ",\n\"mergeSuggestions\":" + String(decoding: try encoder.encode(suggestions), as: UTF8.self)
            }
            print("\n],\n\"files\":\(files),\n\"diagnostics\":\(diagnostics)\(mergeField)}")
            return
        }
        let events = summaries.reduce(0) { $0 + $1.events }
        let messages = summaries.reduce(0) { $0 + $1.messageEvents }
        let records = summaries.reduce(0) { $0 + $1.records }
        let unparsedCount = summaries.reduce(0) { $0 + $1.unparsedLines.count }
        if showUnparsed {
            for summary in summaries where !summary.unparsedLines.isEmpty {
                print("unparsed in \(summary.file):")
                for line in summary.unparsedLines { print("  \(line.line): \(line.text)") }
            }
        }
        print("\(events) event\(events == 1 ? "" : "s") (\(events - messages) with a stack trace, \(messages) "
              + "message\(messages == 1 ? "" : "s")) in \(records) record\(records == 1 ? "" : "s") of \(summaries.count) file"
              + "\(summaries.count == 1 ? "" : "s"); \(unparsedCount) unparsed trace line"
              + "\(unparsedCount == 1 ? "" : "s")\(unparsedCount > 0 && !showUnparsed ? " (--unparsed lists them)" : "")")
        if !issues.isEmpty { print("\(issues.count) issue\(issues.count == 1 ? "" : "s") by primary hash") }
        if let merges {
            let suggestions = merges.suggestions
            print("\(suggestions.count) merge suggestion\(suggestions.count == 1 ? "" : "s") (issues with the same top in-app frames)")
            for suggestion in suggestions {
                print("  " + suggestion.issues.joined(separator: " + ") + "  at " + suggestion.frames.joined(separator: " ← "))
            }
        }
        printDiagnostics(report.diagnostics)
    }
}
