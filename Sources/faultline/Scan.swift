import ArgumentParser
import FaultlineCore

struct Scan: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List every logical file found in the inputs, with format, rotation set, lines and bytes.",
        discussion: """
            Inputs are files, directories (recursed), globs (quote them: 'logs/**/*.gz') and - for \
            standard input. Compressed files and archives (gzip, bzip2, xz, zstd, lz4, tar, zip, 7z) are \
            detected from their content. Diagnostics are printed at the end.
            """)

    @OptionGroup var reading: ReadingOptions

    @Flag(name: .long, help: "Print the result as JSON on standard output.")
    var json = false

    @Argument(help: ArgumentHelp("Files, directories, globs, or - for standard input.", valueName: "path"))
    var paths: [String]

    func run() throws {
        let configuration = try reading.loadConfiguration()
        let progress = ProgressLine()
        var consumer = DiscardingConsumer()
        let onProgress: ((ReadProgress) -> Void)? = progress.isEnabled ? { progress.update($0) } : nil
        let report = LogReader(settings: configuration.reader).read(paths, into: &consumer, progress: onProgress)
        progress.clear()
        let result = ScanResult(report)
        if json {
            print(try encodeJSON(result))
        } else {
            print(result.renderText(), terminator: "")
            printDiagnostics(result.diagnostics)
        }
        if reading.strict && result.hasProblems { throw ExitCode(1) }
    }
}
