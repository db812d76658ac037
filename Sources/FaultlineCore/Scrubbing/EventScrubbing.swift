extension Scrubber {
    /// The event with every text field scrubbed: message, logger, thread, each exception's type, value and module,
    /// each frame's function, module, package, file name, absolute path, context line and raw text (a user name
    /// in a path becomes `[user]`, the rest of the path stays for grouping), other threads' ids, states and frames,
    /// and the tags' values.
    ///
    /// The timestamp and the origin (the input's own file name and line numbers) are left as they are.
    public func scrub(_ event: ErrorEvent) -> ErrorEvent {
        var event = event
        event.message = event.message.map(scrub)
        event.logger = event.logger.map(scrubRepeated)
        event.thread = event.thread.map(scrubRepeated)
        event.exceptions = event.exceptions.map(scrub)
        event.threads = event.threads.map(scrub)
        if !event.tags.isEmpty {
            event.tags = event.tags.mapValues(scrub)
        }
        return event
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
/// remembered result is reused only for an equal input (the digest picks the slot, `==` decides), so the
/// output is exactly what scrubbing would give. Values and messages, which carry ids, are not remembered.
///
/// Direct-mapped and bounded, like ``LineVerdicts``: a newer input with the same slot replaces the older one.
struct RepeatedScrubs {
    private var frames: [(original: Frame, scrubbed: Frame)?]
    private var names: [(original: String, scrubbed: String)?]
    private let mask: Int

    init(slots: Int = 4_096) {
        precondition(slots > 0 && slots & (slots - 1) == 0, "slots must be a power of two")
        frames = Array(repeating: nil, count: slots)
        names = Array(repeating: nil, count: slots)
        mask = slots - 1
    }

    mutating func frame(_ frame: Frame, scrubbed scrub: (Frame) -> Frame) -> Frame {
        let slot = Self.slot(of: frame.raw, lineno: frame.lineno) & mask
        if let entry = frames[slot], entry.original == frame { return entry.scrubbed }
        let scrubbed = scrub(frame)
        frames[slot] = (frame, scrubbed)
        return scrubbed
    }

    mutating func name(_ name: String, scrubbed scrub: (String) -> String) -> String {
        let slot = Self.slot(of: name, lineno: nil) & mask
        if let entry = names[slot], entry.original == name { return entry.scrubbed }
        let scrubbed = scrub(name)
        names[slot] = (name, scrubbed)
        return scrubbed
    }

    private static func slot(of text: String, lineno: Int?) -> Int {
        var text = text
        let digest = text.withUTF8 { ContentHasher.hash(UnsafeRawBufferPointer($0)) }
        return Int(truncatingIfNeeded: digest ^ UInt64(truncatingIfNeeded: lineno ?? 0) &* 0x9E37_79B9_7F4A_7C15)
    }
}
