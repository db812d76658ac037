import Foundation
import Testing
@testable import FaultlineCore

/// What a ``LineSplitter`` produced for some input.
private struct Split {
    var lines: [CollectedLine]
    var lineCount: Int
    var byteCount: Int64
    var cutLineCount: Int
    var firstCut: (line: Int, byteOffset: Int64)?

    var texts: [String] { lines.map(\.text) }
}

/// Feeds `blocks` to a fresh splitter and finishes it.
private func split(_ blocks: [[UInt8]], maxLineBytes: Int = 1 << 20) -> Split {
    var splitter = LineSplitter(maxLineBytes: maxLineBytes)
    var lines: [CollectedLine] = []
    for block in blocks {
        block.withUnsafeBytes { bytes in splitter.consume(bytes) { lines += $0.map(CollectedLine.init) } }
    }
    splitter.finish { lines += $0.map(CollectedLine.init) }
    return Split(lines: lines, lineCount: splitter.lineCount, byteCount: splitter.byteCount,
                 cutLineCount: splitter.cutLineCount, firstCut: splitter.firstCut)
}

private func split(_ text: String, maxLineBytes: Int = 1 << 20) -> Split {
    split([Array(text.utf8)], maxLineBytes: maxLineBytes)
}

/// `bytes` cut into blocks of `size` bytes (the last one shorter).
private func chunks(_ bytes: [UInt8], size: Int) -> [[UInt8]] {
    stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<min($0 + size, bytes.count)]) }
}

/// Lines with their expected byte offsets, for content made of `lines` joined with `terminator`.
private func expectedOffsets(_ lines: [String], terminator: String) -> [Int64] {
    var offsets: [Int64] = []
    var offset: Int64 = 0
    for line in lines {
        offsets.append(offset)
        offset += Int64(line.utf8.count + terminator.utf8.count)
    }
    return offsets
}

@Suite("Line splitting")
struct LineSplitterTests {
    // MARK: Terminators

    @Test("LF lines, with numbers and byte offsets")
    func lfLines() {
        let result = split("alpha\nbeta\n\ngamma\n")
        #expect(result.texts == ["alpha", "beta", "", "gamma"])
        #expect(result.lines.map(\.number) == [1, 2, 3, 4])
        #expect(result.lines.map(\.byteOffset) == [0, 6, 11, 12])
        #expect(result.lines.allSatisfy { !$0.wasCut })
        #expect(result.byteCount == 18)
    }

    @Test("CRLF lines drop the carriage return")
    func crlfLines() {
        let result = split("alpha\r\nbeta\r\n\r\ngamma\r\n")
        #expect(result.texts == ["alpha", "beta", "", "gamma"])
        #expect(result.lines.map(\.byteOffset) == [0, 7, 13, 15])
    }

    @Test("Mixed LF and CRLF; a lone CR inside a line is kept")
    func mixedTerminators() {
        let result = split("one\r\ntwo\nthree\rstill three\r\nfour\n")
        #expect(result.texts == ["one", "two", "three\rstill three", "four"])
        #expect(result.lines.map(\.byteOffset) == [0, 5, 9, 28])
    }

    @Test("A last line without a newline is delivered, CR stripped or not")
    func lastLineWithoutNewline() {
        #expect(split("one\ntwo").texts == ["one", "two"])
        #expect(split("one\ntwo").lines.last?.byteOffset == 4)
        #expect(split("only").texts == ["only"])
        #expect(split("one\r\ntwo\r").texts == ["one", "two"])
    }

    @Test("Empty lines are lines; empty input has none")
    func emptyLines() {
        #expect(split("\n\n\n").texts == ["", "", ""])
        #expect(split("\n\n\n").lines.map(\.byteOffset) == [0, 1, 2])
        let empty = split([[]])
        #expect(empty.lines.isEmpty)
        #expect(empty.lineCount == 0)
        #expect(split([]).lines.isEmpty)
    }

    // MARK: Bytes kept exactly

    @Test("NUL bytes and invalid UTF-8 are kept byte for byte")
    func rawBytesKept() {
        let line1: [UInt8] = [0x61, 0x00, 0x62, 0x00, 0x00, 0x63]
        let line2: [UInt8] = [0xFF, 0xFE, 0xC3, 0x28, 0xE2, 0x82, 0x20, 0xED, 0xA0, 0x80]
        let result = split([line1 + [10] + line2 + [10]])
        #expect(result.lines.map(\.bytes) == [line1, line2])
        #expect(result.lines.map(\.byteOffset) == [0, 7])
    }

    // MARK: Blocks

    @Test("Lines spanning block boundaries are joined, at every block size", arguments: [1, 2, 3, 7, 64, 4096])
    func blockBoundaries(_ blockSize: Int) {
        let lines = ["first line", "", "second\r", "a much longer third line with more text", "x", "last"]
        let text = lines.joined(separator: "\n")
        let result = split(chunks(Array(text.utf8), size: blockSize))
        #expect(result.texts == ["first line", "", "second", "a much longer third line with more text", "x", "last"])
        #expect(result.lines.map(\.byteOffset) == expectedOffsets(lines, terminator: "\n"))
        #expect(result.lines.map(\.number) == Array(1...lines.count))
    }

    @Test("A CRLF split between two blocks still drops the CR")
    func crlfSplitAcrossBlocks() {
        let result = split([Array("one\r".utf8), Array("\ntwo\r".utf8), Array("\n".utf8)])
        #expect(result.texts == ["one", "two"])
    }

    // MARK: The line-length cap

    @Test("Lines over the cap are cut to exactly the cap; the next line is intact")
    func cutLines() {
        let long = String(repeating: "a", count: 25) + String(repeating: "b", count: 25)
        let text = "short\n\(long)\nafter\n\(long)\nend\n"
        let result = split(text, maxLineBytes: 10)
        #expect(result.texts == ["short", "aaaaaaaaaa", "after", "aaaaaaaaaa", "end"])
        #expect(result.lines.map(\.wasCut) == [false, true, false, true, false])
        #expect(result.lines.map(\.byteOffset) == [0, 6, 57, 63, 114])
        #expect(result.cutLineCount == 2)
        #expect(result.firstCut?.line == 2)
        #expect(result.firstCut?.byteOffset == 6)
    }

    @Test("A line exactly at the cap is not cut, CRLF included, whatever the blocks",
          arguments: ["\n", "\r\n"], [1, 3, 11, 12, 1000])
    func lineAtCap(_ terminator: String, _ blockSize: Int) {
        let exact = String(repeating: "x", count: 10)
        let text = "\(exact)\(terminator)next\(terminator)\(exact)\r"
        let result = split(chunks(Array(text.utf8), size: blockSize), maxLineBytes: 10)
        #expect(result.texts == [exact, "next", exact])
        #expect(result.lines.map(\.wasCut) == [false, false, false])
        #expect(result.cutLineCount == 0)
    }

    @Test("One byte over the cap is cut, even when the line ends in CRLF", arguments: [1, 5, 1000])
    func oneOverCap(_ blockSize: Int) {
        let text = "0123456789A\r\nnext\n0123456789\rB\n"
        let result = split(chunks(Array(text.utf8), size: blockSize), maxLineBytes: 10)
        #expect(result.texts == ["0123456789", "next", "0123456789"])
        #expect(result.lines.map(\.wasCut) == [true, false, true])
    }

    @Test("Cut lines spanning blocks are cut to the cap, with the right offsets", arguments: [1, 3, 16, 100])
    func cutLinesAcrossBlocks(_ blockSize: Int) {
        let long = String(repeating: "0123456789", count: 5)
        let text = "ab\n\(long)\ncd\n\(long)"
        let result = split(chunks(Array(text.utf8), size: blockSize), maxLineBytes: 12)
        #expect(result.texts == ["ab", "012345678901", "cd", "012345678901"])
        #expect(result.lines.map(\.wasCut) == [false, true, false, true])
        #expect(result.lines.map(\.byteOffset) == [0, 3, 54, 57])
        #expect(result.cutLineCount == 2)
        #expect(result.firstCut?.line == 2)
        #expect(result.byteCount == Int64(text.utf8.count))
    }

    // MARK: Through the reader

    @Test("Line endings through the reader: LF, CRLF, mixed, no final newline, empty lines")
    func readerLineEndings() throws {
        let dir = try TemporaryDirectory()
        try dir.write("lf.log", "a\nb\n\nc\n")
        try dir.write("crlf.log", "a\r\nb\r\n\r\nc\r\n")
        try dir.write("mixed.log", "a\r\nb\n\r\nc")

        let outcome = readLogs([dir.path("lf.log"), dir.path("crlf.log"), dir.path("mixed.log")])

        #expect(outcome.texts(dir.path("lf.log")) == ["a", "b", "", "c"])
        #expect(outcome.texts(dir.path("crlf.log")) == ["a", "b", "", "c"])
        #expect(outcome.texts(dir.path("mixed.log")) == ["a", "b", "", "c"])
        #expect(outcome.file(dir.path("crlf.log"))?.lines.map(\.byteOffset) == [0, 3, 6, 8])
        #expect(outcome.summary(dir.path("mixed.log"))?.lines == 4)
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("An empty file has no lines and is read")
    func readerEmptyFile() throws {
        let dir = try TemporaryDirectory()
        try dir.write("empty.log", "")

        let outcome = readLogs([dir.path("empty.log")])

        let file = try #require(outcome.file(dir.path("empty.log")))
        #expect(file.lines.isEmpty)
        #expect(file.summary?.status == .read)
        #expect(file.summary?.lines == 0)
    }

    @Test("NUL bytes and invalid UTF-8 survive the reader byte for byte")
    func readerRawBytes() throws {
        let dir = try TemporaryDirectory()
        var bytes: [UInt8] = []
        var expected: [[UInt8]] = []
        for index in 0..<200 {
            var line = Array("line \(index) plain text".utf8)
            if index % 50 == 7 { line += [0x00, 0x41, 0x00] }
            if index % 40 == 3 { line += [0xC3, 0x28, 0xFF, 0xE2, 0x82] }
            expected.append(line)
            bytes += line + [10]
        }
        try dir.write("raw.log", bytes: bytes)
        try dir.shell("gzip -k raw.log")

        let outcome = readLogs([dir.path("raw.log"), dir.path("raw.log.gz")])

        #expect(outcome.file(dir.path("raw.log"))?.lines.map(\.bytes) == expected)
        // The gzip copy holds the same bytes: it is recognised as a duplicate, not read again.
        #expect(outcome.summary(dir.path("raw.log.gz"))?.status == .duplicate)
    }

    @Test("A UTF-8 byte-order mark is dropped; offsets count from after it")
    func readerUTF8BOM() throws {
        let dir = try TemporaryDirectory()
        try dir.write("bom.log", bytes: [0xEF, 0xBB, 0xBF] + Array("first\nsecond\n".utf8))

        let outcome = readLogs([dir.path("bom.log")])

        let file = try #require(outcome.file(dir.path("bom.log")))
        #expect(file.lines.map(\.bytes) == [Array("first".utf8), Array("second".utf8)])
        #expect(file.lines.map(\.byteOffset) == [0, 6])
        #expect(file.file.format.encoding == .utf8)
    }

    @Test("UTF-16 with a byte-order mark is transcoded to UTF-8, surrogate pairs included",
          arguments: [false, true])
    func readerUTF16(_ bigEndian: Bool) throws {
        let dir = try TemporaryDirectory()
        let lines = ["hello wörld", "emoji 😀 (non-BMP)", "", "日本語のログ", "tab\tend"]
        let text = lines.joined(separator: "\r\n") + "\r\n"
        var bytes: [UInt8] = bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]
        for unit in text.utf16 {
            let (high, low) = (UInt8(unit >> 8), UInt8(unit & 0xFF))
            bytes += bigEndian ? [high, low] : [low, high]
        }
        try dir.write("utf16.log", bytes: bytes)

        let outcome = readLogs([dir.path("utf16.log")])

        let file = try #require(outcome.file(dir.path("utf16.log")))
        #expect(file.lines.map(\.bytes) == lines.map { Array($0.utf8) })
        #expect(file.file.format.encoding == (bigEndian ? .utf16BE : .utf16LE))
        #expect(file.file.format.description == (bigEndian ? "plain (utf-16be)" : "plain (utf-16le)"))
        // Offsets count bytes of the UTF-8 the lines were transcoded to.
        #expect(file.lines.map(\.byteOffset) == expectedOffsets(lines, terminator: "\r\n"))
    }

    @Test("UTF-16LE without a byte-order mark is recognised from its NUL pattern")
    func readerUTF16WithoutBOM() throws {
        let dir = try TemporaryDirectory()
        let lines = ["plain ascii in utf-16", "second line"]
        var bytes: [UInt8] = []
        for unit in (lines.joined(separator: "\n") + "\n").utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        try dir.write("nobom.log", bytes: bytes)

        let outcome = readLogs([dir.path("nobom.log")])

        let file = try #require(outcome.file(dir.path("nobom.log")))
        #expect(file.texts == lines)
        #expect(file.file.format.encoding == .utf16LE)
    }

    @Test("Over 1 MiB of UTF-16 with surrogate pairs straddling reader blocks, plain and gzip")
    func readerLargeUTF16() throws {
        let dir = try TemporaryDirectory()
        // After the 2-byte BOM every 4-byte surrogate pair starts at 2 mod 4, so pairs straddle every
        // block boundary that is a multiple of 4 (1 MiB plain blocks, 64 KiB gzip blocks).
        let lines = (0..<6_000).map { "\($0 % 10)" + String(repeating: "😀", count: 50) + "é" }
        var bytes: [UInt8] = [0xFF, 0xFE]
        for unit in (lines.joined(separator: "\n") + "\n").utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        #expect(bytes.count > 1 << 20)
        try dir.write("a/wide.log", bytes: bytes)
        try dir.write("b/wide.log", bytes: bytes + [0x0A, 0x00])     // one more (empty) line: not a duplicate
        try dir.shell("gzip b/wide.log")

        let outcome = readLogs([dir.path("a/wide.log"), dir.path("b/wide.log.gz")])

        let plain = try #require(outcome.file(dir.path("a/wide.log")))
        #expect(plain.texts == lines)
        #expect(plain.lines.map(\.byteOffset) == expectedOffsets(lines, terminator: "\n"))
        let compressed = try #require(outcome.file(dir.path("b/wide.log.gz")))
        #expect(compressed.texts == lines + [""])
        #expect(compressed.file.format.description == "gzip (utf-16le)")
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("UTF-16 transcoding carries surrogate pairs and code units split across blocks")
    func transcoderAcrossBlocks() {
        let text = "a😀b\n𝄞\n"
        var bytes: [UInt8] = []
        for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
        for size in 1...5 {
            var transcoder = UTF16Transcoder(bigEndian: false)
            var output: [UInt8] = []
            for block in chunks(bytes, size: size) {
                block.withUnsafeBytes { output += Array(transcoder.transcode($0)) }
            }
            output += Array(transcoder.finish())
            #expect(output == Array(text.utf8), "block size \(size)")
        }
    }

    @Test("An unpaired surrogate or odd trailing byte becomes U+FFFD")
    func transcoderRepairs() {
        var transcoder = UTF16Transcoder(bigEndian: false)
        var output: [UInt8] = []
        let lone: [UInt8] = [0x41, 0x00, 0x00, 0xDC, 0x42, 0x00, 0x3D, 0xD8]   // A, lone low, B, lone high
        lone.withUnsafeBytes { output += Array(transcoder.transcode($0)) }
        output += Array(transcoder.finish())
        #expect(output == Array("A\u{FFFD}B\u{FFFD}".utf8))
    }

    @Test("Long lines are cut to exactly maxLineBytes with one warning naming the first")
    func readerLongLines() throws {
        let dir = try TemporaryDirectory()
        let cap = 100
        let long = String(repeating: "L", count: 250)
        let lines = ["short one", long, "right after", String(repeating: "M", count: 5000), "end"]
        try dir.write("long.log", lines: lines)

        let outcome = readLogs([dir.path("long.log")], settings: settings { $0.maxLineBytes = cap })

        let file = try #require(outcome.file(dir.path("long.log")))
        #expect(file.lines.map(\.bytes.count) == [9, cap, 11, cap, 3])
        #expect(file.lines[1].bytes == Array(long.utf8.prefix(cap)))
        #expect(file.lines.map(\.wasCut) == [false, true, false, true, false])
        #expect(file.texts[2] == "right after")
        #expect(file.lines.map(\.byteOffset) == expectedOffsets(lines, terminator: "\n"))
        #expect(file.summary?.cutLines == 2)
        #expect(file.summary?.status == .read)
        let warnings = outcome.diagnostics(.lineTooLong)
        #expect(warnings.count == 1)
        let warning = try #require(warnings.first)
        #expect(warning.severity == .warning)
        #expect(warning.file == dir.path("long.log"))
        #expect(warning.line == 2)
        #expect(warning.byteOffset == 10)
    }

    @Test("Content over 1 MiB: lines spanning reader blocks are intact, numbers and offsets exact")
    func readerLargeContent() throws {
        let dir = try TemporaryDirectory()
        // Lines of varying length so block boundaries fall inside lines.
        let lines = (0..<40_000).map { index in
            "\(index) " + String(repeating: "abcdefghij", count: index % 13) + " end \(index)"
        }
        let size = lines.reduce(0) { $0 + $1.utf8.count + 1 }
        #expect(size > 2 << 20)
        try dir.write("big.log", lines: lines)
        try dir.write("big2.log", lines: lines.map { "copy " + $0 })
        try dir.shell("gzip big2.log")

        let outcome = readLogs([dir.path("big.log"), dir.path("big2.log.gz")])

        for (name, expected) in [("big.log", lines), ("big2.log.gz", lines.map { "copy " + $0 })] {
            let file = try #require(outcome.file(dir.path(name)))
            #expect(file.texts == expected, "\(name)")
            #expect(file.lines.map(\.number) == Array(1...expected.count))
            #expect(file.lines.map(\.byteOffset) == expectedOffsets(expected, terminator: "\n"))
            #expect(file.summary?.bytes == Int64(expected.reduce(0) { $0 + $1.utf8.count + 1 }))
        }
    }
}
