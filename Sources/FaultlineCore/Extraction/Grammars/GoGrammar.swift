/// Stack traces printed by the Go runtime. (Placeholder: grammar to be written.)
public final class GoGrammar: TraceGrammar {
    public static let runtime = Runtime.go
    public static let starterPatterns: [String] = []
    public static let detectionPattern = #"(?!)"#
    public static let examples: [TraceExample] = []

    public init() {}

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? { nil }
}
