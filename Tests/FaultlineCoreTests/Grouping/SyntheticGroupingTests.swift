import Foundation
import Testing

@testable import FaultlineCore

/// Issue stability on ../shared/tools/gen-synthetic-logs.py output: events of one bug (shifted line
/// numbers, other values in messages, three releases) form one issue, and different bugs different issues.
@Suite("Grouping accuracy on the synthetic multi-release log")
struct SyntheticGroupingTests {
    /// Pairwise precision and recall of a clustering against the truth.
    struct PairwiseScore {
        var precision: Double
        var recall: Double

        init(predicted: [String], truth: [String]) {
            func pairs(_ counts: [Int]) -> Int { counts.reduce(0) { $0 + $1 * ($1 - 1) / 2 } }
            var cells: [String: Int] = [:]
            var issues: [String: Int] = [:]
            var bugs: [String: Int] = [:]
            for (issue, bug) in zip(predicted, truth) {
                cells[issue + "\u{0}" + bug, default: 0] += 1
                issues[issue, default: 0] += 1
                bugs[bug, default: 0] += 1
            }
            let together = pairs(Array(cells.values))
            let predictedPairs = pairs(Array(issues.values))
            let truePairs = pairs(Array(bugs.values))
            precision = predictedPairs == 0 ? 1 : Double(together) / Double(predictedPairs)
            recall = truePairs == 0 ? 1 : Double(together) / Double(truePairs)
        }
    }

    /// Issues as Sentry assigns them: an event joins the issue one of its hashes already belongs to.
    static func assignIssues(_ results: [GroupingResult]) -> [String] {
        var issueOfHash: [String: String] = [:]
        return results.map { result in
            let issue = result.hashes.lazy.compactMap { issueOfHash[$0] }.first ?? result.primaryHash ?? "none"
            for hash in result.hashes where issueOfHash[hash] == nil { issueOfHash[hash] = issue }
            return issue
        }
    }

    @Test("events of one bug form one issue across releases; different bugs never share one")
    func pairwisePrecisionAndRecall() throws {
        guard let (events, truth, _) = try SyntheticAccuracyTests.run(megabytes: 4, seed: 23) else {
            Issue.record("python3 or ../shared/tools/gen-synthetic-logs.py is missing")
            return
        }
        let bugOfLine = Dictionary(truth.events.map { ($0.line, $0.bug) }, uniquingKeysWith: { first, _ in first })
        let grouper = Grouper(configuration: .sentryCompatible)
        let conversion = LogEventConversion()
        var predicted: [GroupingResult] = []
        var bugs: [String] = []
        for event in events {
            guard let bug = bugOfLine[event.origin.firstLine] else { continue }
            predicted.append(grouper.group(conversion.input(for: event)))
            bugs.append(bug)
        }
        #expect(bugs.count == truth.events.count)
        let score = PairwiseScore(predicted: Self.assignIssues(predicted), truth: bugs)
        #expect(score.precision == 1.0, "pairwise precision \(score.precision)")
        #expect(score.recall == 1.0, "pairwise recall \(score.recall)")
        #expect(Set(Self.assignIssues(predicted)).count == Set(bugs).count)
    }
}
