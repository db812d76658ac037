/// A fast streaming 64-bit hash of a logical file's decoded content, used to recognise the same log
/// reached twice (plain and compressed, or copied into an archive).
///
/// Each 16 bytes cost one 64×64→128-bit multiply whose halves are folded together (the "mum" step of
/// wyhash), on four independent lanes that rotate before each step so the order of the input matters.
/// That runs at about 20 GB/s, a small cost next to line splitting. It is an identity check, not a
/// cryptographic digest: two files count as one only with equal size, equal prefix hash and equal hash.
struct ContentHasher {
    private static let secrets: (UInt64, UInt64, UInt64, UInt64) =
        (0xA076_1D64_78BD_642F, 0xE703_7ED1_A0B4_28DB, 0x8EBC_6AF0_9C88_C6E3, 0x5899_65CC_7537_4CC3)
    private static let stripe = 64

    private var lanes: (UInt64, UInt64, UInt64, UInt64)
    /// Bytes of an incomplete 64-byte stripe, carried to the next update.
    private var pending: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0, 0, 0, 0)
    private var pendingCount = 0
    private(set) var totalBytes: Int64 = 0

    init(seed: UInt64 = 0) {
        lanes = (seed ^ Self.secrets.0, seed ^ Self.secrets.1, seed ^ Self.secrets.2, seed ^ Self.secrets.3)
    }

    @inline(__always)
    private static func mum(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let product = a.multipliedFullWidth(by: b)
        return product.high ^ product.low
    }

    @inline(__always)
    private static func step(_ lane: UInt64, _ a: UInt64, _ b: UInt64) -> UInt64 {
        (lane << 23 | lane >> 41) &+ mum(a, b)
    }

    @inline(__always)
    private mutating func consumeStripe(_ base: UnsafeRawPointer, _ offset: Int) {
        let s = Self.secrets
        @inline(__always) func word(_ index: Int) -> UInt64 {
            base.loadUnaligned(fromByteOffset: offset + 8 * index, as: UInt64.self)
        }
        lanes.0 = Self.step(lanes.0, word(0) ^ s.0, word(1) ^ s.1)
        lanes.1 = Self.step(lanes.1, word(2) ^ s.2, word(3) ^ s.3)
        lanes.2 = Self.step(lanes.2, word(4) ^ s.1, word(5) ^ s.0)
        lanes.3 = Self.step(lanes.3, word(6) ^ s.3, word(7) ^ s.2)
    }

    /// Adds bytes to the hash.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        totalBytes += Int64(bytes.count)
        var index = 0
        let count = bytes.count

        if pendingCount > 0 {
            let take = min(Self.stripe - pendingCount, count)
            withUnsafeMutableBytes(of: &pending) { stripe in
                stripe.baseAddress!.advanced(by: pendingCount).copyMemory(from: base, byteCount: take)
            }
            pendingCount += take
            index = take
            guard pendingCount == Self.stripe else { return }
            var full = pending
            withUnsafeBytes(of: &full) { consumeStripe($0.baseAddress!, 0) }
            pendingCount = 0
        }
        while index + Self.stripe <= count {
            consumeStripe(base, index)
            index += Self.stripe
        }
        if index < count {
            withUnsafeMutableBytes(of: &pending) { stripe in
                stripe.baseAddress!.copyMemory(from: base + index, byteCount: count - index)
            }
            pendingCount = count - index
        }
    }

    /// The hash of everything added so far.
    func finalize() -> UInt64 {
        let s = Self.secrets
        var hash = Self.mum(lanes.0 ^ s.1, lanes.1 ^ s.0) ^ Self.mum(lanes.2 ^ s.3, lanes.3 ^ s.2)
        var tail = pending
        withUnsafeBytes(of: &tail) { stripe in
            // Whole words of the tail, then its last bytes zero-padded; the length is mixed in below.
            var offset = 0
            while offset + 8 <= pendingCount {
                hash = Self.mum(hash ^ s.0, stripe.loadUnaligned(fromByteOffset: offset, as: UInt64.self) ^ s.1)
                offset += 8
            }
            if offset < pendingCount {
                var last: UInt64 = 0
                for index in offset..<pendingCount { last |= UInt64(stripe[index]) << (8 * (index - offset)) }
                hash = Self.mum(hash ^ s.2, last ^ s.3)
            }
        }
        return Self.mum(hash ^ s.0, UInt64(bitPattern: totalBytes) ^ s.3)
    }

    /// The hash of one buffer.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hasher = ContentHasher()
        hasher.update(bytes)
        return hasher.finalize()
    }
}

/// The identity of a logical file's decoded content: two files with equal identities hold the same bytes
/// (up to a 64-bit hash collision, which real inputs do not produce).
struct ContentIdentity: Sendable, Hashable {
    var size: Int64
    /// Hash of the first 64 KiB: known after the first block, so a possible duplicate is recognised before
    /// any of its lines are delivered.
    var prefixHash: UInt64
    /// Hash of all bytes.
    var hash: UInt64

    /// A short stable hex digest for display and JSON.
    var digest: String {
        let digits = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Computes a ``ContentIdentity`` over a stream of blocks, whatever their sizes.
struct ContentFingerprinter {
    static let prefixBytes = 64 << 10

    private var prefix = ContentHasher()
    private var whole = ContentHasher(seed: 0x5EED)

    var size: Int64 { whole.totalBytes }

    mutating func update(_ block: UnsafeRawBufferPointer) {
        let start = whole.totalBytes
        if start < Int64(Self.prefixBytes) {
            let take = min(block.count, Self.prefixBytes - Int(start))
            prefix.update(UnsafeRawBufferPointer(rebasing: block[0..<take]))
        }
        whole.update(block)
    }

    func finalize() -> ContentIdentity {
        ContentIdentity(size: whole.totalBytes, prefixHash: prefix.finalize(), hash: whole.finalize())
    }
}

extension ContentHasher {
    /// A fast 64-bit digest of a short buffer (a line, a name) for the in-memory memos: two words per
    /// multiply and no streaming state, where ``hash(_:)`` stages every byte of a short input through its
    /// stripe buffer. Never stored: it may change between versions.
    @inline(__always)
    static func digest(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        let s = secrets
        let count = bytes.count
        guard let base = bytes.baseAddress, count > 0 else { return s.0 }
        @inline(__always) func word(_ offset: Int) -> UInt64 { base.loadUnaligned(fromByteOffset: offset, as: UInt64.self) }
        var hash = s.0 ^ UInt64(truncatingIfNeeded: count) &* s.1
        if count < 8 {
            var tail: UInt64 = 0
            for index in 0..<count { tail |= UInt64(base.load(fromByteOffset: index, as: UInt8.self)) << (8 * UInt64(index)) }
            return mum(hash ^ tail ^ s.2, s.3)
        }
        var offset = 0
        while offset + 16 <= count {
            hash = mum(word(offset) ^ s.1 ^ hash, word(offset + 8) ^ s.2)
            offset += 16
        }
        if offset < count {
            // The last 8 to 15 bytes (or fewer, overlapping bytes already mixed): two overlapping words.
            let first = count >= 16 ? word(count - 16) : word(0)
            hash = mum(first ^ s.3 ^ hash, word(count - 8) ^ s.0)
        }
        return mum(hash ^ s.2, UInt64(truncatingIfNeeded: count) ^ s.1)
    }
}
