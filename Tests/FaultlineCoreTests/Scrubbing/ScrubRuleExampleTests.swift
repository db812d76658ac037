import Testing

@testable import FaultlineCore

/// One example of a built-in rule, as a test argument.
struct ScrubRuleExample: Sendable, CustomTestStringConvertible {
    var rule: String
    var input: String
    var output: String

    var testDescription: String { "\(rule): \(input.debugDescription)" }

    /// A scrubber with the default rules, plus `rule` when it is opt-in.
    func scrubber() throws -> Scrubber {
        var settings = ScrubSettings()
        if ScrubRule.builtIn.contains(where: { $0.name == rule && $0.isOptIn }) { settings.enabledOptInRules = [rule] }
        return Scrubber(try ScrubPolicy(settings: settings, pseudonymKey: nil))
    }

    static let replacements: [ScrubRuleExample] = ScrubRule.builtIn.flatMap { rule in
        rule.examples.map { ScrubRuleExample(rule: rule.name, input: $0.input, output: $0.output) }
    }
    static let survivors: [ScrubRuleExample] = ScrubRule.builtIn.flatMap { rule in
        rule.survivors.map { ScrubRuleExample(rule: rule.name, input: $0, output: $0) }
    }
}

/// Every built-in rule's examples, straight from the rule data: positives become their expected output, and
/// survivors come out unchanged.
@Suite("Scrubbing: every rule's examples")
struct ScrubRuleExampleTests {
    @Test("the example becomes its expected output", arguments: ScrubRuleExample.replacements)
    func replaces(_ example: ScrubRuleExample) throws {
        let scrubber = try example.scrubber()
        #expect(scrubber.scrub(example.input) == example.output)
    }

    @Test("the example is the work of its own rule", arguments: ScrubRuleExample.replacements)
    func foundByItsRule(_ example: ScrubRuleExample) throws {
        let scrubber = try example.scrubber()
        _ = scrubber.scrub(example.input)
        let count = scrubber.replacementCounts.first { $0.rule == example.rule }?.count ?? 0
        #expect(count > 0, "\(example.rule) replaced nothing; another rule did the work")
    }

    @Test("scrubbing twice changes nothing more", arguments: ScrubRuleExample.replacements)
    func idempotent(_ example: ScrubRuleExample) throws {
        let scrubber = try example.scrubber()
        #expect(scrubber.scrub(example.output) == example.output)
    }

    @Test("the survivor comes out unchanged", arguments: ScrubRuleExample.survivors)
    func leavesAlone(_ example: ScrubRuleExample) throws {
        let scrubber = try example.scrubber()
        #expect(scrubber.scrub(example.input) == example.input)
    }

    @Test("every rule has examples and survivors, and a unique name")
    func everyRuleDocumented() {
        for rule in ScrubRule.builtIn {
            #expect(!rule.examples.isEmpty, "\(rule.name) has no examples")
            #expect(!rule.survivors.isEmpty, "\(rule.name) has no survivors")
            #expect(rule.name.hasPrefix("@"))
        }
        #expect(Set(ScrubRule.builtIn.map(\.name)).count == ScrubRule.builtIn.count)
        #expect(ScrubRule.builtIn.filter(\.isOptIn).map(\.name).sorted() == ["@mac", "@phone", "@uuid"])
    }

    @Test("every trigger fires on its own rule's examples (a trigger that misses would hide a match)")
    func triggersFire() throws {
        for rule in ScrubRule.builtIn {
            for example in rule.examples {
                var fired = false
                for line in example.input.split(separator: "\n", omittingEmptySubsequences: false) {
                    var text = String(line)
                    text.withUTF8 { bytes in
                        if rule.detectors.contains(where: { $0.trigger.fires(on: UnsafeRawBufferPointer(bytes)) }) {
                            fired = true
                        }
                    }
                }
                #expect(fired, "\(rule.name): no trigger fires on \(example.input.debugDescription)")
            }
        }
    }

    @Test("the one-pass dispatch and each trigger's own scan agree on whether and where a trigger fires")
    func dispatchAgreesWithScans() {
        let triggers = ScrubRule.builtIn.flatMap { $0.detectors.map(\.trigger) }
        let lines = ScrubRule.builtIn.flatMap { rule -> [String] in rule.examples.map(\.input) + rule.survivors }
            .flatMap { $0.split(separator: "\n").map(String.init) } + ScrubSurvivorCorpusTests.corpus
        for trigger in triggers {
            guard let anchors = trigger.anchors else { continue }
            for line in lines {
                var text = line
                text.withUTF8 { bytes in
                    let raw = UnsafeRawBufferPointer(bytes)
                    var dispatched: Int? = nil
                    for position in raw.indices where anchors.contains(raw[position]) {
                        if let start = trigger.check(raw, at: position) { dispatched = start; break }
                    }
                    let scanned = trigger.firstOccurrence(in: raw)
                    #expect((dispatched == nil) == (scanned == nil), "\(trigger) on \(line.debugDescription)")
                    if let dispatched, let scanned {
                        #expect(abs(dispatched - scanned) <= trigger.slack, "\(trigger) on \(line.debugDescription)")
                    }
                }
            }
        }
    }
}
