/// Decides from the first bytes of a logical file whether it is text, and in which encoding.
enum TextSniffer {
    enum Verdict: Equatable {
        /// UTF-8 (or ASCII, or mostly so); `bomLength` bytes of UTF-8 byte-order mark to drop.
        case utf8(bomLength: Int)
        /// UTF-16, with `bomLength` bytes of byte-order mark to drop (0 when detected from the NUL pattern).
        case utf16(bigEndian: Bool, bomLength: Int)
        /// Not text; the reason names what was seen, never the content.
        case binary(reason: String)
    }

    /// Magic numbers of common binary files found in log folders.
    private static let magics: [(bytes: [UInt8], name: String)] = [
        ([0x7F, 0x45, 0x4C, 0x46], "an ELF executable"),
        ([0x89, 0x50, 0x4E, 0x47], "a PNG image"),
        ([0xFF, 0xD8, 0xFF], "a JPEG image"),
        ([0x47, 0x49, 0x46, 0x38], "a GIF image"),
        ([0x25, 0x50, 0x44, 0x46, 0x2D], "a PDF document"),
        ([0x53, 0x51, 0x4C, 0x69, 0x74, 0x65, 0x20, 0x66, 0x6F, 0x72, 0x6D, 0x61, 0x74, 0x20, 0x33, 0x00],
         "an SQLite database"),
        ([0xCA, 0xFE, 0xBA, 0xBE], "a Java class file"),
        ([0xCF, 0xFA, 0xED, 0xFE], "a Mach-O executable"),
        ([0x4D, 0x5A, 0x90, 0x00], "a Windows executable"),
    ]

    /// Classifies a sample of the file's first bytes (up to 64 KiB is plenty).
    static func sniff(_ sample: UnsafeRawBufferPointer) -> Verdict {
        let bytes = sample.bindMemory(to: UInt8.self)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8(bomLength: 3) }
        if bytes.starts(with: [0xFF, 0xFE]) { return .utf16(bigEndian: false, bomLength: 2) }
        if bytes.starts(with: [0xFE, 0xFF]) { return .utf16(bigEndian: true, bomLength: 2) }
        for magic in magics where bytes.starts(with: magic.bytes) {
            return .binary(reason: "looks like \(magic.name)")
        }
        guard !bytes.isEmpty else { return .utf8(bomLength: 0) }

        var nulEven = 0, nulOdd = 0, control = 0
        for index in bytes.indices {
            let byte = bytes[index]
            if byte == 0 {
                if index & 1 == 0 { nulEven += 1 } else { nulOdd += 1 }
            } else if byte < 0x20 && byte != 9 && byte != 10 && byte != 13 && byte != 12 && byte != 11
                        && byte != 0x1B && byte != 8 || byte == 0x7F {
                control += 1
            }
        }
        let halves = Double(bytes.count) / 2
        // UTF-16 without a BOM: ASCII text puts a NUL in every other byte.
        if bytes.count >= 8 {
            if Double(nulOdd) > 0.4 * halves && Double(nulEven) < 0.05 * halves {
                return .utf16(bigEndian: false, bomLength: 0)
            }
            if Double(nulEven) > 0.4 * halves && Double(nulOdd) < 0.05 * halves {
                return .utf16(bigEndian: true, bomLength: 0)
            }
        }
        let suspicious = Double(nulEven + nulOdd + control) / Double(bytes.count)
        if suspicious > 0.10 {
            return .binary(reason: "\(Int(suspicious * 100))% of its first \(bytes.count) bytes are control bytes")
        }
        let invalid = Double(invalidUTF8Bytes(bytes)) / Double(bytes.count)
        if invalid > 0.30 {
            return .binary(reason: "\(Int(invalid * 100))% of its first \(bytes.count) bytes are not text")
        }
        return .utf8(bomLength: 0)
    }

    /// Counts bytes that are not part of a well-formed UTF-8 sequence. A sequence cut by the end of the
    /// sample counts as valid.
    static func invalidUTF8Bytes(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var invalid = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 { index += 1; continue }
            let length: Int
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: invalid += 1; index += 1; continue
            }
            var valid = true
            var next = index + 1
            while next < index + length && next < count {
                if bytes[next] & 0xC0 != 0x80 { valid = false; break }
                next += 1
            }
            if valid {
                index = next
            } else {
                invalid += 1
                index += 1
            }
        }
        return invalid
    }
}

/// Transcodes UTF-16 blocks to UTF-8, carrying a split code unit or surrogate pair across blocks.
/// Unpaired surrogates become U+FFFD.
struct UTF16Transcoder: ~Copyable {
    let bigEndian: Bool
    private var pendingByte: UInt8?
    private var pendingHighSurrogate: UInt16?
    private var output: UnsafeMutablePointer<UInt8>
    private var outputCapacity: Int

    init(bigEndian: Bool) {
        self.bigEndian = bigEndian
        self.outputCapacity = 1 << 16
        self.output = .allocate(capacity: outputCapacity)
    }

    deinit { output.deallocate() }

    /// Transcodes one block; the result is valid until the next call.
    mutating func transcode(_ block: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        let needed = (block.count + 2) / 2 * 3 + 8
        if needed > outputCapacity {
            output.deallocate()
            outputCapacity = needed
            output = .allocate(capacity: needed)
        }
        var written = 0
        var index = 0
        let bytes = block.bindMemory(to: UInt8.self)

        @inline(__always) func put(_ scalar: UInt32) {
            switch scalar {
            case 0..<0x80:
                output[written] = UInt8(scalar); written += 1
            case 0x80..<0x800:
                output[written] = UInt8(0xC0 | scalar >> 6)
                output[written + 1] = UInt8(0x80 | scalar & 0x3F); written += 2
            case 0x800..<0x10000:
                output[written] = UInt8(0xE0 | scalar >> 12)
                output[written + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
                output[written + 2] = UInt8(0x80 | scalar & 0x3F); written += 3
            default:
                output[written] = UInt8(0xF0 | scalar >> 18)
                output[written + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
                output[written + 2] = UInt8(0x80 | scalar >> 6 & 0x3F)
                output[written + 3] = UInt8(0x80 | scalar & 0x3F); written += 4
            }
        }

        func unit(_ first: UInt8, _ second: UInt8) -> UInt16 {
            bigEndian ? UInt16(first) << 8 | UInt16(second) : UInt16(second) << 8 | UInt16(first)
        }

        func handle(_ codeUnit: UInt16) {
            if let high = pendingHighSurrogate {
                pendingHighSurrogate = nil
                if (0xDC00...0xDFFF).contains(codeUnit) {
                    put(0x10000 + (UInt32(high - 0xD800) << 10 | UInt32(codeUnit - 0xDC00)))
                    return
                }
                put(0xFFFD)
            }
            switch codeUnit {
            case 0xD800...0xDBFF: pendingHighSurrogate = codeUnit
            case 0xDC00...0xDFFF: put(0xFFFD)
            default: put(UInt32(codeUnit))
            }
        }

        if let first = pendingByte, !bytes.isEmpty {
            pendingByte = nil
            handle(unit(first, bytes[0]))
            index = 1
        }
        while index + 1 < bytes.count {
            handle(unit(bytes[index], bytes[index + 1]))
            index += 2
        }
        if index < bytes.count { pendingByte = bytes[index] }
        return UnsafeRawBufferPointer(start: output, count: written)
    }

    /// Flushes an unpaired high surrogate or odd trailing byte as U+FFFD.
    mutating func finish() -> UnsafeRawBufferPointer {
        var written = 0
        if pendingHighSurrogate != nil || pendingByte != nil {
            output[0] = 0xEF; output[1] = 0xBF; output[2] = 0xBD
            written = 3
        }
        pendingHighSurrogate = nil
        pendingByte = nil
        return UnsafeRawBufferPointer(start: output, count: written)
    }
}
