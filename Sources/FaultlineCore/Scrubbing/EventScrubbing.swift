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
        event.logger = event.logger.map(scrub)
        event.thread = event.thread.map(scrub)
        event.exceptions = event.exceptions.map(scrub)
        event.threads = event.threads.map(scrub)
        if !event.tags.isEmpty {
            event.tags = event.tags.mapValues(scrub)
        }
        return event
    }

    private func scrub(_ exception: ExceptionRecord) -> ExceptionRecord {
        var exception = exception
        exception.type = scrub(exception.type)
        exception.value = exception.value.map(scrub)
        exception.module = exception.module.map(scrub)
        exception.frames = exception.frames.map(scrub)
        return exception
    }

    private func scrub(_ thread: ThreadStack) -> ThreadStack {
        var thread = thread
        thread.id = thread.id.map(scrub)
        thread.state = thread.state.map(scrub)
        thread.frames = thread.frames.map(scrub)
        return thread
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
