/// How a log event becomes the event a Sentry SDK would have sent, as far as a log can tell (reference §10).
///
/// What the grammars read goes over unchanged: Java class as frame module, Go package as module, exception
/// type and module as the SDKs split them. What SDKs compute from the running program is derived where a log
/// allows: a Python frame's module from its path under a source root (the SDK uses the module's
/// `__name__`). What a log cannot tell stays empty: context lines of languages other than Python, and
/// `in_app` (decided by the stack trace rules and the configured prefixes instead of the SDK's settings).
public struct LogEventConversion: Sendable, Hashable {
    /// Directories whose Python files are importable by their path below them (`/srv/app` makes
    /// `/srv/app/worker/tasks.py` the module `worker.tasks`). `site-packages` and `dist-packages` always are.
    public var pythonSourceRoots: [String]

    public init(pythonSourceRoots: [String] = []) {
        self.pythonSourceRoots = pythonSourceRoots.map { $0.hasSuffix("/") ? $0 : $0 + "/" }
    }

    /// The grouping input of a log event.
    public func input(for event: ErrorEvent) -> GroupingInput {
        let platform = event.platform
        let exceptions = event.exceptions.map { exception in
            GroupingException(type: exception.type, value: exception.value, module: exception.module,
                              stacktrace: exception.frames.isEmpty ? nil : stacktrace(exception.frames, platform: platform))
        }
        let threads = exceptions.isEmpty
            ? event.threads.map { thread in
                GroupingThread(id: thread.id, name: thread.state, crashed: thread.crashed,
                               stacktrace: stacktrace(thread.frames, platform: platform))
            }
            : []
        return GroupingInput(
            platform: platform, exceptions: exceptions, threads: threads, formattedMessage: event.message,
            logger: event.logger, level: event.level.sentryName, release: event.tags["release"], tags: event.tags)
    }

    /// Writes the in-app decisions grouping made back into the log event's frames.
    public func copyInApp(from input: GroupingInput, to event: inout ErrorEvent) {
        func copy(_ stacktrace: GroupingStacktrace?, into frames: inout [Frame]) {
            guard let stacktrace, stacktrace.frames.count == frames.count else { return }
            for index in frames.indices { frames[index].inApp = stacktrace.frames[index].inApp }
        }
        if input.exceptions.count == event.exceptions.count {
            for index in event.exceptions.indices { copy(input.exceptions[index].stacktrace, into: &event.exceptions[index].frames) }
        }
        if input.threads.count == event.threads.count {
            for index in event.threads.indices { copy(input.threads[index].stacktrace, into: &event.threads[index].frames) }
        }
    }

    private func stacktrace(_ frames: [Frame], platform: String) -> GroupingStacktrace {
        GroupingStacktrace(frames: frames.map { frame in
            var module = frame.module
            if platform == "python", module == nil, let path = frame.absPath ?? frame.filename {
                module = pythonModule(path)
            }
            return GroupingFrame(function: frame.function, module: module, filename: frame.filename, absPath: frame.absPath,
                                 package: frame.package, contextLine: frame.contextLine, lineno: frame.lineno,
                                 colno: frame.colno, inApp: frame.inApp)
        })
    }

    /// `…/site-packages/requests/api.py` → `requests.api`; `<root>/pkg/__init__.py` → `pkg`.
    func pythonModule(_ path: String) -> String? {
        var bytes = Array(path.utf8)
        guard bytes.count > 3, bytes.suffix(3) == Array(".py".utf8) else { return nil }
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\\") { bytes[index] = UInt8(ascii: "/") }
        var start: Int?
        for marker in Self.packageDirectories {
            if let end = Self.lastEnd(of: marker, in: bytes), end > (start ?? -1) { start = end }
        }
        if start == nil {
            for root in pythonSourceRoots where bytes.starts(with: root.utf8) {
                start = root.utf8.count
                break
            }
        }
        guard let start, start < bytes.count - 3 else { return nil }
        var parts = bytes[start..<(bytes.count - 3)].split(separator: UInt8(ascii: "/"))
        if parts.last?.elementsEqual("__init__".utf8) == true { parts.removeLast() }
        guard !parts.isEmpty else { return nil }
        return parts.map { String(decoding: $0, as: UTF8.self) }.joined(separator: ".")
    }

    private static let packageDirectories = [Array("/site-packages/".utf8), Array("/dist-packages/".utf8)]

    /// The index just past the last occurrence of `needle` in `bytes`.
    private static func lastEnd(of needle: [UInt8], in bytes: [UInt8]) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var start = bytes.count - needle.count
        while start >= 0 {
            if bytes[start] == needle[0] && bytes[start..<(start + needle.count)].elementsEqual(needle) {
                return start + needle.count
            }
            start -= 1
        }
        return nil
    }
}
