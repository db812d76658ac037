import Foundation
import Testing
@testable import FaultlineCore

/// One example carried by a ``RotationName/Rule``, flattened so a parameterized test can take it.
struct RotationExample: Sendable, CustomTestStringConvertible {
    var rule: String
    var file: String
    var base: String
    var age: RotationName.Age

    var testDescription: String { "\(file) (\(rule))" }

    /// Every example of every rule, straight from the rule data.
    static var all: [RotationExample] {
        RotationName.rules.flatMap { rule in
            rule.examples.map { RotationExample(rule: rule.name, file: $0.file, base: $0.base, age: $0.age) }
        }
    }
}

@Suite("Rotation names and rotation order")
struct RotationTests {
    // MARK: Names

    @Test("Every rule compiles and carries examples", arguments: RotationName.rules.map(\.name))
    func ruleIsWellFormed(_ name: String) throws {
        let rule = try #require(RotationName.rules.first { $0.name == name })
        #expect(!rule.examples.isEmpty)
        _ = try Pattern(rule.pattern)
    }

    @Test("Every rule example parses to its base and age", arguments: RotationExample.all)
    func ruleExample(_ example: RotationExample) {
        let name = RotationName(fileName: example.file)
        #expect(name.base == example.base)
        #expect(name.age == example.age)
    }

    @Test("Rule examples keep their meaning behind a compression suffix", arguments: RotationExample.all)
    func ruleExampleCompressed(_ example: RotationExample) {
        for suffix in [".gz", ".bz2", ".xz", ".zst"] {
            let name = RotationName(fileName: example.file + suffix)
            #expect(name.base == example.base, "\(example.file + suffix)")
            #expect(name.age == example.age, "\(example.file + suffix)")
        }
    }

    @Test("Common rotated names", arguments: [
        ("app.log", "app.log", RotationName.Age.live),
        ("app.log.1", "app.log", .numbered(1)),
        ("app.log.2.gz", "app.log", .numbered(2)),
        ("app.log-20261124.gz", "app.log", .dated(stamp: "20261124", counter: 0)),
        ("app-2026-11-24.log.gz", "app.log", .dated(stamp: "20261124", counter: 0)),
        ("app.2026-11-24.1.log", "app.log", .dated(stamp: "20261124", counter: 1)),
        ("syslog", "syslog", .live),
        ("app.log.gz", "app.log", .live),
    ])
    func commonNames(_ file: String, _ base: String, _ age: RotationName.Age) {
        let name = RotationName(fileName: file)
        #expect(name.base == base)
        #expect(name.age == age)
    }

    @Test("Ages sort oldest first: dated by date and counter, then numbered high to low, then live")
    func ageOrder() {
        let ordered: [RotationName.Age] = [
            .dated(stamp: "20261123", counter: 0),
            .dated(stamp: "20261124", counter: 0),
            .dated(stamp: "20261124", counter: 1),
            .numbered(12),
            .numbered(2),
            .numbered(1),
            .live,
        ]
        #expect(ordered.shuffled().sorted() == ordered)
        #expect(ordered.reversed().sorted() == ordered)
    }

    @Test("The planner groups by directory and base name and orders each set oldest first")
    func plannerPositions() {
        let paths = ["logs/app.log", "logs/app.log.1", "other/app.log", "logs/app.log.2.gz", "logs/db.log"]
        let positions = RotationPlanner.positions(for: paths)
        #expect(positions == [
            RotationPosition(set: "logs/app.log", index: 3, count: 3),
            RotationPosition(set: "logs/app.log", index: 2, count: 3),
            RotationPosition(set: "other/app.log", index: 1, count: 1),
            RotationPosition(set: "logs/app.log", index: 1, count: 3),
            RotationPosition(set: "logs/db.log", index: 1, count: 1),
        ])
    }

    // MARK: Reading rotation sets

    /// Writes app.log (live), app.log.1, app.log.2.gz and app.log.3.bz2 under `folder`, each with its own lines.
    private func writeNumberedSet(in dir: TemporaryDirectory, folder: String) throws -> [String: [String]] {
        let contents = [
            "app.log": logLines("live", count: 30),
            "app.log.1": logLines("rotated-1", count: 20),
            "app.log.2": logLines("rotated-2", count: 25),
            "app.log.3": logLines("rotated-3", count: 15),
        ]
        for (name, lines) in contents { try dir.write("\(folder)/\(name)", lines: lines) }
        try dir.shell("gzip \(folder)/app.log.2 && bzip2 \(folder)/app.log.3")
        return [
            "app.log": contents["app.log"]!, "app.log.1": contents["app.log.1"]!,
            "app.log.2.gz": contents["app.log.2"]!, "app.log.3.bz2": contents["app.log.3"]!,
        ]
    }

    private let oldestFirst = ["app.log.3.bz2", "app.log.2.gz", "app.log.1", "app.log"]

    @Test("A rotation set in a directory is read oldest first")
    func directorySetOldestFirst() throws {
        let dir = try TemporaryDirectory()
        let contents = try writeNumberedSet(in: dir, folder: "logs")

        let outcome = readLogs([dir.path("logs")])

        let folder = dir.path("logs")
        #expect(outcome.names == oldestFirst.map { folder + "/" + $0 })
        for (offset, member) in oldestFirst.enumerated() {
            let file = try #require(outcome.file(folder + "/" + member))
            #expect(file.texts == contents[member])
            #expect(file.file.rotation == RotationPosition(set: folder + "/app.log", index: offset + 1, count: 4))
            #expect(file.summary?.status == .read)
        }
        #expect(outcome.file(folder + "/app.log.3.bz2")?.file.format.layers == ["bzip2"])
        #expect(outcome.file(folder + "/app.log.2.gz")?.file.format.layers == ["gzip"])
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("Files of a set named on the command line newest first are still read oldest first")
    func argumentsNewestFirst() throws {
        let dir = try TemporaryDirectory()
        _ = try writeNumberedSet(in: dir, folder: "logs")

        let outcome = readLogs(oldestFirst.reversed().map { dir.path("logs/" + $0) })

        #expect(outcome.names == oldestFirst.map { dir.path("logs/" + $0) })
    }

    @Test("A rotation set inside a tar.gz whose members are newest first is delivered oldest first")
    func archiveSetOutOfOrder() throws {
        let dir = try TemporaryDirectory()
        let contents = try writeNumberedSet(in: dir, folder: "app")
        // tar keeps the order given: live file first, oldest last.
        try dir.shell("tar -czf logs.tar.gz app/app.log app/app.log.1 app/app.log.2.gz app/app.log.3.bz2")
        let listed = try dir.shell("tar -tzf logs.tar.gz").split(separator: "\n").map(String.init)
        #expect(listed == ["app/app.log", "app/app.log.1", "app/app.log.2.gz", "app/app.log.3.bz2"])

        let outcome = readLogs([dir.path("logs.tar.gz")])

        let archive = dir.path("logs.tar.gz")
        #expect(outcome.names == oldestFirst.map { archive + "!/app/" + $0 })
        for (offset, member) in oldestFirst.enumerated() {
            let file = try #require(outcome.file(archive + "!/app/" + member))
            #expect(file.texts == contents[member], "\(member)")
            #expect(file.file.rotation == RotationPosition(set: archive + "!/app/app.log", index: offset + 1, count: 4))
            #expect(file.summary?.status == .read)
        }
        #expect(outcome.file(archive + "!/app/app.log.2.gz")?.file.format.layers == ["gzip", "tar", "gzip"])
        #expect(outcome.file(archive + "!/app/app.log.3.bz2")?.file.format.layers == ["gzip", "tar", "bzip2"])
        #expect(outcome.file(archive + "!/app/app.log")?.file.format.layers == ["gzip", "tar"])
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("A three-file set inside a tar.gz listed app.log, app.log.1, app.log.2.gz is read oldest first")
    func archiveThreeMembersNewestFirst() throws {
        let dir = try TemporaryDirectory()
        let live = logLines("live", count: 3)
        let one = logLines("one", count: 4)
        let two = logLines("two", count: 5)
        try dir.write("app.log", lines: live)
        try dir.write("app.log.1", lines: one)
        try dir.write("app.log.2", lines: two)
        try dir.shell("gzip app.log.2 && tar -czf set.tar.gz app.log app.log.1 app.log.2.gz")

        let outcome = readLogs([dir.path("set.tar.gz")])

        let archive = dir.path("set.tar.gz")
        #expect(outcome.names == [archive + "!/app.log.2.gz", archive + "!/app.log.1", archive + "!/app.log"])
        #expect(outcome.files.flatMap(\.texts) == two + one + live)
        #expect(outcome.files.map(\.file.rotation.index) == [1, 2, 3])
        #expect(outcome.files.allSatisfy { $0.file.rotation.count == 3 })
    }

    @Test("An archive with two sets interleaved keeps each set oldest first")
    func archiveTwoSetsInterleaved() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.log", lines: ["a live"])
        try dir.write("b.log", lines: ["b live"])
        try dir.write("a.log.1", lines: ["a old"])
        try dir.write("b.log.1", lines: ["b old"])
        try dir.shell("zip -q sets.zip a.log b.log a.log.1 b.log.1")

        let outcome = readLogs([dir.path("sets.zip")])

        let texts = outcome.files.flatMap(\.texts)
        #expect(Set(texts) == ["a live", "b live", "a old", "b old"])
        #expect(texts.firstIndex(of: "a old")! < texts.firstIndex(of: "a live")!)
        #expect(texts.firstIndex(of: "b old")! < texts.firstIndex(of: "b live")!)
        #expect(outcome.report.diagnostics.isEmpty, "\(outcome.report.diagnostics)")
    }

    @Test("Dated sets are read by date, the live file last")
    func datedSetOrder() throws {
        let dir = try TemporaryDirectory()
        try dir.write("logs/app.log", lines: ["live"])
        try dir.write("logs/app.log-20261123", lines: ["23rd"])
        try dir.write("logs/app.log-20261124", lines: ["24th"])
        try dir.shell("gzip logs/app.log-20261123 logs/app.log-20261124")

        let outcome = readLogs([dir.path("logs")])

        let folder = dir.path("logs") + "/"
        #expect(outcome.names == [folder + "app.log-20261123.gz", folder + "app.log-20261124.gz", folder + "app.log"])
        #expect(outcome.files.flatMap(\.texts) == ["23rd", "24th", "live"])
        #expect(outcome.files.map(\.file.rotation) == (1...3).map {
            RotationPosition(set: folder + "app.log", index: $0, count: 3)
        })
    }

    @Test("Dated infix names with counters sort by date, then counter")
    func datedInfixOrder() throws {
        let dir = try TemporaryDirectory()
        for name in ["app.2026-11-24.1.log", "app.2026-11-23.0.log", "app.log", "app.2026-11-24.0.log"] {
            try dir.write("logs/" + name, lines: [name])
        }

        let outcome = readLogs([dir.path("logs")])

        #expect(outcome.files.flatMap(\.texts) ==
                ["app.2026-11-23.0.log", "app.2026-11-24.0.log", "app.2026-11-24.1.log", "app.log"])
    }

    @Test("Unrelated files form sets of one, read in name order")
    func setsOfOne() throws {
        let dir = try TemporaryDirectory()
        try dir.write("logs/web.log", lines: ["web"])
        try dir.write("logs/api.log", lines: ["api"])
        try dir.write("logs/db.log", lines: ["db"])

        let outcome = readLogs([dir.path("logs")])

        #expect(outcome.files.flatMap(\.texts) == ["api", "db", "web"])
        #expect(outcome.files.allSatisfy { $0.file.rotation.index == 1 && $0.file.rotation.count == 1 })
    }

    @Test("An excluded member does not hold back or count in its set")
    func archiveSetWithExcludedMember() throws {
        let dir = try TemporaryDirectory()
        _ = try writeNumberedSet(in: dir, folder: "app")
        try dir.shell("tar -czf logs.tar.gz app/app.log app/app.log.1 app/app.log.2.gz app/app.log.3.bz2")
        let archive = dir.path("logs.tar.gz")

        let outcome = readLogs([archive], settings: settings { $0.exclude = ["app.log.1"] })

        #expect(outcome.names == ["app.log.3.bz2", "app.log.2.gz", "app.log"].map { archive + "!/app/" + $0 })
        #expect(outcome.files.map(\.file.rotation.index) == [1, 2, 3])
        #expect(outcome.files.allSatisfy { $0.file.rotation.count == 3 })
    }

    @Test("A truncated tar.gz still delivers the members staged for rotation order")
    func truncatedArchiveWithStagedMembers() throws {
        let dir = try TemporaryDirectory()
        let live = logLines("live", count: 50)
        try dir.write("app.log", lines: live)
        // Incompressible enough that cutting the archive lands inside this member.
        let rotated = (0..<30_000).map { "rotated \($0) " + pseudoRandomLetters(count: 20, seed: UInt64($0)) }
        try dir.write("app.log.1", lines: rotated)
        try dir.shell("tar -czf set.tar.gz app.log app.log.1")
        let compressed = try dir.read("set.tar.gz")
        try dir.write("set.tar.gz", bytes: Array(compressed.prefix(compressed.count / 2)))
        let archive = dir.path("set.tar.gz")

        let outcome = readLogs([archive])

        // app.log.1 is older, so it comes first even though the archive holds it second; app.log was staged.
        #expect(outcome.names == [archive + "!/app.log.1", archive + "!/app.log"])
        #expect(outcome.summary(archive + "!/app.log.1")?.status == .partial)
        let partial = outcome.texts(archive + "!/app.log.1")
        #expect(partial.count > 100)
        #expect(Array(partial.dropLast()) == Array(rotated.prefix(partial.count - 1)))
        #expect(outcome.texts(archive + "!/app.log") == live)
        #expect(outcome.summary(archive + "!/app.log")?.status == .read)
        #expect(!outcome.diagnostics(.damagedInput).isEmpty)
    }
}
