/// Stack traces printed by the Java runtime. (Placeholder: grammar to be written.)
public final class JavaGrammar: TraceGrammar {
    public static let runtime = Runtime.java
    public static let starterPatterns: [String] = []
    public static let detectionPattern = #"(?!)"#
    public static let examples: [TraceExample] = []

    public init() {}

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? { nil }
}
