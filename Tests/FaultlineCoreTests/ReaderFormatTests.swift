import Foundation
import Testing
@testable import FaultlineCore

/// One way of storing `app/app.log`: the command that makes the input from it, and what the reader must report.
struct FormatCase: Sendable, CustomTestStringConvertible {
    /// The input file the command creates, relative to the fixture directory.
    var input: String
    /// A shell command run in the fixture directory, which holds `app/app.log`.
    var command: String
    /// The member path for an archive, `nil` for a single (possibly compressed) stream.
    var member: String?
    var layers: [String]

    var testDescription: String { input }

    static let all: [FormatCase] = [
        FormatCase(input: "app/app.log", command: "true", member: nil, layers: []),
        FormatCase(input: "app/app.log.gz", command: "gzip -k app/app.log", member: nil, layers: ["gzip"]),
        FormatCase(input: "app/app.log.bz2", command: "bzip2 -k app/app.log", member: nil, layers: ["bzip2"]),
        FormatCase(input: "app/app.log.xz", command: "xz -k app/app.log", member: nil, layers: ["xz"]),
        FormatCase(input: "app/app.log.zst", command: "zstd -q app/app.log -o app/app.log.zst", member: nil,
                   layers: ["zstd"]),
        FormatCase(input: "app/app.log.lz4", command: "lz4 -q app/app.log app/app.log.lz4", member: nil,
                   layers: ["lz4"]),
        FormatCase(input: "logs.tar", command: "tar -cf logs.tar app/app.log", member: "app/app.log",
                   layers: ["tar"]),
        FormatCase(input: "logs.tar.gz", command: "tar -czf logs.tar.gz app/app.log", member: "app/app.log",
                   layers: ["gzip", "tar"]),
        FormatCase(input: "logs.tgz", command: "tar -czf logs.tgz app/app.log", member: "app/app.log",
                   layers: ["gzip", "tar"]),
        FormatCase(input: "logs.tar.zst", command: "tar --zstd -cf logs.tar.zst app/app.log", member: "app/app.log",
                   layers: ["zstd", "tar"]),
        FormatCase(input: "logs.zip", command: "zip -q logs.zip app/app.log", member: "app/app.log",
                   layers: ["zip"]),
        FormatCase(input: "logs.7z", command: "bsdtar --format 7zip -cf logs.7z app/app.log", member: "app/app.log",
                   layers: ["7zip"]),
        FormatCase(input: "logs.cpio", command: "bsdtar --format cpio -cf logs.cpio app/app.log", member: "app/app.log",
                   layers: ["cpio"]),
        FormatCase(input: "logs.tar.xz", command: "tar -cJf logs.tar.xz app/app.log", member: "app/app.log",
                   layers: ["xz", "tar"]),
    ]
}

@Suite("Reading every supported format")
struct ReaderFormatTests {
    let content = logLines("format", count: 300)

    @Test("Each format is read with exact lines and its layers", arguments: FormatCase.all)
    func readsFormat(_ format: FormatCase) throws {
        let dir = try TemporaryDirectory()
        try dir.write("app/app.log", lines: content)
        try dir.shell(format.command)

        let outcome = readLogs([dir.path(format.input)])

        let expectedName = dir.path(format.input) + (format.member.map { "!/" + $0 } ?? "")
        #expect(outcome.names == [expectedName])
        let file = try #require(outcome.file(expectedName))
        #expect(file.texts == content)
        #expect(file.lines.map(\.number) == Array(1...content.count))
        #expect(file.file.format.layers == format.layers)
        #expect(file.file.format.description == (format.layers.isEmpty ? "plain" : format.layers.joined(separator: "+")))
        #expect(file.file.format.encoding == .utf8)
        let summary = try #require(file.summary)
        #expect(summary.status == .read)
        #expect(summary.lines == content.count)
        #expect(summary.bytes == Int64(content.map { $0.utf8.count + 1 }.reduce(0, +)))
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
        #expect(outcome.protocolErrors.isEmpty)
    }

    @Test("Concatenated gzip members are all read, like zcat")
    func multiMemberGzip() throws {
        let dir = try TemporaryDirectory()
        let first = logLines("first member", count: 40)
        let second = logLines("second member", count: 25)
        let third = ["third member, no trailing newline"]
        try dir.write("a.log", lines: first)
        try dir.write("b.log", lines: second)
        try dir.write("c.log", third[0])
        try dir.shell("gzip -c a.log > a.gz && gzip -c b.log > b.gz && gzip -c c.log > c.gz")
        try dir.shell("cat a.gz b.gz c.gz > all.log.gz")

        let outcome = readLogs([dir.path("all.log.gz")])

        let file = try #require(outcome.file(dir.path("all.log.gz")))
        #expect(file.texts == first + second + third)
        #expect(file.file.format.layers == ["gzip"])
        #expect(file.summary?.status == .read)
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("A .gz member of a .tar.gz is decompressed too: gzip+tar+gzip")
    func nestedGzipInTarGz() throws {
        let dir = try TemporaryDirectory()
        let lines = logLines("rotated", count: 120)
        try dir.write("dir/app.log.2", lines: lines)
        try dir.shell("gzip dir/app.log.2 && tar -czf x.tar.gz dir/app.log.2.gz")

        let outcome = readLogs([dir.path("x.tar.gz")])

        let name = dir.path("x.tar.gz") + "!/dir/app.log.2.gz"
        #expect(outcome.names == [name])
        let file = try #require(outcome.file(name))
        #expect(file.texts == lines)
        #expect(file.file.format.layers == ["gzip", "tar", "gzip"])
        #expect(file.file.format.description == "gzip+tar+gzip")
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("A .gz inside a zip is named zip+gzip")
    func gzipInsideZip() throws {
        let dir = try TemporaryDirectory()
        let lines = logLines("zipped", count: 10)
        try dir.write("logs/app.log.1", lines: lines)
        try dir.shell("gzip logs/app.log.1 && zip -q bundle.zip logs/app.log.1.gz")

        let outcome = readLogs([dir.path("bundle.zip")])

        let file = try #require(outcome.file(dir.path("bundle.zip") + "!/logs/app.log.1.gz"))
        #expect(file.texts == lines)
        #expect(file.file.format.description == "zip+gzip")
    }

    @Test("Archive members are named archive!/member and read in archive order")
    func memberNaming() throws {
        let dir = try TemporaryDirectory()
        try dir.write("app/app.log.3", lines: ["three"])
        try dir.write("db/db.log", lines: ["db"])
        try dir.write("web/access.log", lines: ["web"])
        // Directories are added recursively; their directory entries must be skipped.
        try dir.shell("tar -czf logs.tar.gz app db web")

        let outcome = readLogs([dir.path("logs.tar.gz")])

        let archive = dir.path("logs.tar.gz")
        #expect(outcome.names == [archive + "!/app/app.log.3", archive + "!/db/db.log", archive + "!/web/access.log"])
        #expect(outcome.names.first?.hasSuffix("logs.tar.gz!/app/app.log.3") == true)
        #expect(outcome.texts(archive + "!/app/app.log.3") == ["three"])
        #expect(outcome.texts(archive + "!/web/access.log") == ["web"])
    }

    @Test("Non-ASCII and spaced member names of a pax tar come through as UTF-8, without warnings")
    func unicodeMemberNames() throws {
        let dir = try TemporaryDirectory()
        try dir.write("dïr/ünïcode log.log", lines: ["ok"])
        try dir.shell("tar --format=pax -czf names.tar.gz 'dïr/ünïcode log.log'")

        let outcome = readLogs([dir.path("names.tar.gz")])

        #expect(outcome.names == [dir.path("names.tar.gz") + "!/dïr/ünïcode log.log"])
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("An empty member of an archive is read with no lines")
    func emptyMember() throws {
        let dir = try TemporaryDirectory()
        try dir.write("t/empty.log", "")
        try dir.write("t/full.log", lines: ["content"])
        try dir.shell("tar -cf t.tar t/empty.log t/full.log")

        let outcome = readLogs([dir.path("t.tar")])

        let empty = try #require(outcome.summary(dir.path("t.tar") + "!/t/empty.log"))
        #expect(empty.status == .read)
        #expect(empty.lines == 0)
        #expect(outcome.texts(dir.path("t.tar") + "!/t/full.log") == ["content"])
    }

    @Test("gzip data named .log is recognised from its content")
    func gzipNamedLog() throws {
        let dir = try TemporaryDirectory()
        let lines = logLines("disguised", count: 50)
        try dir.write("source.log", lines: lines)
        try dir.shell("gzip -c source.log > app.log && rm source.log")

        let outcome = readLogs([dir.path("app.log")])

        let file = try #require(outcome.file(dir.path("app.log")))
        #expect(file.texts == lines)
        #expect(file.file.format.layers == ["gzip"])
    }

    @Test("Plain text named .gz is read as plain text")
    func plainTextNamedGz() throws {
        let dir = try TemporaryDirectory()
        let lines = logLines("not compressed", count: 5)
        try dir.write("foo.gz", lines: lines)

        let outcome = readLogs([dir.path("foo.gz")])

        let file = try #require(outcome.file(dir.path("foo.gz")))
        #expect(file.texts == lines)
        #expect(file.file.format.layers == [])
        #expect(file.file.format.description == "plain")
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("Empty plain and empty compressed files are read with no lines")
    func emptyFiles() throws {
        let dir = try TemporaryDirectory()
        try dir.write("empty.log", "")
        try dir.write("empty2.log", "")
        try dir.shell("gzip empty2.log")

        let outcome = readLogs([dir.path("empty.log"), dir.path("empty2.log.gz")])

        for name in [dir.path("empty.log"), dir.path("empty2.log.gz")] {
            let summary = try #require(outcome.summary(name))
            #expect(summary.status == .read)
            #expect(summary.lines == 0)
            #expect(summary.bytes == 0)
            #expect(outcome.texts(name) == [])
        }
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("A text file that is a single hash line is not mistaken for an mtree archive")
    func singleLineNotMtree() throws {
        let dir = try TemporaryDirectory()
        let line = "da39a3ee5e6b4b0d3255bfef95601890afd80709"
        try dir.write("sum.txt", lines: [line])
        try dir.write("data.csv", lines: ["a,b,c", "1,2,3", "4,5,6"])
        try dir.shell("gzip data.csv")

        let outcome = readLogs([dir.path("sum.txt"), dir.path("data.csv.gz")])

        #expect(outcome.texts(dir.path("sum.txt")) == [line])
        #expect(outcome.texts(dir.path("data.csv.gz")) == ["a,b,c", "1,2,3", "4,5,6"])
    }
}

@Suite("The same content read once")
struct DuplicateContentTests {
    @Test("The same content plain and gzip-compressed is read once; the second is a duplicate")
    func plainAndGzip() throws {
        let dir = try TemporaryDirectory()
        let lines = logLines("shared", count: 100)
        let plain = try dir.write("a/app.log", lines: lines)
        try dir.write("b/app.log", lines: lines)
        try dir.shell("gzip b/app.log")
        let compressed = dir.path("b/app.log.gz")

        let outcome = readLogs([compressed, plain])

        #expect(outcome.names == [plain])
        #expect(outcome.texts(plain) == lines)
        #expect(outcome.file(compressed) == nil, "a duplicate's lines are not delivered")
        let original = try #require(outcome.summary(plain))
        let duplicate = try #require(outcome.summary(compressed))
        #expect(duplicate.status == .duplicate)
        #expect(duplicate.duplicateOf == plain)
        #expect(duplicate.contentID == original.contentID)
        #expect(duplicate.bytes == original.bytes)
        #expect(duplicate.file.format.layers == ["gzip"])
        let note = try #require(outcome.diagnostics(.duplicateContent, file: compressed).first)
        #expect(note.severity == .note)
        #expect(note.message.contains(plain))
        #expect(outcome.report.diagnostics.count == 1)
    }

    @Test("Large identical content (over the 64 KiB prefix) in zstd and in a tar.gz is read once")
    func largeDuplicates() throws {
        let dir = try TemporaryDirectory()
        let lines = logLines("big shared", count: 20_000)
        let plain = try dir.write("a/app.log", lines: lines)
        try dir.write("b/app.log", lines: lines)
        try dir.shell("zstd -q --rm b/app.log && mkdir c && cp a/app.log c/app.log && tar -czf c.tar.gz c/app.log")
        let zst = dir.path("b/app.log.zst")
        let member = dir.path("c.tar.gz") + "!/c/app.log"

        let outcome = readLogs([plain, zst, dir.path("c.tar.gz")])

        #expect(outcome.names == [plain])
        #expect(outcome.texts(plain) == lines)
        #expect(outcome.summary(zst)?.status == .duplicate)
        #expect(outcome.summary(zst)?.duplicateOf == plain)
        #expect(outcome.summary(member)?.status == .duplicate)
        #expect(outcome.summary(member)?.duplicateOf == plain)
        #expect(outcome.diagnostics(.duplicateContent).count == 2)
    }

    @Test("Same first 64 KiB, different later content: both are read fully", arguments: [false, true])
    func samePrefixDifferentContent(_ compressSecond: Bool) throws {
        let dir = try TemporaryDirectory()
        let prefix = logLines("common prefix", count: 2_000)       // about 110 KB, beyond the 64 KiB prefix
        #expect(prefix.reduce(0) { $0 + $1.utf8.count + 1 } > 64 << 10)
        // Equal sizes too: only the content after the prefix tells the files apart.
        let first = prefix + logLines("tail AAAA", count: 300)
        let second = prefix + logLines("tail BBBB", count: 300)
        let firstPath = try dir.write("a/app.log", lines: first)
        var secondPath = try dir.write("b/app.log", lines: second)
        if compressSecond {
            try dir.shell("gzip b/app.log")
            secondPath += ".gz"
        }

        let outcome = readLogs([firstPath, secondPath])

        #expect(outcome.names == [firstPath, secondPath])
        #expect(outcome.texts(firstPath) == first)
        #expect(outcome.texts(secondPath) == second)
        #expect(outcome.file(secondPath)?.lines.map(\.number) == Array(1...second.count))
        #expect(outcome.summary(firstPath)?.lines == first.count)
        #expect(outcome.summary(secondPath)?.lines == second.count)
        #expect(outcome.summary(secondPath)?.status == .read)
        #expect(outcome.summary(firstPath)?.contentID != outcome.summary(secondPath)?.contentID)
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("A same-size copy with one byte changed after the prefix (a redacted copy) is read too")
    func oneByteDifference() throws {
        let dir = try TemporaryDirectory()
        let lines = logLines("redact me", count: 3_000)
        var redacted = lines
        // A byte well past the 64 KiB prefix, away from any 32-byte sampling stripe a cheaper identity might use.
        let target = 2_400
        redacted[target] = String(redacted[target].dropLast()) + "X"
        #expect(redacted[target].utf8.count == lines[target].utf8.count)
        let original = try dir.write("a/app.log", lines: lines)
        let copy = try dir.write("b/app.log", lines: redacted)

        let outcome = readLogs([original, copy])

        #expect(outcome.summary(copy)?.status == .read)
        #expect(outcome.texts(copy) == redacted)
        #expect(outcome.diagnostics(.duplicateContent).isEmpty)
    }

    @Test("A file whose content is a prefix of another's is not a duplicate")
    func prefixIsNotDuplicate() throws {
        let dir = try TemporaryDirectory()
        let lines = logLines("growing", count: 3_000)
        let short = try dir.write("a/app.log", lines: Array(lines.prefix(2_500)))
        let long = try dir.write("b/app.log", lines: lines)

        let outcome = readLogs([short, long])

        #expect(outcome.texts(short) == Array(lines.prefix(2_500)))
        #expect(outcome.texts(long) == lines)
    }

    @Test("The same file named twice is read once")
    func sameFileNamedTwice() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("app.log", lines: ["once"])

        let outcome = readLogs([path, path, dir.path("./app.log")])

        #expect(outcome.names == [path])
        #expect(outcome.report.files.count == 1)
        #expect(outcome.diagnostics(.duplicateContent).count == 2)
        #expect(outcome.diagnostics(.duplicateContent).allSatisfy { $0.severity == .note })
    }

    @Test("The same file reached through a symbolic link is read once")
    func sameFileThroughSymlink() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("logs/app.log", lines: ["once"])
        try dir.symlink("logs/link.log", to: "app.log")
        try dir.symlink("alias", to: "logs")

        let outcome = readLogs([dir.path("logs"), dir.path("alias/app.log")])

        #expect(outcome.names == [path])
        #expect(outcome.texts(path) == ["once"])
        let notes = outcome.diagnostics(.duplicateContent)
        #expect(Set(notes.compactMap(\.file)) == [dir.path("logs/link.log"), dir.path("alias/app.log")])
    }
}

@Suite("Finding inputs: directories, hidden files, exclusions, globs")
struct InputDiscoveryTests {
    /// A tree with nested directories, hidden entries and a compressed file; every file holds its own name.
    private func makeTree() throws -> TemporaryDirectory {
        let dir = try TemporaryDirectory()
        for name in ["b.log", "a.log", "sub/c.log", "sub/deeper/d.log", "z/e.log", "z/e.log.1",
                     ".hidden.log", ".git/objects.log", "sub/.cache/f.log", "debug-x.log"] {
            try dir.write("logs/" + name, lines: [name])
        }
        try dir.shell("gzip logs/z/e.log.1")
        return dir
    }

    @Test("Directories are walked recursively in sorted order; hidden entries are skipped")
    func sortedRecursiveWalk() throws {
        let dir = try makeTree()

        let outcome = readLogs([dir.path("logs")])

        #expect(outcome.files.flatMap(\.texts) ==
                ["a.log", "b.log", "debug-x.log", "sub/c.log", "sub/deeper/d.log", "z/e.log.1", "z/e.log"])
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("Files of equal age in one set keep the sorted walk order")
    func equalAgeTies() throws {
        let dir = try TemporaryDirectory()
        // Both are "live" app.log files; created in reverse so directory order is unlikely to be sorted.
        try dir.write("logs/app.log.gz", lines: ["compressed copy"])
        try dir.shell("mv logs/app.log.gz logs/tmp && gzip -c logs/tmp > logs/app.log.gz && rm logs/tmp")
        try dir.write("logs/app.log", lines: ["plain"])

        let outcome = readLogs([dir.path("logs")])

        #expect(outcome.names == [dir.path("logs/app.log"), dir.path("logs/app.log.gz")])
        #expect(outcome.files.map(\.file.rotation.index) == [1, 2])
    }

    @Test("includeHidden reads names starting with a dot")
    func includeHidden() throws {
        let dir = try makeTree()

        let outcome = readLogs([dir.path("logs")], settings: settings { $0.includeHidden = true })

        let texts = Set(outcome.files.flatMap(\.texts))
        #expect(texts.isSuperset(of: [".hidden.log", ".git/objects.log", "sub/.cache/f.log"]))
        #expect(texts.count == 10)
    }

    @Test("Exclude globs skip files in directory walks: base-name and path patterns")
    func excludeInWalk() throws {
        let dir = try makeTree()

        let outcome = readLogs([dir.path("logs")], settings: settings { $0.exclude = ["*.gz", "sub/**", "debug-*"] })

        #expect(outcome.files.flatMap(\.texts) == ["a.log", "b.log", "z/e.log"])
    }

    @Test("Exclude globs skip archive members")
    func excludeInArchive() throws {
        let dir = try TemporaryDirectory()
        for name in ["app/app.log", "app/debug.log", "other/x.log", "keep/y.log"] {
            try dir.write(name, lines: [name])
        }
        try dir.shell("tar -czf logs.tar.gz app other keep")

        let outcome = readLogs([dir.path("logs.tar.gz")], settings: settings { $0.exclude = ["debug.log", "other/**"] })

        #expect(outcome.files.flatMap(\.texts) == ["app/app.log", "keep/y.log"])
    }

    @Test("Symbolic links are followed by default and skipped when followSymlinks is off")
    func followSymlinks() throws {
        let dir = try TemporaryDirectory()
        try dir.write("logs/app.log", lines: ["app"])
        try dir.write("elsewhere/other.log", lines: ["other"])
        try dir.symlink("logs/linked", to: dir.path("elsewhere"))

        #expect(readLogs([dir.path("logs")]).files.flatMap(\.texts) == ["app", "other"])
        #expect(readLogs([dir.path("logs")], settings: settings { $0.followSymlinks = false })
            .files.flatMap(\.texts) == ["app"])
    }

    @Test("Globs with *, ?, [ ] and ** expand to matching files", arguments: [
        ("logs/*.log", ["a.log", "b.log", "debug-x.log"]),
        ("logs/?.log", ["a.log", "b.log"]),
        ("logs/[a-b].log", ["a.log", "b.log"]),
        ("logs/[!a].log", ["b.log"]),
        ("logs/*/*.log", ["sub/c.log", "z/e.log"]),
        ("logs/**/*.log", ["a.log", "b.log", "debug-x.log", "sub/c.log", "sub/deeper/d.log", "z/e.log"]),
        ("logs/**/e.log*", ["z/e.log.1", "z/e.log"]),
        ("logs/sub/**", ["sub/c.log", "sub/deeper/d.log"]),
    ])
    func globExpansion(_ pattern: String, _ expected: [String]) throws {
        let dir = try makeTree()

        let outcome = readLogs([dir.path(pattern)])

        #expect(outcome.files.flatMap(\.texts) == expected)
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("Exclusions apply to glob matches too")
    func globWithExclude() throws {
        let dir = try makeTree()

        let outcome = readLogs([dir.path("logs/**/*.log")], settings: settings { $0.exclude = ["debug-*", "c.log"] })

        #expect(outcome.files.flatMap(\.texts) == ["a.log", "b.log", "sub/deeper/d.log", "z/e.log"])
    }
}

@Suite("Glob matching")
struct GlobTests {
    @Test("Patterns and the paths they match or not", arguments: [
        ("*.log", "app.log", true),
        ("*.log", "app.log.1", false),
        ("*.log", ".log", true),
        ("app.log.?", "app.log.1", true),
        ("app.log.?", "app.log.12", false),
        ("app.log.?", "app.log.", false),
        ("[a-c]pp.log", "bpp.log", true),
        ("[a-c]pp.log", "dpp.log", false),
        ("[!x]y", "ay", true),
        ("[!x]y", "xy", false),
        ("[^x]y", "xy", false),
        ("[abc]", "b", true),
        ("[abc", "a", false),
        ("logs/**/app.log", "logs/app.log", true),
        ("logs/**/app.log", "logs/a/b/app.log", true),
        ("logs/**/app.log", "other/app.log", false),
        ("logs/**", "logs/a/b/c.log", true),
        ("**/*.gz", "a.gz", true),
        ("**/*.gz", "x/y/a.gz", true),
        ("logs/*.log", "logs/app.log", true),
        ("logs/*.log", "logs/sub/app.log", false),
        ("logs/?/x", "logs//x", false),
        ("a\\*b", "a*b", true),
        ("a\\*b", "axb", false),
        ("logs/app.log", "./logs/app.log", true),
    ])
    func matching(_ pattern: String, _ path: String, _ matches: Bool) {
        #expect(Glob(pattern).matches(path) == matches)
    }

    @Test("A pattern without / matches the base name at any depth")
    func baseNameOnly() {
        let glob = Glob("*.gz")
        #expect(glob.matches("logs/a/b.gz"))
        #expect(glob.matches("b.gz"))
        #expect(!glob.matches("logs/b.gz/c.log"))
        #expect(Glob("debug-*").matches("x/y/debug-1.log"))
        // With a / the pattern is matched against the whole path.
        #expect(!Glob("a/*.gz").matches("x/a/b.gz"))
        #expect(Glob("a/*.gz").matches("a/b.gz"))
    }

    @Test("Telling patterns from literal paths")
    func isPattern() {
        #expect(Glob.isPattern("logs/*.log"))
        #expect(Glob.isPattern("app.log.?"))
        #expect(Glob.isPattern("[ab].log"))
        #expect(!Glob.isPattern("logs/app.log"))
        #expect(!Glob.isPattern("-"))
    }
}
