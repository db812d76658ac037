import Crypto

/// Groups events as Sentry's grouping config `newstyle:2023-01-11` does (reference §1–§7): normalizes the
/// stack traces, applies stack trace rules and fingerprint rules, builds the `app`, `system` and `default`
/// variants with their component trees, and hashes them.
///
/// One per thread (it holds PCRE2 matchers); make one per worker from a shared ``GroupingConfiguration``.
///
/// ```swift
/// let grouper = Grouper(configuration: .sentryCompatible)
/// let result = grouper.group(input)
/// result.primaryHash   // "4b8bbc500bd2cabfcadc1f1be867e0bb"
/// ```
public final class Grouper {
    public let configuration: GroupingConfiguration
    /// Whether components that cannot contribute still show normalized values (for `explain`). Off, an
    /// exception value behind a contributing stack trace and a message behind an exception keep their text as
    /// written: the hashes are the same, and parameterizing them is most of the cost of grouping.
    public let detailedTrees: Bool
    private let frames = FrameStrategy()
    private let normalizer: MessageNormalizer
    /// Whether any stack trace rule reads the exception; if none does, rule outcomes depend on frames alone.
    private let rulesReadExceptions: Bool
    /// Outcomes of the stack trace rules, remembered: the frames of one bug repeat in all of its events.
    private var classified: [RuleInput: (frames: [GroupingFrame], hints: [String?])] = [:]
    private var contributed: [ContributionInput: StackTraceContributions] = [:]
    /// Whole stack trace components per variant, by their frames (after classification) and in-app hints.
    private var builtStacks: [StackKey: (app: GroupingComponent, system: GroupingComponent)] = [:]

    private struct StackKey: Hashable {
        let rules: RuleInput
        let inAppHints: [String?]

        func hash(into hasher: inout Hasher) { hasher.combine(rules.digest) }
    }

    /// A stack trace as the rules see it, keyed by a 64-bit digest of its fields: hashing it is one pass of
    /// the fast content hash instead of SipHash over every string; equality still compares everything.
    private struct RuleInput: Hashable {
        let frames: [GroupingFrame]
        let exception: GroupingException?
        let platform: String
        let digest: UInt64

        init(frames: [GroupingFrame], exception: GroupingException?, platform: String) {
            self.frames = frames
            self.exception = exception
            self.platform = platform
            var bytes: [UInt8] = []
            bytes.reserveCapacity(frames.count * 128)
            Self.append(platform, to: &bytes)
            Self.append(exception?.type, to: &bytes)
            Self.append(exception?.value, to: &bytes)
            Self.append(exception?.mechanism?.type, to: &bytes)
            for frame in frames {
                Self.append(frame.function, to: &bytes)
                Self.append(frame.rawFunction, to: &bytes)
                Self.append(frame.module, to: &bytes)
                Self.append(frame.filename, to: &bytes)
                Self.append(frame.absPath, to: &bytes)
                Self.append(frame.package, to: &bytes)
                Self.append(frame.platform, to: &bytes)
                Self.append(frame.contextLine, to: &bytes)
                Self.append(frame.category, to: &bytes)
                let numbers = (UInt64(bitPattern: Int64(frame.lineno ?? -1)), UInt64(bitPattern: Int64(frame.colno ?? -1)))
                withUnsafeBytes(of: numbers) { bytes.append(contentsOf: $0) }
                bytes.append((frame.inApp.map { $0 ? 1 : 0 } ?? 2) | (frame.hasSourcemap ? 4 : 0))
            }
            digest = bytes.withUnsafeBytes { ContentHasher.hash($0) }
        }

        private static func append(_ text: String?, to bytes: inout [UInt8]) {
            if var text {
                text.withUTF8 { bytes.append(contentsOf: $0) }
            }
            bytes.append(0xFF)
        }

        func hash(into hasher: inout Hasher) { hasher.combine(digest) }

        static func == (lhs: RuleInput, rhs: RuleInput) -> Bool {
            lhs.digest == rhs.digest && lhs.frames == rhs.frames && lhs.exception == rhs.exception && lhs.platform == rhs.platform
        }
    }

    private struct ContributionInput: Hashable {
        let rules: RuleInput
        let initial: [Bool]
        let initialHints: [String?]
        let inAppHints: [String?]
        let variant: GroupingVariantKind

        func hash(into hasher: inout Hasher) {
            hasher.combine(rules.digest)
            hasher.combine(variant)
        }
    }

    /// The exception as the rules see it: only its type, value and mechanism, and only if a rule reads them.
    private func ruleException(_ exception: GroupingException?) -> GroupingException? {
        guard rulesReadExceptions, let exception else { return nil }
        return GroupingException(type: exception.type, value: exception.value, mechanism: exception.mechanism)
    }

    private static let memoCapacity = 4_096

    public init(configuration: GroupingConfiguration, detailedTrees: Bool = true) {
        self.configuration = configuration
        self.detailedTrees = detailedTrees
        self.normalizer = MessageNormalizer(configuration.parameterization)
        self.rulesReadExceptions = configuration.stackTraceRules.rules.contains { !$0.exceptionMatchers.isEmpty }
    }

    /// Groups one event.
    public func group(_ event: GroupingInput) -> GroupingResult {
        groupReturningInput(event).result
    }

    /// Groups one event, and returns it as grouping saw it: functions trimmed, `inApp` decided for every frame.
    public func groupReturningInput(_ event: GroupingInput) -> (result: GroupingResult, normalized: GroupingInput) {
        var event = event
        let hints = normalizeStacktraces(&event)
        return (groupNormalized(event, hints: hints), event)
    }

    private func groupNormalized(_ event: GroupingInput, hints: InAppHints) -> GroupingResult {

        var fingerprint = event.fingerprint ?? Self.defaultFingerprint
        let match = configuration.fingerprintRules.firstMatch(for: event)
        if let match { fingerprint = match.fingerprint }
        if fingerprint != Self.defaultFingerprint {
            fingerprint = fingerprint.map { FingerprintVariables.isDefault($0) ? "{{ default }}" : $0 }
        }

        var variants = strategyVariants(for: event, inAppHints: hints, normalizeAll: detailedTrees)
        if !detailedTrees, variants.values.contains(where: { Self.hasContributingText($0.component) }) {
            // A value or message counts after all: build again with them parameterized.
            variants = strategyVariants(for: event, inAppHints: hints, normalizeAll: true)
        }
        let title = match?.title  // already expanded by the rule

        if let checksum = event.checksum, !checksum.isEmpty {
            let hash = Self.isMD5(checksum) ? checksum : Self.md5([checksum])
            let component = GroupingComponent(id: "checksum", values: [.string(checksum)])
            return GroupingResult(config: configuration.id, variants: ["checksum": GroupingVariant(hash: hash, component: component)],
                                  fingerprint: fingerprint, matchedFingerprintRule: match?.ruleText, title: title)
        }

        switch fingerprint == Self.defaultFingerprint ? .default : FingerprintKind(fingerprint) {
        case .default:
            break
        case .custom:
            let origin = match == nil ? "custom client fingerprint" : (match!.isBuiltIn ? "built-in fingerprint" : "custom server fingerprint")
            for name in variants.keys {
                variants[name]!.component.contributes = false
                variants[name]!.component.hint = "ignored because \(origin) takes precedence"
                variants[name]!.hash = nil
            }
            let values = fingerprint.map { FingerprintVariables.resolve($0, in: event) }
            let name = match?.isBuiltIn == true ? "built_in_fingerprint" : "custom_fingerprint"
            let component = GroupingComponent(id: name, values: values.map { .string($0) })
            variants[name] = GroupingVariant(hash: Self.md5(values), component: component, values: values)
        case .hybrid:
            for (name, variant) in variants {
                guard variant.component.contributes else { continue }
                let values = fingerprint.flatMap { entry in
                    entry == "{{ default }}" ? variant.component.hashedValues : [FingerprintVariables.resolve(entry, in: event)]
                }
                variants[name]!.hash = Self.md5(values)
                variants[name]!.values = fingerprint.map { $0 == "{{ default }}" ? $0 : FingerprintVariables.resolve($0, in: event) }
            }
        }

        if !variants.values.contains(where: { $0.hash != nil }) {
            variants["fallback"] = GroupingVariant(hash: Self.md5([]), component: GroupingComponent(id: "fallback"))
        }
        return GroupingResult(config: configuration.id, variants: variants, fingerprint: fingerprint,
                              matchedFingerprintRule: match?.ruleText, title: title)
    }

    // MARK: - Normalization (§1 step 2)

    /// What the classifier pass said about each stack trace's frames, for the hints of the variants.
    struct InAppHints {
        var exceptions: [Int: [String?]] = [:]
        var stacktrace: [String?] = []
        var threads: [Int: [String?]] = [:]
    }

    private func normalizeStacktraces(_ event: inout GroupingInput) -> InAppHints {
        var hints = InAppHints()
        for index in event.exceptions.indices {
            guard var stacktrace = event.exceptions[index].stacktrace else { continue }
            hints.exceptions[index] = normalize(&stacktrace, exception: event.exceptions[index], platform: event.platform)
            event.exceptions[index].stacktrace = stacktrace
        }
        if var stacktrace = event.stacktrace {
            hints.stacktrace = normalize(&stacktrace, exception: nil, platform: event.platform)
            event.stacktrace = stacktrace
        }
        for index in event.threads.indices {
            guard var stacktrace = event.threads[index].stacktrace else { continue }
            hints.threads[index] = normalize(&stacktrace, exception: nil, platform: event.platform)
            event.threads[index].stacktrace = stacktrace
        }
        return hints
    }

    /// Function trimming, JavaScript query strings, in-app prefixes and the classifier pass; returns the
    /// classifier's hint per frame.
    private func normalize(_ stacktrace: inout GroupingStacktrace, exception: GroupingException?, platform: String) -> [String?] {
        for index in stacktrace.frames.indices {
            var frame = stacktrace.frames[index]
            let framePlatform = frame.platform ?? platform
            if let function = frame.function, frame.rawFunction == nil {
                if PlatformFamily(platform: framePlatform) == .native {
                    let trimmed = NativeFunctionName.trimmed(function)
                    if trimmed != function { (frame.function, frame.rawFunction) = (trimmed, function) }
                } else if framePlatform == "csharp", let cut = function.firstRange(of: " (") {
                    (frame.function, frame.rawFunction) = (String(function[..<cut.lowerBound]), function)
                }
            }
            if platform == "javascript", let filename = frame.filename, let query = filename.firstIndex(of: "?") {
                frame.filename = String(filename[..<query])
            }
            stacktrace.frames[index] = frame
        }
        configuration.inAppPrefixes.apply(to: &stacktrace.frames, platform: platform)
        let key = RuleInput(frames: stacktrace.frames, exception: ruleException(exception), platform: platform)
        if let known = classified[key] {
            stacktrace.frames = known.frames
            return known.hints
        }
        let hints = configuration.stackTraceRules.classify(&stacktrace.frames, exception: exception, platform: platform)
        for index in stacktrace.frames.indices where stacktrace.frames[index].inApp == nil {
            stacktrace.frames[index].inApp = false
        }
        if classified.count >= Self.memoCapacity { classified.removeAll(keepingCapacity: true) }
        classified[key] = (stacktrace.frames, hints)
        return hints
    }

    // MARK: - Strategies (§2, §3, §6)

    /// The `app`, `system` and `default` variants from the strategies, before fingerprints.
    /// `normalizeAll: false` leaves values and messages as written (for a first, cheap pass whose result is
    /// kept only if none of them contributes).
    private func strategyVariants(for event: GroupingInput, inAppHints: InAppHints, normalizeAll: Bool) -> [String: GroupingVariant] {
        var app: [GroupingComponent] = []
        var system: [GroupingComponent] = []
        var winner: String?

        func take(_ strategy: String, _ components: (app: GroupingComponent, system: GroupingComponent)?) {
            guard var (appComponent, systemComponent) = components else { return }
            if let winner {
                let hint = Self.precedenceHint(winner)
                if appComponent.contributes { appComponent.contributes = false; appComponent.hint = hint }
                if systemComponent.contributes { systemComponent.contributes = false; systemComponent.hint = hint }
            } else if appComponent.contributes || systemComponent.contributes {
                winner = strategy
            }
            app.append(appComponent)
            system.append(systemComponent)
        }

        take("exception", chainedExceptionComponents(event, inAppHints: inAppHints, normalize: normalizeAll))
        take("threads", threadsComponents(event, inAppHints: inAppHints))
        take("stacktrace", event.stacktrace.map {
            stacktraceComponents($0, exception: nil, platform: event.platform, inAppHints: inAppHints.stacktrace)
        })

        var message = messageComponent(event, normalize: normalizeAll)
        if let winner, message.contributes {
            message.contributes = false
            message.hint = Self.precedenceHint(winner)
        }

        var appRoot = GroupingComponent(id: "app", values: app.map { .component($0) })
        var systemRoot = GroupingComponent(id: "system", values: system.map { .component($0) })
        var defaultRoot = GroupingComponent(id: "default", values: [.component(message)])
        if let winner, !defaultRoot.contributes { defaultRoot.hint = Self.precedenceHint(winner) }

        // A variant without a contributing stack trace gives way to one that has it (Sentry's
        // remove_non_stacktrace_variants): with no in-app frame, `app` has no hash at all.
        let appHasStack = Self.hasContributingStacktrace(appRoot)
        let systemHasStack = Self.hasContributingStacktrace(systemRoot)
        if systemHasStack && !appHasStack && appRoot.contributes {
            if configuration.fallBackToSystemFramesWithoutInApp, let fallback = systemFallback(appRoot, event: event) {
                appRoot = fallback
            } else {
                appRoot.contributes = false
                appRoot.hint = "ignored because this variant does not have a contributing stacktrace, but the system variant does"
            }
        }
        if appHasStack || systemHasStack, defaultRoot.contributes {
            defaultRoot.contributes = false
        }

        var variants: [String: GroupingVariant] = [:]
        variants["app"] = GroupingVariant(hash: appRoot.contributes ? Self.md5(appRoot) : nil, component: appRoot)
        var systemHash = systemRoot.contributes ? Self.md5(systemRoot) : nil
        if let hash = systemHash, hash == variants["app"]?.hash {
            systemRoot.contributes = false
            systemRoot.hint = "ignored because hash matches app variant"
            systemHash = nil
        }
        variants["system"] = GroupingVariant(hash: systemHash, component: systemRoot)
        variants["default"] = GroupingVariant(hash: defaultRoot.contributes ? Self.md5(defaultRoot) : nil,
                                              component: defaultRoot)
        return variants
    }

    /// Beyond Sentry: an app variant of the exception types and the top system frames when no frame is in-app.
    private func systemFallback(_ appRoot: GroupingComponent, event: GroupingInput) -> GroupingComponent? {
        let exceptions = event.exceptions
        guard !exceptions.isEmpty else { return nil }
        var values: [GroupingComponent.Value] = []
        for exception in exceptions {
            if let type = exception.type { values.append(.component(GroupingComponent(id: "type", values: [.string(type)]))) }
            let frames = (exception.stacktrace?.frames ?? []).suffix(configuration.fallbackFrameCount)
            for frame in frames.reversed() {
                values.append(.component(self.frames.component(for: frame, eventPlatform: event.platform)))
            }
        }
        return GroupingComponent(id: "app", values: values,
                                 hint: "no in-app frames: exception types and the top \(configuration.fallbackFrameCount) system frames (faultline fallback)")
    }

    private static let defaultFingerprint = ["{{ default }}"]

    /// Whether a value or message component contributes anywhere in the tree (they sit above stack traces,
    /// which are not searched).
    private static func hasContributingText(_ component: GroupingComponent) -> Bool {
        guard component.contributes else { return false }
        if component.id == "value" || component.id == "message" { return true }
        for case .component(let child) in component.values where child.id != "stacktrace" && hasContributingText(child) {
            return true
        }
        return false
    }

    /// "exception takes precedence", "threads take precedence".
    private static func precedenceHint(_ strategy: String) -> String {
        strategy + (strategy.hasSuffix("s") ? " take" : " takes") + " precedence"
    }

    private static func hasContributingStacktrace(_ component: GroupingComponent) -> Bool {
        guard component.contributes else { return false }
        if component.id == "stacktrace" { return true }
        for case .component(let child) in component.values where hasContributingStacktrace(child) { return true }
        return false
    }

    /// `chained-exception:v1`: every exception, cause first; one exception is its own component.
    private func chainedExceptionComponents(_ event: GroupingInput, inAppHints: InAppHints,
                                            normalize: Bool) -> (app: GroupingComponent, system: GroupingComponent)? {
        guard !event.exceptions.isEmpty else { return nil }
        var app: [GroupingComponent] = []
        var system: [GroupingComponent] = []
        for index in ExceptionGroups.filtered(event.exceptions) {
            let (appException, systemException) = exceptionComponents(
                event.exceptions[index], platform: event.platform, inAppHints: inAppHints.exceptions[index] ?? [],
                normalize: normalize)
            app.append(appException)
            system.append(systemException)
        }
        if app.count == 1 { return (app[0], system[0]) }
        return (GroupingComponent(id: "chained-exception", values: app.map { .component($0) }),
                GroupingComponent(id: "chained-exception", values: system.map { .component($0) }))
    }

    /// An exception: stack trace, type, ns-error, value — in the 2023 config's (legacy) hash order.
    private func exceptionComponents(_ exception: GroupingException, platform: String, inAppHints: [String?],
                                     normalize: Bool) -> (GroupingComponent, GroupingComponent) {
        let stacks = exception.stacktrace.map {
            stacktraceComponents($0, exception: exception, platform: platform, inAppHints: inAppHints)
        }

        var type = GroupingComponent(id: "type", values: exception.type.map { [.string($0)] } ?? [])
        if exception.mechanism?.synthetic == true, type.contributes {
            type.contributes = false
            type.hint = "ignored because exception is synthetic"
        }
        var nsError: GroupingComponent?
        if let domain = exception.mechanism?.nsErrorDomain, let code = exception.mechanism?.nsErrorCode {
            nsError = GroupingComponent(id: "ns-error", values: [.string(domain), .int(code)])
        }
        let normalizedValue = exception.value.map { normalize ? normalizer.normalize($0) : $0 } ?? ""
        let value = GroupingComponent(id: "value", values: normalizedValue.isEmpty ? [] : [.string(normalizedValue)])

        func build(_ stack: GroupingComponent?) -> GroupingComponent {
            var value = value
            if stack?.contributes == true, value.contributes {
                value.contributes = false
                value.hint = "ignored because stacktrace takes precedence"
            } else if nsError?.contributes == true, value.contributes {
                value.contributes = false
                value.hint = "ignored because ns-error info takes precedence"
            }
            var values: [GroupingComponent.Value] = []
            if let stack { values.append(.component(stack)) }
            values.append(.component(type))
            if let nsError { values.append(.component(nsError)) }
            values.append(.component(value))
            return GroupingComponent(id: "exception", values: values)
        }
        return (build(stacks?.app), build(stacks?.system))
    }

    /// `threads:v1`: the one crashed thread, else the one current thread, else the only thread.
    private func threadsComponents(_ event: GroupingInput, inAppHints: InAppHints) -> (app: GroupingComponent, system: GroupingComponent)? {
        guard !event.threads.isEmpty else { return nil }
        let crashed = event.threads.indices.filter { event.threads[$0].crashed }
        let current = event.threads.indices.filter { event.threads[$0].current }
        let chosen = crashed.count == 1 ? crashed[0] : (crashed.isEmpty && current.count == 1 ? current[0]
            : (event.threads.count == 1 ? 0 : nil))
        guard let chosen, let stacktrace = event.threads[chosen].stacktrace else {
            let hint = "ignored because does not contain exactly one thread"
            let empty = GroupingComponent(id: "threads", contributes: false, hint: hint)
            return (empty, empty)
        }
        let stacks = stacktraceComponents(stacktrace, exception: nil, platform: event.platform,
                                          inAppHints: inAppHints.threads[chosen] ?? [])
        return (GroupingComponent(id: "threads", values: [.component(stacks.app)]),
                GroupingComponent(id: "threads", values: [.component(stacks.system)]))
    }

    /// A stack trace in both variants: frame components (recursion off), then the stack trace rules'
    /// contributes pass per variant.
    private func stacktraceComponents(_ stacktrace: GroupingStacktrace, exception: GroupingException?, platform: String,
                                      inAppHints: [String?]) -> (app: GroupingComponent, system: GroupingComponent) {
        let framesList = stacktrace.frames
        guard !framesList.isEmpty else {
            let empty = GroupingComponent(id: "stacktrace", contributes: false, hint: "ignored because it contains no frames")
            return (empty, empty)
        }
        if PlatformFamily(platform: framesList[0].platform ?? platform) == .javascript, framesList.count == 1,
           (framesList[0].function ?? "").isEmpty, let absPath = framesList[0].absPath,
           URLOrigin.isURL(absPath, allowFileOrigin: false) {
            // The 2023 config's kept bug: a lone function-less frame is dropped when it *is* from a URL.
            let component = frames.component(for: framesList[0], eventPlatform: platform)
            let stack = GroupingComponent(id: "stacktrace", values: [.component(component)], contributes: false,
                                          hint: "ignored single non-URL JavaScript frame")
            return (stack, stack)
        }
        let ruleInput = RuleInput(frames: framesList, exception: ruleException(exception), platform: platform)
        let stackKey = StackKey(rules: ruleInput, inAppHints: inAppHints)
        if let known = builtStacks[stackKey] { return known }
        var components: [GroupingComponent] = []
        for (index, frame) in framesList.enumerated() {
            var component = frames.component(for: frame, eventPlatform: platform)
            if index > 0, FrameStrategy.isRecursion(frame, of: framesList[index - 1]), component.contributes {
                component.contributes = false
                component.hint = "ignored due to recursion"
            }
            components.append(component)
        }
        let initial = components.map(\.contributes)
        let initialHints = components.map(\.hint)

        func variant(_ kind: GroupingVariantKind) -> GroupingComponent {
            let key = ContributionInput(
                rules: ruleInput, initial: initial, initialHints: initialHints, inAppHints: inAppHints, variant: kind)
            let result: StackTraceContributions
            if let known = contributed[key] {
                result = known
            } else {
                result = configuration.stackTraceRules.contributions(
                    of: framesList, initiallyContributing: initial, initialHints: initialHints, inAppHints: inAppHints,
                    exception: exception, platform: platform, variant: kind)
                if contributed.count >= Self.memoCapacity { contributed.removeAll(keepingCapacity: true) }
                contributed[key] = result
            }
            var variantFrames = components
            for index in variantFrames.indices {
                variantFrames[index].contributes = result.frameContributes[index]
                variantFrames[index].hint = result.frameHints[index]
            }
            var stack = GroupingComponent(id: "stacktrace", values: variantFrames.map { .component($0) })
            if !result.stacktraceContributes {
                stack.contributes = false
                stack.hint = result.stacktraceHint
            } else if !stack.contributes {
                stack.hint = result.stacktraceHint
                    ?? (kind == .app && !framesList.contains { $0.inApp == true }
                        ? "ignored because it contains no in-app frames" : "ignored because it contains no contributing frames")
            }
            return stack
        }
        let built = (variant(.app), variant(.system))
        if builtStacks.count >= Self.memoCapacity { builtStacks.removeAll(keepingCapacity: true) }
        builtStacks[stackKey] = built
        return built
    }

    /// `message:v1`: the normalized message (the template if the event has one).
    private func messageComponent(_ event: GroupingInput, normalize: Bool) -> GroupingComponent {
        guard let message = event.messageTemplate ?? event.formattedMessage, !message.isEmpty else {
            return GroupingComponent(id: "message")
        }
        let normalized = normalize ? normalizer.normalize(message) : message
        var component = GroupingComponent(id: "message", values: [.string(normalized)])
        if normalized != message { component.hint = "stripped event-specific values" }
        return component
    }

    // MARK: - Hashing (§3.2)

    /// md5 over the UTF-8 of the values concatenated without separator, lowercase hex.
    static func md5(_ values: [String]) -> String {
        var hash = Insecure.MD5()
        for var value in values { value.withUTF8 { hash.update(bufferPointer: UnsafeRawBufferPointer($0)) } }
        return hex(hash.finalize())
    }

    /// The md5 of a component's contributing leaf values.
    static func md5(_ component: GroupingComponent) -> String {
        var bytes: [UInt8] = []
        collectHashedBytes(component, into: &bytes)
        var hash = Insecure.MD5()
        bytes.withUnsafeBytes { hash.update(bufferPointer: $0) }
        return hex(hash.finalize())
    }

    private static func collectHashedBytes(_ component: GroupingComponent, into bytes: inout [UInt8]) {
        guard component.contributes else { return }
        for value in component.values {
            switch value {
            case .component(let child): collectHashedBytes(child, into: &bytes)
            case .string(let text): bytes.append(contentsOf: text.utf8)
            case .int(let number): bytes.append(contentsOf: String(number).utf8)
            }
        }
    }

    private static func hex(_ digest: Insecure.MD5.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for byte in digest {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func isMD5(_ text: String) -> Bool {
        text.utf8.count == 32 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}

/// Exception groups (RFC 0079, reference §6): which exceptions of a group tree contribute.
enum ExceptionGroups {
    /// Indices (into `exceptions`) of the exceptions that contribute, in hash order.
    static func filtered(_ exceptions: [GroupingException]) -> [Int] {
        let all = Array(exceptions.indices)
        guard exceptions.count >= 2 else { return all }
        var ids: [Int: Int] = [:]
        for (index, exception) in exceptions.enumerated() {
            guard let id = exception.mechanism?.exceptionID, id != exception.mechanism?.parentID, ids[id] == nil
            else { return all }
            ids[id] = index
        }
        var children: [Int: [Int]] = [:]
        for (index, exception) in exceptions.enumerated() {
            if let parent = exception.mechanism?.parentID { children[parent, default: []].append(index) }
        }
        guard let root = ids[0] else { return all }
        func isGroup(_ index: Int) -> Bool { exceptions[index].mechanism?.isExceptionGroup == true }
        func id(_ index: Int) -> Int { exceptions[index].mechanism!.exceptionID! }

        // The non-group exceptions reached through groups, by type descending, without duplicates.
        func topLevel(_ index: Int) -> [Int] {
            isGroup(index) ? (children[id(index)] ?? []).flatMap(topLevel) : [index]
        }
        var distinct: [Int] = []
        var seen = Set<String>()
        for index in topLevel(root).sorted(by: { (exceptions[$0].type ?? "") > (exceptions[$1].type ?? "") }) {
            let exception = exceptions[index]
            let frames = exception.stacktrace?.frames.map { "\($0.module ?? "")|\($0.function ?? "")|\($0.filename ?? "")" } ?? []
            if seen.insert("\(exception.type ?? "")\u{0}\(exception.value ?? "")\u{0}\(frames)").inserted { distinct.append(index) }
        }
        guard distinct.count == 1 else { return distinct + [root] }
        // One distinct exception: it and the groups above it, down the first-child path.
        var path: [Int] = []
        var current: Int? = root
        while let node = current {
            path.append(node)
            guard isGroup(node) else { break }
            current = children[id(node)]?.first
        }
        return path.reversed()
    }
}
