/// One line of a record, decoded for parsing. Records are decoded only when they are errors, so this is
/// off the hot path and may use `String`.
public struct RecordLine: Sendable, Hashable {
    /// The line without its terminator; invalid UTF-8 is repaired to U+FFFD.
    public var text: String
    /// 1-based line number in the logical file.
    public var number: Int

    public init(_ text: String, number: Int) {
        self.text = text
        self.number = number
    }
}

/// What a trace parser found in a record.
public struct ParsedTrace: Sendable, Hashable {
    public var runtime: Runtime
    /// The exception chain, **oldest cause first**, frames **caller first** (Sentry's order).
    public var exceptions: [ExceptionRecord]
    /// Other threads or goroutines printed with the trace (a Go dump's non-crashing goroutines).
    public var threads: [ThreadStack]
    /// Line numbers (``RecordLine/number``) of lines that look like this runtime's trace lines but could not
    /// be parsed: shown by `faultline events --unparsed`, so nothing vanishes silently.
    public var unparsedLines: [Int]
    /// Index (into the lines given to ``TraceGrammar/parse(_:)``) of the first line that belongs to the trace.
    /// Lines before it are the record's message.
    public var firstTraceLine: Int

    public init(runtime: Runtime, exceptions: [ExceptionRecord], threads: [ThreadStack] = [],
                unparsedLines: [Int] = [], firstTraceLine: Int = 0) {
        self.runtime = runtime
        self.exceptions = exceptions
        self.threads = threads
        self.unparsedLines = unparsedLines
        self.firstTraceLine = firstTraceLine
    }
}

/// A stack-trace format of one runtime (Java, Python, Go, …): its patterns as data, and a parser.
///
/// A grammar instance belongs to one task: it owns the ``Matcher``s for its ``Pattern``s (compile patterns
/// once, as `static let`, and create matchers in `init`). Instances are created once per extraction task
/// and reused for every record.
///
/// Conventions every grammar follows, so later stages can group like Sentry:
/// - exceptions oldest cause first (a Java log prints the outermost first: reverse it);
/// - frames caller first, crashing frame last (Java and .NET print the crashing frame first: reverse);
/// - `type`/`module` split as the platform's Sentry SDK reports them (see ``ExceptionRecord/type``);
/// - Java's `... N more` re-expanded from the enclosing exception's frames, with ``ExceptionRecord/framesOmitted``;
/// - ``Frame/raw`` holds the trimmed line text; fields the line lacks stay `nil`.
public protocol TraceGrammar: AnyObject {
    /// The runtime this grammar reads.
    static var runtime: Runtime { get }

    /// PCRE2 patterns of lines that start a trace of this runtime even without a log prefix
    /// (`^Traceback \(most recent call last\):`, `^panic: `, `^Exception in thread "`). Framing uses them to
    /// start a new record in unprefixed output (stderr) and after a non-error record.
    static var starterPatterns: [String] { get }

    /// PCRE2 patterns of lines that link two traces of one chain (Python's "During handling of the above
    /// exception, another exception occurred:"). A starter line after such a line continues the record
    /// instead of starting a new one. Empty by default.
    static var chainSeparatorPatterns: [String] { get }

    /// One PCRE2 pattern that matches a line distinctive of this runtime's traces (a frame line, a header).
    /// The extractor combines these to pick the grammar for a record; it is also how lines that look like
    /// trace lines are recognised when counting unparsed ones.
    static var detectionPattern: String { get }

    /// Examples that drive this grammar's tests: text and what must be parsed from it.
    static var examples: [TraceExample] { get }

    init()

    /// Parses the trace in a record's lines. Returns `nil` when no trace of this runtime is in them.
    func parse(_ lines: [RecordLine]) -> ParsedTrace?
}

/// A grammar example: a trace as a runtime prints it, and the facts a parse must produce.
public struct TraceExample: Sendable {
    public var name: String
    /// The trace text, lines separated by `\n`.
    public var text: String
    /// Expected exceptions, oldest cause first: `type`, `value`, `module` and the frames' `function`
    /// (caller first). `nil` fields are not checked.
    public var exceptions: [ExpectedException]

    public init(name: String, text: String, exceptions: [ExpectedException]) {
        self.name = name
        self.text = text
        self.exceptions = exceptions
    }

    public struct ExpectedException: Sendable {
        public var type: String
        public var value: String?
        public var module: String?
        /// The function of each frame, caller first; `nil` skips the check.
        public var functions: [String]?
        /// The frame count, when the functions are not listed.
        public var frameCount: Int?

        public init(type: String, value: String? = nil, module: String? = nil, functions: [String]? = nil,
                    frameCount: Int? = nil) {
            self.type = type
            self.value = value
            self.module = module
            self.functions = functions
            self.frameCount = frameCount
        }
    }
}

extension TraceGrammar {
    public static var chainSeparatorPatterns: [String] { [] }

    /// Compiles a grammar's constant pattern; a failure is a programming error caught by the tests.
    public static func compile(_ source: String, options: Pattern.Options = []) -> Pattern {
        do {
            return try Pattern(source, options: options)
        } catch {
            fatalError("\(Self.self): \(error)")
        }
    }
}

/// The grammars the extractor tries, in order of specificity.
public enum TraceGrammars {
    /// Every built-in grammar type. The order matters where formats overlap: the first grammar whose
    /// ``TraceGrammar/detectionPattern`` matches a record's line parses it.
    public static var all: [any TraceGrammar.Type] {
        [JavaGrammar.self, PythonGrammar.self, GoGrammar.self, NodeGrammar.self, DotNetGrammar.self,
         RubyGrammar.self, PHPGrammar.self, RustGrammar.self, SwiftGrammar.self]
    }
}
