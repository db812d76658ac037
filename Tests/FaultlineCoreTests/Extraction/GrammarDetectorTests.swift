import Foundation
import Testing

@testable import FaultlineCore

/// The split detector must answer as the one alternation of all detection patterns did.
@Suite("Grammar detection")
struct GrammarDetectorTests {
    /// The reference: every grammar's detection pattern in one alternation, group *i* being grammar *i − 1*.
    static func referenceGrammar(for line: String, _ matcher: Matcher) -> Int? {
        guard let match = try? matcher.firstMatch(in: line) else { return nil }
        return (1...TraceGrammars.all.count).first(where: { match.match[$0] != nil }).map { $0 - 1 }
    }

    static func lines() -> [String] {
        var lines = TraceGrammars.all.flatMap { $0.examples.flatMap { $0.text.split(separator: "\n").map(String.init) } }
        // Crafted: Ruby's unanchored pattern at the start and inside lines other grammars also claim.
        lines += [
            ":12:in 'x' at Foo.swift:3: Fatal error: boom",
            "app.rb:12:in `block in run': boom (RuntimeError)",
            "\tfrom app.rb:12:in `run'",
            "#0 /srv/app.php(12): run() app.rb:3:in `x'",
            "0 [ra] 0x0000 main + 12 in main at /src/main.swift:3 app.rb:1:in 'y'",
            "thread 'main' panicked at src/main.rs:2:5: x.rb:1:in 'z'",
            "", "   ", "plain message without a trace",
        ]
        if let enumerator = FileManager.default.enumerator(atPath: corpusRoot) {
            for case let relative as String in enumerator where !relative.hasSuffix(".json") {
                guard let data = FileManager.default.contents(atPath: corpusRoot + "/" + relative), data.count < 2_000_000
                else { continue }
                lines += String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                    .prefix(20_000).map(String.init)
            }
        }
        return lines
    }

    @Test("answers as one alternation of every detection pattern would, on the corpus and the examples")
    func agreesWithOneAlternation() throws {
        let alternation = TraceGrammars.all.map { "(" + RecordFramer.withoutNamedGroups($0.detectionPattern) + ")" }
            .joined(separator: "|")
        let reference = Matcher(try Pattern(alternation))
        let detector = GrammarDetector(try GrammarDetector.Patterns(TraceGrammars.all.map { $0.detectionPattern }))
        var detected = Set<Int>()
        var disagreements: [String] = []
        for line in Self.lines() {
            var text = line
            let found = text.withUTF8 { detector.grammar(for: UnsafeRawBufferPointer($0)) }
            let expected = Self.referenceGrammar(for: line, reference)
            if found != expected { disagreements.append("\(line.prefix(120)) → \(String(describing: found)), expected \(String(describing: expected))") }
            if let found { detected.insert(found) }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(10))")
        #expect(detected.count == TraceGrammars.all.count, "every grammar is detected on some line")
    }

    @Test("Ruby's pattern is the unanchored one; the others are tried at the line's start only")
    func anchoring() throws {
        let patterns = try GrammarDetector.Patterns(TraceGrammars.all.map { $0.detectionPattern })
        let ruby = try #require(TraceGrammars.all.firstIndex { ObjectIdentifier($0) == ObjectIdentifier(RubyGrammar.self) })
        #expect(patterns.unanchored.map(\.grammar) == [ruby])
        #expect(patterns.anchoredGrammars.count == TraceGrammars.all.count - 1)
    }
}
