import Testing

@testable import FaultlineCore

/// Every grammar's examples (data in the grammar itself) parsed and checked.
@Suite("Trace grammar examples")
struct GrammarExampleTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var grammar: String
        var example: TraceExample
        var testDescription: String { "\(grammar): \(example.name)" }
    }

    static let cases: [Case] = TraceGrammars.all.flatMap { grammar in
        grammar.examples.map { Case(grammar: "\(grammar)", example: $0) }
    }

    static func grammar(named name: String) -> any TraceGrammar {
        TraceGrammars.all.first { "\($0)" == name }!.init()
    }

    /// Splits example text into numbered record lines.
    static func lines(_ text: String) -> [RecordLine] { recordLines(text) }

    @Test("every grammar's patterns compile")
    func patternsCompile() throws {
        for grammar in TraceGrammars.all {
            _ = try Pattern(grammar.detectionPattern)
            for starter in grammar.starterPatterns { _ = try Pattern(starter) }
        }
    }

    @Test("each example parses to its expected exceptions and frames", arguments: cases)
    func example(_ testCase: Case) throws {
        let grammar = Self.grammar(named: testCase.grammar)
        let parsed = try #require(grammar.parse(Self.lines(testCase.example.text)), "no trace found")
        let expected = testCase.example.exceptions
        let runtime = type(of: grammar).runtime
        // The JavaScript grammar reads Node and browser stacks; browser ones report `.javascript`.
        #expect(parsed.runtime == runtime || runtime == .node && parsed.runtime == .javascript)
        #expect(parsed.exceptions.map(\.type) == expected.map(\.type))
        for (actual, wanted) in zip(parsed.exceptions, expected) {
            if let value = wanted.value { #expect(actual.value == value, "value of \(wanted.type)") }
            if let module = wanted.module { #expect(actual.module == module, "module of \(wanted.type)") }
            if let functions = wanted.functions {
                #expect(actual.frames.map { $0.function ?? "" } == functions, "frames of \(wanted.type)")
            }
            if let count = wanted.frameCount { #expect(actual.frames.count == count, "frame count of \(wanted.type)") }
        }
        #expect(parsed.unparsedLines.isEmpty, "unparsed lines: \(parsed.unparsedLines)")
    }

    @Test("each example's first line or a later one is recognised by the detection pattern", arguments: cases)
    func detection(_ testCase: Case) throws {
        let grammar = TraceGrammars.all.first { "\($0)" == testCase.grammar }!
        let matcher = Matcher(try Pattern(grammar.detectionPattern))
        let hits = try Self.lines(testCase.example.text).filter { try matcher.matches($0.text) }
        #expect(!hits.isEmpty)
    }
}
