import Foundation
import Testing
@testable import FaultlineCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// MARK: - Temporary directories

/// A fresh directory under the system temporary directory, removed with everything in it when released.
///
/// Every test makes its own, so tests can run in parallel without sharing files.
final class TemporaryDirectory {
    let path: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.path
        let url = URL(fileURLWithPath: base).appendingPathComponent("faultline-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The absolute path of `relative` inside this directory.
    func path(_ relative: String) -> String { path + "/" + relative }

    /// Writes text (UTF-8) to `relative`, creating parent directories; returns the absolute path.
    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        try write(relative, bytes: Array(text.utf8))
    }

    /// Writes bytes to `relative`, creating parent directories; returns the absolute path.
    @discardableResult
    func write(_ relative: String, bytes: [UInt8]) throws -> String {
        let target = path(relative)
        let parent = URL(fileURLWithPath: target).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    /// Writes `lines`, each followed by `\n`.
    @discardableResult
    func write(_ relative: String, lines: [String]) throws -> String {
        try write(relative, lines.map { $0 + "\n" }.joined())
    }

    /// The bytes of `relative`.
    func read(_ relative: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: path(relative))))
    }

    /// Runs a shell command line (`gzip -k app.log`, `cat a.gz b.gz > c.gz`) in this directory.
    /// Throws with the command's standard error when it exits non-zero.
    @discardableResult
    func shell(_ command: String) throws -> String {
        try runTool("/bin/sh", ["-c", command], in: path)
    }

    /// Makes a symbolic link at `relative` pointing to `destination` (as written, not resolved).
    func symlink(_ relative: String, to destination: String) throws {
        try FileManager.default.createSymbolicLink(atPath: path(relative), withDestinationPath: destination)
    }
}

struct ToolFailure: Error, CustomStringConvertible {
    var command: String
    var status: Int32
    var standardError: String
    var description: String { "`\(command)` exited with \(status): \(standardError)" }
}

/// Runs an external program and returns its standard output; throws if it exits non-zero.
@discardableResult
func runTool(_ executable: String, _ arguments: [String], in directory: String) throws -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: directory)
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    // Read both pipes before waiting so a chatty tool cannot block on a full pipe.
    let outData = output.fileHandleForReading.readDataToEndOfFile()
    let errData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
        throw ToolFailure(command: ([executable] + arguments).joined(separator: " "),
                          status: process.terminationStatus,
                          standardError: String(decoding: errData, as: UTF8.self))
    }
    return String(decoding: outData, as: UTF8.self)
}

/// Whether the tests run as root, which can read files whatever their permissions.
var runningAsRoot: Bool { getuid() == 0 }

// MARK: - Content generators

/// `count` distinct log lines: `<prefix> line 1 …`, `<prefix> line 2 …`.
func logLines(_ prefix: String, count: Int) -> [String] {
    (0..<count).map { "\(prefix) line \($0 + 1) level=INFO message=\"request handled\"" }
}

/// Deterministic pseudo-random bytes (a 64-bit LCG), so binary fixtures are the same on every run.
func pseudoRandomBytes(count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return UInt8(truncatingIfNeeded: state >> 56)
    }
}

/// Deterministic pseudo-random lowercase letters: text that compresses poorly.
func pseudoRandomLetters(count: Int, seed: UInt64) -> String {
    String(decoding: pseudoRandomBytes(count: count, seed: seed).map { 97 + $0 % 26 }, as: UTF8.self)
}

// MARK: - Collecting what the reader delivers

/// One delivered line, copied out of the reader's buffers.
struct CollectedLine: Equatable, CustomStringConvertible {
    var bytes: [UInt8]
    var number: Int
    var byteOffset: Int64
    var wasCut: Bool

    init(_ line: Line) {
        bytes = Array(line.bytes)
        number = line.number
        byteOffset = line.byteOffset
        wasCut = line.wasCut
    }

    /// The bytes as text (invalid UTF-8 repaired; compare `bytes` for exactness).
    var text: String { String(decoding: bytes, as: UTF8.self) }
    var description: String { "\(number)@\(byteOffset)\(wasCut ? " cut" : ""): \(text)" }
}

/// One logical file as the consumer saw it: the `beginFile` value, its lines, and the `endFile` summary.
struct CollectedFile {
    var file: LogicalFile
    var lines: [CollectedLine] = []
    var summary: FileSummary?

    var name: String { file.name }
    var texts: [String] { lines.map(\.text) }
}

/// Records every file and line it is given.
struct CollectingConsumer: LineConsumer {
    var files: [CollectedFile] = []
    /// Calls that arrived out of protocol order (a line or end without a begin).
    var protocolErrors: [String] = []

    mutating func beginFile(_ file: LogicalFile) {
        if let last = files.last, last.summary == nil {
            protocolErrors.append("beginFile(\(file.name)) before endFile(\(last.name))")
        }
        files.append(CollectedFile(file: file))
    }

    mutating func consume(_ lines: LineBatch) {
        guard !files.isEmpty, files[files.count - 1].summary == nil else {
            protocolErrors.append("line \(lines.firstNumber) outside a file")
            return
        }
        if let last = files[files.count - 1].lines.last, last.number + 1 != lines.firstNumber {
            protocolErrors.append("batch starts at line \(lines.firstNumber) after line \(last.number)")
        }
        for line in lines { files[files.count - 1].lines.append(CollectedLine(line)) }
    }

    mutating func endFile(_ summary: FileSummary) {
        guard let last = files.last, last.summary == nil, last.file == summary.file else {
            protocolErrors.append("endFile(\(summary.file.name)) without a matching beginFile")
            return
        }
        files[files.count - 1].summary = summary
    }
}

/// Everything one `LogReader.read` produced.
struct ReadOutcome {
    var report: ReadReport
    /// Files whose lines were delivered, in delivery order.
    var files: [CollectedFile]
    var protocolErrors: [String]

    /// The delivered file called `name` (exact logical name).
    func file(_ name: String) -> CollectedFile? { files.first { $0.name == name } }

    /// The lines of the delivered file called `name` as text; empty if it was not delivered.
    func texts(_ name: String) -> [String] { file(name)?.texts ?? [] }

    /// The report's summary for `name` (also present for skipped and duplicate files).
    func summary(_ name: String) -> FileSummary? { report.files.first { $0.file.name == name } }

    /// Diagnostics with `code`, optionally only those naming `file`.
    func diagnostics(_ code: Diagnostic.Code, file: String? = nil) -> [Diagnostic] {
        report.diagnostics.filter { $0.code == code && (file == nil || $0.file == file) }
    }

    /// Diagnostics about `path` or anything inside it (archive members: `path!/…`).
    func diagnostics(about path: String) -> [Diagnostic] {
        report.diagnostics.filter { $0.file == path || $0.file?.hasPrefix(path + "!/") == true }
    }

    /// Names of the delivered files, in order.
    var names: [String] { files.map(\.name) }
}

/// Runs `LogReader(settings:).read(arguments, into:)` with a ``CollectingConsumer``.
func readLogs(_ arguments: [String], settings: ReaderSettings = ReaderSettings()) -> ReadOutcome {
    var consumer = CollectingConsumer()
    let report = LogReader(settings: settings).read(arguments, into: &consumer)
    return ReadOutcome(report: report, files: consumer.files, protocolErrors: consumer.protocolErrors)
}

/// Reader settings with a few fields changed: `settings { $0.maxLineBytes = 16 }`.
func settings(_ change: (inout ReaderSettings) -> Void) -> ReaderSettings {
    var value = ReaderSettings()
    change(&value)
    return value
}
