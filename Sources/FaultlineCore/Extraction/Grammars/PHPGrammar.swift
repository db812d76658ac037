/// Stack traces printed by the PHP runtime. (Placeholder: grammar to be written.)
public final class PHPGrammar: TraceGrammar {
    public static let runtime = Runtime.php
    public static let starterPatterns: [String] = []
    public static let detectionPattern = #"(?!)"#
    public static let examples: [TraceExample] = []

    public init() {}

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? { nil }
}
