/// How inputs are found and read: caps, exclusions, archive handling. The `reader:` section of the config.
public struct ReaderSettings: Sendable, Hashable {
    /// Lines longer than this are cut to this many bytes, with a diagnostic.
    public var maxLineBytes: Int = 1 << 20
    /// A logical file that decompresses to more bytes than this is read up to the cap, with a diagnostic.
    public var maxMemberBytes: Int64 = 64 << 30
    /// A compressed input whose decompressed size exceeds this multiple of the compressed bytes read is
    /// a decompression bomb: reading stops at that point, with a diagnostic.
    public var maxCompressionRatio: Double = 1000
    /// The ratio is checked only after this many decompressed bytes, so small files never trip it.
    public var ratioCheckAfterBytes: Int64 = 64 << 20
    /// How many archives deep to open (an archive in an archive is depth 2).
    public var maxArchiveDepth: Int = 4
    /// Globs of paths to skip, matched against paths relative to a directory given on the command line
    /// and against archive member paths. A glob without `/` matches the file name alone.
    public var exclude: [String] = []
    /// Whether directory walks include names starting with `.`.
    public var includeHidden: Bool = false
    /// Whether directory walks follow symbolic links (loops are detected and reported).
    public var followSymlinks: Bool = true
    /// Where out-of-order archive members are staged; `nil` means `$TMPDIR` or `/tmp`.
    public var temporaryDirectory: String? = nil

    public init() {}
}
