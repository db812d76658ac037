import Testing

@testable import FaultlineCore

/// Runs `body` with the bytes of `bytes` as a raw buffer.
private func withSubject<R>(_ bytes: [UInt8], _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
    try bytes.withUnsafeBytes(body)
}

@Suite("PCRE2 patterns")
struct PatternTests {
    @Test("compiles with JIT and matches raw bytes with byte offsets")
    func matchesBytes() throws {
        let pattern = try Pattern(#"^\s+at (?<function>[\w$.<>]+)\((?<file>[^():]*)(?::(?<line>\d+))?\)"#)
        #expect(pattern.isJITCompiled)
        #expect(pattern.captureCount == 3)
        #expect(pattern.captureNames == ["function": 1, "file": 2, "line": 3])
        let matcher = Matcher(pattern)
        let line = Array("\tat com.acme.Foo.bar(Foo.java:42)".utf8)
        let match = try #require(try withSubject(line) { try matcher.firstMatch(in: $0) })
        #expect(match.range == 0..<line.count)
        #expect(match["function"].map { String(decoding: line[$0], as: UTF8.self) } == "com.acme.Foo.bar")
        #expect(match["file"].map { String(decoding: line[$0], as: UTF8.self) } == "Foo.java")
        #expect(match["line"].map { String(decoding: line[$0], as: UTF8.self) } == "42")
        #expect(match["missing"] == nil)
    }

    @Test("an unset optional group is nil")
    func unsetGroup() throws {
        let matcher = Matcher(try Pattern(#"(a)?(b)"#))
        let match = try #require(try matcher.firstMatch(in: "b"))
        #expect(match.match[1] == nil)
        #expect(match[2] == "b")
    }

    @Test("invalid UTF-8 in the subject never breaks matching")
    func invalidUTF8() throws {
        let matcher = Matcher(try Pattern(#"ERROR (\w+)"#))
        // 0xFF 0xFE and a truncated 0xC3 around the match.
        let line: [UInt8] = [0xFF, 0xFE] + Array(" ERROR boom ".utf8) + [0xC3]
        let match = try #require(try withSubject(line) { try matcher.firstMatch(in: $0) })
        #expect(String(decoding: line[match[1]!], as: UTF8.self) == "boom")
        #expect(try withSubject(line) { try matcher.matches($0) })
        // `.` does not match the invalid bytes, but the rest still matches.
        let dot = Matcher(try Pattern(#"^.+$"#))
        #expect(try withSubject([0xFF]) { try dot.matches($0) } == false)
        #expect(try withSubject(Array("é ok".utf8)) { try dot.matches($0) })
    }

    @Test("NUL bytes are ordinary subject bytes")
    func nulBytes() throws {
        let matcher = Matcher(try Pattern(#"a\x00b"#))
        #expect(try withSubject([0x61, 0x00, 0x62]) { try matcher.matches($0) })
    }

    @Test("empty subjects and empty patterns")
    func empties() throws {
        let matcher = Matcher(try Pattern(""))
        #expect(try withSubject([]) { try matcher.matches($0) })
        let anchored = Matcher(try Pattern("^$"))
        #expect(try withSubject([]) { try anchored.matches($0) })
    }

    @Test("forEachMatch finds every non-overlapping match, also empty ones")
    func iteration() throws {
        let matcher = Matcher(try Pattern(#"\d+"#))
        let subject = Array("a1 b22 c333".utf8)
        var found: [String] = []
        try withSubject(subject) { bytes in
            try matcher.forEachMatch(in: bytes) { match in
                found.append(String(decoding: subject[match.range], as: UTF8.self))
                return true
            }
        }
        #expect(found == ["1", "22", "333"])

        let empty = Matcher(try Pattern(#"x*"#))
        var count = 0
        try withSubject(Array("ab".utf8)) { bytes in
            try empty.forEachMatch(in: bytes) { _ in count += 1; return true }
        }
        #expect(count == 3)  // before a, before b, at the end
    }

    @Test("options: case-insensitive and multiline")
    func options() throws {
        let caseless = Matcher(try Pattern("error", options: .caseInsensitive))
        #expect(try caseless.matches("FATAL ERROR"))
        let multiline = Matcher(try Pattern("^b$", options: .multiline))
        #expect(try multiline.matches("a\nb\nc"))
        let plain = Matcher(try Pattern("^b$"))
        #expect(try plain.matches("a\nb\nc") == false)
    }

    @Test(
        "compile errors carry PCRE2's message and the offset in the pattern",
        arguments: [
            ("abc(def", 7, "missing closing parenthesis"),
            ("a{2,1}", 5, "numbers out of order"),
            ("(?<name>a)(?<name>b)", 18, "two named subpatterns have the same name"),
            ("[z-a]", 3, "range out of order"),
        ])
    func compileErrors(pattern: String, offset: Int, message: String) {
        #expect {
            _ = try Pattern(pattern)
        } throws: { error in
            guard let error = error as? PatternError else { return false }
            return error.patternOffset == offset && error.message.contains(message)
                && error.description.contains("offset \(offset)") && error.pattern == pattern
        }
    }

    @Test("a catastrophic pattern hits the match limit instead of hanging")
    func matchLimit() throws {
        let pattern = try Pattern(#"^(a+)+$"#)
        let limits = MatchLimits(matchLimit: 10_000, depthLimit: 1_000, heapLimitKiB: 1024, jitStackBytes: 1 << 20)
        let matcher = Matcher(pattern, limits: limits)
        let subject = [UInt8](repeating: UInt8(ascii: "a"), count: 40) + [UInt8(ascii: "!")]
        #expect {
            _ = try withSubject(subject) { try matcher.matches($0) }
        } throws: { error in
            guard let error = error as? PatternError else { return false }
            return error.isResourceLimit && error.patternOffset == nil
                && !error.description.contains("aaaa")  // never echoes the subject
        }
    }

    @Test("long lines match with the per-matcher JIT stack")
    func longLines() throws {
        // With PCRE2's default 32 KiB JIT stack this fails from about 1,500 characters.
        let matcher = Matcher(try Pattern(#"^(?:a|b)*!$"#))
        let subject = [UInt8](repeating: UInt8(ascii: "a"), count: 200_000) + [UInt8(ascii: "!")]
        #expect(try withSubject(subject) { try matcher.matches($0) })
    }

    @Test("a compiled pattern is shared by concurrent tasks, each with its own matcher")
    func concurrentUse() async throws {
        let pattern = try Pattern(#"(\d+)"#)
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for task in 0..<4 {
                group.addTask {
                    let matcher = Matcher(pattern)
                    var count = 0
                    for index in 0..<2_000 {
                        if try matcher.matches("line \(index + task)") { count += 1 }
                    }
                    return count
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(total == 8_000)
    }
}
