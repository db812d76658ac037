#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input to read: a file on disk (plain, compressed or an archive) or standard input.
struct InputFile: Hashable {
    /// The path as the user wrote it or as found under a directory they gave.
    var path: String
    var isStandardInput: Bool
    /// A pipe (standard input, a FIFO, `<(…)`): it can be read only once, so archives in it are read in
    /// their own member order.
    var isStream: Bool

    static let standardInputName = "(stdin)"

    var displayName: String { isStandardInput ? Self.standardInputName : path }
}

/// Expands command-line arguments into input files: files as given, directories recursed (sorted, hidden
/// entries skipped unless configured), globs expanded (`*`, `?`, `[…]`, `**`), `-` for standard input.
///
/// Problems become diagnostics and discovery continues: a missing path, an unreadable directory, a
/// symbolic link that loops back into a directory being walked. The same file reached twice (through a
/// link, or named twice) is listed once.
struct InputDiscovery {
    var settings: ReaderSettings
    private let excludes: [Glob]

    init(settings: ReaderSettings) {
        self.settings = settings
        self.excludes = settings.exclude.map(Glob.init)
    }

    private struct FileID: Hashable {
        var device: UInt64
        var inode: UInt64
    }

    func discover(_ arguments: [String]) -> (inputs: [InputFile], diagnostics: [Diagnostic]) {
        var inputs: [InputFile] = []
        var diagnostics: [Diagnostic] = []
        var seen: [FileID: String] = [:]
        var usedStandardInput = false

        func add(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else {
                diagnostics.append(Diagnostic(.error, .unreadable, file: path, "cannot open: \(errorText())"))
                return
            }
            let id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
            if let earlier = seen[id] {
                diagnostics.append(Diagnostic(
                    .note, .duplicateContent, file: path, "same file as \(earlier); read once"))
                return
            }
            seen[id] = path
            inputs.append(InputFile(path: path, isStandardInput: false, isStream: info.st_mode & S_IFMT == S_IFIFO))
        }

        func walk(_ directory: String, relative: String, ancestors: Set<FileID>) {
            guard let names = entries(of: directory) else {
                diagnostics.append(Diagnostic(
                    .error, .unreadable, file: directory, "cannot read directory: \(errorText())"))
                return
            }
            for name in names {
                // `faultline scan .` lists `app.log`, not `./app.log`.
                let path = directory == "." ? name : directory.hasSuffix("/") ? directory + name : directory + "/" + name
                let relativePath = relative.isEmpty ? name : relative + "/" + name
                if isExcluded(relativePath) { continue }
                var linkInfo = stat()
                guard lstat(path, &linkInfo) == 0 else {
                    diagnostics.append(Diagnostic(.error, .unreadable, file: path, "cannot open: \(errorText())"))
                    continue
                }
                let isLink = linkInfo.st_mode & S_IFMT == S_IFLNK
                if isLink && !settings.followSymlinks { continue }
                var info = stat()
                guard stat(path, &info) == 0 else {
                    let loop = errno == ELOOP
                    diagnostics.append(Diagnostic(
                        loop ? .warning : .error, loop ? .symlinkLoop : .unreadable, file: path,
                        loop ? "symbolic link loop; skipped" : "cannot follow link: \(errorText())"))
                    continue
                }
                switch info.st_mode & S_IFMT {
                case S_IFDIR:
                    let id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
                    if ancestors.contains(id) {
                        diagnostics.append(Diagnostic(
                            .warning, .symlinkLoop, file: path,
                            "symbolic link leads back into a directory being read; skipped"))
                        continue
                    }
                    walk(path, relative: relativePath, ancestors: ancestors.union([id]))
                case S_IFREG, S_IFIFO:
                    add(path)
                default:
                    continue
                }
            }
        }

        func directoryID(_ path: String) -> FileID? {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            return FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
        }

        for argument in arguments {
            if argument == "-" {
                if !usedStandardInput { inputs.append(InputFile(path: "-", isStandardInput: true, isStream: true)) }
                usedStandardInput = true
                continue
            }
            var info = stat()
            if stat(argument, &info) == 0 {
                if info.st_mode & S_IFMT == S_IFDIR {
                    walk(argument, relative: "", ancestors: directoryID(argument).map { [$0] } ?? [])
                } else {
                    add(argument)
                }
                continue
            }
            if errno == ELOOP {
                diagnostics.append(Diagnostic(.warning, .symlinkLoop, file: argument, "symbolic link loop; skipped"))
                continue
            }
            guard Glob.isPattern(argument) else {
                diagnostics.append(Diagnostic(.error, .notFound, file: argument, "no such file or directory"))
                continue
            }
            let matches = expand(Glob(argument))
            if matches.isEmpty {
                diagnostics.append(Diagnostic(.error, .notFound, file: argument, "the pattern matched no file"))
            }
            for path in matches where !isExcluded(path) {
                var info = stat()
                if stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR {
                    walk(path, relative: "", ancestors: directoryID(path).map { [$0] } ?? [])
                } else {
                    add(path)
                }
            }
        }
        return (inputs, diagnostics)
    }

    /// The names in a directory, sorted, without `.` and `..` and, unless configured, hidden names.
    private func entries(of directory: String) -> [String]? {
        guard let handle = opendir(directory) else { return nil }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name == "." || name == ".." { continue }
            if name.hasPrefix(".") && !settings.includeHidden { continue }
            names.append(name)
        }
        return names.sorted()
    }

    func isExcluded(_ relativePath: String) -> Bool {
        excludes.contains { $0.matches(relativePath) }
    }

    /// Expands a glob by walking from its longest literal directory prefix.
    private func expand(_ glob: Glob) -> [String] {
        let components = glob.pattern.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let firstPattern = components.firstIndex(where: Glob.isPattern) ?? components.count
        let prefixComponents = components[..<firstPattern]
        let isAbsolute = glob.pattern.hasPrefix("/")
        var root = prefixComponents.joined(separator: "/")
        if root.isEmpty { root = isAbsolute ? "/" : "." }
        // Match full paths with a pattern that always contains "/" so it is not a base-name pattern.
        let fullPattern = Glob(root == "." && !glob.pattern.hasPrefix("./") ? "./" + glob.pattern : glob.pattern)
        let recursive = glob.pattern.contains("**")
        let depthLimit = recursive ? Int.max : components.count - prefixComponents.count

        var results: [String] = []
        var visited: Set<FileID> = []
        func visit(_ directory: String, depth: Int) {
            guard depth < depthLimit, let names = entries(of: directory) else { return }
            for name in names {
                let path = directory == "/" ? "/" + name : directory + "/" + name
                let candidate = fullPattern.pattern.hasPrefix("./") && !path.hasPrefix("./") ? "./" + path : path
                var info = stat()
                guard stat(path, &info) == 0 else { continue }
                let isDirectory = info.st_mode & S_IFMT == S_IFDIR
                if fullPattern.matches(candidate) {
                    results.append(path.hasPrefix("./") && !glob.pattern.hasPrefix("./") ? String(path.dropFirst(2)) : path)
                } else if isDirectory {
                    let id = FileID(device: UInt64(info.st_dev), inode: UInt64(info.st_ino))
                    guard visited.insert(id).inserted else { continue }
                    visit(path, depth: depth + 1)
                }
            }
        }
        visit(root, depth: 0)
        return results
    }
}

func errorText(_ code: Int32 = errno) -> String {
    String(cString: strerror(code))
}
