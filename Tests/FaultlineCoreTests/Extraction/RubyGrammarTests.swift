import Foundation
import Testing

@testable import FaultlineCore

private let samplesFolder = corpusPath("fluent-plugin-detect-exceptions/extracted")

private let rubySamplesPresent = FileManager.default.fileExists(atPath: samplesFolder + "/RUBY_EXC.txt")

@Suite("Ruby grammar")
struct RubyGrammarTests {
    private func parse(_ text: String) -> ParsedTrace? {
        RubyGrammar().parse(recordLines(text))
    }

    @Test("Ruby 3.4 labels: Class#method splits into module and function as Sentry's Ruby SDK does")
    func frameFields() throws {
        let trace = try #require(parse("""
            app/models/user.rb:42:in 'Integer#/': divided by 0 (ZeroDivisionError)
            \tfrom app/models/user.rb:10:in 'block in Shop::User#validate'
            \tfrom /usr/lib/ruby/3.4.0/json/common.rb:216:in 'JSON::Ext::Parser.parse'
            \tfrom bin/check:5:in '<main>'
            """))
        #expect(trace.runtime == .ruby)
        #expect(trace.firstTraceLine == 0)
        #expect(trace.unparsedLines.isEmpty)
        let exception = try #require(trace.exceptions.first)
        #expect(exception.type == "ZeroDivisionError")
        #expect(exception.module == nil)
        #expect(exception.frames == [
            Frame(function: "<main>", filename: "bin/check", absPath: "bin/check", lineno: 5,
                  raw: "from bin/check:5:in '<main>'"),
            Frame(function: "JSON::Ext::Parser.parse", filename: "/usr/lib/ruby/3.4.0/json/common.rb",
                  absPath: "/usr/lib/ruby/3.4.0/json/common.rb", lineno: 216,
                  raw: "from /usr/lib/ruby/3.4.0/json/common.rb:216:in 'JSON::Ext::Parser.parse'"),
            Frame(function: "block in Shop::User#validate", filename: "app/models/user.rb",
                  absPath: "app/models/user.rb", lineno: 10,
                  raw: "from app/models/user.rb:10:in 'block in Shop::User#validate'"),
            Frame(function: "/", module: "Integer", filename: "app/models/user.rb", absPath: "app/models/user.rb",
                  lineno: 42, raw: "app/models/user.rb:42:in 'Integer#/'"),
        ])
    }

    @Test("causes follow the exception without a marker: oldest first, relation cause")
    func causes() throws {
        let trace = try #require(parse("""
            lib/a.rb:3:in `outer': third (RuntimeError)
            \tfrom lib/a.rb:9:in `<main>'
            lib/a.rb:2:in `middle': second (IOError)
            \tfrom lib/a.rb:3:in `outer'
            lib/a.rb:1:in `inner': first (Errno::ENOENT)
            \tfrom lib/a.rb:2:in `middle'
            """))
        #expect(trace.exceptions.map(\.type) == ["Errno::ENOENT", "IOError", "RuntimeError"])
        #expect(trace.exceptions.map(\.module) == ["Errno", nil, nil])
        #expect(trace.exceptions.map(\.relation) == ["cause", "cause", nil])
        #expect(trace.exceptions.map { $0.frames.map(\.function) } == [
            ["middle", "inner"], ["outer", "middle"], ["<main>", "outer"],
        ])
    }

    @Test("SystemStackError's ... N levels... is skipped; a message equal to the class name is kept")
    func elisionAndBareClass() throws {
        let deep = try #require(parse("""
            -e:1:in `r': stack level too deep (SystemStackError)
            \tfrom -e:1:in `r'
            \t ... 10068 levels...
            \tfrom -e:1:in `r'
            \tfrom -e:1:in `<main>'
            """))
        #expect(deep.exceptions.first?.frames.count == 4)
        #expect(deep.unparsedLines.isEmpty)
        let bare = try #require(parse("-e:1:in `<main>': ArgumentError"))
        #expect(bare.exceptions.map(\.type) == ["ArgumentError"])
        #expect(bare.exceptions.first?.value == nil)
    }

    @Test("Type: message and bare frames; the lines before are the record's message")
    func colonHeader() throws {
        let trace = try #require(parse("""
            Import job failed
            Redis::TimeoutError: Connection timed out
            /srv/app/lib/cache.rb:14:in `fetch'
            /srv/app/jobs/import.rb:8:in `perform'
            """))
        #expect(trace.firstTraceLine == 1)
        #expect(trace.exceptions.map(\.type) == ["Redis::TimeoutError"])
        #expect(trace.exceptions.first?.module == "Redis")
        #expect(trace.exceptions.first?.value == "Connection timed out")
        #expect(trace.exceptions.first?.frames.map(\.function) == ["perform", "fetch"])
    }

    @Test("a Rails header whose message runs over several lines")
    func multiLineRailsHeader() throws {
        let trace = try #require(parse("""
            NameError (undefined local variable or method `usr' for #<UsersController:0x000055>
            Did you mean?  user):

            app/controllers/users_controller.rb:5:in `show'
            """))
        #expect(trace.exceptions.first?.type == "NameError")
        #expect(trace.exceptions.first?.value
                == "undefined local variable or method `usr' for #<UsersController:0x000055>\nDid you mean?  user")
        #expect(trace.exceptions.first?.frames.map(\.lineno) == [5])
    }

    @Test("CRLF endings and terminal highlighting are read")
    func oddInput() throws {
        let lines = [
            "\u{1B}[1mlib/a.rb:3:in `run': \u{1B}[1mboom (\u{1B}[1;4mRuntimeError\u{1B}[m\u{1B}[1m)\u{1B}[m\r",
            "\tfrom lib/a.rb:9:in `<main>'\r",
        ].enumerated().map { RecordLine($0.element, number: $0.offset + 1) }
        let trace = try #require(RubyGrammar().parse(lines))
        #expect(trace.exceptions.first?.type == "RuntimeError")
        #expect(trace.exceptions.first?.value == "boom")
        #expect(trace.exceptions.first?.frames.map(\.function) == ["<main>", "run"])
    }

    @Test("Ruby-looking lines after the trace has ended are reported")
    func unparsed() throws {
        let trace = try #require(parse("""
            lib/a.rb:3:in `run': boom (RuntimeError)
            \tfrom lib/a.rb:9:in `<main>'
            Completed 500 Internal Server Error in 3ms
            see lib/b.rb:4:in `other' for details
            """))
        #expect(trace.exceptions.first?.frames.count == 2)
        #expect(trace.unparsedLines == [4])
    }

    @Test("records without a Ruby backtrace are left alone", arguments: [
        "Traceback (most recent call last):\n  File \"/srv/a.py\", line 3, in run\nValueError: x",
        "Exception in thread \"main\" java.lang.IllegalStateException: x\n\tat com.acme.A.b(A.java:10)",
        "PHP Fatal error:  Uncaught Exception: x in /a.php:3\nStack trace:\n#0 {main}",
        "Started GET \"/users/1\" for 127.0.0.1 at 2026-01-01 10:00:00 +0000",
        "Processing by UsersController#show as HTML (took 5ms):",
    ])
    func notRuby(_ text: String) {
        #expect(parse(text) == nil)
    }

    @Test("the detection pattern matches Ruby frame lines and not other runtimes' frame lines")
    func detection() throws {
        let matcher = Matcher(try Pattern(RubyGrammar.detectionPattern))
        for line in ["\tfrom /app/x.rb:1:in `<main>'", "app/x.rb:5:in 'User#show'",
                     "  actionpack (5.1.4) lib/action_dispatch/middleware/debug_exceptions.rb:63:in `call'"] {
            #expect(try matcher.matches(line), "\(line)")
        }
        for line in ["\tat com.acme.A.b(A.java:10)", "   at A.B.C.M(String x) in C:\\x.cs:line 1",
                     "    at fn (file.js:1:2)", #"  File "/srv/a.py", line 3, in run"#, "#0 /a.php(3): f()",
                     "\t/app/main.go:12 +0x1d"] {
            #expect(try !matcher.matches(line), "\(line)")
        }
    }

    @Test("the starter pattern matches an uncaught exception's first line only")
    func starters() throws {
        let matchers = try RubyGrammar.starterPatterns.map { Matcher(try Pattern($0)) }
        func starts(_ line: String) throws -> Bool { try matchers.contains { try $0.matches(line) } }
        #expect(try starts("app/models/user.rb:42:in 'User#validate': bad (ArgumentError)"))
        #expect(try starts("-e:1:in `<main>': unhandled exception"))
        #expect(try !starts("\tfrom app/models/user.rb:10:in 'each'"))
        #expect(try !starts("  app/controllers/x.rb:5:in `show'"))
    }
}

/// fluent-plugin-detect-exceptions' Ruby and Rails samples. Their test keeps each sample together as one
/// exception: every frame line must be a frame, in Sentry's order (the crashing frame, printed first, last).
@Suite("Ruby grammar on the shared corpus",
       .enabled(if: rubySamplesPresent, "the shared corpus is not at ../shared/corpus; Ruby corpus tests skipped"))
struct RubyGrammarCorpusTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        var file: String
        var type: String
        var module: String?
        var value: String
        var frameLines: Int
        var testDescription: String { file }
    }

    static let samples: [Sample] = [
        Sample(file: "RUBY_EXC.txt", type: "NoMethodError", module: nil,
               value: "undefined method `resursivewordload' for #<BooksController:0x007f8dd9a0c738>", frameLines: 10),
        Sample(file: "RAILS_EXC.txt", type: "ActionController::RoutingError", module: "ActionController",
               value: #"No route matches [GET] "/settings""#, frameLines: 21),
    ]

    /// The frames as the text prints them, crashing frame first: path, line, label and the gem, if any.
    static func printedFrames(_ lines: [RecordLine]) -> [(path: String, line: Int, label: String, gem: String?)] {
        let frameLine = /^\s*(?:([\w.\-]+) \([^)]+\) )?(\S+):(\d+):in `([^']*)'$/
        return lines.compactMap { line in
            guard let match = line.text.wholeMatch(of: frameLine), let number = Int(match.3) else { return nil }
            return (String(match.2), number, String(match.4), match.1.map(String.init))
        }
    }

    @Test("each sample: type, message, and every frame's path, line, function and gem", arguments: samples)
    func sample(_ sample: Sample) throws {
        let text = try String(contentsOfFile: samplesFolder + "/" + sample.file, encoding: .utf8)
        let lines = recordLines(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        let trace = try #require(RubyGrammar().parse(lines))
        #expect(trace.firstTraceLine == 0)
        #expect(trace.unparsedLines.isEmpty)
        let exception = try #require(trace.exceptions.first)
        #expect(trace.exceptions.count == 1)
        #expect(exception.type == sample.type)
        #expect(exception.module == sample.module)
        #expect(exception.value == sample.value)
        let printed = Self.printedFrames(lines)
        #expect(printed.count == sample.frameLines)
        #expect(exception.frames.count == printed.count)
        for (frame, want) in zip(exception.frames, printed.reversed()) {
            #expect(frame.filename == want.path && frame.absPath == want.path)
            #expect(frame.lineno == want.line)
            #expect(frame.function == want.label)
            #expect(frame.package == want.gem)
        }
    }
}
