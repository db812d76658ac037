import Foundation
import Testing
@testable import FaultlineCore

/// Bad inputs become diagnostics; every test puts a good file next to the bad one and checks it was read.
@Suite("Bad input never stops a batch")
struct BadInputTests {
    let goodLines = logLines("good", count: 12)

    /// Writes `good.log` and returns its path.
    private func writeGood(_ dir: TemporaryDirectory, _ relative: String = "good.log") throws -> String {
        try dir.write(relative, lines: goodLines)
    }

    private func expectGoodRead(_ outcome: ReadOutcome, _ path: String,
                                sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(outcome.texts(path) == goodLines, sourceLocation: sourceLocation)
        #expect(outcome.summary(path)?.status == .read, sourceLocation: sourceLocation)
    }

    /// Overwrites `bytes` at `offset` in the file at `relative`.
    private func patch(_ dir: TemporaryDirectory, _ relative: String, at offset: Int, with bytes: [UInt8]) throws {
        var data = try dir.read(relative)
        data.replaceSubrange(offset..<offset + bytes.count, with: bytes)
        try dir.write(relative, bytes: data)
    }

    // MARK: Damaged compressed streams

    @Test("A compressed file damaged before its first complete block is damaged input, not unreadable")
    func damagedAtTheStart() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir)
        try dir.write("app.log", lines: logLines("lost", count: 500))
        try dir.shell("bzip2 app.log")
        let compressed = try dir.read("app.log.bz2")
        try dir.write("app.log.bz2", bytes: Array(compressed.prefix(100)))

        let outcome = readLogs([dir.path("app.log.bz2"), good])

        expectGoodRead(outcome, good)
        #expect(outcome.diagnostics(.damagedInput, file: dir.path("app.log.bz2")).count == 1)
        #expect(outcome.diagnostics(.unreadable).isEmpty)
    }

    @Test("A file of NUL bytes, which libarchive reads as an empty tar, gets a note")
    func onlyNulBytes() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir)
        try dir.write("zeros.log", bytes: [UInt8](repeating: 0, count: 10_240))

        let outcome = readLogs([dir.path("zeros.log"), good])

        expectGoodRead(outcome, good)
        #expect(outcome.summary(dir.path("zeros.log"))?.lines == 0)
        #expect(outcome.diagnostics(.emptyArchive, file: dir.path("zeros.log")).count == 1)
    }

    @Test("A truncated compressed file yields the lines before the damage, an error and status partial",
          arguments: [("gz", "gzip -k"), ("bz2", "bzip2 -1 -k"), ("xz", "xz -k"), ("zst", "zstd -q")])
    func truncatedStream(_ suffix: String, _ compress: String) throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir)
        // Varied lines that do not compress too well, so half the compressed file holds many of them
        // (bzip2 -1 makes 100 kB blocks: a bzip2 block is decoded whole or not at all).
        let original = (0..<20_000).map { "\($0) " + pseudoRandomLetters(count: 24, seed: UInt64($0)) }
        try dir.write("app.log", lines: original)
        try dir.shell("\(compress) app.log")
        let compressed = try dir.read("app.log.\(suffix)")
        try dir.write("app.log.\(suffix)", bytes: Array(compressed.prefix(compressed.count / 2)))
        let damaged = dir.path("app.log.\(suffix)")

        let outcome = readLogs([damaged, good])

        expectGoodRead(outcome, good)
        let file = try #require(outcome.file(damaged))
        let lines = file.texts
        #expect(lines.count > 1000, "half the compressed file should hold many lines")
        #expect(lines.count < original.count)
        // Every complete line is the original's; the last one may stop mid-line at the damage.
        #expect(Array(lines.dropLast()) == Array(original.prefix(lines.count - 1)))
        if let last = lines.last { #expect(original[lines.count - 1].hasPrefix(last)) }
        #expect(file.summary?.status == .partial)
        let error = try #require(outcome.diagnostics(.damagedInput, file: damaged).first)
        #expect(error.severity == .error)
        let line = try #require(error.line)
        let offset = try #require(error.byteOffset)
        // The damage is at the start of the line being read when the data stopped: the partial last line,
        // or the line after the last one when the data stopped right after a newline.
        #expect(line == lines.count || line == lines.count + 1)
        #expect(offset == Int64(original.prefix(line - 1).reduce(0) { $0 + $1.utf8.count + 1 }))
    }

    @Test("A truncated .tar.gz keeps the members before the damage and reports it")
    func truncatedTarGz() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir)
        try dir.write("a/first.log", lines: logLines("first", count: 100))
        try dir.write("a/second.log", lines: (0..<4_000).map { pseudoRandomLetters(count: 50, seed: UInt64($0)) })
        try dir.shell("tar -czf logs.tar.gz a/first.log a/second.log")
        let compressed = try dir.read("logs.tar.gz")
        try dir.write("logs.tar.gz", bytes: Array(compressed.prefix(compressed.count * 3 / 4)))
        let archive = dir.path("logs.tar.gz")

        let outcome = readLogs([archive, good])

        expectGoodRead(outcome, good)
        #expect(outcome.texts(archive + "!/a/first.log") == logLines("first", count: 100))
        #expect(outcome.summary(archive + "!/a/second.log")?.status == .partial)
        #expect(!outcome.diagnostics(.damagedInput).isEmpty)
        #expect(outcome.diagnostics(.damagedInput).allSatisfy { $0.severity == .error })
    }

    // MARK: Damaged archives

    @Test("A tar whose second header is corrupt keeps the first member and reports the damage")
    func corruptSecondTarHeader() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir)
        let first = logLines("first member", count: 30)       // well under 512 * 8 bytes
        try dir.write("t/first.log", lines: first)
        try dir.write("t/second.log", lines: logLines("second member", count: 30))
        try dir.write("t/third.log", lines: logLines("third member", count: 30))
        try dir.shell("tar --format=ustar -cf logs.tar t/first.log t/second.log t/third.log")
        let firstSize = first.reduce(0) { $0 + $1.utf8.count + 1 }
        let secondHeader = 512 + (firstSize + 511) / 512 * 512
        // Garbage over the name, mode and size fields breaks the header checksum.
        try patch(dir, "logs.tar", at: secondHeader, with: Array(repeating: 0x5A, count: 140))
        let archive = dir.path("logs.tar")

        let outcome = readLogs([archive, good])

        expectGoodRead(outcome, good)
        #expect(outcome.texts(archive + "!/t/first.log") == first)
        #expect(outcome.summary(archive + "!/t/first.log")?.status == .read)
        let problems = outcome.diagnostics(about: archive)
        #expect(!problems.isEmpty, "the corrupt header must be reported")
        #expect(problems.contains { $0.code == .archiveWarning && $0.message.contains("Damaged tar archive") })
        // libarchive skips to the next readable header, so the member after the damaged one is recovered.
        #expect(outcome.texts(archive + "!/t/third.log") == logLines("third member", count: 30))
        #expect(outcome.file(archive + "!/t/second.log") == nil)
        // Nothing made of header bytes is delivered as log lines.
        #expect(outcome.files.allSatisfy { file in file.lines.allSatisfy { !$0.bytes.contains(0) } })
    }

    @Test("A tar.gz whose first header is corrupt is a damaged archive, not raw text")
    func corruptFirstTarGzHeader() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir)
        try dir.write("t/app.log", lines: logLines("member", count: 50))
        try dir.shell("tar --format=ustar -cf logs.tar t/app.log")
        try patch(dir, "logs.tar", at: 148, with: Array("9999999".utf8))   // the checksum field
        try dir.shell("gzip logs.tar")
        let archive = dir.path("logs.tar.gz")

        let outcome = readLogs([archive, good])

        expectGoodRead(outcome, good)
        let error = try #require(outcome.diagnostics(.damagedArchive, file: archive).first)
        #expect(error.severity == .error)
        #expect(outcome.file(archive) == nil, "no lines of a damaged archive are delivered")
        #expect(outcome.summary(archive)?.status == .binary)
    }

    @Test("A zip with a corrupt member reports it and still reads the other members")
    func corruptZipMember() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir)
        let first = logLines("zip first", count: 2000)
        try dir.write("z/first.log", lines: first)
        try dir.write("z/second.log", lines: logLines("zip second", count: 2000))
        try dir.shell("zip -q logs.zip z/first.log z/second.log")
        let zip = try dir.read("logs.zip")
        // Damage the middle of the second member's deflate data (the first member sits at the start).
        let secondHeader = try #require(zip.indices.last { index in
            index + 4 <= zip.count && zip[index..<index + 4] == [0x50, 0x4B, 0x03, 0x04]
        })
        let damageAt = secondHeader + 200
        try patch(dir, "logs.zip", at: damageAt, with: Array(repeating: 0xFF, count: 64))
        let archive = dir.path("logs.zip")

        let outcome = readLogs([archive, good])

        expectGoodRead(outcome, good)
        #expect(outcome.texts(archive + "!/z/first.log") == first)
        #expect(!outcome.diagnostics(about: archive).isEmpty)
    }

    // MARK: Paths

    @Test("A missing path is notFound; the other inputs are read")
    func missingPath() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir)
        let missing = dir.path("nope.log")

        let outcome = readLogs([missing, good, dir.path("*.nomatch")])

        expectGoodRead(outcome, good)
        let errors = outcome.diagnostics(.notFound)
        #expect(errors.map(\.file) == [missing, dir.path("*.nomatch")])
        #expect(errors.allSatisfy { $0.severity == .error })
        #expect(outcome.names == [good])
    }

    @Test("A directory entry pointing nowhere is reported unreadable")
    func danglingLinkInDirectory() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir, "logs/good.log")
        try dir.symlink("logs/gone.log", to: dir.path("does-not-exist.log"))

        let outcome = readLogs([dir.path("logs")])

        expectGoodRead(outcome, good)
        let error = try #require(outcome.diagnostics(.unreadable, file: dir.path("logs/gone.log")).first)
        #expect(error.severity == .error)
    }

    @Test("A file without read permission is reported unreadable",
          .disabled(if: runningAsRoot, "root reads any file whatever its mode; covered by the dangling link test"))
    func unreadableFile() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir)
        let locked = try dir.write("locked.log", lines: ["secret"])
        try FileManager.default.setAttributes([.posixPermissions: 0], ofItemAtPath: locked)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: locked) }

        let outcome = readLogs([locked, good])

        expectGoodRead(outcome, good)
        #expect(outcome.diagnostics(.unreadable, file: locked).count == 1)
    }

    @Test("A symbolic link back to a parent directory is a symlinkLoop warning, not endless recursion")
    func symlinkLoopInDirectory() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir, "logs/sub/good.log")
        try dir.symlink("logs/sub/loop", to: "..")
        try dir.symlink("logs/self", to: "self")    // a link to itself: ELOOP

        let outcome = readLogs([dir.path("logs")])

        expectGoodRead(outcome, good)
        #expect(outcome.names == [good])
        let loops = outcome.diagnostics(.symlinkLoop)
        #expect(Set(loops.compactMap(\.file)) == [dir.path("logs/sub/loop"), dir.path("logs/self")])
        #expect(loops.allSatisfy { $0.severity == .warning })
    }

    // MARK: Binary files

    @Test("Binary files are skipped with binarySkipped")
    func binaryFiles() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir, "logs/good.log")
        try dir.write("logs/random.log", bytes: pseudoRandomBytes(count: 100_000))
        try dir.shell("cp /bin/true logs/true.log")
        try dir.write("logs/image.log", bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array("IHDR".utf8))
        try dir.shell("gzip -c logs/true.log > logs/true.log.gz")

        let outcome = readLogs([dir.path("logs")])

        expectGoodRead(outcome, good)
        #expect(outcome.names == [good])
        for name in ["random.log", "true.log", "image.log", "true.log.gz"] {
            let path = dir.path("logs/" + name)
            #expect(outcome.summary(path)?.status == .binary, "\(name)")
            #expect(outcome.diagnostics(.binarySkipped, file: path).count == 1, "\(name)")
        }
        #expect(outcome.diagnostics(.binarySkipped).allSatisfy { $0.severity == .warning })
    }

    // MARK: Decompression bombs and caps

    @Test("A member bigger than maxMemberBytes is read up to the cap with memberTooLarge")
    func memberTooLarge() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir)
        let lines = (0..<100_000).map { "bomb line \($0) " + String(repeating: "z", count: 40) }
        try dir.write("bomb.log", lines: lines)
        try dir.shell("gzip bomb.log")
        let bomb = dir.path("bomb.log.gz")
        let cap: Int64 = 512 << 10

        let outcome = readLogs([bomb, good], settings: settings { $0.maxMemberBytes = cap })

        expectGoodRead(outcome, good)
        let file = try #require(outcome.file(bomb))
        #expect(file.summary?.status == .partial)
        let delivered = try #require(file.summary?.bytes)
        #expect(delivered > 0 && delivered <= cap)
        #expect(file.texts.count > 1000)
        #expect(Array(file.texts.dropLast()) == Array(lines.prefix(file.texts.count - 1)))
        let warning = try #require(outcome.diagnostics(.memberTooLarge, file: bomb).first)
        #expect(warning.severity == .warning)
    }

    @Test("A plain file bigger than maxMemberBytes is cut at the cap too")
    func plainFileTooLarge() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir)
        let lines = (0..<100_000).map { "plain line \($0) " + String(repeating: "q", count: 40) }
        let big = try dir.write("big.log", lines: lines)
        let cap: Int64 = 100 << 10

        let outcome = readLogs([big, good], settings: settings { $0.maxMemberBytes = cap })

        expectGoodRead(outcome, good)
        let file = try #require(outcome.file(big))
        #expect(file.summary?.status == .partial)
        #expect(file.summary?.bytes == cap)
        // Whole lines up to the cap, then the start of the line the cap fell in.
        let texts = file.texts
        #expect(Array(texts.dropLast()) == Array(lines.prefix(texts.count - 1)))
        #expect(lines[texts.count - 1].hasPrefix(texts.last ?? "-"))
        #expect(texts.reduce(0) { $0 + $1.utf8.count + 1 } - 1 <= cap)
        #expect(outcome.diagnostics(.memberTooLarge, file: big).count == 1)
    }

    @Test("A highly compressible file trips the compression-ratio check; lines before it are delivered")
    func compressionRatio() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir)
        let line = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        try dir.write("ratio.log", String(repeating: line + "\n", count: 200_000))
        try dir.shell("gzip -9 ratio.log")
        let bomb = dir.path("ratio.log.gz")

        let outcome = readLogs([bomb, good], settings: settings {
            $0.maxCompressionRatio = 20
            // gzip hands out 64 KiB blocks: the first three pass, the fourth trips the check.
            $0.ratioCheckAfterBytes = 256 << 10
        })

        expectGoodRead(outcome, good)
        let file = try #require(outcome.file(bomb))
        #expect(file.summary?.status == .partial)
        #expect(file.texts.count > 0 && file.texts.count < 200_000)
        #expect(file.texts.dropLast().allSatisfy { $0 == line })
        let warning = try #require(outcome.diagnostics(.compressionRatio, file: bomb).first)
        #expect(warning.severity == .warning)
    }

    @Test("A bomb inside a tar.gz trips the ratio check for that member; the next member is not lost")
    func compressionRatioInArchive() throws {
        let dir = try TemporaryDirectory()
        try dir.write("t/bomb.log", String(repeating: String(repeating: "C", count: 99) + "\n", count: 100_000))
        try dir.write("t/small.log", lines: ["after the bomb"])
        try dir.shell("tar -cf - t/bomb.log t/small.log | gzip -9 > t.tar.gz")
        let archive = dir.path("t.tar.gz")

        let outcome = readLogs([archive], settings: settings {
            $0.maxCompressionRatio = 20
            $0.ratioCheckAfterBytes = 256 << 10
        })

        let bomb = archive + "!/t/bomb.log"
        #expect(outcome.summary(bomb)?.status == .partial)
        #expect(outcome.diagnostics(.compressionRatio, file: bomb).count == 1)
        let lines = try #require(outcome.file(bomb)?.texts)
        #expect(lines.count > 0 && lines.count < 100_000)
        #expect(outcome.texts(archive + "!/t/small.log") == ["after the bomb"])
    }

    @Test("Small files never trip the ratio check before ratioCheckAfterBytes")
    func ratioCheckWaits() throws {
        let dir = try TemporaryDirectory()
        try dir.write("small.log", String(repeating: "B", count: 30_000) + "\n")
        try dir.shell("gzip -9 small.log")

        let outcome = readLogs([dir.path("small.log.gz")], settings: settings {
            $0.maxCompressionRatio = 2
            $0.ratioCheckAfterBytes = 64 << 10
        })

        #expect(outcome.summary(dir.path("small.log.gz"))?.status == .read)
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("Archives nested deeper than maxArchiveDepth give nestingTooDeep; shallower members are read")
    func nestingTooDeep() throws {
        let dir = try TemporaryDirectory()
        let good = try writeGood(dir)
        try dir.write("deep.log", lines: ["too deep"])
        try dir.write("mid.log", lines: ["middle"])
        try dir.shell("tar -cf inner.tar deep.log && tar -cf middle.tar inner.tar mid.log && tar -czf outer.tar.gz middle.tar")
        let outer = dir.path("outer.tar.gz")

        let limited = readLogs([outer, good], settings: settings { $0.maxArchiveDepth = 2 })

        expectGoodRead(limited, good)
        #expect(limited.texts(outer + "!/middle.tar!/mid.log") == ["middle"])
        #expect(limited.file(outer + "!/middle.tar!/inner.tar!/deep.log") == nil)
        let warning = try #require(limited.diagnostics(.nestingTooDeep).first)
        #expect(warning.file == outer + "!/middle.tar!/inner.tar")
        #expect(warning.severity == .warning)

        let unlimited = readLogs([outer], settings: settings { $0.maxArchiveDepth = 3 })
        #expect(unlimited.texts(outer + "!/middle.tar!/inner.tar!/deep.log") == ["too deep"])
        #expect(unlimited.file(outer + "!/middle.tar!/inner.tar!/deep.log")?.file.format.layers
                == ["gzip", "tar", "tar", "tar"])
        #expect(unlimited.diagnostics(.nestingTooDeep).isEmpty)
    }
}
