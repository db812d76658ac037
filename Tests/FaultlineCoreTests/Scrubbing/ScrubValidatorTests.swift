import Testing

@testable import FaultlineCore

/// The validators on their own: checksums, ranges and parsers.
@Suite("Scrubbing: validators")
struct ScrubValidatorTests {
    static func bytes<T>(_ text: String, _ body: (UnsafeRawBufferPointer) -> T) -> T {
        var copy = text
        return copy.withUTF8 { body(UnsafeRawBufferPointer($0)) }
    }

    @Test("Luhn", arguments: [
        ("4111111111111111", true), ("5555555555554444", true), ("378282246310005", true), ("79927398713", true),
        ("4111111111111112", false), ("1453843029218310", false), ("4012888888881882", false),
    ])
    func luhn(digits: String, valid: Bool) {
        #expect(Validators.passesLuhn(digits.utf8.map { $0 - UInt8(ascii: "0") }) == valid)
    }

    @Test("issuer prefix and length", arguments: [
        ("4111111111111111", true), ("4222222222222", true), ("4111111111111111000", true), ("411111111111111", false),
        ("5105105105105100", true), ("5605105105105100", false), ("2223003122003222", true), ("2721003122003222", false),
        ("378282246310005", true), ("3782822463100050", false), ("3530111333300000", true), ("30569309025904", true),
        ("6011111111111117", true), ("6200000000000005", true), ("1748503543012", false), ("9111111111111111", false),
    ])
    func issuer(digits: String, valid: Bool) {
        #expect(Validators.hasIssuerPrefix(digits.utf8.map { $0 - UInt8(ascii: "0") }) == valid)
    }

    @Test("card numbers: grouping must be 4-4-4-4, 4-6-5 or 4-6-4, one separator kind", arguments: [
        ("4111 1111 1111 1111", true), ("4111-1111-1111-1111", true), ("3782 822463 10005", true),
        ("4111 1111-1111 1111", false), ("41 1111 1111 1111 11", false), ("4111111111111111", true),
    ])
    func cardGrouping(text: String, valid: Bool) {
        #expect(Self.bytes(text) { Validators.isPaymentCard($0) } == valid)
    }

    @Test("a card inside a longer digit run is found at its separators")
    func cardSpan() {
        #expect(Self.bytes("4111111111111111 12") { Validators.paymentCardSpan($0) } == 0..<16)
        #expect(Self.bytes("12 4111111111111111") { Validators.paymentCardSpan($0) } == 3..<19)
        #expect(Self.bytes("1111 2222 3333 4444") { Validators.paymentCardSpan($0) } == nil)
    }

    @Test("IBAN: country length and mod-97", arguments: [
        ("DE89370400440532013000", 22), ("DE89 3704 0044 0532 0130 00", 27), ("GB82WEST12345698765432", 22),
        ("NO9386011117947", 15), ("MT84MALT011000012345MTLCAST001S", 31),
        ("DE89370400440532013001", nil), ("DE8937040044053201300", nil), ("ZZ89370400440532013000", nil),
        ("DE89 37040044 0532 0130 00", nil), ("DE89370400440532013000X", nil),
    ] as [(String, Int?)])
    func iban(text: String, length: Int?) {
        #expect(Self.bytes(text) { Validators.ibanLength($0) } == length)
    }

    @Test("IPv4 parsing", arguments: [
        ("10.0.0.1", [10, 0, 0, 1]), ("255.255.255.255", [255, 255, 255, 255]), ("0.0.0.0", [0, 0, 0, 0]),
        ("256.1.1.1", nil), ("1.2.3", nil), ("1.2.3.4.5", nil), ("01.2.3.4", nil), ("1.2.3.04", nil), ("1..2.3", nil),
    ] as [(String, [UInt8]?)])
    func ipv4(text: String, octets: [UInt8]?) {
        #expect(Self.bytes(text) { Validators.parseIPv4($0) } == octets)
    }

    @Test("IPv6 parsing and what is worth replacing", arguments: [
        ("2001:db8::1", true), ("::1", true), ("fe80::1ff:fe23:4567:890a%eth0", true), ("::ffff:192.0.2.128", true),
        ("2001:0db8:0000:0000:0000:ff00:0042:8329", true), ("1:2:3:4:5:6:7:8", true),
        ("::", false), ("0:0:0:0:0:0:0:0", false), ("dead::beef", false), ("1::", false), ("1:2:3:4:5:6:7", false),
        ("1:2:3:4:5:6:7:8:9", false), ("1::2::3", false), ("12345::1", false), ("g::1", false), ("fe80::1%", false),
    ])
    func ipv6(text: String, scrubbed: Bool) {
        #expect(Self.bytes(text) { Validators.isScrubbableIPv6($0) } == scrubbed)
    }

    @Test("versions before dotted quads", arguments: [
        ("Chrome/120.0.0.0", 7, true), ("version 1.2.3.4", 8, true), ("build: 1.2.3.4", 7, true),
        ("ip=1.2.3.4", 3, false), ("http://1.2.3.4", 7, false), ("from 1.2.3.4", 5, false),
    ])
    func versionContext(line: String, start: Int, isVersion: Bool) {
        #expect(Self.bytes(line) { Validators.followsVersionWord($0, at: start) } == isVersion)
    }

    @Test("social security numbers", arguments: [
        ("123-45-6789", true), ("078-05-1121", true), ("000-12-3456", false), ("666-12-3456", false),
        ("900-12-3456", false), ("123-00-4567", false), ("123-45-0000", false), ("111-11-1111", false),
        ("078-05-1120", false),
    ])
    func ssn(text: String, valid: Bool) {
        #expect(Self.bytes(text) { Validators.isSocialSecurityNumber($0) } == valid)
    }

    @Test("JWT headers must decode to JSON with alg")
    func jwt() {
        #expect(Self.bytes("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig") { Validators.isJSONWebToken($0) })
        #expect(!Self.bytes("eyJub3QiOiJqc29uIn0.eyJ4IjoxfQ.sig") { Validators.isJSONWebToken($0) })
        #expect(!Self.bytes("eyJ!!!.eyJ4IjoxfQ.sig") { Validators.isJSONWebToken($0) })
        #expect(Self.bytes("YWJj") { Validators.base64URLDecode($0) } == Array("abc".utf8))
    }

    @Test("high entropy: random tokens yes, digests, UUIDs, words and repetition no", arguments: [
        ("9fK2xLq7ZwP4vB8nT1yRm0Qs", true), ("wJalrXUtnFEMI/K7MDENG/bPxRfiCY", true),
        ("e3b0c44298fc1c149afbf4c8996fb924", false), ("550e8400-e29b-41d4-a716-446655440000", false),
        ("existingSubscriptionHandler", false), ("aaaaaaaaaaaaaaaa1111", false), ("short1Aa", false),
        ("BLOCK-----lQOYBF0cNQkBCAC", false),
    ])
    func entropy(text: String, secret: Bool) {
        #expect(Self.bytes(text) { Validators.isHighEntropySecret($0) } == secret)
    }

    @Test("credential values: placeholders, masks, templates and prose after ': ' are not secrets", arguments: [
        ("hunter2", false, true), ("null", false, false), ("********", true, false), ("${DB_PASSWORD}", false, false),
        ("[password]", false, false), ("too", true, false), ("too", false, true), ("%PASSWORD%", false, false),
        ("expired", true, false), ("s3cr3t", true, true),
    ])
    func credential(value: String, prose: Bool, secret: Bool) {
        #expect(Self.bytes(value) { Validators.isCredential($0, key: nil, proseSeparator: prose) } == secret)
    }

    @Test("PWD and OLDPWD are the shell's directories, not passwords")
    func shellDirectories() {
        let secret = Self.bytes("PWD") { key in Self.bytes("/srv/app") { Validators.isCredential($0, key: key, proseSeparator: false) } }
        #expect(!secret)
    }

    @Test("MAC addresses and phone numbers")
    func macAndPhone() {
        #expect(Self.bytes("00:1a:2b:3c:4d:5e") { Validators.isMACAddress($0) })
        #expect(!Self.bytes("FF:FF:FF:FF:FF:FF") { Validators.isMACAddress($0) })
        #expect(!Self.bytes("00-00-00-00-00-00") { Validators.isMACAddress($0) })
        #expect(Self.bytes("+1 415 555 2671") { Validators.isPhoneNumber($0) })
        #expect(!Self.bytes("+1 23") { Validators.isPhoneNumber($0) })
    }

    @Test("the byte classes written as bit words hold exactly their characters")
    func byteClassConstants() {
        let classes: [(ByteClass, String)] = [
            (.digits, "0123456789"), (.hexDigits, "0123456789abcdefABCDEF"),
            (.letters, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"),
            (.alphanumerics, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"),
            (.tokenCharacters, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"),
        ]
        for (byteClass, characters) in classes {
            #expect(byteClass == ByteClass(characters))
        }
    }
}
