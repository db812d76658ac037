#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Something that yields the decoded bytes of one logical file, block by block.
protocol BlockSource: AnyObject {
    /// The next non-empty block, or `nil` at the end. Valid until the next call.
    func nextBlock() throws(ArchiveFailure) -> UnsafeRawBufferPointer?
}

extension ArchiveReader: BlockSource {
    func nextBlock() throws(ArchiveFailure) -> UnsafeRawBufferPointer? { try readBlock() }
}

/// An anonymous temporary file holding one logical file's decoded bytes until its turn comes: an archive
/// member that arrives before older files of its rotation set, or content being compared with a possible
/// duplicate. The file is unlinked as soon as it is created, so nothing is left behind even on a crash.
final class SpillFile: BlockSource {
    let descriptor: Int32
    private let buffer: UnsafeMutableRawPointer
    private static let blockSize = 1 << 20
    private(set) var size: Int64 = 0

    init(directory: String?) throws(ArchiveFailure) {
        var base = directory ?? getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        if base.isEmpty { base = "/tmp" }
        var template = Array((base.hasSuffix("/") ? base : base + "/").utf8CString.dropLast())
            + Array("faultline-stage-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw ArchiveFailure(
                kind: .damaged, message: "cannot create a staging file in \(base): \(errorText())")
        }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        self.descriptor = descriptor
        self.buffer = .allocate(byteCount: Self.blockSize, alignment: 16)
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    func append(_ block: UnsafeRawBufferPointer) throws(ArchiveFailure) {
        guard var cursor = block.baseAddress else { return }
        var remaining = block.count
        while remaining > 0 {
            let written = write(descriptor, cursor, remaining)
            if written < 0 {
                if errno == EINTR { continue }
                throw ArchiveFailure(kind: .damaged, message: "cannot write a staging file: \(errorText())")
            }
            cursor += written
            remaining -= written
        }
        size += Int64(block.count)
    }

    /// Starts reading from the beginning.
    func rewind() { lseek(descriptor, 0, SEEK_SET) }

    func nextBlock() throws(ArchiveFailure) -> UnsafeRawBufferPointer? {
        while true {
            let count = read(descriptor, buffer, Self.blockSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw ArchiveFailure(kind: .damaged, message: "cannot read a staging file: \(errorText())")
            }
            return count == 0 ? nil : UnsafeRawBufferPointer(start: buffer, count: count)
        }
    }
}
