extension Scrubber {
    /// The event with every text field scrubbed: message, logger, thread, each exception's type, value and module,
    /// each frame's function, module, package, file name, absolute path, context line and raw text (a user name
    /// in a path becomes `[user]`, the rest of the path stays for grouping), other threads' ids, states and frames,
    /// and the tags' values.
    ///
    /// The timestamp and the origin (the input's own file name and line numbers) are left as they are.
    public func scrub(_ event: ErrorEvent) -> ErrorEvent {
        var event = scrubPrefixFields(event)
        scrubRecordText(message: &event.message, exceptions: &event.exceptions, threads: &event.threads)
        return event
    }

    /// The fields that come from a record's prefix and from the configuration: logger, thread and tags.
    func scrubPrefixFields(_ event: ErrorEvent) -> ErrorEvent {
        var event = event
        event.logger = event.logger.map(scrubRepeated)
        event.thread = event.thread.map(scrubRepeated)
        if !event.tags.isEmpty {
            event.tags = event.tags.mapValues(scrub)
        }
        return event
    }

    /// The fields that come from a record's text after its prefix: the message, the exceptions and the other
    /// threads. With ``scrubPrefixFields(_:)``, what ``scrub(_:)-(ErrorEvent)`` does to the event built from it.
    func scrub(_ body: EventBuilder.RecordBody) -> EventBuilder.RecordBody {
        var body = body
        var exceptions = body.trace?.exceptions ?? []
        var threads = body.trace?.threads ?? []
        scrubRecordText(message: &body.message, exceptions: &exceptions, threads: &threads)
        body.trace?.exceptions = exceptions
        body.trace?.threads = threads
        return body
    }

    private func scrubRecordText(message: inout String?, exceptions: inout [ExceptionRecord],
                                 threads: inout [ThreadStack]) {
        message = message.map(scrub)
        exceptions = exceptions.map(scrub)
        threads = threads.map(scrub)
    }

    private func scrub(_ exception: ExceptionRecord) -> ExceptionRecord {
        var exception = exception
        exception.type = scrubRepeated(exception.type)
        exception.value = exception.value.map(scrub)
        exception.module = exception.module.map(scrubRepeated)
        exception.frames = exception.frames.map(scrubRepeated)
        return exception
    }

    private func scrub(_ thread: ThreadStack) -> ThreadStack {
        var thread = thread
        thread.id = thread.id.map(scrub)
        thread.state = thread.state.map(scrubRepeated)
        thread.frames = thread.frames.map(scrubRepeated)
        return thread
    }

    /// A name that repeats from event to event (a type, module, logger or thread name), scrubbed once.
    private func scrubRepeated(_ name: String) -> String {
        repeated.name(name, scrubbed: scrub)
    }

    /// A frame, scrubbed once: the frames of one bug repeat in all of its events.
    private func scrubRepeated(_ frame: Frame) -> Frame {
        repeated.frame(frame, scrubbed: scrub)
    }

    private func scrub(_ frame: Frame) -> Frame {
        var frame = frame
        frame.function = frame.function.map(scrub)
        frame.module = frame.module.map(scrub)
        frame.package = frame.package.map(scrub)
        frame.filename = frame.filename.map(scrub)
        frame.absPath = frame.absPath.map(scrub)
        frame.contextLine = frame.contextLine.map(scrub)
        frame.raw = scrub(frame.raw)
        return frame
    }
}

/// Scrubbed frames and names, remembered for the events of one scrubber.
///
/// Every event of a bug carries the same frames, exception types and modules, and a log has a few dozen
/// loggers and thread names; scrubbing them again per event was most of the cost of scrubbing events. A
/// remembered result is reused only for an equal input (see ``SlotMemo``), so the output is exactly what
/// scrubbing would give. Values and messages, which mostly carry ids, are not remembered.
struct RepeatedScrubs {
    private let frames = SlotMemo<(original: Frame, scrubbed: Frame)>(slots: 4_096)
    private let names = SlotMemo<(original: String, scrubbed: String)>(slots: 4_096)

    func frame(_ frame: Frame, scrubbed scrub: (Frame) -> Frame) -> Frame {
        let (digest, length) = Self.digest(of: frame.raw, frame.lineno ?? 0)
        return frames.lookup(digest: digest, remember: length <= LineMemo<Frame>.maximumLength,
                             matches: { $0.original == frame }, make: { (frame, scrub(frame)) }, read: { $0.scrubbed })
    }

    func name(_ name: String, scrubbed scrub: (String) -> String) -> String {
        let (digest, length) = Self.digest(of: name, 0)
        return names.lookup(digest: digest, remember: length <= LineMemo<String>.maximumLength,
                            matches: { $0.original == name }, make: { (name, scrub(name)) }, read: { $0.scrubbed })
    }

    /// The text's digest mixed with `salt`, and the text's length in bytes.
    private static func digest(of text: String, _ salt: Int) -> (UInt64, Int) {
        var text = text
        return text.withUTF8 { bytes in
            let digest = ContentHasher.digest(UnsafeRawBufferPointer(bytes))
            return ((digest ^ UInt64(truncatingIfNeeded: salt)) &* 0x9E37_79B9_7F4A_7C15, bytes.count)
        }
    }
}
