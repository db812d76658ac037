import Crypto

/// The secret behind keyed pseudonyms: `[email:3f9a2c]` is the label and the first 24 bits of
/// HMAC-SHA256(key, value), so one value always gets one pseudonym under one key, and nobody without the key
/// can test a guess (an unkeyed hash of an IPv4 address or an SSN is reversed by trying them all).
///
/// The key is never printed; the history database keeps it so pseudonyms stay stable across runs.
struct PseudonymKey: Sendable {
    private let secret: [UInt8]

    init(_ bytes: [UInt8]) {
        secret = bytes
    }

    /// Six lowercase hex digits for `value`. E-mail addresses are compared case-insensitively, so their ASCII
    /// letters are lowercased first.
    func pseudonym(for value: UnsafeRawBufferPointer, lowercased: Bool) -> [UInt8] {
        let key = SymmetricKey(data: secret)
        let code: HMAC<SHA256>.MAC
        if lowercased {
            code = HMAC<SHA256>.authenticationCode(for: value.map(ByteScan.lowercased), using: key)
        } else {
            code = HMAC<SHA256>.authenticationCode(for: value, using: key)
        }
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(6)
        for byte in code.prefix(3) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        return hex
    }
}
