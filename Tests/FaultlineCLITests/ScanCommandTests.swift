import Foundation
import Testing

/// End-to-end tests of the `faultline` binary built next to the test bundle.
@Suite("faultline scan")
struct ScanCommandTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    struct Outcome {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `faultline` executable SwiftPM built for this test run.
    static func binary() throws -> URL {
        var candidates: [URL] = []
        if let first = CommandLine.arguments.first {
            var directory = URL(fileURLWithPath: first).deletingLastPathComponent()
            // A bundle path (…/FaultlinePackageTests.xctest/…) or the runner itself.
            for _ in 0..<4 {
                candidates.append(directory.appendingPathComponent("faultline"))
                directory.deleteLastPathComponent()
            }
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/faultline"))
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "faultline binary"])
        }
        return found
    }

    static func run(_ arguments: [String], stdin: Data? = nil, in directory: URL? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? packageRoot
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes before waiting, so a large output cannot block the child.
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                       stderr: String(decoding: stderrData, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("faultline-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("scans samples/: every rotated file, oldest first, archive members included")
    func samples() throws {
        let outcome = try Self.run(["scan", "--json", "samples/"])
        #expect(outcome.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let files = try #require(json["files"] as? [[String: Any]])
        let names = files.compactMap { ($0["file"] as? [String: Any])?["name"] as? String }
        #expect(names == [
            "samples/api/app.log.3.gz", "samples/api/app.log.2.gz", "samples/api/app.log.1", "samples/api/app.log",
            "samples/worker-logs.tar.gz!/worker/worker.log.1.gz", "samples/worker-logs.tar.gz!/worker/worker.log",
        ])
        let formats = files.compactMap { (($0["file"] as? [String: Any])?["format"] as? [String: Any])?["layers"] as? [String] }
        #expect(formats == [["gzip"], ["gzip"], [], [], ["gzip", "tar", "gzip"], ["gzip", "tar"]])
        for file in files {
            #expect((file["lines"] as? Int ?? 0) > 1000)
            #expect(file["status"] as? String == "read")
        }
        #expect((json["diagnostics"] as? [Any])?.isEmpty == true)
    }

    @Test("the text listing has a row per file and a totals line")
    func textListing() throws {
        let outcome = try Self.run(["scan", "samples/api"])
        #expect(outcome.status == 0)
        let lines = outcome.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("FILE") == true)
        #expect(lines.contains { $0.hasPrefix("samples/api/app.log.3.gz") && $0.contains("gzip") && $0.contains("1/4") })
        #expect(lines.last?.hasPrefix("4 logical files in 1 rotation set") == true)
        #expect(outcome.stderr.isEmpty)
    }

    @Test("standard input is read with -")
    func standardInput() throws {
        let outcome = try Self.run(["scan", "--json", "-"], stdin: Data("one\ntwo\nthree".utf8))
        #expect(outcome.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let file = try #require((json["files"] as? [[String: Any]])?.first)
        #expect(file["lines"] as? Int == 3)
        #expect((file["file"] as? [String: Any])?["name"] as? String == "(stdin)")
    }

    @Test("diagnostics go to stderr at the end; --strict turns them into exit status 1")
    func strict() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("fine\n".utf8).write(to: directory.appendingPathComponent("good.log"))
        let lenient = try Self.run(["scan", "good.log", "missing.log"], in: directory)
        #expect(lenient.status == 0)
        #expect(lenient.stdout.contains("good.log"))
        #expect(lenient.stderr.contains("missing.log: error: no such file or directory [not-found]"))
        let strict = try Self.run(["scan", "--strict", "good.log", "missing.log"], in: directory)
        #expect(strict.status == 1)
        let clean = try Self.run(["scan", "--strict", "good.log"], in: directory)
        #expect(clean.status == 0)
    }

    @Test("an invalid configuration file stops the run with status 2 and names the key and line")
    func badConfiguration() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("reader:\n  max-line-bytes: huge\n".utf8).write(to: directory.appendingPathComponent(".faultline.yml"))
        try Data("x\n".utf8).write(to: directory.appendingPathComponent("a.log"))
        let outcome = try Self.run(["scan", "a.log"], in: directory)
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains(".faultline.yml:2:19: 'reader.max-line-bytes': expected a byte size"))
        #expect(outcome.stdout.isEmpty)

        let explicit = try Self.run(["scan", "--config", "nope.yml", "a.log"], in: directory)
        #expect(explicit.status == 2)
        #expect(explicit.stderr.contains("nope.yml: cannot read the file"))
    }

    @Test("configuration and flags apply: exclude globs and the line cap")
    func configurationApplies() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("reader:\n  exclude: ['*.pid']\n".utf8).write(to: directory.appendingPathComponent(".faultline.yml"))
        try Data("x\n".utf8).write(to: directory.appendingPathComponent("a.log"))
        try Data("123\n".utf8).write(to: directory.appendingPathComponent("app.pid"))
        try Data((String(repeating: "y", count: 500) + "\n").utf8).write(to: directory.appendingPathComponent("b.log"))
        let outcome = try Self.run(["scan", "--json", "--exclude", "a.*", "--max-line-bytes", "100", "."], in: directory)
        #expect(outcome.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        let files = try #require(json["files"] as? [[String: Any]])
        #expect(files.count == 1)
        #expect(files.first?["cutLines"] as? Int == 1)
        let codes = (json["diagnostics"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
        #expect(codes == ["line-too-long"])
    }

    @Test("usage errors exit with status 64")
    func usage() throws {
        #expect(try Self.run(["scan"]).status == 64)
        #expect(try Self.run(["scan", "--max-line-bytes", "tiny", "x"]).status == 64)
    }
}
