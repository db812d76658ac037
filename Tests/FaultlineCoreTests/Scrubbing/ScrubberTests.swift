import Testing

@testable import FaultlineCore

@Suite("Scrubbing: the engine")
struct ScrubberTests {
    static let key: [UInt8] = Array("a fixed key for tests, 32 bytes!".utf8)

    static func scrubber(_ configure: (inout ScrubSettings) -> Void = { _ in }, key: [UInt8]? = ScrubberTests.key) throws -> Scrubber {
        var settings = ScrubSettings()
        configure(&settings)
        return Scrubber(try ScrubPolicy(settings: settings, pseudonymKey: key))
    }

    // MARK: Lines as bytes

    @Test("a line with nothing to scrub is appended as it is, invalid UTF-8 included, and reported unchanged")
    func untouchedBytes() throws {
        let line: [UInt8] = Array("ok \u{e9}t\u{e9} ".utf8) + [0xFF, 0xC3, 0x28, 0x80] + Array(" done".utf8)
        var output: [UInt8] = Array("prefix|".utf8)
        let replaced = line.withUnsafeBytes { Scrubber(.standard).scrubLine($0, into: &output) }
        #expect(!replaced)
        #expect(output == Array("prefix|".utf8) + line)
    }

    @Test("invalid UTF-8 next to a replacement stays byte for byte")
    func invalidBytesAroundAReplacement() throws {
        let line: [UInt8] = [0xFF, 0x20] + Array("bob@example.com".utf8) + [0x20, 0xC3, 0x28]
        var output: [UInt8] = []
        let replaced = line.withUnsafeBytes { Scrubber(.standard).scrubLine($0, into: &output) }
        #expect(replaced)
        #expect(output == [0xFF, 0x20] + Array("[email]".utf8) + [0x20, 0xC3, 0x28])
    }

    @Test("several kinds in one line, in order")
    func severalKinds() {
        let line = "2026-03-01 08:05:00.189 INFO  [exec-38] app - User u257257 logged in from 10.120.78.73 "
            + "session=538ae1c130312932 mail=alice.458@example.com card 4111 1111 1111 1111 at /home/alice/x"
        #expect(Scrubber(.standard).scrub(line) == "2026-03-01 08:05:00.189 INFO  [exec-38] app - User u257257 logged in "
            + "from [ip] session=[password] mail=[email] card [creditcard] at /home/[user]/x")
    }

    @Test("multi-line text keeps its lines, CRs and final newline")
    func multiLine() {
        let text = "a 10.0.0.1\r\nb\n\nc bob@example.com\n"
        #expect(Scrubber(.standard).scrub(text) == "a [ip]\r\nb\n\nc [email]\n")
        #expect(Scrubber(.standard).scrub("") == "")
    }

    @Test("overlapping findings merge into one placeholder: nothing of either leaks")
    func overlapsMerge() throws {
        // The custom rule's match straddles the e-mail address.
        let scrubber = try Self.scrubber({ $0.customRules = [CustomScrubRule(name: "ticket", pattern: #"T-\d+ alice"#)] }, key: nil)
        #expect(scrubber.scrub("see T-42 alice@example.com now") == "see [ticket] now")
    }

    // MARK: Settings

    @Test("pseudonyms: keyed HMAC-SHA256, six hex digits, stable per value, e-mail case ignored")
    func pseudonyms() throws {
        let scrubber = try Self.scrubber { $0.pseudonymize = true }
        let first = scrubber.scrub("from alice@example.com and 10.0.0.1")
        let again = scrubber.scrub("from ALICE@Example.com and 10.0.0.1")
        #expect(first == again)
        let match = first.wholeMatch(of: /from \[email:([0-9a-f]{6})\] and \[ip:([0-9a-f]{6})\]/)
        #expect(match != nil, "\(first)")
        #expect(scrubber.scrub("from bob@example.com") != scrubber.scrub("from alice@example.com"))
        let otherKey = try Self.scrubber({ $0.pseudonymize = true }, key: Array(repeating: 7, count: 32))
        #expect(otherKey.scrub("from alice@example.com and 10.0.0.1") != first)
    }

    @Test("pseudonyms are HMAC-SHA256 of the value under the key (RFC 4231 test case 2)")
    func pseudonymIsHMAC() {
        // HMAC-SHA256(key "Jefe", "what do ya want for nothing?") = 5bdcc146bf60754e6a042426089575c7…
        // One keyed HMAC is copied for every value: each value must start from the key's state, not the last value's.
        let key = Pseudonymizer(PseudonymKey(Array("Jefe".utf8)))
        func pseudonym(_ value: String) -> String {
            var text = value
            return String(decoding: text.withUTF8 { key.pseudonym(for: UnsafeRawBufferPointer($0), lowercased: false) },
                          as: UTF8.self)
        }
        #expect(pseudonym("what do ya want for nothing?") == "5bdcc1")
        #expect(pseudonym("alice@example.com") == "de9ba7")
        #expect(pseudonym("10.0.0.1") == "a7da43")
        #expect(pseudonym("what do ya want for nothing?") == "5bdcc1")
    }

    @Test("pseudonymize without a key falls back to placeholders")
    func pseudonymsWithoutKey() throws {
        let scrubber = try Self.scrubber({ $0.pseudonymize = true }, key: nil)
        #expect(scrubber.scrub("from alice@example.com") == "from [email]")
    }

    @Test("card masking to the last four keeps separators")
    func cardMasking() throws {
        let scrubber = try Self.scrubber { $0.cardMasking = .lastFour }
        #expect(scrubber.scrub("card 4111-1111-1111-1111 and 378282246310005") == "card ****-****-****-1111 and ***********0005")
        let pseudonyms = try Self.scrubber { $0.cardMasking = .lastFour; $0.pseudonymize = true }
        #expect(pseudonyms.scrub("card 4111111111111111") == "card ************1111")
    }

    @Test("allow-listed values stay; others of the same kind do not")
    func allowList() throws {
        let scrubber = try Self.scrubber { $0.allowList = ["support@acme.example", "10.0.0.1"] }
        #expect(scrubber.scrub("mail support@acme.example or bob@acme.example via 10.0.0.1, 10.0.0.2")
                == "mail support@acme.example or [email] via 10.0.0.1, [ip]")
    }

    @Test("a disabled rule does not run; an opt-in rule runs only when enabled")
    func disableAndEnable() throws {
        let noIP = try Self.scrubber { $0.disabledRules = ["@ip"] }
        #expect(noIP.scrub("from 10.0.0.1 bob@example.com") == "from 10.0.0.1 [email]")
        #expect(!noIP.policy.ruleNames.contains("@ip"))
        let text = "req 550e8400-e29b-41d4-a716-446655440000 from 00:1a:2b:3c:4d:5e tel +1 415 555 2671"
        #expect(Scrubber(.standard).scrub(text) == text)
        let all = try Self.scrubber { $0.enabledOptInRules = ["@uuid", "@mac", "@phone"] }
        #expect(all.scrub(text) == "req [uuid] from [mac] tel [phone]")
    }

    @Test("custom rules: whole match or the group named value, after the built-in rules")
    func customRules() throws {
        let scrubber = try Self.scrubber({
            $0.customRules = [
                CustomScrubRule(name: "order-id", pattern: #"ORD-\d{6,}"#, placeholder: "order"),
                CustomScrubRule(name: "tenant", pattern: #"tenant=(?<value>\w+)"#, placeholder: "[tenant]"),
            ]
        }, key: nil)
        #expect(scrubber.scrub("ORD-123456 for tenant=acme from 10.0.0.1") == "[order] for tenant=[tenant] from [ip]")
        #expect(scrubber.policy.ruleNames.suffix(2) == ["order-id", "tenant"])
        #expect(scrubber.replacementCounts.first { $0.rule == "order-id" }?.count == 1)
    }

    @Test("an invalid custom pattern names the rule, the pattern, PCRE2's message and the offset")
    func invalidCustomPattern() {
        var settings = ScrubSettings()
        settings.customRules = [CustomScrubRule(name: "order-id", pattern: #"ORD-(\d+"#, placeholder: "order")]
        #expect {
            _ = try ScrubPolicy(settings: settings, pseudonymKey: nil)
        } throws: { error in
            guard case .invalidPattern(let rule, let pattern, let message, let offset) = error as? ScrubError else { return false }
            let text = String(describing: error)
            return rule == "order-id" && pattern == #"ORD-(\d+"# && offset == 8 && message.contains("missing closing parenthesis")
                && text == #"custom scrubbing rule 'order-id': invalid pattern "ORD-(\\d+" at offset 8: missing closing parenthesis"#
        }
    }

    static func settings(_ configure: (inout ScrubSettings) -> Void) -> ScrubSettings {
        var settings = ScrubSettings()
        configure(&settings)
        return settings
    }

    @Test("unknown rule names, on-by-default rules in enable and bad custom names are errors", arguments: [
        (settings { $0.disabledRules = ["@ipp"] }, "unknown scrubbing rule '@ipp' (did you mean '@ip'?)"),
        (settings { $0.enabledOptInRules = ["@email"] }, "scrubbing rule '@email' is on by default; only these are opt-in: @uuid, @mac, @phone"),
        (settings { $0.customRules = [CustomScrubRule(name: "@mine", pattern: "x")] }, "custom scrubbing rule '@mine': a custom rule's name must not be empty nor start with '@'"),
        (settings { $0.customRules = [CustomScrubRule(name: "a", pattern: "x"), CustomScrubRule(name: "a", pattern: "y")] }, "custom scrubbing rule 'a': the name is used by another rule"),
    ])
    func settingsErrors(settings: ScrubSettings, message: String) {
        #expect {
            _ = try ScrubPolicy(settings: settings, pseudonymKey: nil)
        } throws: { error in
            String(describing: error).hasPrefix(message)
        }
    }

    @Test("a pattern that hits PCRE2's match limit replaces the whole line rather than let it through")
    func resourceLimit() throws {
        let scrubber = try Self.scrubber({ $0.customRules = [CustomScrubRule(name: "slow", pattern: #"(a+)+$"#)] }, key: nil)
        let line = String(repeating: "a", count: 40) + "b secret-ish"
        #expect(scrubber.scrub(line) == "[unscrubbable line]")
        #expect(scrubber.unscrubbableLines == 1)
    }

    // MARK: PEM blocks across lines

    @Test("a key block over several scrubLine calls: body lines become the placeholder, other lines stay")
    func keyBlockAcrossLines() {
        let lines = [
            "2026-03-01 ERROR loaded key:", "-----BEGIN RSA PRIVATE KEY-----", "Proc-Type: 4,ENCRYPTED",
            "MIIEowIBAAKCAQEA7bq98wy7sxJ/8nZ", "", "aBcD+/==", "-----END RSA PRIVATE KEY-----", "next line 10.0.0.1",
        ]
        let scrubber = Scrubber(.standard)
        var results: [String] = []
        for line in lines {
            var output: [UInt8] = []
            Array(line.utf8).withUnsafeBytes { _ = scrubber.scrubLine($0, into: &output) }
            results.append(String(decoding: output, as: UTF8.self))
        }
        #expect(results == [
            "2026-03-01 ERROR loaded key:", "-----BEGIN RSA PRIVATE KEY-----", "[pemkey]", "[pemkey]", "", "[pemkey]",
            "-----END RSA PRIVATE KEY-----", "next line [ip]",
        ])
    }

    @Test("a BEGIN line without its END does not swallow ordinary lines that follow")
    func keyBlockWithoutEnd() {
        let text = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq\n2026-03-01 INFO ok from 10.0.0.1\nZm9vYmFy"
        #expect(Scrubber(.standard).scrub(text) == "-----BEGIN PRIVATE KEY-----\n[pemkey]\n2026-03-01 INFO ok from [ip]\nZm9vYmFy")
    }

    // MARK: Events

    @Test("every text field of an event is scrubbed; paths keep everything but the user name")
    func event() {
        let frame = Frame(function: "handle", module: "app.http", filename: "/home/alice/app/http.py",
                          absPath: "/home/alice/app/http.py", lineno: 12, contextLine: "login(password='hunter2')",
                          raw: "File \"/home/alice/app/http.py\", line 12, in handle")
        let event = ErrorEvent(
            level: .error, logger: "app", thread: "worker bob@example.com",
            message: "login failed for bob@example.com from 10.0.0.7",
            exceptions: [ExceptionRecord(type: "ValueError", value: "bad card 4111111111111111", module: "app", frames: [frame])],
            threads: [ThreadStack(id: "1", state: "10.0.0.8", frames: [frame])],
            tags: ["client": "10.0.0.9", "service": "api"],
            origin: EventOrigin(file: "app.log", firstLine: 1, lastLine: 3, byteOffset: 0))
        let scrubbed = Scrubber(.standard).scrub(event)
        #expect(scrubbed.message == "login failed for [email] from [ip]")
        #expect(scrubbed.thread == "worker [email]")
        #expect(scrubbed.exceptions[0].value == "bad card [creditcard]")
        let scrubbedFrame = scrubbed.exceptions[0].frames[0]
        #expect(scrubbedFrame.filename == "/home/[user]/app/http.py")
        #expect(scrubbedFrame.absPath == "/home/[user]/app/http.py")
        #expect(scrubbedFrame.contextLine == "login(password='[password]')")
        #expect(scrubbedFrame.raw == "File \"/home/[user]/app/http.py\", line 12, in handle")
        #expect(scrubbedFrame.function == "handle" && scrubbedFrame.lineno == 12)
        #expect(scrubbed.threads[0].state == "[ip]")
        #expect(scrubbed.threads[0].frames[0].filename == "/home/[user]/app/http.py")
        #expect(scrubbed.tags == ["client": "[ip]", "service": "api"])
        #expect(scrubbed.origin == event.origin)
        #expect(Scrubber(.standard).scrub(scrubbed) == scrubbed)
    }

    @Test("counts per rule")
    func counts() {
        let scrubber = Scrubber(.standard)
        _ = scrubber.scrub("a@example.com b@example.com 10.0.0.1")
        let counts = Dictionary(uniqueKeysWithValues: scrubber.replacementCounts.map { ($0.rule, $0.count) })
        #expect(counts["@email"] == 2)
        #expect(counts["@ip"] == 1)
        #expect(counts["@iban"] == 0)
    }

    @Test("a trigger fires only where its neighbour filter admits the bytes around the anchor")
    func neighbourFiltersAreNecessary() {
        // Every rule's examples and survivors, each also inside other text, and lines of random bytes from an
        // alphabet dense in anchors, digits and hex (dotted quads, `::`, SSN shapes, keys before `=`, prefixes).
        var lines: [[UInt8]] = []
        for rule in ScrubRule.builtIn {
            for text in rule.examples.map(\.input) + rule.survivors {
                lines.append(Array(text.utf8))
                lines.append(Array("x\(text)y".utf8))
                lines.append(Array(" \(text) ".utf8))
            }
        }
        let alphabet = Array("0123456789abcdefABCDEF.:-=_@/ \"'\\hcrkwoJyeBINSptxgKIZlmu+".utf8)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<1500 {
            var line: [UInt8] = []
            for _ in 0..<48 {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                line.append(alphabet[Int(state >> 33) % alphabet.count])
            }
            lines.append(line)
        }
        let triggers = Set(ScrubRule.builtIn.flatMap { $0.detectors.map(\.trigger) })
        var fired = 0
        for trigger in triggers {
            guard let anchors = trigger.anchors else { continue }
            for line in lines {
                line.withUnsafeBytes { bytes in
                    for position in bytes.indices.dropFirst().dropLast() where anchors.contains(bytes[position]) {
                        guard trigger.check(bytes, at: position) != nil else { continue }
                        fired += 1
                        let filter = trigger.neighbourFilter(at: bytes[position])
                        #expect(filter.admits(previous: bytes[position - 1], next: bytes[position + 1]),
                                "\(trigger) at \(position) of \(String(decoding: bytes, as: UTF8.self))")
                    }
                }
            }
        }
        #expect(fired > 100)
    }
}
