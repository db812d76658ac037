#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The whole typed configuration of a run, read from YAML and handed to each stage.
///
/// Stages never read files themselves: the command line finds the file (``Configuration/locate(explicit:)``),
/// loads it here, applies its own flags on top, and passes the sections down.
///
/// ```yaml
/// # .faultline.yml
/// extraction:
///   level: error
///   record-start: '^(?<timestamp>\S+) (?<level>[A-Z]+) '
///   tags:
///     service: '(?<value>[^/]+)/[^/]+$'
/// reader:
///   max-line-bytes: 1MiB
///   max-member-bytes: 64GiB
///   max-compression-ratio: 1000
///   max-archive-depth: 4
///   exclude: ["*.pid", "**/tmp/**"]
///   include-hidden: false
///   follow-symlinks: true
///   temporary-directory: /var/tmp
/// ```
///
/// Unknown keys and values of the wrong type are errors that name the key and its line, so a typo never
/// silently falls back to a default.
public struct Configuration: Sendable, Hashable {
    /// How inputs are found and read.
    public var reader = ReaderSettings()
    /// How records become events.
    public var extraction = ExtractionSettings()

    public init() {}

    /// The file name looked up in the working directory when no `--config` is given.
    public static let defaultFileName = ".faultline.yml"

    /// The configuration file to use: the explicit path if given, else `.faultline.yml` in the working
    /// directory if it exists, else `nil` (built-in defaults).
    public static func locate(explicit: String?) -> String? {
        if let explicit { return explicit }
        return access(defaultFileName, F_OK) == 0 ? defaultFileName : nil
    }

    /// Loads a configuration file.
    public static func load(path: String) throws(ConfigurationError) -> Configuration {
        guard let text = readTextFile(path) else {
            throw ConfigurationError(file: path, problem: "cannot read the file: \(errorText())")
        }
        return try parse(yaml: text, file: path)
    }

    /// Parses configuration text; `file` is used in error messages only.
    public static func parse(yaml: String, file: String) throws(ConfigurationError) -> Configuration {
        let root = try ConfigNode.parse(yaml, file: file)
        var configuration = Configuration()
        guard let root else { return configuration }  // an empty file means defaults
        try root.forEachEntry(of: "", known: ["reader", "extraction"]) { (key, value) throws(ConfigurationError) in
            switch key {
            case "reader": try configuration.reader.apply(value)
            case "extraction": try configuration.extraction.apply(value)
            default: break
            }
        }
        return configuration
    }

    private static func readTextFile(_ path: String) -> String? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count > 0 { bytes.append(contentsOf: buffer[0..<count]) }
            if count < buffer.count { break }
        }
        if ferror(file) != 0 { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension ReaderSettings {
    /// Applies the `reader:` section.
    mutating func apply(_ section: ConfigNode) throws(ConfigurationError) {
        let known = ["max-line-bytes", "max-member-bytes", "max-compression-ratio", "ratio-check-after-bytes",
                     "max-archive-depth", "exclude", "include-hidden", "follow-symlinks", "temporary-directory"]
        try section.forEachEntry(of: "reader", known: known) { (key, value) throws(ConfigurationError) in
            switch key {
            case "max-line-bytes": maxLineBytes = Int(try value.byteSize(minimum: 64))
            case "max-member-bytes": maxMemberBytes = try value.byteSize(minimum: 1)
            case "max-compression-ratio": maxCompressionRatio = try value.number(minimum: 1)
            case "ratio-check-after-bytes": ratioCheckAfterBytes = try value.byteSize(minimum: 0)
            case "max-archive-depth": maxArchiveDepth = try value.integer(minimum: 1)
            case "exclude": exclude = try value.stringList()
            case "include-hidden": includeHidden = try value.boolean()
            case "follow-symlinks": followSymlinks = try value.boolean()
            case "temporary-directory": temporaryDirectory = try value.string()
            default: break
            }
        }
    }
}

extension ExtractionSettings {
    /// Applies the `extraction:` section. Patterns are compiled here, so a bad one names its key and line.
    mutating func apply(_ section: ConfigNode) throws(ConfigurationError) {
        let known = ["level", "record-start", "max-record-lines", "tags"]
        try section.forEachEntry(of: "extraction", known: known) { (key, value) throws(ConfigurationError) in
            switch key {
            case "level":
                let word = try value.string()
                guard let level = Level(word: word) else {
                    throw value.failure("expected a level such as error, warning or critical")
                }
                levelThreshold = level
            case "record-start": recordStart = try value.pattern()
            case "max-record-lines": maxRecordLines = try value.integer(minimum: 2)
            case "tags":
                var parsed: [String: String] = [:]
                try value.forEachEntry(of: value.key, known: nil) { (name, pattern) throws(ConfigurationError) in
                    parsed[name] = try pattern.pattern()
                }
                tags = parsed
            default: break
            }
        }
    }
}
