import Foundation
import Testing

@testable import FaultlineCore

/// The synthetic log of ../shared/tools/gen-synthetic-logs.py plants e-mail addresses, IPv4 addresses, card numbers,
/// home directories and bearer tokens, and lists each in its truth file: after scrubbing, none may be left.
@Suite("Scrubbing: nothing planted in the synthetic log survives")
struct ScrubSyntheticTruthTests {
    struct Truth: Decodable {
        var lines: Int
        var planted_pii: [String: [String]]
    }

    @Test("every planted personal value is gone; line count and order are kept")
    func nothingSurvives() throws {
        let generator = SyntheticAccuracyTests.generator
        guard FileManager.default.fileExists(atPath: generator.path) else {
            Issue.record("../shared/tools/gen-synthetic-logs.py is missing")
            return
        }
        let directory = try TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", generator.path, "--mb", "2", "--seed", "23", "--error-rate", "0.2",
                             directory.path("app.log"), "--truth", directory.path("truth.json")]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let truth = try JSONDecoder().decode(Truth.self, from: Data(try directory.read("truth.json")))
        let log = try directory.read("app.log")

        let scrubber = Scrubber(.standard)
        var output: [UInt8] = []
        output.reserveCapacity(log.count)
        var lines = 0
        log.withUnsafeBytes { bytes in
            var start = 0
            while let newline = ByteScan.find(UInt8(ascii: "\n"), in: bytes, from: start) {
                scrubber.scrubLine(UnsafeRawBufferPointer(rebasing: bytes[start..<newline]), into: &output)
                output.append(UInt8(ascii: "\n"))
                lines += 1
                start = newline + 1
            }
        }
        #expect(lines == truth.lines)
        #expect(output.count { $0 == UInt8(ascii: "\n") } == truth.lines)

        var planted = 0
        output.withUnsafeBytes { scrubbed in
            for (kind, values) in truth.planted_pii {
                for value in values {
                    planted += 1
                    // A home path is planted as "/home/alice/": the user name must be gone from it.
                    #expect(ByteScan.find(Literal(value), in: scrubbed) == nil, "a planted \(kind) survived")
                }
            }
        }
        #expect(planted > 100)
        for kind in ["email", "ip", "card", "user_path", "bearer"] {
            #expect(!(truth.planted_pii[kind] ?? []).isEmpty, "the generator planted no \(kind)")
        }
        let counts = Dictionary(uniqueKeysWithValues: scrubber.replacementCounts.map { ($0.rule, $0.count) })
        #expect(counts["@email", default: 0] > 0 && counts["@ip", default: 0] > 0 && counts["@creditcard", default: 0] > 0)
        #expect(counts["@userpath", default: 0] > 0 && counts["@bearer", default: 0] > 0)
    }
}
