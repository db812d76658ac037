import Foundation
import Testing

/// The end-to-end canary of issue 4: every personal value the synthetic log generator planted (and lists in
/// its truth file) is absent from every output of the tool — events as text and JSON, unparsed lines,
/// grouping explanations, `faultline scrub`, diagnostics on standard error, and the history database file.
@Suite("Personal data never reaches an output")
struct PersonalDataCanaryTests {
    static let generator = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("../shared/tools/gen-synthetic-logs.py").standardized

    struct Truth: Decodable {
        struct Event: Decodable { var line: Int }
        var events: [Event]
        var planted_pii: [String: [String]]
    }

    @Test("no planted e-mail, IP, card number, user path or token appears in any output")
    func canary() throws {
        guard FileManager.default.fileExists(atPath: Self.generator.path) else {
            Issue.record("../shared/tools/gen-synthetic-logs.py is missing")
            return
        }
        let directory = try ScanCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let generate = Process()
        generate.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        generate.arguments = ["python3", Self.generator.path, "--mb", "1", "--seed", "31",
                              directory.appendingPathComponent("app.log").path,
                              "--truth", directory.appendingPathComponent("truth.json").path]
        generate.standardOutput = FileHandle.nullDevice
        try generate.run()
        generate.waitUntilExit()
        try #require(generate.terminationStatus == 0)
        let truth = try JSONDecoder().decode(Truth.self, from: Data(contentsOf: directory.appendingPathComponent("truth.json")))
        let planted = truth.planted_pii.flatMap { kind, values in values.map { (kind, $0) } }
        #expect(planted.count > 100, "the generator plants personal data")

        let eventLine = try #require(truth.events.first?.line)
        let runs: [[String]] = [
            ["events", "app.log"],
            ["events", "--json", "--unparsed", "app.log"],
            ["events", "--group", "--suggest-merges", "--json", "app.log"],
            ["events", "--pseudonymize", "--history", "history.sqlite", "--json", "app.log"],
            ["explain", "app.log:\(eventLine)"],
            ["explain", "--format", "json", "app.log:\(eventLine)"],
            ["scrub", "app.log"],
            ["scan", "--json", "app.log"],
        ]
        var outputs: [(String, String)] = []
        for arguments in runs {
            let outcome = try ScanCommandTests.run(arguments, in: directory)
            #expect(outcome.status == 0, "\(arguments.joined(separator: " ")): \(outcome.stderr.prefix(300))")
            outputs.append((arguments.joined(separator: " "), outcome.stdout + outcome.stderr))
        }
        for name in ["history.sqlite", "history.sqlite-wal"] {
            if let bytes = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path) {
                outputs.append((name, String(decoding: bytes, as: UTF8.self)))
            }
        }
        #expect(outputs.first { $0.0 == "events --pseudonymize --history history.sqlite --json app.log" }?.1.contains("[email:") == true)

        for (output, text) in outputs {
            let leaked = planted.filter { text.contains($0.1) }
            #expect(leaked.isEmpty, "\(output) leaks \(leaked.count) values, e.g. \(leaked.prefix(3).map(\.0))")
        }
    }
}
