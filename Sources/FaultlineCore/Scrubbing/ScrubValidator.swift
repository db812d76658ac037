#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a pattern's shape cannot say: checksums (Luhn, mod-97), number ranges, parsing, context. Runs only
/// on matches, so it may take its time.
enum ScrubValidator: Sendable, Hashable {
    case email
    case ipv4
    case ipv6
    case paymentCard
    case iban
    case socialSecurityNumber
    case userName
    case credential
    case bearerToken
    case jsonWebToken
    case highEntropy
    case macAddress
    case phoneNumber

    /// The span to replace, `value` or a part of it, or `nil` when the match is not what the rule looks for.
    func accept(_ line: UnsafeRawBufferPointer, match: Match, value: Range<Int>) -> Range<Int>? {
        let bytes = UnsafeRawBufferPointer(rebasing: line[value])
        switch self {
        case .email:
            return Validators.isEmail(bytes, in: line, at: value.lowerBound) ? value : nil
        case .ipv4:
            guard let address = Validators.parseIPv4(bytes), address != [0, 0, 0, 0] else { return nil }
            return Validators.followsVersionWord(line, at: value.lowerBound) ? nil : value
        case .ipv6:
            return Validators.isScrubbableIPv6(bytes) ? value : nil
        case .paymentCard:
            return Validators.paymentCardSpan(bytes).map { (value.lowerBound + $0.lowerBound)..<(value.lowerBound + $0.upperBound) }
        case .iban:
            return Validators.ibanLength(bytes).map { value.lowerBound..<(value.lowerBound + $0) }
        case .socialSecurityNumber:
            return Validators.isSocialSecurityNumber(bytes) ? value : nil
        case .userName:
            return Validators.isUserName(bytes) ? value : nil
        case .credential:
            let key = match["key"].map { UnsafeRawBufferPointer(rebasing: line[$0]) }
            let separator = match["op"].map { line[$0.lowerBound] }
            let quoted = value.lowerBound > 0 && (line[value.lowerBound - 1] == UInt8(ascii: "\"")
                                                  || line[value.lowerBound - 1] == UInt8(ascii: "'"))
            return Validators.isCredential(bytes, key: key, proseSeparator: separator == UInt8(ascii: ":") && !quoted)
                ? value : nil
        case .bearerToken:
            return Validators.isBearerToken(bytes) ? value : nil
        case .jsonWebToken:
            return Validators.isJSONWebToken(bytes) ? value : nil
        case .highEntropy:
            return Validators.isHighEntropySecret(bytes) ? value : nil
        case .macAddress:
            return Validators.isMACAddress(bytes) ? value : nil
        case .phoneNumber:
            return Validators.isPhoneNumber(bytes) ? value : nil
        }
    }
}

/// The checks behind ``ScrubValidator``, on bytes, each testable on its own.
enum Validators {
    // MARK: Cards

    /// The longest part of a digit run, cut at its separators, that is a card number: the pattern may have taken
    /// neighbouring numbers into the run (`4111111111111111 12 2026`, `ref 12 4111111111111111`).
    static func paymentCardSpan(_ text: UnsafeRawBufferPointer) -> Range<Int>? {
        var starts = [0]
        var ends = [text.count]
        for (index, byte) in text.enumerated() where !ByteClass.digits.contains(byte) {
            starts.append(index + 1)
            ends.append(index)
        }
        var candidates: [Range<Int>] = []
        for start in starts { for end in ends where end - start >= 13 { candidates.append(start..<end) } }
        candidates.sort { $0.count > $1.count || ($0.count == $1.count && $0.lowerBound < $1.lowerBound) }
        return candidates.first { isPaymentCard(UnsafeRawBufferPointer(rebasing: text[$0])) }
    }

    /// Issuer prefix, length, grouping and Luhn: `4111 1111 1111 1111`, `378282246310005`.
    static func isPaymentCard(_ text: UnsafeRawBufferPointer) -> Bool {
        var digits: [UInt8] = []
        digits.reserveCapacity(19)
        var groups: [Int] = []
        var separator: UInt8? = nil
        var groupLength = 0
        for byte in text {
            if ByteClass.digits.contains(byte) {
                digits.append(byte - UInt8(ascii: "0"))
                groupLength += 1
            } else {
                if let separator, separator != byte { return false }  // mixed separators
                separator = byte
                groups.append(groupLength)
                groupLength = 0
            }
        }
        groups.append(groupLength)
        if groups.count > 1 {
            let fours = groups.dropLast().allSatisfy { $0 == 4 } && (1...4).contains(groups.last!)
            let amexOrDiners = groups == [4, 6, 5] || groups == [4, 6, 4]
            guard fours || amexOrDiners else { return false }
        }
        return hasIssuerPrefix(digits) && passesLuhn(digits)
    }

    /// Whether the digits start with a known issuer's prefix and have a length that issuer uses.
    static func hasIssuerPrefix(_ digits: [UInt8]) -> Bool {
        guard digits.count >= 4 else { return false }
        func prefix(_ length: Int) -> Int { digits.prefix(length).reduce(0) { $0 * 10 + Int($1) } }
        let count = digits.count
        switch prefix(1) {
        case 4: return count == 13 || count == 16 || count == 19                        // Visa
        case 5: return (51...55).contains(prefix(2)) && count == 16                     // Mastercard
        case 2: return (2221...2720).contains(prefix(4)) && count == 16                 // Mastercard 2-series
        case 3:
            if prefix(2) == 34 || prefix(2) == 37 { return count == 15 }               // American Express
            if (3528...3589).contains(prefix(4)) { return (16...19).contains(count) }  // JCB
            if (300...305).contains(prefix(3)) || [36, 38, 39].contains(prefix(2)) {
                return (14...19).contains(count)                                       // Diners Club
            }
            return false
        case 6:
            if prefix(4) == 6011 || (644...649).contains(prefix(3)) || prefix(2) == 65 {
                return (16...19).contains(count)                                       // Discover
            }
            return prefix(2) == 62 && (16...19).contains(count)                        // UnionPay
        default:
            return false
        }
    }

    static func passesLuhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if index % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    // MARK: IBAN

    /// IBAN length per country (ISO 13616 registry, with the partner countries that publish one).
    static let ibanLengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
        "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
        "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
        "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
        "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21,
        "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28,
        "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22,
        "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25,
        "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
        "AO": 25, "BF": 28, "BJ": 28, "CF": 27, "CG": 27, "CI": 28, "CM": 27, "CV": 25, "DZ": 26, "GA": 27,
        "GQ": 27, "GW": 25, "IR": 26, "KM": 27, "MA": 28, "MG": 27, "ML": 28, "MZ": 25, "NE": 28, "SN": 28,
        "TD": 27, "TG": 28,
    ]

    /// The byte length of the IBAN at the start of `text` (compact or in groups of four), if its country is
    /// known, the length is that country's and the mod-97 check holds; `nil` otherwise.
    static func ibanLength(_ text: UnsafeRawBufferPointer) -> Int? {
        guard text.count >= 4 else { return nil }
        let country = String(decoding: UnsafeRawBufferPointer(rebasing: text[0..<2]), as: UTF8.self)
        guard let length = ibanLengths[country] else { return nil }
        var characters: [UInt8] = []
        characters.reserveCapacity(length)
        // Compact, or in groups of four with one space between every two groups.
        let isGrouped = text.count > 4 && text[4] == UInt8(ascii: " ")
        var end = 0
        while end < text.count, characters.count < length {
            guard text[end] != UInt8(ascii: " ") else { return nil }
            characters.append(text[end])
            end += 1
            if isGrouped, characters.count % 4 == 0, characters.count < length {
                guard end < text.count, text[end] == UInt8(ascii: " ") else { return nil }
                end += 1
            }
        }
        guard characters.count == length else { return nil }
        // What follows must not continue the IBAN: the end of the match, or a space before a new group.
        if end < text.count, text[end] != UInt8(ascii: " ") { return nil }
        return passesMod97(characters) ? end : nil
    }

    /// ISO 7064 MOD 97-10: the country and check digits move to the end, letters become 10…35, the number
    /// mod 97 is 1.
    static func passesMod97(_ characters: [UInt8]) -> Bool {
        var remainder = 0
        for byte in characters[4...] + characters[0..<4] {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                remainder = (remainder * 10 + Int(byte - UInt8(ascii: "0"))) % 97
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                remainder = (remainder * 100 + Int(byte - UInt8(ascii: "A")) + 10) % 97
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                remainder = (remainder * 100 + Int(byte - UInt8(ascii: "a")) + 10) % 97
            default:
                return false
            }
        }
        return remainder == 1
    }

    // MARK: IP addresses

    /// Four decimal octets, 0–255, without leading zeros (`010` is octal to some parsers and a typo to others).
    static func parseIPv4(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        var octets: [UInt8] = []
        var value = 0
        var digits = 0
        var leadingZero = false
        for byte in text {
            if ByteClass.digits.contains(byte) {
                if digits == 1 && leadingZero { return nil }
                if digits == 0 { leadingZero = byte == UInt8(ascii: "0") }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                guard digits <= 3, value <= 255 else { return nil }
            } else if byte == UInt8(ascii: ".") {
                guard digits > 0, octets.count < 3 else { return nil }
                octets.append(UInt8(value))
                value = 0
                digits = 0
            } else {
                return nil
            }
        }
        guard digits > 0, octets.count == 3 else { return nil }
        octets.append(UInt8(value))
        return octets
    }

    private static let versionSeparators = ByteClass(" \t:=")
    private static let versionWords: [[UInt8]] = ["version", "ver", "v", "release", "build", "firmware", "rev"]
        .map { Array($0.utf8) }

    /// Whether a dotted quad at `start` is a version: right after `Product/` (a user agent's `Chrome/120.0.0.0`)
    /// or after a word such as `version` (`version 10.7.31.9`, `build: 1.2.3.4`).
    static func followsVersionWord(_ line: UnsafeRawBufferPointer, at start: Int) -> Bool {
        if start >= 2, line[start - 1] == UInt8(ascii: "/"), ByteClass.alphanumerics.contains(line[start - 2]) {
            return true
        }
        var end = start
        var skipped = 0
        while end > 0, skipped < 3, versionSeparators.contains(line[end - 1]) { end -= 1; skipped += 1 }
        let length = ByteScan.runLength(line, endingAt: end, of: .letters, limit: 9)
        guard length > 0, length < 9 else { return false }
        return versionWords.contains { word in
            word.count == length && word.indices.allSatisfy { ByteScan.lowercased(line[end - length + $0]) == word[$0] }
        }
    }

    /// A parsed IPv6 address's shape: how many 16-bit groups were written, whether it was all zeros.
    struct IPv6Shape: Equatable {
        var explicitGroups: Int
        var isUnspecified: Bool
        var hasDecimalDigit: Bool
    }

    /// Parses IPv6 text (RFC 4291 section 2.2: eight groups, or fewer with one `::`, an IPv4 tail, a `%zone`).
    static func parseIPv6(_ text: UnsafeRawBufferPointer) -> IPv6Shape? {
        var address = Array(text)
        if let percent = address.firstIndex(of: UInt8(ascii: "%")) {
            guard percent + 1 < address.count else { return nil }
            address.removeSubrange(percent...)
        }
        guard address.count >= 2 else { return nil }
        let colon = UInt8(ascii: ":")
        var compressed: Int? = nil  // index of "::"
        for index in 0..<(address.count - 1) where address[index] == colon && address[index + 1] == colon {
            guard compressed == nil else { return nil }  // at most one "::"
            compressed = index
        }
        func groups(_ part: ArraySlice<UInt8>, allowsIPv4Tail: Bool) -> (count: Int, allZero: Bool)? {
            if part.isEmpty { return (0, true) }
            var count = 0
            var allZero = true
            let fields = part.split(separator: colon, omittingEmptySubsequences: false)
            for (position, field) in fields.enumerated() {
                if allowsIPv4Tail, position == fields.count - 1, field.contains(UInt8(ascii: ".")) {
                    guard let octets = field.withUnsafeBytes({ parseIPv4($0) }) else { return nil }
                    count += 2
                    if octets != [0, 0, 0, 0] { allZero = false }
                    continue
                }
                guard (1...4).contains(field.count), field.allSatisfy({ ByteClass.hexDigits.contains($0) }) else {
                    return nil
                }
                if field.contains(where: { $0 != UInt8(ascii: "0") }) { allZero = false }
                count += 1
            }
            return (count, allZero)
        }
        let total: Int
        let allZero: Bool
        if let compressed {
            guard let head = groups(address[..<compressed], allowsIPv4Tail: false),
                  let tail = groups(address[(compressed + 2)...], allowsIPv4Tail: true) else { return nil }
            total = head.count + tail.count
            allZero = head.allZero && tail.allZero
            guard total <= 7 else { return nil }
        } else {
            guard let whole = groups(address[...], allowsIPv4Tail: true) else { return nil }
            total = whole.count
            allZero = whole.allZero
            guard total == 8 else { return nil }
        }
        return IPv6Shape(explicitGroups: total, isUnspecified: allZero,
                         hasDecimalDigit: address.contains { ByteClass.digits.contains($0) })
    }

    /// A valid IPv6 address that is worth replacing: not `::`, not `dead::` or `Abc::Def` (identifiers made of hex
    /// letters, C++ and Ruby scopes), and at least two groups written unless it is `::1`.
    static func isScrubbableIPv6(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let shape = parseIPv6(text), !shape.isUnspecified, shape.hasDecimalDigit else { return false }
        return shape.explicitGroups >= 2 || text.elementsEqual("::1".utf8)
    }

    // MARK: E-mail, SSN, user names

    /// File extensions that look like top-level domains after an `@` (`icon@2x.png`, `lib@1.2.3.tgz`).
    private static let fileExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "css", "js", "mjs", "cjs", "ts", "tsx", "jsx",
        "json", "map", "txt", "log", "tgz", "gz", "zip", "jar", "war", "html", "htm", "xml", "yml", "yaml", "woff",
        "woff2", "ttf", "pdf", "mp4", "wasm", "lock", "md", "swift", "java", "py", "rb", "go", "rs", "class",
    ]

    private static let userInfoEnds = ByteClass(" \t\"'<>/@")

    /// An address whose top-level domain is not a file extension and that is not the password of a URL's
    /// `user:password@host` (``ScrubRule`` `@urlauth` replaces those).
    static func isEmail(_ text: UnsafeRawBufferPointer, in line: UnsafeRawBufferPointer, at start: Int) -> Bool {
        guard let dot = text.lastIndex(of: UInt8(ascii: ".")) else { return false }
        let tld = String(decoding: UnsafeRawBufferPointer(rebasing: text[(dot + 1)...]), as: UTF8.self).lowercased()
        if fileExtensions.contains(tld) { return false }
        // `scheme://user:password@host`: walk back over the user part to `//`.
        if start > 0, line[start - 1] == UInt8(ascii: ":") {
            var index = start - 1
            while index > 0, !userInfoEnds.contains(line[index - 1]) { index -= 1 }
            if index >= 2, line[index - 1] == UInt8(ascii: "/"), line[index - 2] == UInt8(ascii: "/") { return false }
        }
        return true
    }

    /// Area 000, 666 and 900–999, group 00 and serial 0000 were never issued; nor was a number of one
    /// repeated digit, nor the advertising number 078-05-1120.
    static func isSocialSecurityNumber(_ text: UnsafeRawBufferPointer) -> Bool {
        let digits = text.filter { ByteClass.digits.contains($0) }.map { Int($0 - UInt8(ascii: "0")) }
        guard digits.count == 9 else { return false }
        let area = digits[0] * 100 + digits[1] * 10 + digits[2]
        let group = digits[3] * 10 + digits[4]
        let serial = digits[5...].reduce(0) { $0 * 10 + $1 }
        if area == 0 || area == 666 || area >= 900 || group == 0 || serial == 0 { return false }
        if Set(digits).count == 1 { return false }
        return digits != [0, 7, 8, 0, 5, 1, 1, 2, 0]
    }

    /// Home directories that belong to no person, and values that are templates or already placeholders.
    private static let sharedProfiles: Set<String> = ["shared", "public", "default", "default user", "all users", "guest"]

    private static let notNameStarts = ByteClass("$%{<[~*")

    static func isUserName(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let first = text.first else { return false }
        if notNameStarts.contains(first) { return false }
        let name = String(decoding: text, as: UTF8.self).lowercased()
        return !sharedProfiles.contains(name)
    }

    // MARK: Credentials

    /// Values that say there is no secret: JSON literals, placeholders, masks and templates.
    private static let emptyValues: Set<String> = [
        "", "true", "false", "null", "nil", "none", "undefined", "empty", "n/a", "na", "-", "redacted", "hidden",
        "masked", "filtered", "omitted", "removed",
    ]

    /// Words that follow `password:` or `token:` in prose, not a value: `Invalid password: too short`.
    private static let proseWords: Set<String> = [
        "must", "is", "not", "too", "was", "has", "have", "had", "are", "be", "reset", "changed", "incorrect", "wrong",
        "mismatch", "invalid", "expired", "missing", "required", "set", "updated", "ok", "failed", "error", "denied",
        "rejected", "valid", "present", "absent", "provided", "supplied", "given", "accepted", "refreshed", "revoked",
        "unknown", "unset", "blank", "verified", "the", "a", "an", "for", "from", "of", "in", "on", "did", "does",
        "cannot", "can't", "could", "should", "will", "would", "may", "might", "weak", "short", "long", "needed",
        "none.", "disabled", "enabled", "yes", "no",
    ]

    /// Whether a sensitive key's value is a secret worth replacing. `proseSeparator`: the key was followed by
    /// `: ` and the value is not quoted, as in a sentence.
    static func isCredential(_ value: UnsafeRawBufferPointer, key: UnsafeRawBufferPointer?, proseSeparator: Bool) -> Bool {
        if let key, key.elementsEqual("PWD".utf8) || key.elementsEqual("OLDPWD".utf8) { return false }  // shell's directory
        guard let first = value.first, let last = value.last else { return false }
        if first == UInt8(ascii: "["), last == UInt8(ascii: "]") { return false }                 // a placeholder
        if value.allSatisfy({ $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "x") || $0 == UInt8(ascii: "X") }) {
            return false                                                                            // a mask
        }
        if value.starts(with: "${".utf8) || value.starts(with: "{{".utf8)
            || (first == UInt8(ascii: "%") && last == UInt8(ascii: "%") && value.count > 1)
            || (first == UInt8(ascii: "<") && last == UInt8(ascii: ">")) {
            return false                                                                            // a template
        }
        guard value.count <= 24 else { return true }
        let word = String(decoding: value, as: UTF8.self).lowercased()
        if emptyValues.contains(word) { return false }
        return !(proseSeparator && proseWords.contains(word))
    }

    /// After `Bearer `: at least 16 token characters, or 8 with a digit (`Bearer token expired` is prose).
    static func isBearerToken(_ text: UnsafeRawBufferPointer) -> Bool {
        if text.first == UInt8(ascii: "[") { return false }
        return text.count >= 16 || (text.count >= 8 && text.contains { ByteClass.digits.contains($0) })
    }

    /// A JWT's first segment is base64url of a JSON object with an `alg` member.
    static func isJSONWebToken(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let dot = text.firstIndex(of: UInt8(ascii: ".")),
              let header = base64URLDecode(UnsafeRawBufferPointer(rebasing: text[..<dot])) else { return false }
        guard let open = header.firstIndex(where: { $0 != UInt8(ascii: " ") }), header[open] == UInt8(ascii: "{") else {
            return false
        }
        let alg = Array("\"alg\"".utf8)
        return header.indices.contains { index in
            index + alg.count <= header.count && header[index..<(index + alg.count)].elementsEqual(alg)
        }
    }

    /// Decodes base64url (or standard base64) without padding; `nil` on any other byte.
    static func base64URLDecode(_ text: UnsafeRawBufferPointer) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(text.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in text {
            let sextet: UInt32
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): sextet = UInt32(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): sextet = UInt32(byte - UInt8(ascii: "a")) + 26
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sextet = UInt32(byte - UInt8(ascii: "0")) + 52
            case UInt8(ascii: "-"), UInt8(ascii: "+"): sextet = 62
            case UInt8(ascii: "_"), UInt8(ascii: "/"): sextet = 63
            case UInt8(ascii: "="): continue
            default: return nil
            }
            accumulator = accumulator << 6 | sextet
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }

    /// A value next to a secret keyword that looks random: at least 16 characters with letters and digits,
    /// no `--`, not only hex digits (digests, UUIDs and git SHAs stay), and a Shannon entropy of at least 3.3 bits per
    /// character (3.5 from 24 characters on).
    static func isHighEntropySecret(_ text: UnsafeRawBufferPointer) -> Bool {
        guard text.count >= 16 else { return false }
        let hasDigit = text.contains { ByteClass.digits.contains($0) }
        let hasLetter = text.contains { ByteClass.letters.contains($0) }
        guard hasDigit, hasLetter else { return false }
        if text.allSatisfy({ ByteClass.hexDigits.contains($0) || $0 == UInt8(ascii: "-") }) { return false }
        if text.indices.dropLast().contains(where: { text[$0] == UInt8(ascii: "-") && text[$0 + 1] == UInt8(ascii: "-") }) {
            return false  // `BLOCK-----MII…`: PEM armour, not a token
        }
        return shannonEntropy(text) >= (text.count >= 24 ? 3.5 : 3.3)
    }

    /// Bits per byte of the byte distribution.
    static func shannonEntropy(_ text: UnsafeRawBufferPointer) -> Double {
        var counts = [Int](repeating: 0, count: 256)
        for byte in text { counts[Int(byte)] += 1 }
        let total = Double(text.count)
        var entropy = 0.0
        for count in counts where count > 0 {
            let probability = Double(count) / total
            entropy -= probability * log2(probability)
        }
        return entropy
    }

    // MARK: Opt-in identifiers

    /// Not `00:00:00:00:00:00` nor the broadcast `ff:ff:ff:ff:ff:ff`.
    static func isMACAddress(_ text: UnsafeRawBufferPointer) -> Bool {
        let hex = text.filter { ByteClass.hexDigits.contains($0) }.map(ByteScan.lowercased)
        return !hex.allSatisfy { $0 == UInt8(ascii: "0") } && !hex.allSatisfy { $0 == UInt8(ascii: "f") }
    }

    /// Seven to fifteen digits (E.164 allows at most 15).
    static func isPhoneNumber(_ text: UnsafeRawBufferPointer) -> Bool {
        (7...15).contains(text.count { ByteClass.digits.contains($0) })
    }
}
