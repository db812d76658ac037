/// One log as the pipeline sees it: a plain or compressed file, or one member of an archive.
///
/// Archive members are named with `!/` between the archive and the member path, one level per archive:
/// `logs.tar.gz!/app/app.log.3`, `bundle.zip!/nested.tar!/x.log`.
public struct LogicalFile: Sendable, Hashable, Codable {
    /// The display name, unique within a run.
    public var name: String
    /// How the bytes were stored.
    public var format: FileFormat
    /// The rotation set this file belongs to and its place in it.
    public var rotation: RotationPosition

    public init(name: String, format: FileFormat, rotation: RotationPosition) {
        self.name = name
        self.format = format
        self.rotation = rotation
    }
}

/// How a logical file's bytes were stored, outermost layer first.
public struct FileFormat: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Container layers from the outside in, e.g. `["gzip", "tar"]` for a member of a `.tar.gz`,
    /// `["zip", "gzip"]` for a `.gz` inside a zip. Empty for a plain file.
    public var layers: [String]
    /// The text encoding found in the content.
    public var encoding: TextEncoding

    public init(layers: [String], encoding: TextEncoding = .utf8) {
        self.layers = layers
        self.encoding = encoding
    }

    /// `plain`, `gzip`, `gzip+tar`, `zip+zstd`, with ` (utf-16le)` when transcoded.
    public var description: String {
        let base = layers.isEmpty ? "plain" : layers.joined(separator: "+")
        return encoding == .utf8 ? base : "\(base) (\(encoding.rawValue))"
    }
}

/// The text encoding of a logical file, detected from its byte-order mark.
public enum TextEncoding: String, Sendable, Hashable, Codable {
    /// UTF-8 or ASCII, with or without a BOM; invalid sequences are kept byte for byte.
    case utf8 = "utf-8"
    /// UTF-16 little-endian with a BOM, transcoded to UTF-8 for reading.
    case utf16LE = "utf-16le"
    /// UTF-16 big-endian with a BOM, transcoded to UTF-8 for reading.
    case utf16BE = "utf-16be"
}

/// Where a file sits in its rotation set: `app.log.2.gz` is 2nd of 4 in `logs/app.log`.
public struct RotationPosition: Sendable, Hashable, Codable {
    /// The set's name: the directory (or archive member directory) and the live file's name.
    public var set: String
    /// 1-based position, oldest first.
    public var index: Int
    /// How many files the set has.
    public var count: Int

    public init(set: String, index: Int, count: Int) {
        self.set = set
        self.index = index
        self.count = count
    }
}

/// Where a line came from. Line numbers are 1-based; byte offsets are 0-based and count bytes of the
/// logical file's decoded content (after decompression and, for UTF-16, after transcoding to UTF-8).
public struct LineOrigin: Sendable, Hashable, Codable {
    public var file: String
    public var line: Int
    public var byteOffset: Int64

    public init(file: String, line: Int, byteOffset: Int64) {
        self.file = file
        self.line = line
        self.byteOffset = byteOffset
    }
}

/// One line of a logical file, as raw bytes without its line terminator (`\n` or `\r\n`).
///
/// The bytes are borrowed from the reader's buffers and are valid only during the call that receives the
/// line; copy what must outlive it. Invalid UTF-8 and NUL bytes are kept exactly as they were.
public struct Line {
    @inlinable init(bytes: UnsafeRawBufferPointer, number: Int, byteOffset: Int64, wasCut: Bool) {
        self.bytes = bytes
        self.number = number
        self.byteOffset = byteOffset
        self.wasCut = wasCut
    }

    public let bytes: UnsafeRawBufferPointer
    /// 1-based line number within the logical file.
    public let number: Int
    /// Byte offset of the line's first byte within the logical file's decoded content.
    public let byteOffset: Int64
    /// Whether the line was longer than the cap and only its first part is here.
    public let wasCut: Bool
}

/// Consecutive lines of one logical file, delivered together. Iterate it to get each ``Line``; like the
/// lines, a batch is valid only during the call that receives it.
public struct LineBatch: RandomAccessCollection {
    /// The line number of the first line.
    public let firstNumber: Int
    @usableFromInline let records: UnsafeBufferPointer<LineRecord>

    init(firstNumber: Int, records: UnsafeBufferPointer<LineRecord>) {
        self.firstNumber = firstNumber
        self.records = records
    }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { records.count }

    @inlinable public subscript(position: Int) -> Line {
        let record = records[position]
        return Line(bytes: UnsafeRawBufferPointer(start: record.start, count: record.length),
                    number: firstNumber + position, byteOffset: record.byteOffset, wasCut: record.wasCut)
    }
}

/// Where one line of a batch is.
@usableFromInline struct LineRecord {
    @usableFromInline var start: UnsafeRawPointer
    @usableFromInline var length: Int
    @usableFromInline var byteOffset: Int64
    @usableFromInline var wasCut: Bool
}

/// What reading one logical file produced.
public struct FileSummary: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// Read to the end.
        case read
        /// Read up to a damaged or over-limit point; lines before it were delivered.
        case partial
        /// Not text; skipped.
        case binary
        /// Same content as another logical file, which was read instead.
        case duplicate
    }

    public var file: LogicalFile
    public var status: Status
    /// Number of lines delivered (a last line without a newline counts).
    public var lines: Int
    /// Bytes of content after decompression (for UTF-16, before transcoding; a BOM counts).
    public var bytes: Int64
    /// Lines cut at the line-length cap.
    public var cutLines: Int
    /// A hex digest of the decoded content, shared by files with identical content.
    public var contentID: String?
    /// For a duplicate: the name of the logical file that was read instead.
    public var duplicateOf: String?

    public init(
        file: LogicalFile, status: Status, lines: Int = 0, bytes: Int64 = 0, cutLines: Int = 0,
        contentID: String? = nil, duplicateOf: String? = nil
    ) {
        self.file = file
        self.status = status
        self.lines = lines
        self.bytes = bytes
        self.cutLines = cutLines
        self.contentID = contentID
        self.duplicateOf = duplicateOf
    }
}
