/// Stack traces printed by the Node runtime. (Placeholder: grammar to be written.)
public final class NodeGrammar: TraceGrammar {
    public static let runtime = Runtime.node
    public static let starterPatterns: [String] = []
    public static let detectionPattern = #"(?!)"#
    public static let examples: [TraceExample] = []

    public init() {}

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? { nil }
}
