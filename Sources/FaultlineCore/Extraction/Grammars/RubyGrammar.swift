/// Backtraces printed by Ruby (MRI 2.x–3.4) and Rails.
///
/// Read:
/// - the interpreter's report of an uncaught exception: `app/models/user.rb:42:in 'Foo#bar': message (Type)`,
///   the message's further lines, then `\tfrom path:line:in 'label'` lines; each cause follows as another such
///   block (Ruby prints no `Caused by:`); labels in Ruby 3.4's `'Foo#bar'` quotes or the older `` `bar' ``;
///   `... N levels...` elisions; error_highlight snippets under the header;
/// - the reversed order of Ruby 2.5–2.7 on a terminal (`Traceback (most recent call last):`, numbered
///   `\t2: from …` lines, the header last);
/// - backtraces without `from`: Rails' `ActionView::Template::Error (message):` header, its `Causes:` list and
///   indented frames (`actionpack (5.1.4) lib/…rb:63:in 'call'` for a gem); Ruby's `Logger` (`message (Type)`
///   then one frame per line); `Type: message` then frames. Rails' log tags (`[request-id] `) before each line
///   are allowed.
///
/// Fields follow the Sentry Ruby SDK: the exception `type` is the class (`ActionView::Template::Error`) and
/// `module` its namespace (`ActionView::Template`). A frame's `function` is the label as printed
/// (`block in validate`), except that Ruby 3.4's `Foo#bar` gives `module` `Foo` and `function` `bar`, as the
/// SDK's backtrace parser splits it; `filename` and `absPath` are the path as printed (after a gem's name and
/// version, which go to `package` without the version). Ruby prints the crashing frame first and the newest
/// exception first: both are reversed (not in the reversed terminal format, which prints them the other way).
public final class RubyGrammar: TraceGrammar {
    public static let runtime = Runtime.ruby

    public static let starterPatterns: [String] = [
        #"^(?:[A-Za-z]:)?[^\s:]+:\d+:in [`'][^`']+': "#,
    ]

    /// Ruby prints an exception's cause as a new header right after the last `from` line: a starter after a
    /// frame line is the next link of the chain, not a new record.
    public static let chainSeparatorPatterns: [String] = [
        #"^\s+from (?:[A-Za-z]:)?[^\s:]+:\d+:in [`'][^`']*'"#,
    ]

    public static let detectionPattern = #":\d+:in [`'][^`']*'"#

    private static let constant = #"[A-Z]\w*(?:::[A-Z]\w*)*"#
    private static let tags = #"^(?:\[[^\]]*\] ?)*\s*"#
    private static let location = #"(?<path>.+?):(?<line>\d+)(?::in [`'](?<label>.*)')?"#

    private static let uncaughtHeader = compile(
        #"^\s*(?<location>(?<path>.+?):(?<line>\d+):in [`'](?<label>[^`']*)'): (?<rest>.*)$"#)
    private static let fromLine = compile(#"^\s*(?:(?<number>\d+): )?from "# + location + "$")
    private static let bareFrame = compile(
        tags + #"(?:(?<gem>[\w.\-]+) \((?<version>[^)\s]+)\) )?(?=[^\s\[])"# + location + "$")
    private static let typeInParentheses = compile(#"^(?<message>.*) \((?<type>"# + constant + #")\)$"#)
    private static let bareType = compile("^" + constant + "$")
    private static let railsHeader = compile(tags + "(?<type>" + constant + #") \((?<message>.*)$"#)
    private static let railsCause = compile(tags + "(?<type>" + constant + #") \((?<message>.*)\)$"#)
    private static let colonHeader = compile(tags + "(?<type>" + constant + #"): (?<message>.*)$"#)
    private static let causesLine = compile(tags + "Causes:$")
    private static let elision = compile(#"^\s*\.\.\. \d+ levels\.\.\.$"#)
    /// Rails' annotated template source under the header (`    1: <%= @user.name %>`), or a tags-only line.
    private static let railsFiller = compile(tags + #"(?:\d+: .*)?$"#)
    private static let reverseHeader = compile(#"^Traceback \(most recent call last\):$"#)
    /// The label split of Sentry's Ruby SDK: `Foo::Bar#baz` → module `Foo::Bar`, method `baz`.
    private static let methodLabel = compile(#"^(?<module>[\w:]+)#(?<method>.+)$"#)
    private static let traceLike = compile(detectionPattern)

    /// Ruby's own report when an exception has an empty message.
    private static let emptyMessageReport = "unhandled exception"
    /// Rails headers are followed by their message's closing `):` within this many lines, or are no header.
    private static let railsHeaderLineLimit = 20

    private let uncaughtHeaderMatcher = Matcher(RubyGrammar.uncaughtHeader)
    private let fromLineMatcher = Matcher(RubyGrammar.fromLine)
    private let bareFrameMatcher = Matcher(RubyGrammar.bareFrame)
    private let typeInParenthesesMatcher = Matcher(RubyGrammar.typeInParentheses)
    private let bareTypeMatcher = Matcher(RubyGrammar.bareType)
    private let railsHeaderMatcher = Matcher(RubyGrammar.railsHeader)
    private let railsCauseMatcher = Matcher(RubyGrammar.railsCause)
    private let colonHeaderMatcher = Matcher(RubyGrammar.colonHeader)
    private let causesLineMatcher = Matcher(RubyGrammar.causesLine)
    private let elisionMatcher = Matcher(RubyGrammar.elision)
    private let railsFillerMatcher = Matcher(RubyGrammar.railsFiller)
    private let reverseHeaderMatcher = Matcher(RubyGrammar.reverseHeader)
    private let methodLabelMatcher = Matcher(RubyGrammar.methodLabel)
    private let traceLikeMatcher = Matcher(RubyGrammar.traceLike)

    public static let examples: [TraceExample] = [
        TraceExample(
            name: "uncaught exception, Ruby 3.4 quotes with Class#method labels",
            text: """
                app/models/user.rb:42:in 'Integer#/': divided by 0 (ZeroDivisionError)
                \tfrom app/models/user.rb:42:in 'User#score'
                \tfrom app/models/user.rb:10:in 'block in User#validate'
                \tfrom app/models/user.rb:9:in 'Array#each'
                \tfrom app/models/user.rb:9:in 'User#validate'
                \tfrom bin/check:5:in '<main>'
                """,
            exceptions: [
                .init(type: "ZeroDivisionError", value: "divided by 0",
                      functions: ["<main>", "validate", "each", "block in User#validate", "score", "/"]),
            ]),
        TraceExample(
            name: "uncaught exception with its cause, older backquote style, message on two lines",
            text: """
                app/services/sync.rb:11:in `rescue in run': sync failed (RuntimeError)
                \tfrom app/services/sync.rb:8:in `run'
                \tfrom bin/sync:13:in `<main>'
                app/models/user.rb:4:in `block in validate': bad email (ArgumentError)
                for user 42
                \tfrom app/models/user.rb:3:in `each'
                \tfrom app/models/user.rb:3:in `validate'
                \tfrom app/services/sync.rb:9:in `run'
                \tfrom bin/sync:13:in `<main>'
                """,
            exceptions: [
                .init(type: "ArgumentError", value: "bad email\nfor user 42",
                      functions: ["<main>", "run", "validate", "each", "block in validate"]),
                .init(type: "RuntimeError", value: "sync failed", functions: ["<main>", "run", "rescue in run"]),
            ]),
        TraceExample(
            name: "error_highlight snippet and a namespaced type",
            text: """
                /srv/shop/lib/cart.rb:12:in `total': undefined method `sum' for nil:NilClass (NoMethodError)

                    items.sum
                         ^^^^
                \tfrom /srv/shop/lib/checkout.rb:30:in `call'
                \tfrom /usr/lib/ruby/3.1.0/json/common.rb:216:in `parse'
                """,
            exceptions: [
                .init(type: "NoMethodError", value: "undefined method `sum' for nil:NilClass",
                      functions: ["parse", "call", "total"]),
            ]),
        TraceExample(
            name: "empty messages: RuntimeError and a class named alone",
            text: """
                lib/worker.rb:7:in `perform': unhandled exception
                \tfrom lib/worker.rb:3:in `<main>'
                """,
            exceptions: [.init(type: "RuntimeError", functions: ["<main>", "perform"])]),
        TraceExample(
            name: "Rails log: header with the message in parentheses, annotated source, gem frames",
            text: """
                ActionView::Template::Error (undefined method `name' for nil):
                    1: <h1><%= @user.name %></h1>
                    2: <p><%= @user.email %></p>

                app/views/users/show.html.erb:1:in `_app_views_users_show_html_erb__1234_5678'
                actionview (7.0.4) lib/action_view/base.rb:244:in `public_send'
                app/controllers/users_controller.rb:5:in `show'
                actionpack (7.0.4) lib/action_controller/metal/basic_implicit_render.rb:6:in `send_action'
                """,
            exceptions: [
                .init(type: "ActionView::Template::Error", value: "undefined method `name' for nil",
                      module: "ActionView::Template",
                      functions: ["send_action", "show", "public_send", "_app_views_users_show_html_erb__1234_5678"]),
            ]),
        TraceExample(
            name: "Rails 7.1 log with tags and a Causes: list",
            text: """
                [req-7f3a] ActiveRecord::StatementInvalid (PG::ConnectionBad: connection lost):
                [req-7f3a]
                [req-7f3a] Causes:
                [req-7f3a] PG::ConnectionBad (connection lost)
                [req-7f3a]
                [req-7f3a] app/models/order.rb:20:in `total'
                [req-7f3a] app/controllers/orders_controller.rb:8:in `index'
                """,
            exceptions: [
                .init(type: "PG::ConnectionBad", value: "connection lost", module: "PG", frameCount: 0),
                .init(type: "ActiveRecord::StatementInvalid", value: "PG::ConnectionBad: connection lost",
                      module: "ActiveRecord", functions: ["index", "total"]),
            ]),
        TraceExample(
            name: "Ruby Logger: message (Type), then one frame per line",
            text: """
                bad value (ArgumentError)
                /srv/app/lib/import.rb:14:in `block in parse'
                /srv/app/lib/import.rb:12:in `each'
                /srv/app/lib/import.rb:12:in `parse'
                """,
            exceptions: [
                .init(type: "ArgumentError", value: "bad value", functions: ["parse", "each", "block in parse"]),
            ]),
        TraceExample(
            name: "Ruby 2.5–2.7 on a terminal: reversed, the header last",
            text: """
                Traceback (most recent call last):
                \t2: from bin/sync:13:in `<main>'
                \t1: from app/services/sync.rb:8:in `run'
                app/services/sync.rb:11:in `rescue in run': sync failed (RuntimeError)
                """,
            exceptions: [.init(type: "RuntimeError", value: "sync failed", functions: ["<main>", "run", "rescue in run"])]),
    ]

    public init() {}

    // MARK: - Parsing

    /// One exception as printed: its frames in printed order (crashing frame first, except in the reversed
    /// terminal format).
    private struct Block {
        var type: String
        var value: String?
        var frames: [Frame]
        var framesCallerFirst = false
    }

    private enum Phase {
        /// Before the trace.
        case outside
        /// After an uncaught header: further lines are the message, up to a blank line.
        case message
        /// After the message: error_highlight snippets, Rails' annotated source, until frames come.
        case afterMessage
        /// In Rails' `Causes:` list.
        case causes
        /// In frames: anything unknown ends the trace.
        case frames
    }

    public func parse(_ lines: [RecordLine]) -> ParsedTrace? {
        let texts = lines.map { GrammarText.withoutTerminalEscapes($0.text) }
        var blocks: [Block] = []
        /// Rails' causes, nearest first, and the index of the block they belong to.
        var railsCauses: [(owner: Int, block: Block)] = []
        var reverseFrames: [Frame] = []
        var reversed = false
        /// Ruby 2.5–2.7's `Traceback (most recent call last):`; the trace starts there if frames follow.
        var reverseHeaderLine: Int?
        var phase = Phase.outside
        var firstTraceLine: Int?
        var unparsed: [Int] = []
        var position = 0
        var traceEnd = texts.count

        func start(at index: Int) {
            if firstTraceLine == nil { firstTraceLine = index }
        }

        scan: while position < texts.count {
            let text = texts[position]
            defer { position += 1 }

            if let match = firstMatch(uncaughtHeaderMatcher, text) {
                start(at: position)
                let crash = frame(match, raw: match["location"] ?? text)
                let (type, value) = headerType(match["rest"] ?? "")
                if reversed || !reverseFrames.isEmpty {
                    blocks.append(Block(type: type, value: value, frames: reverseFrames + [crash], framesCallerFirst: true))
                    reverseFrames = []
                    reversed = true
                    phase = .frames
                } else {
                    blocks.append(Block(type: type, value: value, frames: [crash]))
                    phase = .message
                }
                continue
            }
            if let match = firstMatch(fromLineMatcher, text) {
                let parsed = frame(match, raw: text.drop(while: \.isWhitespace))
                if match["number"] != nil {
                    start(at: reverseHeaderLine ?? position)
                    reverseFrames.append(parsed)
                } else if blocks.isEmpty || reversed {
                    // A `from` line without its header (cut off): keep the frames.
                    start(at: position)
                    blocks.append(Block(type: "<unknown>", frames: [parsed]))
                } else {
                    blocks[blocks.count - 1].frames.append(parsed)
                }
                phase = .frames
                continue
            }
            if firstMatch(reverseHeaderMatcher, text) != nil, phase == .outside || phase == .frames {
                reverseHeaderLine = position
                reversed = true
                phase = .frames
                continue
            }
            if phase == .causes, let match = firstMatch(railsCauseMatcher, text) {
                railsCauses.append((blocks.count - 1, Block(type: match["type"] ?? "", value: match["message"], frames: [])))
                continue
            }
            if phase != .frames, phase != .message, let (block, end) = railsHeader(at: position, texts),
               framesFollow(after: end, texts) {
                start(at: position)
                blocks.append(block)
                phase = .afterMessage
                position = end
                continue
            }
            if phase != .message, let match = firstMatch(bareFrameMatcher, text), isFrameLocation(match) {
                let parsed = frame(match, raw: text.drop(while: \.isWhitespace))
                if phase == .outside || blocks.isEmpty {
                    let header = phase == .outside && position > 0 ? logHeader(texts[position - 1]) : nil
                    start(at: header == nil ? position : position - 1)
                    blocks.append(Block(type: header?.type ?? "<unknown>", value: header?.value, frames: []))
                }
                blocks[blocks.count - 1].frames.append(parsed)
                phase = .frames
                continue
            }
            if firstMatch(elisionMatcher, text) != nil, phase == .frames { continue }
            switch phase {
            case .outside:
                continue
            case .message:
                if text.allSatisfy(\.isWhitespace) {
                    phase = .afterMessage
                } else {
                    let value = blocks[blocks.count - 1].value
                    blocks[blocks.count - 1].value = value.map { $0 + "\n" + text } ?? text
                }
            case .afterMessage, .causes:
                if firstMatch(causesLineMatcher, text) != nil {
                    phase = .causes
                } else if firstMatch(traceLikeMatcher, text) != nil {
                    unparsed.append(lines[position].number)
                }
            case .frames:
                if firstMatch(railsFillerMatcher, text) != nil { continue }
                traceEnd = position
                break scan
            }
        }
        if !reverseFrames.isEmpty {
            // Numbered frames whose header never came: a cut trace.
            blocks.append(Block(type: "<unknown>", frames: reverseFrames, framesCallerFirst: true))
        }
        guard let firstTraceLine, !blocks.isEmpty else { return nil }
        for index in traceEnd..<texts.count where firstMatch(traceLikeMatcher, texts[index]) != nil {
            unparsed.append(lines[index].number)
        }

        // Newest first as printed (oldest first in the reversed format); Rails' causes nearest first.
        var ordered: [Block] = []
        for (index, block) in blocks.enumerated() {
            ordered.append(block)
            ordered += railsCauses.filter { $0.owner == index }.map(\.block)
        }
        if !reversed { ordered.reverse() }
        let exceptions = ordered.enumerated().map { index, block in
            let namespace = block.type.lastRange(of: "::").map { String(block.type[..<$0.lowerBound]) }
            return ExceptionRecord(
                type: block.type, value: block.value, module: namespace,
                frames: block.framesCallerFirst ? block.frames : block.frames.reversed(),
                relation: index == ordered.count - 1 ? nil : "cause")
        }
        return ParsedTrace(runtime: .ruby, exceptions: exceptions, unparsedLines: unparsed,
                           firstTraceLine: firstTraceLine)
    }

    /// The type and message after an uncaught header's location.
    private func headerType(_ rest: String) -> (type: String, value: String?) {
        if let match = firstMatch(typeInParenthesesMatcher, rest) {
            let message = match["message"] ?? ""
            return (match["type"] ?? "", message.isEmpty ? nil : message)
        }
        if rest == Self.emptyMessageReport { return ("RuntimeError", nil) }
        if firstMatch(bareTypeMatcher, rest) != nil { return (rest, nil) }
        // The first line of a multi-line message whose `(Type)` is on a later line.
        return ("<unknown>", rest.isEmpty ? nil : rest)
    }

    /// A Rails header (`Type (message):`, the message possibly over several lines) at `index`, and the index of
    /// its last line.
    private func railsHeader(at index: Int, _ texts: [String]) -> (Block, end: Int)? {
        guard let match = firstMatch(railsHeaderMatcher, texts[index]), let type = match["type"] else { return nil }
        var message = match["message"] ?? ""
        var end = index
        while !message.hasSuffix("):") {
            end += 1
            guard end < texts.count, end - index < Self.railsHeaderLineLimit else { return nil }
            message += "\n" + texts[end]
        }
        return (Block(type: type, value: String(message.dropLast(2)), frames: []), end)
    }

    /// Whether frames come after a Rails header ending at `end`, past its annotated source and causes.
    private func framesFollow(after end: Int, _ texts: [String]) -> Bool {
        for text in texts[(end + 1)...] {
            if let match = firstMatch(bareFrameMatcher, text), isFrameLocation(match) { return true }
            let isFiller = firstMatch(railsFillerMatcher, text) != nil || firstMatch(causesLineMatcher, text) != nil
                || firstMatch(railsCauseMatcher, text) != nil
            if !isFiller { return false }
        }
        return false
    }

    /// The header a log line gives to the frames under it: Ruby Logger's `message (Type)`, Rails'
    /// `Type (message):` or `Type: message`.
    private func logHeader(_ text: String) -> (type: String, value: String?)? {
        if let match = firstMatch(railsHeaderMatcher, text), let message = match["message"], message.hasSuffix("):") {
            return (match["type"] ?? "", String(message.dropLast(2)))
        }
        if let match = firstMatch(typeInParenthesesMatcher, text) {
            let message = match["message"] ?? ""
            return (match["type"] ?? "", message.isEmpty ? nil : message)
        }
        if let match = firstMatch(colonHeaderMatcher, text) { return (match["type"] ?? "", match["message"]) }
        return nil
    }

    /// A bare `path:line` line is a frame only with a label or a Ruby source extension.
    private func isFrameLocation(_ match: StringMatch) -> Bool {
        if match["label"] != nil { return true }
        let path = match["path"] ?? ""
        return [".rb", ".erb", ".haml", ".slim", ".rake", ".ru", ".builder", ".jbuilder"].contains { path.hasSuffix($0) }
    }

    private func frame(_ match: StringMatch, raw: some StringProtocol) -> Frame {
        let path = match["path"]
        var function = match["label"]
        var module: String?
        if let label = function, let split = firstMatch(methodLabelMatcher, label) {
            module = split["module"]
            function = split["method"]
        }
        return Frame(function: function, module: module, package: match["gem"], filename: path, absPath: path,
                     lineno: match["line"].flatMap { Int($0) }, raw: String(raw))
    }

    // MARK: - Text

}
