import ArgumentParser
import FaultlineCore
import FoundationEssentials

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain how an event groups: every variant with its hash and component tree.",
        discussion: """
            The shape of Sentry's grouping info (config newstyle:2023-01-11): for each variant (app, system, \
            default, and custom_fingerprint when a fingerprint applies) its md5 hash or null, whether it \
            contributes, why, and the component tree with each component's contributes flag and hint. \
            With --sentry-event, FILE is a Sentry event payload (JSON); its _grouping.enhancements and \
            _fingerprinting_rules, as Sentry's test fixtures carry them, replace the configured project rules. \
            Otherwise FILE:LINE names a log and a line of the event to explain.
            """)

    @OptionGroup var reading: ReadingOptions

    @Option(name: .long, help: ArgumentHelp("A Sentry event payload (JSON) to explain.", valueName: "file"))
    var sentryEvent: String?

    @Option(name: .long, help: "Output format: text (a tree, as in Sentry's snapshots) or json.")
    var format: Format = .text

    @Argument(help: ArgumentHelp("FILE:LINE of an event in a log (not with --sentry-event).", valueName: "file:line"))
    var location: String?

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, json
    }

    func validate() throws {
        if sentryEvent == nil && location == nil { throw ValidationError("give --sentry-event FILE or FILE:LINE") }
        if sentryEvent != nil && location != nil { throw ValidationError("give either --sentry-event FILE or FILE:LINE, not both") }
        if let location, Self.split(location) == nil { throw ValidationError("expected FILE:LINE, such as app.log:120") }
    }

    func run() throws {
        let configuration = try reading.loadConfiguration()
        let result: GroupingResult
        if let sentryEvent {
            result = try explainPayload(sentryEvent, settings: configuration.grouping)
        } else {
            result = try explainLogEvent(configuration)
        }
        print(format == .json ? GroupingExplanation.json(result) : GroupingExplanation.text(result), terminator: format == .json ? "\n" : "")
    }

    private func explainPayload(_ path: String, settings: GroupingSettings) throws -> GroupingResult {
        guard let bytes = FileManager.default.contents(atPath: path) else {
            standardError("faultline: cannot read \(path)\n")
            throw ExitCode(1)
        }
        let payload: SentryEventPayload
        do {
            payload = try SentryEventPayload(json: [UInt8](bytes))
        } catch {
            standardError("faultline: \(path): \(error)\n")
            throw ExitCode(1)
        }
        var settings = settings
        do {
            if let rules = payload.stackTraceRules { settings.stackTraceRules = try StackTraceRules(parsing: rules) }
            if let rules = payload.fingerprintRulesJSON { settings.fingerprintRules = try FingerprintRules(sentryJSON: rules) }
        } catch {
            standardError("faultline: \(path): the event's rules: \(error)\n")
            throw ExitCode(1)
        }
        return Grouper(configuration: settings.configuration).group(payload.input)
    }

    private func explainLogEvent(_ configuration: Configuration) throws -> GroupingResult {
        let (file, line) = Self.split(location!)!
        let scrubbing: ScrubPolicy
        do {
            scrubbing = try ScrubPolicy(settings: configuration.scrubbing, pseudonymKey: nil)
        } catch {
            standardError("faultline: configuration error: \(error)\n")
            throw ExitCode(2)
        }
        var extractor = try EventExtractor(
            settings: configuration.extraction, processing: EventProcessing(scrubbing: scrubbing),
            sink: EventFinder(line: line))
        let report = LogReader(settings: configuration.reader).read([file], into: &extractor)
        guard let event = extractor.sink.found else {
            printDiagnostics(report.diagnostics)
            standardError("faultline: no event at \(file):\(line)\n")
            throw ExitCode(1)
        }
        let grouper = Grouper(configuration: configuration.grouping.configuration)
        return grouper.group(configuration.grouping.conversion.input(for: event))
    }

    /// `app.log:120` → (`app.log`, 120); the last colon separates, so archive members work too.
    static func split(_ location: String) -> (String, Int)? {
        guard let colon = location.lastIndex(of: ":"), let line = Int(location[location.index(after: colon)...]), line > 0
        else { return nil }
        let file = String(location[..<colon])
        return file.isEmpty ? nil : (file, line)
    }
}

/// Keeps the first event whose record covers a line.
struct EventFinder: EventConsumer {
    let line: Int
    var found: ErrorEvent?

    mutating func consume(_ event: ErrorEvent) {
        guard found == nil, event.origin.firstLine <= line, line <= event.origin.lastLine else { return }
        found = event
    }
}
