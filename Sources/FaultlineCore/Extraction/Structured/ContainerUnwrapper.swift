#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The wrapping a container runtime puts around each line an application writes.
enum ContainerFormat: Sendable, Hashable {
    /// Docker's json-file driver: `{"log":"text\n","stream":"stderr","time":"2026-11-25T10:00:00.1Z"}`.
    case dockerJSON
    /// The CRI format of containerd and CRI-O (Kubernetes): `2026-11-25T10:00:00.1Z stderr F text`.
    case cri
}

/// The container stream a line was written to.
enum ContainerStream: Sendable, Hashable {
    case stdout, stderr
}

/// One application line taken out of its container wrapping, joined from its chunks.
struct InnerLine {
    /// The line's bytes without the wrapping and without its line terminator; valid only during the call
    /// that receives it.
    var bytes: UnsafeRawBufferPointer
    /// The raw line number of the line's first chunk.
    var firstNumber: Int
    /// The byte offset of that raw line in the logical file, as it was fed.
    var firstByteOffset: Int64
    /// The raw line number of its last chunk.
    var lastNumber: Int
    var stream: ContainerStream
    var format: ContainerFormat
    /// The container runtime's timestamp of the first chunk, as written (`2026-11-25T10:00:00.123456789Z`);
    /// empty when the wrapping has none. Valid only during the call.
    var timestamp: UnsafeRawBufferPointer
    /// Whether the joined line went over the length cap and only its first part is here.
    var wasCut: Bool

    /// ``timestamp`` as text.
    var timestampText: String { String(decoding: timestamp, as: UTF8.self) }
}

/// Takes the application's lines out of a container log, one logical file at a time.
///
/// Each raw line is one chunk. Docker splits lines longer than 16 KiB into chunks and marks a chunk that
/// does not end the line by leaving out the `\n` at the end of its `log` value; CRI marks such chunks `P`
/// (partial) and the last one `F`. Chunks are joined per stream — stdout's and stderr's chunks may
/// interleave — and per format, so a file that mixes both formats (fluent-bit's tests do) joins each
/// format's chunks only with their own. A line is emitted when its last chunk arrives, so lines come out in
/// the order they were completed; ``InnerLine/firstNumber`` says where each began.
///
/// Both formats are accepted on every line. A line in neither format ends every pending line (they are
/// emitted first, as fluent-bit does) and is declined, for the caller to read as a plain line.
///
/// The hot path (a complete line with no pending chunk) emits straight from the raw line's bytes when its
/// text needs no unescaping; otherwise one reused buffer per stream and format holds the bytes. No
/// Foundation, no `String` per line.
struct ContainerUnwrapper {
    /// Joined lines are cut to this many bytes.
    let maxLineBytes: Int
    /// Lines emitted cut to ``maxLineBytes``.
    private(set) var cutLineCount = 0

    /// A line whose chunks are still coming, one per format and stream (see ``slot(_:_:)``).
    private var pending = [PendingLine](repeating: PendingLine(), count: 4)
    /// The unescaped text of the current Docker chunk.
    private var unescaped: [UInt8] = []
    /// The raw line being fed.
    private var current = RawLinePosition()

    init(maxLineBytes: Int) {
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// The container format of `line`, if it is one: checked by parsing the line's wrapping, without
    /// decoding the text in it.
    static func detect(_ line: UnsafeRawBufferPointer) -> ContainerFormat? {
        if DockerChunk(line) != nil { return .dockerJSON }
        if CRIChunk(line) != nil { return .cri }
        return nil
    }

    /// Reads one raw line (`number` and `byteOffset` say where it is; they are handed back in the inner
    /// lines). Emits the inner lines it completes — none for a
    /// partial chunk, one for a full line, possibly several for a Docker chunk holding several newlines.
    /// Returns false when the line is in neither container format: pending lines have then been emitted,
    /// and the caller reads `line` as a plain line.
    mutating func feed(
        _ line: UnsafeRawBufferPointer, number: Int, byteOffset: Int64, emit: (InnerLine) -> Void
    ) -> Bool {
        current = RawLinePosition(number: number, byteOffset: byteOffset)
        if let chunk = DockerChunk(line) {
            return feedDocker(chunk, line: line, emit: emit)
        }
        if let chunk = CRIChunk(line) {
            let content = UnsafeRawBufferPointer(rebasing: line[chunk.content])
            let timestamp = UnsafeRawBufferPointer(rebasing: line[chunk.timestamp])
            let slot = Self.slot(.cri, chunk.stream)
            if chunk.isPartial {
                appendPartial(content, slot: slot, timestamp: timestamp)
            } else {
                complete(content, slot: slot, timestamp: timestamp, emit: emit)
            }
            return true
        }
        finish(emit: emit)
        return false
    }

    /// Emits the lines still waiting for their last chunk (the file ended), in the order they began.
    mutating func finish(emit: (InnerLine) -> Void) {
        guard pending.contains(where: \.isOpen) else { return }
        let open = pending.indices.filter { pending[$0].isOpen }.sorted {
            pending[$0].first.number < pending[$1].first.number
        }
        for slot in open { emitPending(slot: slot, lastNumber: pending[slot].lastNumber, emit: emit) }
    }

    // MARK: Chunks

    private static func slot(_ format: ContainerFormat, _ stream: ContainerStream) -> Int {
        (format == .cri ? 2 : 0) + (stream == .stderr ? 1 : 0)
    }

    private static func format(ofSlot slot: Int) -> ContainerFormat { slot < 2 ? .dockerJSON : .cri }
    private static func stream(ofSlot slot: Int) -> ContainerStream { slot % 2 == 1 ? .stderr : .stdout }

    /// A Docker chunk's text may hold any number of newlines (normally one, at the end): each ends a line,
    /// and text after the last one waits for the next chunk.
    private mutating func feedDocker(
        _ chunk: DockerChunk, line: UnsafeRawBufferPointer, emit: (InnerLine) -> Void
    ) -> Bool {
        let raw = UnsafeRawBufferPointer(rebasing: line[chunk.log])
        let timestamp = UnsafeRawBufferPointer(rebasing: line[chunk.time ?? 0..<0])
        let slot = Self.slot(.dockerJSON, chunk.stream)
        if let text = Self.textBeforeOnlyEscapedNewline(raw, hasEscapes: chunk.logHasEscapes) {
            // The usual chunk, `text\n` with no other escape: emitted from the raw line, not copied.
            complete(text, slot: slot, timestamp: timestamp, emit: emit)
        } else if chunk.logHasEscapes {
            var text = unescaped
            unescaped = []
            defer { unescaped = text }
            text.removeAll(keepingCapacity: true)
            guard JSONText.appendUnescaped(raw, to: &text) else {
                finish(emit: emit)
                return false
            }
            text.withUnsafeBytes { splitDocker($0, slot: slot, timestamp: timestamp, emit: emit) }
        } else {
            splitDocker(raw, slot: slot, timestamp: timestamp, emit: emit)
        }
        return true
    }

    /// The text before a final `\n` escape when that is the value's only escape and the text holds no raw
    /// newline byte.
    private static func textBeforeOnlyEscapedNewline(
        _ raw: UnsafeRawBufferPointer, hasEscapes: Bool
    ) -> UnsafeRawBufferPointer? {
        guard hasEscapes, let base = raw.baseAddress, raw.count >= 2, raw[raw.count - 2] == 0x5C,
              raw[raw.count - 1] == UInt8(ascii: "n"), memchr(base, 0x5C, raw.count - 2) == nil,
              memchr(base, 0x0A, raw.count - 2) == nil
        else { return nil }
        return UnsafeRawBufferPointer(rebasing: raw[..<(raw.count - 2)])
    }

    private mutating func splitDocker(
        _ text: UnsafeRawBufferPointer, slot: Int, timestamp: UnsafeRawBufferPointer, emit: (InnerLine) -> Void
    ) {
        guard let base = text.baseAddress else { return }
        var start = 0
        while start < text.count, let found = memchr(base + start, 0x0A, text.count - start) {
            let newline = base.distance(to: UnsafeRawPointer(found))
            complete(UnsafeRawBufferPointer(rebasing: text[start..<newline]), slot: slot, timestamp: timestamp,
                     emit: emit)
            start = newline + 1
        }
        if start < text.count {
            appendPartial(UnsafeRawBufferPointer(rebasing: text[start...]), slot: slot, timestamp: timestamp)
        }
    }

    /// The last chunk of a line: emits the joined line, or the chunk alone when nothing is pending.
    private mutating func complete(
        _ chunk: UnsafeRawBufferPointer, slot: Int, timestamp: UnsafeRawBufferPointer, emit: (InnerLine) -> Void
    ) {
        if pending[slot].isOpen {
            appendPartial(chunk, slot: slot, timestamp: timestamp)
            emitPending(slot: slot, lastNumber: current.number, emit: emit)
            return
        }
        let cut = chunk.count > maxLineBytes
        if cut { cutLineCount += 1 }
        let kept = UnsafeRawBufferPointer(rebasing: chunk[..<min(chunk.count, maxLineBytes)])
        emit(InnerLine(bytes: Self.droppingCarriageReturn(kept), firstNumber: current.number,
                       firstByteOffset: current.byteOffset, lastNumber: current.number,
                       stream: Self.stream(ofSlot: slot), format: Self.format(ofSlot: slot),
                       timestamp: timestamp, wasCut: cut))
    }

    private mutating func appendPartial(
        _ chunk: UnsafeRawBufferPointer, slot: Int, timestamp: UnsafeRawBufferPointer
    ) {
        pending[slot].append(chunk, at: current, timestamp: timestamp, cap: maxLineBytes)
    }

    private mutating func emitPending(slot: Int, lastNumber: Int, emit: (InnerLine) -> Void) {
        let first = pending[slot].first
        let wasCut = pending[slot].wasCut
        if wasCut { cutLineCount += 1 }
        pending[slot].bytes.withUnsafeBytes { bytes in
            pending[slot].timestamp.withUnsafeBytes { timestamp in
                emit(InnerLine(bytes: Self.droppingCarriageReturn(bytes), firstNumber: first.number,
                               firstByteOffset: first.byteOffset,
                               lastNumber: lastNumber, stream: Self.stream(ofSlot: slot),
                               format: Self.format(ofSlot: slot), timestamp: timestamp, wasCut: wasCut))
            }
        }
        pending[slot].reset()
    }

    /// A line ending in CRLF (a Windows container) reads like one ending in LF, as in plain files.
    private static func droppingCarriageReturn(_ bytes: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer {
        guard let last = bytes.last, last == 0x0D else { return bytes }
        return UnsafeRawBufferPointer(rebasing: bytes[..<(bytes.count - 1)])
    }
}

/// Where a raw line is in its logical file.
private struct RawLinePosition {
    var number = 0
    var byteOffset: Int64 = 0
}

/// The chunks of a line not yet complete, in one format and stream.
private struct PendingLine {
    var bytes: [UInt8] = []
    var timestamp: [UInt8] = []
    var first = RawLinePosition()
    var lastNumber = 0
    var isOpen = false
    var wasCut = false

    mutating func append(
        _ chunk: UnsafeRawBufferPointer, at position: RawLinePosition, timestamp stamp: UnsafeRawBufferPointer,
        cap: Int
    ) {
        if !isOpen {
            isOpen = true
            first = position
            JSONText.append(stamp, to: &timestamp)
        }
        lastNumber = position.number
        let room = cap - bytes.count
        if chunk.count > room { wasCut = true }
        JSONText.append(UnsafeRawBufferPointer(rebasing: chunk[..<min(chunk.count, max(0, room))]), to: &bytes)
    }

    /// Empties the line, keeping the buffers' capacity.
    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        timestamp.removeAll(keepingCapacity: true)
        isOpen = false
        wasCut = false
    }
}

// MARK: - Parsing the wrappings

/// Where the parts of a Docker json-file line are. The line must be a JSON object with a string `log` and
/// a string `stream` (Docker always writes both; requiring `stream` keeps an application's own JSON line
/// with a `log` field from passing for Docker's); `time` is read when present, other members are skipped.
/// Strings may hold raw control bytes, as fluent-bit accepts.
private struct DockerChunk {
    var log: Range<Int>
    var logHasEscapes: Bool
    var stream: ContainerStream
    var time: Range<Int>?


    init?(_ line: UnsafeRawBufferPointer) {
        var scanner = JSONScanner(line)
        guard scanner.enterObject() else { return nil }
        var log: JSONStringSpan?
        var stream: ContainerStream?
        var time: Range<Int>?
        loop: while true {
            switch scanner.nextMember() {
            case .malformed:
                return nil
            case .end:
                break loop
            case .key(let key):
                let name = UnsafeRawBufferPointer(rebasing: line[key])
                let isString = scanner.current == UInt8(ascii: "\"")
                if isString, Self.equals(name, "log") {
                    log = scanner.scanString()
                    if log == nil { return nil }
                } else if isString, Self.equals(name, "stream"), let span = scanner.scanString() {
                    let value = UnsafeRawBufferPointer(rebasing: line[span.content])
                    stream = Self.equals(value, "stderr") ? .stderr : .stdout
                } else if isString, Self.equals(name, "time"), let span = scanner.scanString() {
                    time = span.content
                } else if !scanner.skipValue() {
                    return nil
                }
            }
        }
        guard let log, let stream else { return nil }
        self.log = log.content
        self.logHasEscapes = log.hasEscapes
        self.stream = stream
        self.time = time
    }

    private static func equals(_ bytes: UnsafeRawBufferPointer, _ word: StaticString) -> Bool {
        guard bytes.count == word.utf8CodeUnitCount, let base = bytes.baseAddress else { return false }
        return memcmp(base, word.utf8Start, bytes.count) == 0
    }
}

/// Where the parts of a CRI line are: `<RFC 3339 time> <stdout|stderr> <tags> <text>`. The tags are `F`
/// (full) or `P` (partial), possibly with more tags after a `:`.
private struct CRIChunk {
    var timestamp: Range<Int>
    var stream: ContainerStream
    var isPartial: Bool
    var content: Range<Int>

    init?(_ line: UnsafeRawBufferPointer) {
        // The time: `YYYY-MM-DDThh:mm:ss…`, up to the first blank.
        guard line.count > 20, Self.isDigits(line, 0..<4), line[4] == UInt8(ascii: "-"), Self.isDigits(line, 5..<7),
              line[7] == UInt8(ascii: "-"), Self.isDigits(line, 8..<10), line[10] == UInt8(ascii: "T"),
              let base = line.baseAddress, let space = memchr(base + 11, 0x20, line.count - 11)
        else { return nil }
        let timeEnd = base.distance(to: UnsafeRawPointer(space))
        timestamp = 0..<timeEnd

        // The stream.
        let streamStart = timeEnd + 1
        guard streamStart + 7 <= line.count, line[streamStart + 6] == 0x20 else { return nil }
        switch (line[streamStart + 3], line[streamStart + 4], line[streamStart + 5]) {
        case (UInt8(ascii: "o"), UInt8(ascii: "u"), UInt8(ascii: "t")): stream = .stdout
        case (UInt8(ascii: "e"), UInt8(ascii: "r"), UInt8(ascii: "r")): stream = .stderr
        default: return nil
        }
        guard line[streamStart] == UInt8(ascii: "s"), line[streamStart + 1] == UInt8(ascii: "t"),
              line[streamStart + 2] == UInt8(ascii: "d") else { return nil }

        // The tags, then the text after one blank (an empty line may lack the blank).
        let tagStart = streamStart + 7
        var tagEnd = tagStart
        while tagEnd < line.count, line[tagEnd] != 0x20 { tagEnd += 1 }
        guard tagEnd > tagStart else { return nil }
        let firstTagEnd = line[tagStart..<tagEnd].firstIndex(of: UInt8(ascii: ":")) ?? tagEnd
        guard firstTagEnd == tagStart + 1 else { return nil }
        switch line[tagStart] {
        case UInt8(ascii: "F"): isPartial = false
        case UInt8(ascii: "P"): isPartial = true
        default: return nil
        }
        content = min(tagEnd + 1, line.count)..<line.count
    }

    private static func isDigits(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> Bool {
        line[range].allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }
}
