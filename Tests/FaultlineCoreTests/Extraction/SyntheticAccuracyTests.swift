import Foundation
import Testing

@testable import FaultlineCore

/// Extraction against ../shared/tools/gen-synthetic-logs.py and its truth file: every error event the
/// generator wrote is found at its first line with the right exception type, and nothing else is.
@Suite("Extraction accuracy on the synthetic multi-release log")
struct SyntheticAccuracyTests {
    static let generator = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("../shared/tools/gen-synthetic-logs.py").standardized

    struct Truth: Decodable {
        struct Event: Decodable { var line: Int; var bug: String; var release: String }
        struct Bug: Decodable { var bug: String; var language: String; var type: String }
        var events: [Event]
        var bugs: [Bug]
    }

    struct Collector: EventConsumer {
        var events: [ErrorEvent] = []
        mutating func consume(_ event: ErrorEvent) { events.append(event) }
    }

    /// Generates a log with the generator (Python 3), extracts it, and returns the events and the truth.
    static func run(megabytes: Double, seed: Int, workers: Int? = nil) throws -> (events: [ErrorEvent], truth: Truth, summary: ExtractionSummary)? {
        guard FileManager.default.fileExists(atPath: generator.path) else { return nil }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-synthetic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("app.log").path
        let truthPath = directory.appendingPathComponent("truth.json").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", generator.path, "--mb", "\(megabytes)", "--seed", "\(seed)", log, "--truth", truthPath]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: URL(fileURLWithPath: truthPath)))
        var settings = ExtractionSettings()
        settings.workers = workers
        var extractor = try EventExtractor(settings: settings, sink: Collector())
        _ = LogReader().read([log], into: &extractor)
        return (extractor.sink.events, truth, extractor.summaries[0])
    }

    /// The type a truth entry names, as `module.type` of the event's outermost exception.
    static func qualifiedType(_ event: ErrorEvent) -> String? {
        guard let exception = event.exceptions.last else { return nil }
        return [exception.module, exception.type].compactMap { $0 }.joined(separator: ".")
    }

    @Test("every error event is found at its line with its exception type, and nothing else")
    func everyEventFound() throws {
        guard let (events, truth, summary) = try Self.run(megabytes: 3, seed: 11) else {
            Issue.record("python3 or ../shared/tools/gen-synthetic-logs.py is missing")
            return
        }
        let bugTypes = Dictionary(uniqueKeysWithValues: truth.bugs.map { ($0.bug, $0) })
        let found = Dictionary(events.map { ($0.origin.firstLine, $0) }, uniquingKeysWith: { first, _ in first })
        var perLanguage: [String: (expected: Int, found: Int, typed: Int)] = [:]
        for event in truth.events {
            let bug = try #require(bugTypes[event.bug])
            var tally = perLanguage[bug.language, default: (0, 0, 0)]
            tally.expected += 1
            if let extracted = found[event.line] {
                tally.found += 1
                if Self.qualifiedType(extracted) == bug.type || extracted.exceptions.last?.type == bug.type {
                    tally.typed += 1
                }
            }
            perLanguage[bug.language] = tally
        }
        let expectedLines = Set(truth.events.map(\.line))
        let extra = events.filter { !expectedLines.contains($0.origin.firstLine) }
        for (language, tally) in perLanguage.sorted(by: { $0.key < $1.key }) {
            #expect(tally.found == tally.expected, "\(language): found \(tally.found) of \(tally.expected)")
            #expect(tally.typed == tally.expected, "\(language): right type for \(tally.typed) of \(tally.expected)")
        }
        #expect(extra.isEmpty, "events not in the truth file at lines \(extra.prefix(10).map(\.origin.firstLine))")
        #expect(summary.unparsedLines.isEmpty, "unparsed: \(summary.unparsedLines.prefix(5))")
    }

    @Test("events built on several threads are the events built on one, in the same order")
    func parallelBuildingKeepsOrder() throws {
        guard let (sequential, _, sequentialSummary) = try Self.run(megabytes: 2, seed: 5, workers: 1),
              let (parallel, _, parallelSummary) = try Self.run(megabytes: 2, seed: 5, workers: 3)
        else {
            Issue.record("python3 or ../shared/tools/gen-synthetic-logs.py is missing")
            return
        }
        #expect(sequential.count > 100)
        #expect(parallel.count == sequential.count)
        // Equal but for the file name, which is the temporary directory of each run.
        #expect(parallel.map { [$0.origin.firstLine, $0.origin.lastLine] } == sequential.map { [$0.origin.firstLine, $0.origin.lastLine] })
        #expect(parallel.map(\.exceptions) == sequential.map(\.exceptions))
        #expect(parallel.map(\.message) == sequential.map(\.message))
        #expect(parallelSummary.events == sequentialSummary.events)
        #expect(parallelSummary.records == sequentialSummary.records)
    }
}
