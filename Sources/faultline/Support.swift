import ArgumentParser
import FaultlineCore
import FaultlineHistory
import FoundationEssentials

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ReadingOptions {
    /// Loads the configuration file and applies the command-line overrides; exits with status 2 on error.
    func loadConfiguration() throws -> Configuration {
        var configuration = Configuration()
        if let path = Configuration.locate(explicit: config) {
            do {
                configuration = try Configuration.load(path: path)
            } catch {
                standardError("faultline: configuration error: \(error)\n")
                throw ExitCode(2)
            }
        }
        configuration.reader.exclude += exclude
        if let maxLineBytes {
            guard let value = ByteSize.parse(maxLineBytes), value >= 64 else {
                throw ValidationError("--max-line-bytes: expected a size of at least 64 bytes, such as 65536 or 1MiB")
            }
            configuration.reader.maxLineBytes = Int(value)
        }
        return configuration
    }
}

/// The scrubbing (with the history's pseudonym key when pseudonyms are asked for) and, if asked, the grouping
/// of a run's events; exits with status 2 on a configuration error.
func eventProcessing(_ configuration: Configuration, history: String?, grouping: Bool) throws -> EventProcessing {
    var key: [UInt8]? = nil
    if configuration.scrubbing.pseudonymize {
        let path = history ?? configuration.historyPath ?? HistoryDatabase.defaultPath
        do {
            key = try HistoryDatabase(path: path).pseudonymKey()
        } catch {
            standardError("faultline: \(error)\n")
            throw ExitCode(1)
        }
    }
    do {
        let policy = try ScrubPolicy(settings: configuration.scrubbing, pseudonymKey: key)
        return EventProcessing(scrubbing: policy, grouping: grouping ? configuration.grouping.configuration : nil,
                               conversion: configuration.grouping.conversion)
    } catch {
        standardError("faultline: configuration error: \(error)\n")
        throw ExitCode(2)
    }
}

func standardError(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
        if written < 0 { if errno == EINTR { continue } else { return } }
        bytes = bytes.dropFirst(written)
    }
}

/// Diagnostics go to standard error at the end of a run, most severe first within each file's order.
func printDiagnostics(_ diagnostics: [Diagnostic]) {
    guard !diagnostics.isEmpty else { return }
    var text = "\n\(diagnostics.count) diagnostic\(diagnostics.count == 1 ? "" : "s"):\n"
    for diagnostic in diagnostics { text += "  \(diagnostic)\n" }
    standardError(text)
}

func encodeJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

/// A one-line progress display on standard error, shown only when it is a terminal.
final class ProgressLine: @unchecked Sendable {
    // @unchecked: used from the single reading thread only; the closure is called synchronously.
    let isEnabled = isatty(2) == 1
    private var lastUpdate: UInt64 = 0
    private var shown = false

    func update(_ progress: ReadProgress) {
        var clock = timespec()
        clock_gettime(CLOCK_MONOTONIC, &clock)
        let now = UInt64(clock.tv_sec) * 1_000_000_000 + UInt64(clock.tv_nsec)
        guard now - lastUpdate > 150_000_000 else { return }
        lastUpdate = now
        shown = true
        let tenthsOfMiB = progress.bytesRead * 10 / 1_048_576
        var name = progress.currentFile
        if name.count > 50 { name = "…" + name.suffix(49) }
        standardError("\r\u{1B}[K\(progress.filesDone) files, \(tenthsOfMiB / 10).\(tenthsOfMiB % 10) MiB — \(name)")
    }

    func clear() {
        if shown { standardError("\r\u{1B}[K") }
    }
}
