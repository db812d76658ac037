/// Stack traces printed by the Rust runtime. (Placeholder: grammar to be written.)
public final class RustGrammar: TraceGrammar {
    public static let runtime = Runtime.rust
    public static let starterPatterns: [String] = []
    public static let detectionPattern = #"(?!)"#
    public static let examples: [TraceExample] = []

    public init() {}

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? { nil }
}
