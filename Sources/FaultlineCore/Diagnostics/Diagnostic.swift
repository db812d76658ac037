/// A problem found while processing input: a bad file, a cut line, a duplicate.
///
/// Diagnostics never stop a batch. They are collected as values next to the results, printed at the end
/// of a run and included in every machine-readable output. Messages name the file and the position but
/// never quote log content, which may hold personal data.
public struct Diagnostic: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        case note, warning, error

        private var rank: Int { self == .note ? 0 : self == .warning ? 1 : 2 }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// A stable identifier of the kind of problem, for scripts that filter diagnostics.
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// A path given on the command line does not exist or matched nothing.
        case notFound = "not-found"
        /// A file or directory could not be opened or read.
        case unreadable
        /// A directory's symbolic links lead back into itself.
        case symlinkLoop = "symlink-loop"
        /// The data is not text (executable, image, random bytes) and was skipped.
        case binarySkipped = "binary-skipped"
        /// A compressed stream or archive is damaged or truncated; data before the damage was read.
        case damagedInput = "damaged-input"
        /// A file's name says archive but its content is not a readable archive.
        case damagedArchive = "damaged-archive"
        /// An archive without members (libarchive also reads a file of NUL bytes so).
        case emptyArchive = "empty-archive"
        /// libarchive reported a recoverable problem.
        case archiveWarning = "archive-warning"
        /// Lines longer than the cap were cut.
        case lineTooLong = "line-too-long"
        /// A member decompressed to more bytes than allowed.
        case memberTooLarge = "member-too-large"
        /// A member's decompressed size grew out of proportion to its compressed size.
        case compressionRatio = "compression-ratio"
        /// Archives nested deeper than allowed.
        case nestingTooDeep = "nesting-too-deep"
        /// The same content was reached through another input and was read only once.
        case duplicateContent = "duplicate-content"
    }

    public var severity: Severity
    public var code: Code
    /// The logical file (`logs.tar.gz!/app/app.log`) or path the problem is in, if any.
    public var file: String?
    /// 1-based line number in the logical file, if known.
    public var line: Int?
    /// Byte offset in the logical file's decoded content, if known.
    public var byteOffset: Int64?
    /// What happened and what was done about it. Never contains log content.
    public var message: String

    public init(
        _ severity: Severity, _ code: Code, file: String? = nil, line: Int? = nil, byteOffset: Int64? = nil,
        _ message: String
    ) {
        self.severity = severity
        self.code = code
        self.file = file
        self.line = line
        self.byteOffset = byteOffset
        self.message = message
    }

    /// `app.log.gz:1200 (byte 81234): error: truncated gzip input [damaged-input]`
    public var description: String {
        var location = file ?? "faultline"
        if let line { location += ":\(line)" }
        if let byteOffset { location += " (byte \(byteOffset))" }
        return "\(location): \(severity.rawValue): \(message) [\(code.rawValue)]"
    }
}
