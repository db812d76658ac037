/// Stack traces printed by the Python runtime. (Placeholder: grammar to be written.)
public final class PythonGrammar: TraceGrammar {
    public static let runtime = Runtime.python
    public static let starterPatterns: [String] = []
    public static let detectionPattern = #"(?!)"#
    public static let examples: [TraceExample] = []

    public init() {}

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? { nil }
}
