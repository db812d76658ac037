import Foundation
import Testing
@testable import FaultlineCore

/// `/work/shared/corpus/vector`: reader fixtures from vectordotdev/vector, found relative to this file
/// (`<package>/../shared/corpus/vector`).
private let vectorFolder: String = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent()    // FaultlineCoreTests
    .deletingLastPathComponent()    // Tests
    .deletingLastPathComponent()    // package root
    .appendingPathComponent("../shared/corpus/vector")
    .standardizedFileURL.path

private let corpusPresent = FileManager.default.fileExists(atPath: vectorFolder + "/gzipped.log")

@Suite("Vector's reader fixtures from the shared corpus",
       .enabled(if: corpusPresent, "the shared corpus is not at ../shared/corpus/vector; corpus tests skipped"))
struct CorpusVectorTests {
    private func path(_ name: String) -> String { vectorFolder + "/" + name }

    /// The lines of a plain file in the corpus, split on `\n` without a trailing empty line.
    private func plainLines(_ name: String) throws -> [String] {
        let text = try String(contentsOfFile: path(name), encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    @Test("gzipped.log is gzip data under a .log name, read from its content")
    func gzippedLog() throws {
        let outcome = readLogs([path("gzipped.log")])

        let file = try #require(outcome.file(path("gzipped.log")))
        #expect(file.texts == [
            "this is a simple file",
            "i have been compressed",
            "in order to make me smaller",
            "but you can still read me",
            "hooray",
        ])
        #expect(file.file.format.layers == ["gzip"])
        #expect(file.summary?.status == .read)
        // zcat agrees.
        let zcat = try runTool("/bin/sh", ["-c", "zcat gzipped.log"], in: vectorFolder)
        #expect(file.texts == zcat.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init))
    }

    @Test("multipart-gzip.log.gz: all 12 lines of all its gzip members")
    func multipartGzip() throws {
        let outcome = readLogs([path("multipart-gzip.log.gz")])

        let file = try #require(outcome.file(path("multipart-gzip.log.gz")))
        #expect(file.lines.count == 12)
        #expect(file.texts == (try plainLines("multipart-zst.log")))
        #expect(file.file.format.layers == ["gzip"])
        #expect(file.summary?.status == .read)
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("multipart-zst.log.zst equals multipart-zst.log line for line")
    func multipartZstd() throws {
        let compressed = readLogs([path("multipart-zst.log.zst")])
        let plain = readLogs([path("multipart-zst.log")])

        let zst = try #require(compressed.file(path("multipart-zst.log.zst")))
        let text = try #require(plain.file(path("multipart-zst.log")))
        #expect(zst.file.format.layers == ["zstd"])
        #expect(text.file.format.layers == [])
        #expect(zst.lines.map(\.bytes) == text.lines.map(\.bytes))
        #expect(zst.lines.map(\.byteOffset) == text.lines.map(\.byteOffset))
        #expect(zst.texts == (try plainLines("multipart-zst.log")))
        #expect(zst.summary?.contentID == text.summary?.contentID)
    }

    @Test("utf-16le.log is transcoded from UTF-16LE")
    func utf16LittleEndian() throws {
        let outcome = readLogs([path("utf-16le.log")])

        let file = try #require(outcome.file(path("utf-16le.log")))
        #expect(file.file.format.encoding == .utf16LE)
        #expect(file.texts.first == "hello i am a file")
        #expect(file.texts == [
            "hello i am a file",
            "i can unicode",
            "but i do so in 16 bits",
            "and when i byte",
            "i become little-endian",
        ])
        #expect(file.lines.map(\.byteOffset) == [0, 18, 32, 55, 71])
    }

    @Test("Reading the whole folder dedupes the three copies of the multipart log")
    func wholeFolder() throws {
        let outcome = readLogs([vectorFolder])

        #expect(outcome.names == ["LICENSE", "gzipped.log", "multipart-gzip.log.gz", "utf-16le.log"].map(path))
        #expect(outcome.texts(path("multipart-gzip.log.gz")) == (try plainLines("multipart-zst.log")))
        for copy in ["multipart-zst.log", "multipart-zst.log.zst"] {
            let summary = try #require(outcome.summary(path(copy)))
            #expect(summary.status == .duplicate, "\(copy)")
            #expect(summary.duplicateOf == path("multipart-gzip.log.gz"), "\(copy)")
        }
        #expect(outcome.diagnostics(.duplicateContent).count == 2)
        #expect(outcome.report.diagnostics.count == 2, "\(outcome.report.diagnostics)")
        #expect(outcome.report.files.count == 6)
    }
}
