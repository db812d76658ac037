/// Stack traces printed by the Swift runtime. (Placeholder: grammar to be written.)
public final class SwiftGrammar: TraceGrammar {
    public static let runtime = Runtime.swift
    public static let starterPatterns: [String] = []
    public static let detectionPattern = #"(?!)"#
    public static let examples: [TraceExample] = []

    public init() {}

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? { nil }
}
