/// Stack traces printed by the Ruby runtime. (Placeholder: grammar to be written.)
public final class RubyGrammar: TraceGrammar {
    public static let runtime = Runtime.ruby
    public static let starterPatterns: [String] = []
    public static let detectionPattern = #"(?!)"#
    public static let examples: [TraceExample] = []

    public init() {}

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? { nil }
}
