/// Beyond Sentry (off unless asked for): issues that are probably one bug, because the top in-app frames of
/// their events are the same — the same code failed, but the type, the message or the callers differ enough
/// for Sentry's hashes to split them.
///
/// Suggestions only: issues are never merged automatically, so hashes stay Sentry's.
public struct MergeSuggestions: Sendable {
    /// How many in-app frames from the crash end must be equal.
    public var frameCount: Int
    private var issuesBySignature: [[String]: [String]] = [:]
    private var seenIssues = Set<String>()

    public init(frameCount: Int = 2) {
        self.frameCount = max(1, frameCount)
    }

    /// A group of issues whose events share their top in-app frames.
    public struct Suggestion: Sendable, Hashable {
        /// Primary hashes, in the order the issues were first seen.
        public var issues: [String]
        /// The shared frames, crash end first, as `module-or-file function`.
        public var frames: [String]
    }

    /// Notes an event's issue and the top in-app frames of its outermost exception.
    public mutating func add(_ event: ErrorEvent) {
        guard let issue = event.grouping?.primaryHash, seenIssues.insert(issue).inserted,
              let signature = Self.signature(of: event, frameCount: frameCount)
        else { return }
        issuesBySignature[signature, default: []].append(issue)
    }

    /// Every group of two or more issues with the same top in-app frames.
    public var suggestions: [Suggestion] {
        issuesBySignature.filter { $0.value.count > 1 }
            .map { Suggestion(issues: $0.value, frames: $0.key) }
            .sorted { $0.issues.lexicographicallyPrecedes($1.issues) }
    }

    /// The crash-end in-app frames of the outermost exception; `nil` when it has fewer than `frameCount`.
    static func signature(of event: ErrorEvent, frameCount: Int) -> [String]? {
        guard let exception = event.exceptions.last else { return nil }
        let inApp = exception.frames.reversed().filter { $0.inApp == true }
        guard inApp.count >= frameCount else { return nil }
        return inApp.prefix(frameCount).map { frame in
            let place = frame.module ?? frame.filename.map(FrameStrategy.basename) ?? "?"
            return "\(place) \(frame.function ?? "?")"
        }
    }
}
