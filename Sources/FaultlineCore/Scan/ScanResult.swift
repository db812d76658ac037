/// The result of `faultline scan`: every logical file found, with its format, rotation set, lines and
/// bytes, and every diagnostic.
public struct ScanResult: Sendable, Hashable, Codable {
    public var files: [FileSummary]
    public var diagnostics: [Diagnostic]
    public var totals: Totals

    public struct Totals: Sendable, Hashable, Codable {
        public var files: Int
        public var rotationSets: Int
        public var lines: Int
        public var bytes: Int64
        public var duplicates: Int
        public var skipped: Int
    }

    public init(_ report: ReadReport) {
        files = report.files
        diagnostics = report.diagnostics
        totals = Totals(
            files: report.files.count,
            rotationSets: Set(report.files.map(\.file.rotation.set)).count,
            lines: report.files.reduce(0) { $0 + $1.lines },
            bytes: report.files.reduce(0) { $0 + ($1.status == .duplicate ? 0 : $1.bytes) },
            duplicates: report.files.filter { $0.status == .duplicate }.count,
            skipped: report.files.filter { $0.status == .binary }.count)
    }

    /// Whether any diagnostic is a warning or an error (what `--strict` fails on).
    public var hasProblems: Bool { diagnostics.contains { $0.severity >= .warning } }

    /// A table for people: one row per logical file, then totals.
    public func renderText() -> String {
        let header = ["FILE", "FORMAT", "ROTATION SET", "#", "LINES", "BYTES", "STATUS"]
        var rows: [[String]] = files.map { summary in
            let status: String
            switch summary.status {
            case .read: status = summary.cutLines > 0 ? "read, \(summary.cutLines) cut" : "read"
            case .partial: status = "partial"
            case .binary: status = "binary, skipped"
            case .duplicate: status = "duplicate of \(summary.duplicateOf ?? "?")"
            }
            let rotation = summary.file.rotation
            return [summary.file.name, summary.file.format.description, rotation.set,
                    "\(rotation.index)/\(rotation.count)", Self.grouped(summary.lines),
                    Self.grouped(Int(summary.bytes)), status]
        }
        rows.insert(header, at: 0)
        let rightAligned: Set<Int> = [3, 4, 5]
        var widths = [Int](repeating: 0, count: header.count)
        for row in rows { for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) } }
        var text = ""
        for row in rows {
            let cells = row.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return rightAligned.contains(index) ? padding + cell : cell + padding
            }
            text += cells.joined(separator: "  ").trimmingTrailingSpaces() + "\n"
        }
        var summary = "\(totals.files) logical file\(totals.files == 1 ? "" : "s") in \(totals.rotationSets) "
            + "rotation set\(totals.rotationSets == 1 ? "" : "s"): \(Self.grouped(totals.lines)) line\(totals.lines == 1 ? "" : "s"), "
            + "\(Self.grouped(Int(totals.bytes))) bytes"
        var notes: [String] = []
        if totals.duplicates > 0 { notes.append("\(totals.duplicates) duplicate\(totals.duplicates == 1 ? "" : "s") read once") }
        if totals.skipped > 0 { notes.append("\(totals.skipped) binary skipped") }
        if !notes.isEmpty { summary += " (" + notes.joined(separator: ", ") + ")" }
        text += "\n" + summary + "\n"
        return text
    }

    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var result = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(character)
        }
        return result
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
