// The only file that imports CArchive: everything else sees `ArchiveReader` and plain Swift values.
internal import CArchive

#if canImport(Glibc)
import Glibc
#endif

/// Where an ``ArchiveReader`` takes its bytes from.
enum ArchiveInput {
    /// A file on disk.
    case path(String)
    /// An open pipe (standard input, a FIFO). Every byte read is also appended to `copy`, if given, so an
    /// archive found in the pipe can be read again from the copy.
    case stream(descriptor: Int32, copy: SpillFile?)
    /// An open file descriptor positioned at the start of the data (a staged copy of a stream).
    case descriptor(Int32)
    /// The data of the current entry of another reader: a compressed file or an archive inside an archive.
    case currentEntry(of: ArchiveReader)
}

/// What libarchive reported when reading failed, without any content of the data.
struct ArchiveFailure: Error, Sendable {
    enum Kind: Sendable {
        /// The operating system refused: no such file, permission denied, an I/O error.
        case unreadable
        /// The data is corrupt or truncated.
        case damaged
        /// A decompressed member passed the size cap.
        case tooLarge
        /// A member passed the compression-ratio cap.
        case compressionRatio
    }
    var kind: Kind
    var message: String
}

/// Caps that stop a decompression bomb. See ``ReaderSettings``.
struct BombLimits: Sendable {
    var maxCompressionRatio: Double
    var ratioCheckAfterBytes: Int64
}

/// A streaming libarchive reader over one input with an explicit allow-list of formats.
///
/// Formats: tar, zip, 7-Zip, cpio, RAR and RAR5 archives; anything else is read as a single raw stream.
/// Filters: gzip (with concatenated members), bzip2, xz, lzma, zstd, lz4, compress. `format_all` is never
/// enabled, because it lets mtree claim plain text and silently produce empty entries.
///
/// Not `Sendable`: a libarchive handle belongs to one task. Blocks returned by ``readBlock()`` are valid
/// only until the next call on this reader.
final class ArchiveReader {
    /// One entry of an archive, or the single stream of a raw (possibly compressed) file.
    struct Entry {
        /// The member path inside the archive; empty for a raw stream.
        var pathname: String
        /// Regular files carry data; directories, links and devices are skipped.
        var isRegularFile: Bool
    }

    private let handle: OpaquePointer
    /// Keeps the outer reader alive and carries its failure for nested readers.
    private let nestedSource: NestedSource?
    /// The client data of a stream reader, which copies what it reads.
    private var streamSource: StreamSource?
    private let limits: BombLimits
    private var decodedBytes: Int64 = 0
    private var sawFirstHeader = false
    private(set) var warnings: [String] = []

    init(_ input: ArchiveInput, blockSize: Int = 1 << 20, limits: BombLimits) throws(ArchiveFailure) {
        guard let handle = archive_read_new() else {
            throw ArchiveFailure(kind: .damaged, message: "cannot allocate an archive reader")
        }
        self.handle = handle
        self.limits = limits
        for enable in [
            archive_read_support_filter_gzip, archive_read_support_filter_bzip2, archive_read_support_filter_xz,
            archive_read_support_filter_lzma, archive_read_support_filter_zstd, archive_read_support_filter_lz4,
            archive_read_support_filter_compress,
            archive_read_support_format_tar, archive_read_support_format_zip, archive_read_support_format_7zip,
            archive_read_support_format_cpio, archive_read_support_format_rar, archive_read_support_format_rar5,
            archive_read_support_format_empty, archive_read_support_format_raw,
        ] {
            _ = enable(handle)
        }

        let status: Int32
        switch input {
        case .path(let path):
            nestedSource = nil
            streamSource = nil
            status = archive_read_open_filename(handle, path, blockSize)
        case .stream(let descriptor, let copy):
            let source = StreamSource(descriptor: descriptor, copy: copy, blockSize: blockSize)
            streamSource = source
            nestedSource = nil
            status = archive_read_open(
                handle, Unmanaged.passUnretained(source).toOpaque(), nil,
                { _, context, buffer in
                    let source = Unmanaged<StreamSource>.fromOpaque(context!).takeUnretainedValue()
                    return source.read(into: buffer)
                }, nil)
        case .descriptor(let descriptor):
            nestedSource = nil
            streamSource = nil
            status = archive_read_open_fd(handle, descriptor, blockSize)
        case .currentEntry(let outer):
            streamSource = nil
            let source = NestedSource(outer: outer)
            nestedSource = source
            status = archive_read_open(
                handle, Unmanaged.passUnretained(source).toOpaque(), nil,
                { _, context, buffer in
                    let source = Unmanaged<NestedSource>.fromOpaque(context!).takeUnretainedValue()
                    return source.read(into: buffer)
                }, nil)
        }
        if status < ARCHIVE_WARN {
            // No archive_read_free here: every stored property is set, so throwing runs deinit, which frees it.
            var failure = lastFailure()
            // A file that cannot even be opened is the operating system's refusal, not damaged data.
            if case .path(let path) = input, access(path, R_OK) != 0 {
                failure = ArchiveFailure(kind: .unreadable, message: errorText())
            }
            throw failure
        }
    }

    deinit { archive_read_free(handle) }

    /// The next entry, or `nil` at the end. Warnings are collected in ``warnings``.
    func nextEntry() throws(ArchiveFailure) -> Entry? {
        var entry: OpaquePointer? = nil
        var status = archive_read_next_header(handle, &entry)
        // ARCHIVE_RETRY (above ARCHIVE_WARN) means a damaged header, e.g. a bad tar checksum: record it and
        // retry, as bsdtar does; libarchive moves on to the next readable header.
        while status == ARCHIVE_RETRY {
            warnings.append(errorText() + "; skipped to the next readable header")
            status = archive_read_next_header(handle, &entry)
        }
        if status == ARCHIVE_EOF { return nil }
        if status == ARCHIVE_WARN { warnings.append(errorText()) }
        guard status >= ARCHIVE_WARN, let entry else { throw lastFailure() }
        sawFirstHeader = true
        if isRaw { return Entry(pathname: "", isRegularFile: true) }
        let name = archive_entry_pathname_utf8(entry) ?? archive_entry_pathname(entry)
        return Entry(
            pathname: name.map { String(cString: $0) } ?? "",
            isRegularFile: archive_entry_filetype(entry) == mode_t(carchive_ae_ifreg()))
    }

    /// The next block of the current entry's data, or `nil` at its end. Never an empty block.
    func readBlock() throws(ArchiveFailure) -> UnsafeRawBufferPointer? {
        while true {
            var buffer: UnsafeRawPointer? = nil
            var size = 0
            var offset: la_int64_t = 0
            let status = archive_read_data_block(handle, &buffer, &size, &offset)
            if status == ARCHIVE_EOF { return nil }
            if status == ARCHIVE_WARN { warnings.append(errorText()) }
            guard status >= ARCHIVE_WARN else { throw lastFailure() }
            guard size > 0, let buffer else { continue }
            decodedBytes += Int64(size)
            if decodedBytes >= limits.ratioCheckAfterBytes {
                let consumed = max(1, compressedBytesRead)
                if Double(decodedBytes) > limits.maxCompressionRatio * Double(consumed) {
                    throw ArchiveFailure(
                        kind: .compressionRatio,
                        message: "decompressed \(decodedBytes) bytes from \(consumed) bytes, a ratio above the "
                            + "limit of \(Int(limits.maxCompressionRatio)):1 (reader.max-compression-ratio)")
                }
            }
            return UnsafeRawBufferPointer(start: buffer, count: size)
        }
    }

    /// Skips the rest of the current entry's data.
    func skipData() throws(ArchiveFailure) {
        let status = archive_read_data_skip(handle)
        if status == ARCHIVE_WARN { warnings.append(errorText()) }
        guard status >= ARCHIVE_WARN else { throw lastFailure() }
    }

    /// Bytes read from the underlying source so far (compressed bytes for a compressed input).
    var compressedBytesRead: Int64 { archive_filter_bytes(handle, -1) }

    /// Whether the input is a single stream rather than an archive. Valid after the first ``nextEntry()``.
    var isRaw: Bool {
        let format = archive_format(handle) & ARCHIVE_FORMAT_BASE_MASK
        return format == ARCHIVE_FORMAT_RAW || format == ARCHIVE_FORMAT_EMPTY
    }

    /// A short name of the archive format (`tar`, `zip`, `7zip`, `cpio`, `rar`), or `nil` for a raw stream.
    var archiveFormatName: String? {
        switch archive_format(handle) & ARCHIVE_FORMAT_BASE_MASK {
        case ARCHIVE_FORMAT_RAW, ARCHIVE_FORMAT_EMPTY: return nil
        case ARCHIVE_FORMAT_TAR: return "tar"
        case ARCHIVE_FORMAT_ZIP: return "zip"
        case ARCHIVE_FORMAT_7ZIP: return "7zip"
        case ARCHIVE_FORMAT_CPIO: return "cpio"
        case ARCHIVE_FORMAT_RAR, ARCHIVE_FORMAT_RAR_V5: return "rar"
        default: return archive_format_name(handle).map { String(cString: $0) } ?? "archive"
        }
    }

    /// The compression filters, outermost first (`["gzip"]` for a `.tar.gz`); empty when uncompressed.
    var filterNames: [String] {
        let count = archive_filter_count(handle)
        guard count > 0 else { return [] }
        // libarchive numbers filters from the one nearest the format (0) out to the source.
        return (0..<count).reversed().compactMap { index in
            archive_filter_code(handle, index) == ARCHIVE_FILTER_NONE
                ? nil : archive_filter_name(handle, index).map { String(cString: $0) }
        }
    }

    /// For a stream input: stops copying what is read (the stream turned out not to be an archive).
    func stopCopying() { streamSource?.copy = nil }

    /// For a stream input: copies the rest of the stream, unread by libarchive, to the copy. Afterwards the
    /// copy holds the whole stream and this reader must not be used any more.
    func copyRemainder() throws(ArchiveFailure) {
        guard let source = streamSource, source.copy != nil else { return }
        while let block = try source.readDirect() { try source.copy?.append(block) }
        if let failure = source.failure { throw failure }
    }

    /// Takes and clears the warnings collected so far.
    func drainWarnings() -> [String] {
        defer { warnings.removeAll() }
        return warnings
    }

    private func errorText() -> String {
        archive_error_string(handle).map { String(cString: $0) } ?? "unknown libarchive error"
    }

    private func lastFailure() -> ArchiveFailure {
        // A nested reader's failure usually comes from the outer stream (a truncated .tar.gz): report that.
        if let failure = nestedSource?.failure ?? streamSource?.failure { return failure }
        return ArchiveFailure(kind: .damaged, message: errorText())
    }
}

/// The client data of a nested reader's read callback.
private final class NestedSource {
    let outer: ArchiveReader
    var failure: ArchiveFailure?

    init(outer: ArchiveReader) { self.outer = outer }

    func read(into buffer: UnsafeMutablePointer<UnsafeRawPointer?>?) -> la_ssize_t {
        do {
            guard let block = try outer.readBlock() else { return 0 }
            buffer?.pointee = block.baseAddress
            return block.count
        } catch {
            failure = error
            return la_ssize_t(ARCHIVE_FATAL)
        }
    }
}

/// The client data of a stream reader: reads a descriptor, copying every block to a staging file.
final class StreamSource {
    let descriptor: Int32
    var copy: SpillFile?
    var failure: ArchiveFailure?
    private let buffer: UnsafeMutableRawPointer
    private let blockSize: Int

    init(descriptor: Int32, copy: SpillFile?, blockSize: Int) {
        self.descriptor = descriptor
        self.copy = copy
        self.blockSize = blockSize
        self.buffer = .allocate(byteCount: blockSize, alignment: 16)
    }

    deinit { buffer.deallocate() }

    /// The next block straight from the descriptor, or `nil` at its end.
    func readDirect() throws(ArchiveFailure) -> UnsafeRawBufferPointer? {
        while true {
            let count = Glibc.read(descriptor, buffer, blockSize)
            if count < 0 {
                if errno == EINTR { continue }
                throw ArchiveFailure(kind: .damaged, message: "cannot read: \(errorText())")
            }
            return count == 0 ? nil : UnsafeRawBufferPointer(start: buffer, count: count)
        }
    }

    func read(into pointer: UnsafeMutablePointer<UnsafeRawPointer?>?) -> la_ssize_t {
        do {
            guard let block = try readDirect() else { return 0 }
            try copy?.append(block)
            pointer?.pointee = block.baseAddress
            return block.count
        } catch {
            failure = error
            return la_ssize_t(ARCHIVE_FATAL)
        }
    }
}

/// Makes libarchive decode member names as UTF-8 even though a Swift program starts in the C locale.
/// Without it, a pax tar with a non-ASCII member name yields "Pathname can't be converted" warnings.
let archiveLocaleSetUp: Void = {
    _ = setlocale(LC_CTYPE, "C.UTF-8")
}()
