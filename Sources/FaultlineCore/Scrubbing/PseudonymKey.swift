import Crypto

/// The secret behind keyed pseudonyms, as the policy holds it. `[email:3f9a2c]` is the label and the first 24 bits
/// of HMAC-SHA256(key, value), so one value always gets one pseudonym under one key, and nobody without the key
/// can test a guess (an unkeyed hash of an IPv4 address or an SSN is reversed by trying them all).
///
/// The key is never printed; the history database keeps it so pseudonyms stay stable across runs.
struct PseudonymKey: Sendable {
    let secret: [UInt8]

    init(_ secret: [UInt8]) {
        self.secret = secret
    }
}

/// Computes pseudonyms for one ``Scrubber``: the HMAC key prepared once, and the pseudonyms of recent values
/// remembered (logs repeat the same users and addresses), so most values cost a dictionary lookup.
final class Pseudonymizer {
    /// HMAC with the key's inner and outer pads already hashed: each value starts from a copy.
    private let keyed: HMAC<SHA256>
    private var recent: [[UInt8]: [UInt8]] = [:]
    private static let rememberedValues = 65_536

    init(_ key: PseudonymKey) {
        keyed = HMAC<SHA256>(key: SymmetricKey(data: key.secret))
    }

    /// Six lowercase hex digits for `value`. E-mail addresses are compared case-insensitively, so their ASCII
    /// letters are lowercased first.
    func pseudonym(for value: UnsafeRawBufferPointer, lowercased: Bool) -> [UInt8] {
        let bytes = lowercased ? value.map(ByteScan.lowercased) : Array(value)
        if let known = recent[bytes] { return known }
        var hmac = keyed
        hmac.update(data: bytes)
        let code = hmac.finalize()
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(6)
        for byte in code.prefix(3) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0x0F)])
        }
        if recent.count >= Self.rememberedValues { recent.removeAll(keepingCapacity: true) }
        recent[bytes] = hex
        return hex
    }
}
