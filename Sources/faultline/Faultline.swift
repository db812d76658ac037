import ArgumentParser

@main
struct Faultline: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "faultline",
        abstract: "Offline error analysis of rotated, compressed and archived logs.",
        discussion: """
            Exit status: 0 on success, even when diagnostics were reported; 1 when --strict is given and \
            any warning or error diagnostic was reported, when explain finds no event to explain or cannot read \
            its payload, or when the history database cannot be opened; 2 when the configuration (a rule, a \
            pattern) is invalid; 64 for command-line usage errors; scrub: 66 when its input cannot be read, \
            74 when its output cannot be written.
            """,
        version: "0.1.0",
        subcommands: [Scan.self, Events.self, Scrub.self, Explain.self]
    )
}

/// Options every command that reads logs shares.
struct ReadingOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Configuration file (default: .faultline.yml in the working directory, if present).",
        valueName: "file"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp(
        "Skip paths matching this glob (repeatable; added to reader.exclude).", valueName: "glob"))
    var exclude: [String] = []

    @Option(name: .long, help: ArgumentHelp(
        "Cut lines longer than this many bytes (default 1MiB; units KiB, MiB).", valueName: "size"))
    var maxLineBytes: String?

    @Flag(name: .long, help: "Exit with status 1 when any warning or error diagnostic is reported.")
    var strict = false
}
