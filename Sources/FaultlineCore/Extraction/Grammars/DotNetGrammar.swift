/// Stack traces printed by the DotNet runtime. (Placeholder: grammar to be written.)
public final class DotNetGrammar: TraceGrammar {
    public static let runtime = Runtime.dotnet
    public static let starterPatterns: [String] = []
    public static let detectionPattern = #"(?!)"#
    public static let examples: [TraceExample] = []

    public init() {}

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? { nil }
}
