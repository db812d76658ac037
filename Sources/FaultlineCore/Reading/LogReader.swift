#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Receives the lines of every logical file a ``LogReader`` reads, file by file, in order.
public protocol LineConsumer {
    /// A logical file starts; its lines follow.
    mutating func beginFile(_ file: LogicalFile)
    /// The next lines, in order. The batch and its lines' bytes are valid only during this call.
    mutating func consume(_ lines: LineBatch)
    /// The file ended (completely, or at damage or a cap; see the summary's status).
    mutating func endFile(_ summary: FileSummary)
}

/// A consumer that ignores lines: reading alone still counts lines and bytes per file.
public struct DiscardingConsumer: LineConsumer {
    public init() {}
    public mutating func beginFile(_ file: LogicalFile) {}
    public mutating func consume(_ lines: LineBatch) {}
    public mutating func endFile(_ summary: FileSummary) {}
}

/// Everything a read produced besides the lines: one summary per logical file, and the diagnostics.
public struct ReadReport: Sendable, Hashable, Codable {
    public var files: [FileSummary]
    public var diagnostics: [Diagnostic]
}

/// How far a read has come, for a progress display.
public struct ReadProgress: Sendable {
    public var filesDone: Int
    public var bytesRead: Int64
    public var currentFile: String
}

/// Reads any mix of files, directories, globs and standard input as logical files of lines.
///
/// The order is deterministic: rotation sets by name; within a set, oldest file first; archive members in
/// rotation order too (members that come before older files of their set are staged in a temporary file
/// until their turn). Content that was already read through another input is skipped and reported.
///
/// ```swift
/// var consumer = MyConsumer()
/// let report = LogReader(settings: .init()).read(["logs/", "old.tar.gz"], into: &consumer)
/// ```
public struct LogReader: Sendable {
    public var settings: ReaderSettings

    public init(settings: ReaderSettings = ReaderSettings()) {
        self.settings = settings
    }

    /// Reads every input, delivering lines to `consumer`. Never throws: every problem is a diagnostic.
    public func read<Consumer: LineConsumer>(
        _ arguments: [String], into consumer: inout Consumer, progress: ((ReadProgress) -> Void)? = nil
    ) -> ReadReport {
        _ = archiveLocaleSetUp
        let discovery = InputDiscovery(settings: settings)
        let (inputs, discoveryDiagnostics) = discovery.discover(arguments)
        var session = ReadSession(settings: settings, consumer: consumer, discovery: discovery, progress: progress)
        session.diagnostics = discoveryDiagnostics
        let positions = RotationPlanner.positions(for: inputs.map(\.displayName))
        let order = inputs.indices.sorted { lhs, rhs in
            let (a, b) = (positions[lhs], positions[rhs])
            return a.set != b.set ? a.set < b.set : a.index < b.index
        }
        for index in order {
            session.readInput(inputs[index], rotation: positions[index])
        }
        consumer = session.consumer
        return ReadReport(files: session.summaries, diagnostics: session.diagnostics)
    }
}

/// The state of one read: what was delivered, what was seen, what went wrong.
struct ReadSession<Consumer: LineConsumer> {
    let settings: ReaderSettings
    var consumer: Consumer
    let discovery: InputDiscovery
    let progress: ((ReadProgress) -> Void)?
    var summaries: [FileSummary] = []
    var diagnostics: [Diagnostic] = []
    private var bytesRead: Int64 = 0
    private var blocksSinceProgress = 0
    /// Content identities of files read so far, by prefix hash.
    private var identities: [UInt64: [(identity: ContentIdentity, name: String)]] = [:]

    /// Bytes read before deciding how to read on: enough to sniff the encoding and recognise a duplicate.
    private static var prefixBytes: Int { ContentFingerprinter.prefixBytes }

    init(settings: ReaderSettings, consumer: Consumer, discovery: InputDiscovery,
         progress: ((ReadProgress) -> Void)?) {
        self.settings = settings
        self.consumer = consumer
        self.discovery = discovery
        self.progress = progress
    }

    private var limits: BombLimits {
        BombLimits(maxCompressionRatio: settings.maxCompressionRatio,
                   ratioCheckAfterBytes: settings.ratioCheckAfterBytes)
    }

    /// What is known about a logical file before its content is read.
    struct LeafContext {
        var name: String
        var layers: [String]
        var rotation: RotationPosition
        /// The name says archive (`.tar.gz`, `.zip`) although the content was read as a single stream.
        var nameSuggestsArchive: Bool
    }

    // MARK: Inputs and archives

    mutating func readInput(_ input: InputFile, rotation: RotationPosition) {
        let name = input.displayName
        var descriptor: Int32 = -1
        var copy: SpillFile? = nil
        let reader: ArchiveReader
        do throws(ArchiveFailure) {
            if input.isStream {
                // A pipe can be read once: keep a copy of what is read until it is clear whether it is an
                // archive, whose members must be listed before they are read in rotation order.
                descriptor = input.isStandardInput ? 0 : open(input.path, O_RDONLY)
                guard descriptor >= 0 else {
                    throw ArchiveFailure(kind: .damaged, message: errorText())
                }
                copy = try? SpillFile(directory: settings.temporaryDirectory)
                reader = try ArchiveReader(.stream(descriptor: descriptor, copy: copy), limits: limits)
            } else {
                reader = try ArchiveReader(.path(input.path), limits: limits)
            }
        } catch {
            if error.kind == .unreadable {
                diagnostics.append(Diagnostic(.error, .unreadable, file: name, "cannot open: \(error.message)"))
            } else {
                diagnostics.append(Diagnostic(.error, .damagedInput, file: name, "cannot read: \(error.message)"))
            }
            return
        }
        defer {
            collectWarnings(of: reader, file: name)
            if descriptor > 0 { close(descriptor) }
        }
        let first: ArchiveReader.Entry?
        do {
            first = try reader.nextEntry()
        } catch {
            diagnostics.append(Diagnostic(.error, .damagedInput, file: name, "cannot read: \(error.message)"))
            return
        }
        guard let first else {
            if let format = reader.archiveFormatName {
                // libarchive takes a file of NUL bytes for an empty tar: say so rather than list it silently.
                diagnostics.append(Diagnostic(
                    .note, .emptyArchive, file: name,
                    "a \(format) archive without members (or a file of NUL bytes); nothing to read"))
            }
            recordEmpty(LeafContext(name: name, layers: reader.filterNames, rotation: rotation,
                                    nameSuggestsArchive: false))
            return
        }
        if reader.isRaw {
            reader.stopCopying()
            readLeaf(reader, LeafContext(name: name, layers: reader.filterNames, rotation: rotation,
                                         nameSuggestsArchive: Self.looksLikeArchive(name)))
            return
        }
        let layers = reader.filterNames + [reader.archiveFormatName ?? "archive"]
        if let copy {
            // An archive in a pipe: finish copying it, then read the copy like an archive on disk.
            do {
                try reader.copyRemainder()
            } catch {
                diagnostics.append(Diagnostic(.error, .damagedInput, file: name, "cannot read: \(error.message)"))
            }
            copy.rewind()
            let plan = listMembers(.descriptor(copy.descriptor))
            copy.rewind()
            if let staged = try? ArchiveReader(.descriptor(copy.descriptor), limits: limits),
               let stagedFirst = try? staged.nextEntry() {
                readArchive(staged, first: stagedFirst, name: name, layers: layers, depth: 1, plan: plan)
                collectWarnings(of: staged, file: name)
            }
            return
        }
        // Members are read in rotation order; that needs their names first.
        let plan = input.isStream ? nil : listMembers(.path(input.path))
        readArchive(reader, first: first, name: name, layers: layers, depth: 1, plan: plan)
    }

    /// The regular-file member paths of an archive, in archive order (a cheap pass for zip and 7z, a
    /// decompression pass without line splitting for a compressed tar).
    private func listMembers(_ input: ArchiveInput) -> [String]? {
        guard let reader = try? ArchiveReader(input, limits: limits) else { return nil }
        var members: [String] = []
        while let entry = try? reader.nextEntry() {
            // Excluded members are never read: they must neither count in a set nor hold back newer files.
            if entry.isRegularFile && !discovery.isExcluded(entry.pathname) { members.append(entry.pathname) }
            guard (try? reader.skipData()) != nil else { break }
        }
        return members
    }

    /// Rotation progress of one set inside an archive.
    private struct SetProgress {
        var next = 1
        var done: Set<Int> = []
        var staged: [Int: (spill: SpillFile, leaf: LeafContext, failure: ArchiveFailure?)] = [:]
    }

    private mutating func readArchive(
        _ reader: ArchiveReader, first: ArchiveReader.Entry, name: String, layers: [String], depth: Int,
        plan: [String]?
    ) {
        let planned = plan.map { members in RotationPlanner.positions(for: members.map { name + "!/" + $0 }) }
        var sets: [String: SetProgress] = [:]
        var entry: ArchiveReader.Entry? = first
        var ordinal = 0
        var membersRead = 0

        while let current = entry {
            if current.isRegularFile {
                let memberName = name + "!/" + current.pathname
                if !discovery.isExcluded(current.pathname) {
                    ordinal += 1    // counts the members listMembers planned: regular and not excluded
                    let position: RotationPosition
                    if let plan, let planned, ordinal <= plan.count, plan[ordinal - 1] == current.pathname {
                        position = planned[ordinal - 1]
                    } else {
                        position = RotationPlanner.positions(for: [memberName])[0]
                    }
                    readMember(of: reader, name: memberName, layers: layers, depth: depth, position: position,
                               sets: &sets)
                    membersRead += 1
                }
            }
            do {
                entry = try reader.nextEntry()
            } catch {
                diagnostics.append(Diagnostic(
                    .error, .damagedInput, file: name,
                    "archive damaged after \(membersRead) members: \(error.message); later members not read"))
                entry = nil
            }
        }
        // Members whose older siblings never came (damage, exclusion): read what is staged, oldest first.
        for set in sets.keys.sorted() {
            for index in sets[set]!.staged.keys.sorted() {
                let staged = sets[set]!.staged.removeValue(forKey: index)!
                staged.spill.rewind()
                readLeaf(staged.spill, staged.leaf, checkDuplicates: true, trailingFailure: staged.failure)
            }
        }
    }

    private mutating func readMember(
        of reader: ArchiveReader, name: String, layers: [String], depth: Int, position: RotationPosition,
        sets: inout [String: SetProgress]
    ) {
        defer { markDone(position, in: &sets) }
        let nested: ArchiveReader
        let first: ArchiveReader.Entry?
        do {
            nested = try ArchiveReader(.currentEntry(of: reader), limits: limits)
        } catch {
            diagnostics.append(Diagnostic(.error, .damagedInput, file: name, "cannot read: \(error.message)"))
            return
        }
        defer { collectWarnings(of: nested, file: name) }
        do {
            first = try nested.nextEntry()
        } catch {
            diagnostics.append(Diagnostic(.error, .damagedInput, file: name, "cannot read: \(error.message)"))
            return
        }
        guard let first else {
            recordEmpty(LeafContext(name: name, layers: layers + nested.filterNames, rotation: position,
                                    nameSuggestsArchive: false))
            return
        }
        guard nested.isRaw else {
            guard depth < settings.maxArchiveDepth else {
                diagnostics.append(Diagnostic(
                    .warning, .nestingTooDeep, file: name,
                    "archive nested deeper than \(settings.maxArchiveDepth) levels (reader.max-archive-depth); skipped"))
                return
            }
            readArchive(nested, first: first, name: name,
                        layers: layers + nested.filterNames + [nested.archiveFormatName ?? "archive"],
                        depth: depth + 1, plan: nil)
            return
        }
        let leaf = LeafContext(name: name, layers: layers + nested.filterNames, rotation: position,
                               nameSuggestsArchive: Self.looksLikeArchive(name))
        var progress = sets[position.set] ?? SetProgress()
        while progress.done.contains(progress.next) { progress.next += 1 }
        sets[position.set] = progress
        if position.index <= progress.next {
            readLeaf(nested, leaf)
            return
        }
        // An older file of this set is still to come: stage this one.
        do {
            let spill = try SpillFile(directory: settings.temporaryDirectory)
            var failure: ArchiveFailure?
            do {
                while let block = try nested.nextBlock() {
                    guard spill.size + Int64(block.count) <= settings.maxMemberBytes else {
                        failure = tooLarge()
                        break
                    }
                    try spill.append(block)
                }
            } catch {
                failure = error
            }
            sets[position.set, default: SetProgress()].staged[position.index] = (spill, leaf, failure)
        } catch {
            // No room to stage: read it now, out of order, rather than lose it.
            diagnostics.append(Diagnostic(.warning, .unreadable, file: name, "\(error.message); read out of order"))
            readLeaf(nested, leaf)
        }
    }

    /// Marks a member handled and reads staged members of its set whose turn has come.
    private mutating func markDone(_ position: RotationPosition, in sets: inout [String: SetProgress]) {
        var progress = sets[position.set] ?? SetProgress()
        progress.done.insert(position.index)
        while true {
            if progress.done.contains(progress.next) {
                progress.next += 1
            } else if let staged = progress.staged.removeValue(forKey: progress.next) {
                progress.done.insert(progress.next)
                progress.next += 1
                staged.spill.rewind()
                readLeaf(staged.spill, staged.leaf, checkDuplicates: true, trailingFailure: staged.failure)
            } else {
                break
            }
        }
        sets[position.set] = progress
    }

    // MARK: Logical files

    private func tooLarge() -> ArchiveFailure {
        ArchiveFailure(
            kind: .tooLarge,
            message: "decompressed size reached the limit of \(settings.maxMemberBytes) bytes (reader.max-member-bytes)")
    }

    private mutating func recordEmpty(_ leaf: LeafContext) {
        let file = LogicalFile(name: leaf.name, format: FileFormat(layers: leaf.layers), rotation: leaf.rotation)
        consumer.beginFile(file)
        let summary = FileSummary(file: file, status: .read, contentID: ContentFingerprinter().finalize().digest)
        consumer.endFile(summary)
        summaries.append(summary)
    }

    /// Reads one logical file: sniffs its encoding, checks for duplicate content, splits it into lines.
    private mutating func readLeaf(
        _ source: some BlockSource, _ leaf: LeafContext, checkDuplicates: Bool = true,
        trailingFailure: ArchiveFailure? = nil
    ) {
        // Peek at the start: enough to sniff the encoding and recognise a possible duplicate.
        var peek: [UInt8] = []
        var failure: ArchiveFailure? = nil
        var ended = false
        while peek.count < Self.prefixBytes {
            do {
                guard let block = try source.nextBlock() else { ended = true; break }
                peek.append(contentsOf: block)
            } catch {
                failure = error
                ended = true
            }
            if failure != nil { break }
        }
        // A first block can be bigger than the cap (1 MiB blocks of a plain file): keep the cap there too.
        if Int64(peek.count) > settings.maxMemberBytes {
            peek.removeLast(peek.count - Int(max(0, settings.maxMemberBytes)))
            failure = tooLarge()
            ended = true
        }
        if ended, failure == nil { failure = trailingFailure }

        let prefixCount = min(peek.count, Self.prefixBytes)
        let (verdict, prefixHash) = peek.withUnsafeBytes { bytes in
            let prefix = UnsafeRawBufferPointer(rebasing: bytes[..<prefixCount])
            return (TextSniffer.sniff(prefix), ContentHasher.hash(prefix))
        }
        var file = LogicalFile(name: leaf.name, format: FileFormat(layers: leaf.layers), rotation: leaf.rotation)

        let bomLength: Int
        var transcoder: UTF16Transcoder? = nil
        switch verdict {
        case .binary(let reason):
            if failure != nil && peek.isEmpty {
                report(failure!, file: leaf.name, line: nil, byteOffset: 0)
            } else if leaf.nameSuggestsArchive {
                diagnostics.append(Diagnostic(
                    .error, .damagedArchive, file: leaf.name,
                    "the name says archive but the content is not a readable archive (\(reason)); skipped"))
            } else {
                diagnostics.append(Diagnostic(.warning, .binarySkipped, file: leaf.name, "not text (\(reason)); skipped"))
            }
            summaries.append(FileSummary(file: file, status: .binary, bytes: Int64(peek.count)))
            return
        case .utf8(let length):
            bomLength = length
        case .utf16(let bigEndian, let length):
            bomLength = length
            file.format.encoding = bigEndian ? .utf16BE : .utf16LE
            transcoder = UTF16Transcoder(bigEndian: bigEndian)
        }

        // Possible duplicate: the same first bytes as a file already read. Compare all of it.
        if checkDuplicates, let candidates = identities[prefixHash] {
            var fingerprinter = ContentFingerprinter()
            var spill: SpillFile? = nil
            if ended {
                peek.withUnsafeBytes { fingerprinter.update($0) }
            } else {
                do {
                    let staging = try SpillFile(directory: settings.temporaryDirectory)
                    let staged: Result<Void, ArchiveFailure> = peek.withUnsafeBytes { bytes in
                        fingerprinter.update(bytes)
                        return Result { () throws(ArchiveFailure) in try staging.append(bytes) }
                    }
                    try staged.get()
                    while let block = try source.nextBlock() {
                        guard fingerprinter.size + Int64(block.count) <= settings.maxMemberBytes else {
                            failure = tooLarge()
                            break
                        }
                        fingerprinter.update(block)
                        try staging.append(block)
                    }
                    spill = staging
                } catch {
                    failure = error
                }
                if failure == nil { failure = trailingFailure }
            }
            let identity = fingerprinter.finalize()
            if failure == nil, let original = candidates.first(where: { $0.identity == identity }) {
                diagnostics.append(Diagnostic(
                    .note, .duplicateContent, file: leaf.name, "same content as \(original.name); read once"))
                summaries.append(FileSummary(file: file, status: .duplicate, bytes: identity.size,
                                             contentID: identity.digest, duplicateOf: original.name))
                return
            }
            if let spill {
                spill.rewind()
                readLeaf(spill, leaf, checkDuplicates: false, trailingFailure: failure)
                return
            }
        }

        // Stream: the peeked bytes, then the rest.
        var splitter = LineSplitter(maxLineBytes: settings.maxLineBytes)
        var fingerprinter = ContentFingerprinter()
        consumer.beginFile(file)

        func feed(_ bytes: UnsafeRawBufferPointer, _ splitter: inout LineSplitter, _ consumer: inout Consumer,
                  _ transcoder: inout UTF16Transcoder?) {
            if transcoder != nil {
                splitter.consume(transcoder!.transcode(bytes)) { consumer.consume($0) }
            } else {
                splitter.consume(bytes) { consumer.consume($0) }
            }
        }

        peek.withUnsafeBytes { bytes in
            fingerprinter.update(bytes)
            feed(UnsafeRawBufferPointer(rebasing: bytes[min(bomLength, bytes.count)...]), &splitter, &consumer,
                 &transcoder)
        }
        bytesRead += Int64(peek.count)
        if !ended {
            do {
                while let block = try source.nextBlock() {
                    guard fingerprinter.size + Int64(block.count) <= settings.maxMemberBytes else {
                        failure = tooLarge()
                        break
                    }
                    fingerprinter.update(block)
                    feed(block, &splitter, &consumer, &transcoder)
                    bytesRead += Int64(block.count)
                    blocksSinceProgress += 1
                    if blocksSinceProgress >= 16, let progress {
                        blocksSinceProgress = 0
                        progress(ReadProgress(filesDone: summaries.count, bytesRead: bytesRead, currentFile: leaf.name))
                    }
                }
            } catch {
                failure = error
            }
            if failure == nil { failure = trailingFailure }
        }
        if transcoder != nil {
            let tail = transcoder!.finish()
            splitter.consume(tail) { consumer.consume($0) }
        }
        let damagePosition = splitter.position
        splitter.finish { consumer.consume($0) }

        if let failure {
            report(failure, file: leaf.name, line: damagePosition.line, byteOffset: damagePosition.byteOffset)
        }
        if splitter.cutLineCount > 0, let first = splitter.firstCut {
            let count = splitter.cutLineCount
            diagnostics.append(Diagnostic(
                .warning, .lineTooLong, file: leaf.name, line: first.line, byteOffset: first.byteOffset,
                "\(count) line\(count == 1 ? "" : "s") longer than \(settings.maxLineBytes) bytes cut to that length "
                    + "(reader.max-line-bytes); the first is here"))
        }
        let identity = fingerprinter.finalize()
        if failure == nil {
            identities[prefixHash, default: []].append((identity, leaf.name))
        }
        let summary = FileSummary(
            file: file, status: failure == nil ? .read : .partial, lines: splitter.lineCount,
            bytes: identity.size, cutLines: splitter.cutLineCount, contentID: identity.digest)
        consumer.endFile(summary)
        summaries.append(summary)
    }

    private mutating func report(_ failure: ArchiveFailure, file: String, line: Int?, byteOffset: Int64?) {
        let message: String
        let code: Diagnostic.Code
        let severity: Diagnostic.Severity
        switch failure.kind {
        case .unreadable:
            (severity, code) = (.error, .unreadable)
            message = "\(failure.message); lines before this point were read"
        case .damaged:
            (severity, code) = (.error, .damagedInput)
            message = "\(failure.message); lines before this point were read"
        case .tooLarge:
            (severity, code) = (.warning, .memberTooLarge)
            message = "\(failure.message); lines before this point were read"
        case .compressionRatio:
            (severity, code) = (.warning, .compressionRatio)
            message = "possible decompression bomb: \(failure.message); lines before this point were read"
        }
        diagnostics.append(Diagnostic(severity, code, file: file, line: line, byteOffset: byteOffset, message))
    }

    private mutating func collectWarnings(of reader: ArchiveReader, file: String) {
        var seen: Set<String> = []
        for warning in reader.drainWarnings() where seen.insert(warning).inserted {
            diagnostics.append(Diagnostic(.warning, .archiveWarning, file: file, warning))
        }
    }

    static func looksLikeArchive(_ name: String) -> Bool {
        let lower = name.lowercased()
        return [".tar", ".tgz", ".tbz", ".tbz2", ".txz", ".tzst", ".zip", ".7z", ".rar", ".cpio"]
            .contains { lower.hasSuffix($0) } || lower.contains(".tar.")
    }
}
