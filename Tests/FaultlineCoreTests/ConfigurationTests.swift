import Testing

@testable import FaultlineCore

@Suite("Configuration file")
struct ConfigurationTests {
    @Test("an empty file means the built-in defaults")
    func emptyFile() throws {
        #expect(try Configuration.parse(yaml: "", file: "empty.yml") == Configuration())
        #expect(try Configuration.parse(yaml: "# only a comment\n", file: "c.yml") == Configuration())
    }

    @Test("every reader setting is read, with byte-size units")
    func readerSection() throws {
        let yaml = """
            reader:
              max-line-bytes: 64KiB
              max-member-bytes: 2 GiB
              max-compression-ratio: 250
              ratio-check-after-bytes: 10MB
              max-archive-depth: 2
              exclude: ["*.pid", "**/tmp/**"]
              include-hidden: true
              follow-symlinks: false
              temporary-directory: /var/tmp
            """
        let reader = try Configuration.parse(yaml: yaml, file: "f.yml").reader
        #expect(reader.maxLineBytes == 65_536)
        #expect(reader.maxMemberBytes == 2 << 30)
        #expect(reader.maxCompressionRatio == 250)
        #expect(reader.ratioCheckAfterBytes == 10_000_000)
        #expect(reader.maxArchiveDepth == 2)
        #expect(reader.exclude == ["*.pid", "**/tmp/**"])
        #expect(reader.includeHidden)
        #expect(!reader.followSymlinks)
        #expect(reader.temporaryDirectory == "/var/tmp")
    }

    @Test("a single exclude glob may be written as a string")
    func singleExclude() throws {
        let reader = try Configuration.parse(yaml: "reader:\n  exclude: '*.pid'\n", file: "f.yml").reader
        #expect(reader.exclude == ["*.pid"])
    }

    @Test(
        "mistakes name the file, line, column and key",
        arguments: [
            ("readr:\n  max-line-bytes: 1\n", "f.yml:1:1: 'readr': unknown key (did you mean 'reader'?)"),
            ("reader:\n  max-line-byte: 1MiB\n", "f.yml:2:3: 'reader.max-line-byte': unknown key (did you mean 'max-line-bytes'?)"),
            ("reader:\n  max-line-bytes: lots\n", "f.yml:2:19: 'reader.max-line-bytes': expected a byte size"),
            ("reader:\n  max-archive-depth: 0\n", "f.yml:2:22: 'reader.max-archive-depth': must be at least 1"),
            ("reader:\n  follow-symlinks: sometimes\n", "f.yml:2:20: 'reader.follow-symlinks': expected true or false"),
            ("reader:\n  exclude: [1, [2]]\n", "f.yml:2:16: 'reader.exclude': expected a list of strings"),
            ("reader: 12\n", "f.yml:1:9: 'reader': expected a mapping"),
            ("reader:\n  max-archive-depth: 2\n  max-archive-depth: 3\n", "f.yml:2:3: the mapping starting here repeats the key 'max-archive-depth'"),
            ("reader: [unclosed\n", "f.yml:2:1: not valid YAML"),
        ])
    func errors(yaml: String, expected: String) {
        #expect {
            _ = try Configuration.parse(yaml: yaml, file: "f.yml")
        } throws: { error in
            let text = String(describing: error)
            let matches = text.hasPrefix(expected)
            if !matches { Issue.record("got: \(text)") }
            return matches
        }
    }

    @Test("byte sizes", arguments: [
        ("1048576", 1_048_576), ("512KiB", 524_288), ("1 MiB", 1_048_576), ("64GiB", 68_719_476_736),
        ("10MB", 10_000_000), ("2k", 2048), ("1_000", 1000),
    ] as [(String, Int64)])
    func byteSizes(text: String, value: Int64) {
        #expect(ByteSize.parse(text) == value)
    }

    @Test("byte sizes that are rejected", arguments: ["", "MiB", "1.5MiB", "-1", "12 parsecs", "99999999999TiB"])
    func badByteSizes(text: String) {
        #expect(ByteSize.parse(text) == nil)
    }

    @Test("a missing file is an error naming it")
    func missingFile() {
        #expect {
            _ = try Configuration.load(path: "/nonexistent/faultline.yml")
        } throws: { error in
            String(describing: error).hasPrefix("/nonexistent/faultline.yml: cannot read the file")
        }
    }
}

@Suite("Configuration file: scrubbing")
struct ScrubbingConfigurationTests {
    @Test("every scrubbing setting is read")
    func scrubbingSection() throws {
        let yaml = #"""
            scrubbing:
              disable: ["@ip", "@userpath"]
              enable: [ "@uuid" ]
              custom-rules:
                - name: order-id
                  pattern: 'ORD-\d{6,}'
                  placeholder: order
                - name: tenant
                  pattern: 'tenant=(?<value>\w+)'
              allow: ["support@acme.example", "10.0.0.1"]
              pseudonymize: true
              card-masking: last4
            """#
        let scrubbing = try Configuration.parse(yaml: yaml, file: "f.yml").scrubbing
        #expect(scrubbing.disabledRules == ["@ip", "@userpath"])
        #expect(scrubbing.enabledOptInRules == ["@uuid"])
        #expect(scrubbing.customRules == [
            CustomScrubRule(name: "order-id", pattern: #"ORD-\d{6,}"#, placeholder: "order"),
            CustomScrubRule(name: "tenant", pattern: #"tenant=(?<value>\w+)"#, placeholder: "tenant"),
        ])
        #expect(scrubbing.allowList == ["support@acme.example", "10.0.0.1"])
        #expect(scrubbing.pseudonymize)
        #expect(scrubbing.cardMasking == .lastFour)
        _ = try ScrubPolicy(settings: scrubbing, pseudonymKey: nil)
    }

    @Test("without a scrubbing section every default rule is on, with placeholders")
    func defaults() throws {
        let scrubbing = try Configuration.parse(yaml: "reader:\n  max-archive-depth: 2\n", file: "f.yml").scrubbing
        #expect(scrubbing == ScrubSettings())
        #expect(!scrubbing.pseudonymize && scrubbing.cardMasking == .placeholder)
    }

    @Test(
        "scrubbing mistakes name the file, line, column and key",
        arguments: [
            ("scrubbing:\n  disable: [\"@ipp\"]\n",
             "f.yml:2:13: 'scrubbing.disable': unknown rule '@ipp' (did you mean '@ip'?); built-in rules: @pemkey, "),
            ("scrubbing:\n  enable:\n    - \"@uuid\"\n    - \"@email\"\n",
             "f.yml:4:7: 'scrubbing.enable': '@email' is on by default; opt-in rules: @uuid, @mac, @phone"),
            ("scrubbing:\n  custom-rules:\n    - name: order\n      pattern: 'ORD-(\\d+'\n",
             #"f.yml:4:16: 'scrubbing.custom-rules[0].pattern': invalid pattern "ORD-(\\d+" at offset 8: missing closing parenthesis"#),
            ("scrubbing:\n  custom-rules:\n    - name: order\n",
             "f.yml:3:7: 'scrubbing.custom-rules[0]': a custom rule needs a 'pattern'"),
            ("scrubbing:\n  custom-rules:\n    - pattern: x\n      placholder: y\n",
             "f.yml:4:7: 'scrubbing.custom-rules[0].placholder': unknown key (did you mean 'placeholder'?)"),
            ("scrubbing:\n  custom-rules:\n    - name: '@mine'\n      pattern: x\n",
             "f.yml:3:13: 'scrubbing.custom-rules[0].name': a custom rule's name must not be empty nor start with '@'"),
            ("scrubbing:\n  custom-rules:\n    - {name: a, pattern: x}\n    - {name: a, pattern: y}\n",
             "f.yml:4:7: 'scrubbing.custom-rules[1]': the rule name 'a' is used twice"),
            ("scrubbing:\n  card-masking: last5\n", "f.yml:2:17: 'scrubbing.card-masking': expected placeholder or last4"),
            ("scrubbing:\n  pseudonymise: true\n", "f.yml:2:3: 'scrubbing.pseudonymise': unknown key (did you mean 'pseudonymize'?)"),
            ("scrubbing:\n  pseudonymize: maybe\n", "f.yml:2:17: 'scrubbing.pseudonymize': expected true or false"),
            ("scrubbing:\n  allow: {a: 1}\n", "f.yml:2:10: 'scrubbing.allow': expected a list of strings"),
        ])
    func errors(yaml: String, expected: String) {
        #expect {
            _ = try Configuration.parse(yaml: yaml, file: "f.yml")
        } throws: { error in
            let text = String(describing: error)
            let matches = text.hasPrefix(expected)
            if !matches { Issue.record("got: \(text)") }
            return matches
        }
    }
}
