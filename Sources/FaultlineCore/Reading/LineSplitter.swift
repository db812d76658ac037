#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits a stream of byte blocks into lines: the hot path every byte of every log goes through.
///
/// - Lines end at `\n`; a `\r` before it is dropped, so LF and CRLF files read the same.
/// - A last line without a newline is delivered by ``finish(_:)``.
/// - NUL bytes and invalid UTF-8 are kept exactly.
/// - A line longer than `maxLineBytes` is delivered cut to its first `maxLineBytes` bytes (``Line/wasCut``);
///   the rest of it is skipped, so memory stays bounded whatever the input.
///
/// Lines that fit in one block are delivered straight from that block without copying; only a line that
/// spans two blocks is assembled in the carry buffer. Lines go out in batches (``LineBatch``) of up to
/// ``batchCapacity`` lines, so the per-line cost is a `memchr` and a small record, and the consumer's loop
/// over a batch is its own, specialized code.
struct LineSplitter: ~Copyable {
    let maxLineBytes: Int
    static let batchCapacity = 4096
    private let carry: UnsafeMutableRawPointer
    private let records: UnsafeMutablePointer<LineRecord>
    private var recordCount = 0
    private var carryCount = 0
    /// The line in `carry` went over the cap: keep skipping until its newline.
    private var carryWasCut = false
    private var carryStart: Int64 = 0

    /// Lines delivered so far.
    private(set) var lineCount = 0
    /// Decoded bytes consumed so far.
    private(set) var byteCount: Int64 = 0
    /// Lines cut at the cap, and where the first one was.
    private(set) var cutLineCount = 0
    private(set) var firstCut: (line: Int, byteOffset: Int64)?

    init(maxLineBytes: Int) {
        self.maxLineBytes = max(1, maxLineBytes)
        // One byte more than the cap: room for the `\r` of a CRLF line whose text is exactly the cap.
        self.carry = .allocate(byteCount: self.maxLineBytes + 1, alignment: 16)
        self.records = .allocate(capacity: Self.batchCapacity)
    }

    deinit {
        carry.deallocate()
        records.deallocate()
    }

    /// Forgets all state, for reading the next logical file with the same buffer.
    mutating func reset() {
        carryCount = 0
        carryWasCut = false
        carryStart = 0
        lineCount = 0
        byteCount = 0
        cutLineCount = 0
        firstCut = nil
        recordCount = 0
    }

    /// Where the next line would start: the line number and byte offset a diagnostic should name.
    var position: (line: Int, byteOffset: Int64) {
        (lineCount + 1, carryCount > 0 || carryWasCut ? carryStart : byteCount)
    }

    @inline(__always)
    private mutating func deliver(
        _ start: UnsafeRawPointer, _ length: Int, at offset: Int64, cut: Bool, _ emit: (LineBatch) -> Void
    ) {
        var length = length
        if !cut, length > 0, start.load(fromByteOffset: length - 1, as: UInt8.self) == 13 { length -= 1 }
        lineCount += 1
        if cut {
            cutLineCount += 1
            if firstCut == nil { firstCut = (lineCount, offset) }
        }
        records[recordCount] = LineRecord(start: start, length: length, byteOffset: offset, wasCut: cut)
        recordCount += 1
        if recordCount == Self.batchCapacity { flush(emit) }
    }

    /// Hands the pending lines to `emit`. Called before the memory they point to can change.
    @inline(__always)
    private mutating func flush(_ emit: (LineBatch) -> Void) {
        guard recordCount > 0 else { return }
        let batch = LineBatch(
            firstNumber: lineCount - recordCount + 1,
            records: UnsafeBufferPointer(start: records, count: recordCount))
        recordCount = 0
        emit(batch)
    }

    /// Appends up to the cap (plus one byte for a possible `\r`) to the carry buffer; marks the carried line
    /// cut when it overflows.
    @inline(__always)
    private mutating func appendToCarry(_ start: UnsafeRawPointer, _ length: Int) {
        let room = maxLineBytes + 1 - carryCount
        if length > room { carryWasCut = true }
        let take = min(room, length)
        if take > 0 {
            (carry + carryCount).copyMemory(from: start, byteCount: take)
            carryCount += take
        }
    }

    /// Splits one block, calling `emit` with batches of the lines completed in it.
    mutating func consume(_ block: UnsafeRawBufferPointer, _ emit: (LineBatch) -> Void) {
        guard let base = block.baseAddress, block.count > 0 else { return }
        let end = base + block.count
        let blockStart = byteCount
        byteCount += Int64(block.count)
        var cursor = base

        // Finish the line carried over from the previous block.
        if carryCount > 0 || carryWasCut {
            guard let newline = memchr(cursor, 10, end - cursor) else {
                appendToCarry(cursor, end - cursor)
                return
            }
            let newlineAt = UnsafeRawPointer(newline)
            appendToCarry(cursor, newlineAt - cursor)
            deliverCarry(emit)
            cursor = newlineAt + 1
        }

        while cursor < end {
            guard let newline = memchr(cursor, 10, end - cursor) else {
                flush(emit)  // the carry buffer is about to change, and a pending line may point into it
                carryStart = blockStart + Int64(cursor - base)
                appendToCarry(cursor, end - cursor)
                return
            }
            let newlineAt = UnsafeRawPointer(newline)
            let length = newlineAt - cursor
            let offset = blockStart + Int64(cursor - base)
            // Over the cap, unless the only extra byte is the `\r` of a CRLF.
            if length > maxLineBytes, length > maxLineBytes + 1 || newlineAt.load(fromByteOffset: -1, as: UInt8.self) != 13 {
                deliver(cursor, maxLineBytes, at: offset, cut: true, emit)
            } else {
                deliver(cursor, length, at: offset, cut: false, emit)
            }
            cursor = newlineAt + 1
        }
        flush(emit)
    }

    /// Delivers the last line when the input did not end with a newline.
    mutating func finish(_ emit: (LineBatch) -> Void) {
        guard carryCount > 0 || carryWasCut else { return }
        deliverCarry(emit)
        flush(emit)
    }

    /// Delivers the line in the carry buffer and empties it. The buffer may hold one byte over the cap: a
    /// final `\r` there is dropped by ``deliver``; any other byte means the line was longer than the cap.
    private mutating func deliverCarry(_ emit: (LineBatch) -> Void) {
        var length = carryCount
        var cut = carryWasCut
        if length > maxLineBytes && (cut || carry.load(fromByteOffset: length - 1, as: UInt8.self) != 13) {
            length = maxLineBytes
            cut = true
        }
        deliver(UnsafeRawPointer(carry), length, at: carryStart, cut: cut, emit)
        carryCount = 0
        carryWasCut = false
    }
}
