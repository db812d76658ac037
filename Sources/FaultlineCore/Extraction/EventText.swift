/// A readable rendering of an event, for `faultline events`: the origin and prefix fields, then each
/// exception from the outermost to its causes with frames as the runtime prints them (crashing frame first).
public enum EventText {
    public static func render(_ event: ErrorEvent) -> String {
        var header = "\(event.origin.file):\(event.origin.firstLine)"
        if event.origin.lastLine != event.origin.firstLine { header += "-\(event.origin.lastLine)" }
        header += "  \(event.level.sentryName)  \(event.runtime.rawValue)"
        if let timestamp = event.timestamp { header += "  \(timestamp.text)" }
        if let logger = event.logger { header += "  \(logger)" }
        if let thread = event.thread { header += "  [\(thread)]" }
        var lines = [header]
        if let grouping = event.grouping, let hash = grouping.primaryHash {
            lines.append("  issue: \(hash)" + (grouping.title.map { "  \($0)" } ?? ""))
        }
        if let message = event.message { lines.append("  message: " + message.replacingNewlines()) }
        for (position, exception) in event.exceptions.reversed().enumerated() {
            let qualified = exception.module.map { "\($0)." } ?? ""
            let relation = position == 0 ? "" : "\(exception.relation ?? "cause") "
            lines.append("  \(relation)\(qualified)\(exception.type): \(exception.value?.replacingNewlines() ?? "")")
            for frame in exception.frames.reversed() {
                lines.append("      at " + describe(frame))
            }
            if let omitted = exception.framesOmitted { lines.append("      (\(omitted) frames re-expanded from the enclosing trace)") }
        }
        if !event.threads.isEmpty { lines.append("  + \(event.threads.count) more thread stacks") }
        if !event.tags.isEmpty {
            lines.append("  tags: " + event.tags.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func describe(_ frame: Frame) -> String {
        var text = [frame.module, frame.function].compactMap { $0 }.joined(separator: ".")
        if text.isEmpty { text = "?" }
        var location = frame.filename ?? frame.absPath ?? ""
        if let line = frame.lineno { location += ":\(line)" }
        if let column = frame.colno { location += ":\(column)" }
        return location.isEmpty ? text : "\(text) (\(location))"
    }
}

extension String {
    func replacingNewlines() -> String {
        split(separator: "\n", omittingEmptySubsequences: false).joined(separator: " ⏎ ")
    }
}
