import Foundation
import Testing

/// `faultline scrub` end to end: the built binary on files and standard input.
@Suite("faultline scrub")
struct ScrubCommandTests {
    struct Outcome {
        var status: Int32
        var stdout: [UInt8]
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs the binary with raw bytes on standard input and returns raw bytes from standard output.
    static func run(_ arguments: [String], stdin: [UInt8] = [], in directory: URL? = nil) throws -> Outcome {
        let process = Process()
        process.executableURL = try ScanCommandTests.binary()
        process.arguments = ["scrub"] + arguments
        process.currentDirectoryURL = directory ?? ScanCommandTests.packageRoot
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        // Write standard input on another thread so a large input cannot block against a full output pipe.
        let writer = Thread {
            input.fileHandleForWriting.write(Data(stdin))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, stdout: Array(stdoutData),
                       stderr: String(decoding: stderrData, as: UTF8.self))
    }

    static func withDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = try ScanCommandTests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    @Test("standard input: the number and order of lines, CRLF, invalid UTF-8 and a missing final newline are kept")
    func streamingKeepsLines() throws {
        var input: [UInt8] = []
        input += Array("first line, nothing here\n".utf8)
        input += Array("mail bob@example.com\r\n".utf8)
        input += [0xFF, 0xFE, 0x20] + Array("invalid bytes, nothing else".utf8) + [0xC3, 0x28, 0x0A]
        input += Array("\n".utf8)                                            // an empty line
        input += [0x80] + Array(" then 10.0.0.1 and card 4111 1111 1111 1111".utf8) + [0x0A]
        input += Array("last line without newline from /home/alice/x".utf8)
        let outcome = try Self.run(["-"], stdin: input)
        #expect(outcome.status == 0, "\(outcome.stderr)")
        var expected: [UInt8] = []
        expected += Array("first line, nothing here\n".utf8)
        expected += Array("mail [email]\r\n".utf8)
        expected += [0xFF, 0xFE, 0x20] + Array("invalid bytes, nothing else".utf8) + [0xC3, 0x28, 0x0A]
        expected += Array("\n".utf8)
        expected += [0x80] + Array(" then [ip] and card [creditcard]".utf8) + [0x0A]
        expected += Array("last line without newline from /home/[user]/x".utf8)
        #expect(outcome.stdout == expected)
        #expect(outcome.stderr.isEmpty)
    }

    @Test("a file argument, many lines: the same count in the same order, each line scrubbed on its own")
    func fileWithManyLines() throws {
        try Self.withDirectory { directory in
            let lines = (0..<20_000).map { index in
                index % 3 == 0 ? "line \(index) user\(index)@example.com" : "line \(index) nothing to see"
            }
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: directory.appendingPathComponent("app.log"))
            let outcome = try Self.run(["--summary", "app.log"], in: directory)
            #expect(outcome.status == 0)
            let output = outcome.text.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(output.count == lines.count + 1)
            for (index, line) in output.dropLast().enumerated() {
                let expected = index % 3 == 0 ? "line \(index) [email]" : "line \(index) nothing to see"
                if line != expected { Issue.record("line \(index + 1): \(line)"); break }
            }
            #expect(outcome.stderr == "scrubbed 6667 values in 6667 of 20000 lines: @email 6667\n")
        }
    }

    @Test("--disable and --enable change the rules; --mask-cards keeps the last four digits")
    func flags() throws {
        let input = Array("from 10.0.0.1 req 550e8400-e29b-41d4-a716-446655440000 card 4111-1111-1111-1111\n".utf8)
        let defaults = try Self.run([], stdin: input)
        #expect(defaults.text == "from [ip] req 550e8400-e29b-41d4-a716-446655440000 card [creditcard]\n")
        let changed = try Self.run(["--disable", "@ip", "--enable", "@uuid", "--mask-cards"], stdin: input)
        #expect(changed.text == "from 10.0.0.1 req [uuid] card ****-****-****-1111\n")
    }

    @Test("--pseudonymize with a key file: one pseudonym per value, stable across runs; the key is never printed")
    func pseudonyms() throws {
        try Self.withDirectory { directory in
            let key = "k3y-for-the-scrub-command-test-0123456789"
            try Data(key.utf8).write(to: directory.appendingPathComponent("key"))
            let input = Array("a alice@example.com\nb bob@example.com\nc ALICE@example.com\n".utf8)
            let first = try Self.run(["--pseudonymize", "--pseudonym-key-file", "key"], stdin: input, in: directory)
            let second = try Self.run(["--pseudonymize", "--pseudonym-key-file", "key"], stdin: input, in: directory)
            #expect(first.status == 0)
            #expect(first.stdout == second.stdout)
            let lines = first.text.split(separator: "\n").map(String.init)
            #expect(lines.count == 3)
            let pseudonyms = lines.compactMap { $0.firstMatch(of: /\[email:[0-9a-f]{6}\]/).map { String($0.output) } }
            #expect(pseudonyms.count == 3)
            #expect(pseudonyms[0] == pseudonyms[2] && pseudonyms[0] != pseudonyms[1])
            #expect(!first.text.contains(key) && !first.stderr.contains(key))
        }
    }

    @Test("an invalid custom pattern stops the run at start with the pattern, PCRE2's message and the offset")
    func invalidCustomPattern() throws {
        try Self.withDirectory { directory in
            let config = "scrubbing:\n  custom-rules:\n    - name: order-id\n      pattern: 'ORD-(\\d+'\n"
            try Data(config.utf8).write(to: directory.appendingPathComponent("f.yml"))
            let outcome = try Self.run(["--config", "f.yml"], stdin: Array("ORD-1 bob@example.com\n".utf8), in: directory)
            #expect(outcome.status == 2)
            #expect(outcome.stdout.isEmpty)
            #expect(outcome.stderr.contains(#"'scrubbing.custom-rules[0].pattern': invalid pattern "ORD-(\\d+" at offset 8: missing closing parenthesis"#),
                    "\(outcome.stderr)")
        }
    }

    @Test("custom rules and the allow-list from the configuration apply")
    func configuredRules() throws {
        try Self.withDirectory { directory in
            let config = """
                scrubbing:
                  custom-rules:
                    - name: order-id
                      pattern: 'ORD-\\d{6,}'
                      placeholder: order
                  allow: ["support@acme.example"]
                """
            try Data(config.utf8).write(to: directory.appendingPathComponent(".faultline.yml"))
            let outcome = try Self.run([], stdin: Array("ORD-123456 by bob@acme.example cc support@acme.example\n".utf8), in: directory)
            #expect(outcome.text == "[order] by [email] cc support@acme.example\n")
        }
    }

    @Test("an unknown rule in --disable is an error naming the closest rule")
    func unknownRule() throws {
        let outcome = try Self.run(["--disable", "@emial"], stdin: [])
        #expect(outcome.status == 2)
        #expect(outcome.stderr.contains("unknown scrubbing rule '@emial' (did you mean '@email'?)"))
    }

    @Test("a line longer than reader.max-line-bytes and the read buffer is scrubbed in pieces cut at white space")
    func longLine() throws {
        try Self.withDirectory { directory in
            try Data("reader:\n  max-line-bytes: 64\n".utf8).write(to: directory.appendingPathComponent("f.yml"))
            // About 400 KB in one line: more than the 256 KiB read block plus the 64-byte limit.
            let words = (0..<50_000).map { $0 % 1000 == 500 ? "user\($0)@example.com" : "word\($0)" }
            let input = Array((words.joined(separator: " ") + "\nshort 10.0.0.1\n").utf8)
            let outcome = try Self.run(["--config", "f.yml", "--summary"], stdin: input, in: directory)
            #expect(outcome.status == 0)
            let expectedWords = words.map { $0.hasSuffix("@example.com") ? "[email]" : $0 }
            #expect(outcome.text == expectedWords.joined(separator: " ") + "\nshort [ip]\n")
            #expect(outcome.stderr.contains("1 line was longer than 64 bytes and scrubbed in pieces"), "\(outcome.stderr)")
            #expect(outcome.stderr.contains("scrubbed 51 values in 2 of 2 lines"), "\(outcome.stderr)")
        }
    }

    @Test("a file that cannot be opened exits 66 and names it; --list-rules lists every rule")
    func missingFileAndRuleList() throws {
        let missing = try Self.run(["/nonexistent/app.log"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("cannot open /nonexistent/app.log"))
        let rules = try Self.run(["--list-rules"])
        #expect(rules.status == 0)
        for name in ["@email", "@ip", "@creditcard", "@iban", "@usssn", "@userpath", "@urlauth", "@bearer", "@password",
                     "@pemkey", "@jwt", "@secrets", "@highentropy", "@uuid", "@mac", "@phone"] {
            #expect(rules.text.contains(name), "\(name) missing from --list-rules")
        }
        #expect(rules.text.contains("(opt-in)"))
    }
}
