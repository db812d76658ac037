/// Finds the grammar whose detection pattern matches a line: the answer one alternation of every grammar's
/// ``TraceGrammar/detectionPattern`` would give (the leftmost match; at one position, the first grammar in
/// ``TraceGrammars/all``), for less.
///
/// Most detection patterns begin with `^`. Joined with one that does not (Ruby's `:12:in 'method'`), the
/// alternation had to be tried at every position of every line, and detection was the most expensive step
/// of building an event. So the anchored patterns form one alternation, tried at the line's start only,
/// and each unanchored pattern is matched on its own, where PCRE2 can skip to its required bytes.
struct GrammarDetector {
    /// The compiled patterns, shared by the detectors of all workers.
    struct Patterns: Sendable {
        /// The anchored grammars' patterns as one alternation; group *i* (1-based) is `anchoredGrammars[i - 1]`.
        var anchored: Pattern?
        var anchoredGrammars: [Int]
        /// The other grammars' patterns, each with its grammar's index.
        var unanchored: [(grammar: Int, pattern: Pattern)]

        /// - Parameter detectionPatterns: each grammar's detection pattern, in grammar order.
        init(_ detectionPatterns: [String]) throws(PatternError) {
            var anchoredSources: [String] = []
            anchoredGrammars = []
            unanchored = []
            for (grammar, source) in detectionPatterns.enumerated() {
                let pattern = try Pattern(source)
                if pattern.isAnchored {
                    anchoredSources.append("(" + RecordFramer.withoutNamedGroups(source) + ")")
                    anchoredGrammars.append(grammar)
                } else {
                    unanchored.append((grammar, pattern))
                }
            }
            anchored = anchoredSources.isEmpty ? nil : try Pattern(anchoredSources.joined(separator: "|"))
        }
    }

    private let anchored: Matcher?
    private let anchoredGrammars: [Int]
    private let unanchored: [(grammar: Int, matcher: Matcher)]
    /// The lowest grammar index among the unanchored patterns: an anchored match of a lower grammar wins outright.
    private let firstUnanchoredGrammar: Int

    init(_ patterns: Patterns) {
        anchored = patterns.anchored.map { Matcher($0) }
        anchoredGrammars = patterns.anchoredGrammars
        unanchored = patterns.unanchored.map { ($0.grammar, Matcher($0.pattern)) }
        firstUnanchoredGrammar = unanchored.map(\.grammar).min() ?? .max
    }

    /// The index of the grammar whose detection pattern matches `line` first, if any.
    func grammar(for line: UnsafeRawBufferPointer) -> Int? {
        var best: (start: Int, grammar: Int)?
        if let anchored, let match = try? anchored.firstMatchedAlternative(in: line) {
            let grammar = anchoredGrammars[match.group - 1]
            if grammar < firstUnanchoredGrammar { return grammar }
            best = (match.start, grammar)
        }
        for (grammar, matcher) in unanchored {
            guard let match = try? matcher.firstMatchStart(in: line) else { continue }
            if let current = best, (current.start, current.grammar) < (match, grammar) { continue }
            best = (match, grammar)
        }
        return best?.grammar
    }
}
