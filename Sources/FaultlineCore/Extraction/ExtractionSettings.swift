/// How records become events: the `extraction:` section of the configuration.
public struct ExtractionSettings: Sendable, Hashable {
    /// Records at this level or above become events even without a stack trace (message events).
    public var levelThreshold: Level = .error
    /// A custom record-start pattern (PCRE2, anchored at the line start, optional named groups
    /// `timestamp`, `level`, `thread`, `logger`, `message`), tried before the built-in formats.
    public var recordStart: String? = nil
    /// A record longer than this keeps its first lines only (the rest is counted, not kept).
    public var maxRecordLines: Int = 2_000
    /// Tag name → a PCRE2 pattern matched against the logical file's name; the tag's value is the group
    /// named `value`, else the first group, else the whole match. Example: `service: '(?<value>[^/]+)/[^/]+$'`.
    public var tags: [String: String] = [:]
    /// Threads that build events from error records while the reader frames the next lines; `nil` uses one per
    /// processor online, 1 builds on the reader's thread. Events come out in input order either way.
    public var workers: Int? = nil

    public init() {}
}
