import Foundation

@testable import FaultlineCore

/// `../shared/corpus` beside the package root (read-only test input with licenses), found from this file.
let corpusRoot: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()    // Support
    .deletingLastPathComponent()    // FaultlineCoreTests
    .deletingLastPathComponent()    // Tests
    .deletingLastPathComponent()    // package root
    .appendingPathComponent("../shared/corpus")
    .standardizedFileURL.path

/// A path inside the corpus.
func corpusPath(_ relative: String) -> String { corpusRoot + "/" + relative }

/// Splits text into numbered record lines, as a record reaches a grammar.
func recordLines(_ text: String, firstNumber: Int = 1) -> [RecordLine] {
    text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map {
        RecordLine(String($0.element), number: firstNumber + $0.offset)
    }
}
