/// A fast streaming 64-bit hash of a logical file's decoded content, used to recognise the same log
/// reached twice (plain and compressed, or copied into an archive).
///
/// Built like XXH64: four independent lanes over 32-byte stripes, so it runs at several GB/s and costs
/// little next to line splitting. It is an identity check, not a cryptographic digest: equal content
/// also requires equal size and an equal prefix hash before two files are treated as one.
struct ContentHasher {
    private static let prime1: UInt64 = 0x9E37_79B1_85EB_CA87
    private static let prime2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    private static let prime3: UInt64 = 0x1656_67B1_9E37_79F9
    private static let prime4: UInt64 = 0x85EB_CA77_C2B2_AE63
    private static let prime5: UInt64 = 0x27D4_EB2F_1656_67C5

    private var lanes: (UInt64, UInt64, UInt64, UInt64)
    /// Bytes of an incomplete stripe carried to the next update.
    private var pending: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
    private var pendingCount = 0
    private(set) var totalBytes: Int64 = 0

    init(seed: UInt64 = 0) {
        lanes = (seed &+ Self.prime1 &+ Self.prime2, seed &+ Self.prime2, seed, seed &- Self.prime1)
    }

    @inline(__always)
    private static func round(_ accumulator: UInt64, _ input: UInt64) -> UInt64 {
        let mixed = accumulator &+ input &* prime2
        return ((mixed << 31) | (mixed >> 33)) &* prime1
    }

    /// Adds bytes to the hash.
    mutating func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        totalBytes += Int64(bytes.count)
        var index = 0
        let count = bytes.count

        // Top up a pending partial stripe first.
        if pendingCount > 0 {
            withUnsafeMutableBytes(of: &pending) { stripe in
                let take = min(32 - pendingCount, count)
                stripe.baseAddress!.advanced(by: pendingCount).copyMemory(from: base, byteCount: take)
                pendingCount += take
                index = take
            }
            guard pendingCount == 32 else { return }
            lanes.0 = Self.round(lanes.0, pending.0)
            lanes.1 = Self.round(lanes.1, pending.1)
            lanes.2 = Self.round(lanes.2, pending.2)
            lanes.3 = Self.round(lanes.3, pending.3)
            pendingCount = 0
        }

        var (l0, l1, l2, l3) = lanes
        while index + 32 <= count {
            l0 = Self.round(l0, base.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            l1 = Self.round(l1, base.loadUnaligned(fromByteOffset: index + 8, as: UInt64.self))
            l2 = Self.round(l2, base.loadUnaligned(fromByteOffset: index + 16, as: UInt64.self))
            l3 = Self.round(l3, base.loadUnaligned(fromByteOffset: index + 24, as: UInt64.self))
            index += 32
        }
        lanes = (l0, l1, l2, l3)

        if index < count {
            pending = (0, 0, 0, 0)
            withUnsafeMutableBytes(of: &pending) { stripe in
                stripe.baseAddress!.copyMemory(from: base + index, byteCount: count - index)
            }
            pendingCount = count - index
        }
    }

    /// The hash of everything added so far.
    func finalize() -> UInt64 {
        var hash = (lanes.0 << 1 | lanes.0 >> 63) &+ (lanes.1 << 7 | lanes.1 >> 57)
            &+ (lanes.2 << 12 | lanes.2 >> 52) &+ (lanes.3 << 18 | lanes.3 >> 46)
        hash = hash &+ UInt64(bitPattern: totalBytes) &* Self.prime5
        var tail = pending
        withUnsafeBytes(of: &tail) { stripe in
            for index in 0..<pendingCount {
                hash ^= UInt64(stripe[index]) &* Self.prime5
                hash = ((hash << 11) | (hash >> 53)) &* Self.prime1
            }
        }
        hash ^= hash >> 33
        hash = hash &* Self.prime2
        hash ^= hash >> 29
        hash = hash &* Self.prime3
        hash ^= hash >> 32
        return hash ^ Self.prime4
    }

    /// The hash of one buffer.
    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hasher = ContentHasher()
        hasher.update(bytes)
        return hasher.finalize()
    }
}

/// The identity of a logical file's decoded content: two files with equal identities hold the same bytes.
///
/// It is made of the exact size, a hash of the first 64 KiB, and a hash of 32 bytes out of every KiB after
/// that. Sampling keeps identity nearly free on the hot path (hashing every byte cost a fifth of the
/// plain-text read time). Identical content always has equal identities; different logs of equal size
/// and equal first 64 KiB would also have to agree on every sampled stripe, which real logs, whose
/// timestamps differ everywhere, never do.
struct ContentIdentity: Sendable, Hashable {
    var size: Int64
    var prefixHash: UInt64
    var sampleHash: UInt64

    /// A short stable hex digest for display and JSON.
    var digest: String {
        let mixed = prefixHash ^ (sampleHash << 17 | sampleHash >> 47) ^ UInt64(bitPattern: size) &* 0x9E37_79B9_7F4A_7C15
        let digits = String(mixed, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

/// Computes a ``ContentIdentity`` over a stream of blocks, whatever their sizes.
struct ContentFingerprinter {
    static let prefixBytes = 64 << 10
    static let sampleInterval = 1 << 10
    static let sampleLength = 32

    private var prefix = ContentHasher()
    private var samples = ContentHasher(seed: 0x5EED)
    private(set) var size: Int64 = 0

    mutating func update(_ block: UnsafeRawBufferPointer) {
        let start = size
        let end = start + Int64(block.count)
        size = end
        if start < Int64(Self.prefixBytes) {
            let take = Int(min(end, Int64(Self.prefixBytes)) - start)
            prefix.update(UnsafeRawBufferPointer(rebasing: block[0..<take]))
        }
        guard end > Int64(Self.prefixBytes) else { return }
        let interval = Int64(Self.sampleInterval)
        var stripe = max(start, Int64(Self.prefixBytes)) / interval * interval
        while stripe < end {
            let lower = max(stripe, start)
            let upper = min(stripe + Int64(Self.sampleLength), end)
            if lower < upper {
                samples.update(UnsafeRawBufferPointer(rebasing: block[Int(lower - start)..<Int(upper - start)]))
            }
            stripe += interval
        }
    }

    func finalize() -> ContentIdentity {
        ContentIdentity(size: size, prefixHash: prefix.finalize(), sampleHash: samples.finalize())
    }
}
