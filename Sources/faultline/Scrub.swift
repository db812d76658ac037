import ArgumentParser
import FaultlineCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct Scrub: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Replace personal data and secrets in every line of a log, written to standard output.",
        discussion: """
            Reads one file, or standard input when the file is - or missing, and writes every line scrubbed with the \
            same engine that scrubs events: e-mail addresses, IP addresses, card numbers, IBANs, US SSNs, user names \
            in home paths, URL credentials, Authorization headers, values of sensitive keys, PEM keys, JWTs and API \
            tokens become placeholders such as [email]. The number and order of lines are kept, and so are the \
            bytes of every line where nothing was found (a missing final newline, CRLF and invalid UTF-8 included). \
            Memory stays constant: a line longer than reader.max-line-bytes is scrubbed in pieces, cut at white space. \
            Compressed input is not decompressed: zcat app.log.gz | faultline scrub. The scrubbing: section of the \
            configuration applies; the flags below add to it. Exit status: 0 on success, 2 for an invalid \
            configuration or rule, 66 when the input cannot be read, 74 when the output cannot be written.
            """)

    @Option(name: .long, help: ArgumentHelp(
        "Configuration file (default: .faultline.yml in the working directory, if present).", valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Turn a built-in rule off (repeatable), e.g. @ip.", valueName: "rule"))
    var disable: [String] = []

    @Option(name: .long, help: ArgumentHelp("Turn an opt-in rule on (repeatable): @uuid, @mac, @phone.", valueName: "rule"))
    var enable: [String] = []

    @Flag(name: .long, help: "Write keyed pseudonyms ([email:3f9a2c], one per value) instead of bare placeholders.")
    var pseudonymize = false

    @Option(name: .long, help: ArgumentHelp(
        "The secret for pseudonyms (the file's bytes, at least 16). Without it a new secret is made for this run, so "
            + "pseudonyms are stable within the run only.", valueName: "file"))
    var pseudonymKeyFile: String?

    @Flag(name: .long, help: "Mask card numbers to their last four digits (****-****-****-1111).")
    var maskCards = false

    @Flag(name: .long, help: "Print how many values each rule replaced on standard error at the end.")
    var summary = false

    @Flag(name: .long, help: "List the built-in rules and exit.")
    var listRules = false

    @Argument(help: ArgumentHelp("A file, or - for standard input (the default).", valueName: "file"))
    var input: String = "-"

    func run() throws {
        if listRules {
            for rule in ScrubRule.builtIn {
                print("\(rule.name.padding(13))[\(rule.label)]\(rule.isOptIn ? "  (opt-in)" : "")\n    \(rule.summary)")
            }
            return
        }
        let configuration = try loadConfiguration()
        var settings = configuration.scrubbing
        settings.disabledRules.formUnion(disable)
        settings.enabledOptInRules.formUnion(enable)
        if pseudonymize { settings.pseudonymize = true }
        if maskCards { settings.cardMasking = .lastFour }
        let key = settings.pseudonymize ? try pseudonymKey() : nil
        let policy: ScrubPolicy
        do {
            policy = try ScrubPolicy(settings: settings, pseudonymKey: key)
        } catch {
            standardError("faultline: configuration error: \(error)\n")
            throw ExitCode(2)
        }

        let descriptor: Int32 = input == "-" ? 0 : open(input, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            standardError("faultline: cannot open \(input): \(String(cString: strerror(errno)))\n")
            throw ExitCode(66)
        }
        defer { if descriptor != 0 { close(descriptor) } }
        let scrubber = Scrubber(policy)
        let stream = ScrubbingStream(scrubber: scrubber, maximumLineBytes: configuration.reader.maxLineBytes)
        let outcome = stream.run(from: descriptor, to: 1)
        switch outcome {
        case .finished: break
        case .readFailed(let code):
            standardError("faultline: cannot read \(input == "-" ? "standard input" : input): \(String(cString: strerror(code)))\n")
            throw ExitCode(66)
        case .writeFailed(let code):
            standardError("faultline: cannot write standard output: \(String(cString: strerror(code)))\n")
            throw ExitCode(74)
        }
        report(stream, scrubber)
    }

    private func loadConfiguration() throws -> Configuration {
        guard let path = Configuration.locate(explicit: config) else { return Configuration() }
        do {
            return try Configuration.load(path: path)
        } catch {
            standardError("faultline: configuration error: \(error)\n")
            throw ExitCode(2)
        }
    }

    /// The key from `--pseudonym-key-file`, or 32 random bytes for this run.
    private func pseudonymKey() throws -> [UInt8] {
        guard let pseudonymKeyFile else {
            standardError("faultline: no --pseudonym-key-file: pseudonyms are stable within this run only\n")
            var generator = SystemRandomNumberGenerator()
            return (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        }
        guard let file = fopen(pseudonymKeyFile, "rb") else {
            standardError("faultline: cannot open \(pseudonymKeyFile): \(String(cString: strerror(errno)))\n")
            throw ExitCode(66)
        }
        defer { fclose(file) }
        var key = [UInt8](repeating: 0, count: 4096)
        let count = fread(&key, 1, key.count, file)
        guard count >= 16 else {
            standardError("faultline: the pseudonym key file must hold at least 16 bytes\n")
            throw ExitCode(2)
        }
        return Array(key[0..<count])
    }

    private func report(_ stream: ScrubbingStream, _ scrubber: Scrubber) {
        if stream.longLines > 0 {
            standardError("faultline: \(stream.longLines) line\(stream.longLines == 1 ? " was" : "s were") longer than "
                          + "\(stream.maximumLineBytes) bytes and scrubbed in pieces cut at white space\n")
        }
        if scrubber.unscrubbableLines > 0 {
            standardError("faultline: \(scrubber.unscrubbableLines) line\(scrubber.unscrubbableLines == 1 ? "" : "s") "
                          + "hit a pattern's match limit and were replaced whole by [unscrubbable line]\n")
        }
        guard summary else { return }
        let found = scrubber.replacementCounts.filter { $0.count > 0 }
        let total = found.reduce(0) { $0 + $1.count }
        let perRule = found.map { "\($0.rule) \($0.count)" }.joined(separator: ", ")
        standardError("scrubbed \(total) value\(total == 1 ? "" : "s") in \(stream.changedLines) of \(stream.lines) "
                      + "line\(stream.lines == 1 ? "" : "s")\(perRule.isEmpty ? "" : ": " + perRule)\n")
    }
}

/// Reads a file descriptor in blocks, scrubs each line and writes the result, in constant memory: one input block
/// plus at most one line, one output block.
final class ScrubbingStream {
    enum Outcome { case finished, readFailed(Int32), writeFailed(Int32) }

    let scrubber: Scrubber
    let maximumLineBytes: Int
    private(set) var lines = 0
    private(set) var changedLines = 0
    /// Lines longer than `maximumLineBytes`, scrubbed in pieces.
    private(set) var longLines = 0
    private static let blockBytes = 1 << 18

    init(scrubber: Scrubber, maximumLineBytes: Int) {
        self.scrubber = scrubber
        self.maximumLineBytes = max(64, maximumLineBytes)
    }

    func run(from input: Int32, to outputDescriptor: Int32) -> Outcome {
        let capacity = maximumLineBytes + Self.blockBytes
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        defer { buffer.deallocate() }
        var output: [UInt8] = []
        output.reserveCapacity(2 * Self.blockBytes)
        var filled = 0
        var atEnd = false
        while !atEnd {
            let count = read(input, buffer.baseAddress! + filled, capacity - filled)
            if count < 0 {
                if errno == EINTR { continue }
                return .readFailed(errno)
            }
            if count == 0 { atEnd = true }
            filled += count
            let data = UnsafeRawBufferPointer(rebasing: buffer[0..<filled])
            var start = 0
            while start < filled, let newline = memchr(data.baseAddress! + start, 0x0A, filled - start) {
                let end = UnsafeRawPointer(newline) - data.baseAddress!
                scrub(UnsafeRawBufferPointer(rebasing: data[start..<end]), endsLine: true, into: &output)
                output.append(0x0A)
                start = end + 1
            }
            if atEnd, start < filled {
                scrub(UnsafeRawBufferPointer(rebasing: data[start..<filled]), endsLine: true, into: &output)  // no final newline
                start = filled
            } else {
                // A line longer than the limit whose end is not in the buffer: scrub it in pieces, each cut at its last
                // white space if there is one, so the buffer never holds more than the limit and a block.
                while filled - start >= maximumLineBytes {
                    let pieceEnd = Self.cut(data, from: start, limit: maximumLineBytes)
                    scrub(UnsafeRawBufferPointer(rebasing: data[start..<pieceEnd]), endsLine: false, into: &output)
                    start = pieceEnd
                }
            }
            if start > 0 {
                if start < filled { memmove(buffer.baseAddress!, buffer.baseAddress! + start, filled - start) }
                filled -= start
            }
            if output.count >= Self.blockBytes || atEnd {
                if let failure = writeAll(output, to: outputDescriptor) { return .writeFailed(failure) }
                output.removeAll(keepingCapacity: true)
            }
        }
        return .finished
    }

    private var piecesOfCurrentLine = 0
    private var currentLineChanged = false

    /// Scrubs a line without its `\n` (a `\r` before the `\n` is kept out of the match and written back), or a
    /// piece of an over-long line (`endsLine` false).
    private func scrub(_ text: UnsafeRawBufferPointer, endsLine: Bool, into output: inout [UInt8]) {
        let hasCR = endsLine && text.last == 0x0D
        let body = hasCR ? UnsafeRawBufferPointer(rebasing: text.dropLast()) : text
        if scrubber.scrubLine(body, into: &output) { currentLineChanged = true }
        if hasCR { output.append(0x0D) }
        guard endsLine else {
            if piecesOfCurrentLine == 0 { longLines += 1 }
            piecesOfCurrentLine += 1
            return
        }
        lines += 1
        if currentLineChanged { changedLines += 1 }
        currentLineChanged = false
        piecesOfCurrentLine = 0
    }

    /// The end of the next piece of an over-long line: after the last space or tab in its second half, else at the limit.
    private static func cut(_ data: UnsafeRawBufferPointer, from start: Int, limit: Int) -> Int {
        var index = start + limit
        while index > start + limit / 2 {
            if data[index - 1] == 0x20 || data[index - 1] == 0x09 { return index }
            index -= 1
        }
        return start + limit
    }

    /// Writes everything, retrying after interruptions; returns `errno` on failure.
    private func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Int32? {
        bytes.withUnsafeBytes { raw -> Int32? in
            var offset = 0
            while offset < raw.count {
                let written = write(descriptor, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self + " " : self + String(repeating: " ", count: width - count)
    }
}
