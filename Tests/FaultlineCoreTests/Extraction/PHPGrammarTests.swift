import Foundation
import Testing

@testable import FaultlineCore

private let samplesFolder = corpusPath("fluent-plugin-detect-exceptions/extracted")

private let phpSamplesPresent = FileManager.default.fileExists(atPath: samplesFolder + "/PHP_EXC.txt")

@Suite("PHP grammar")
struct PHPGrammarTests {
    private func parse(_ text: String) -> ParsedTrace? {
        PHPGrammar().parse(recordLines(text))
    }

    @Test("each function gets the place inside it, as Sentry's PHP SDK pairs them; {main} has no function")
    func framePairing() throws {
        let trace = try #require(parse("""
            [25-Nov-2026 10:00:00 UTC] PHP Fatal error:  Uncaught LogicException: bad state in /var/www/src/Order.php:40
            Stack trace:
            #0 /var/www/src/Checkout.php(12): App\\Order->close()
            #1 [internal function]: App\\Checkout::run()
            #2 /var/www/public/index.php(7): call_user_func(Array)
            #3 {main}
              thrown in /var/www/src/Order.php on line 40
            """))
        #expect(trace.runtime == .php)
        #expect(trace.firstTraceLine == 0)
        #expect(trace.unparsedLines.isEmpty)
        let exception = try #require(trace.exceptions.first)
        #expect(exception.type == "LogicException")
        #expect(exception.value == "bad state")
        #expect(exception.module == nil)
        #expect(exception.frames == [
            Frame(filename: "/var/www/public/index.php", absPath: "/var/www/public/index.php", lineno: 7,
                  raw: "#3 {main}"),
            Frame(function: "call_user_func", filename: "[internal]",
                  raw: "#2 /var/www/public/index.php(7): call_user_func(Array)"),
            Frame(function: "App\\Checkout::run", filename: "/var/www/src/Checkout.php",
                  absPath: "/var/www/src/Checkout.php", lineno: 12, raw: "#1 [internal function]: App\\Checkout::run()"),
            Frame(function: "App\\Order::close", filename: "/var/www/src/Order.php", absPath: "/var/www/src/Order.php",
                  lineno: 40, raw: "#0 /var/www/src/Checkout.php(12): App\\Order->close()"),
        ])
    }

    @Test("Next: the previous exception is printed first and is the older one")
    func nextChain() throws {
        let trace = try #require(parse("""
            PHP Fatal error:  Uncaught PDOException: connection refused in /var/www/src/Db.php:10
            Stack trace:
            #0 /var/www/src/Db.php(10): PDO->__construct('mysql:host=db')
            #1 {main}

            Next App\\StorageException: storage down in /var/www/src/Db.php:14
            Stack trace:
            #0 {main}
              thrown in /var/www/src/Db.php on line 14
            """))
        #expect(trace.exceptions.map(\.type) == ["PDOException", "App\\StorageException"])
        #expect(trace.exceptions.map(\.relation) == ["cause", nil])
        #expect(trace.exceptions[1].frames.map(\.lineno) == [14])
    }

    @Test("closures of PHP 8.4, anonymous classes and an exception without a message")
    func functionNames() throws {
        let trace = try #require(parse("""
            Exception in /var/www/src/Jobs.php:30
            Stack trace:
            #0 /var/www/src/Jobs.php(51): {closure:/var/www/src/Jobs.php:28}()
            #1 /var/www/src/Jobs.php(60): class@anonymous/var/www/src/Jobs.php:44$0->handle()
            #2 /var/www/src/Queue.php(9): App\\Queue::{closure}(Object(App\\Job))
            #3 {main}
            """))
        let exception = try #require(trace.exceptions.first)
        #expect(exception.type == "Exception")
        #expect(exception.value == nil)
        #expect(exception.frames.map(\.function) == [
            nil, "App\\Queue::{closure}", "class@anonymous/var/www/src/Jobs.php::handle",
            "{closure:/var/www/src/Jobs.php:28}",
        ])
    }

    @Test("a trace cut before {main} keeps the last place; odd #n lines are reported")
    func cutAndUnparsed() throws {
        let trace = try #require(parse("""
            PHP Fatal error:  Uncaught Error: Call to undefined function f() in /a.php:3
            Stack trace:
            #0 /a.php(8): g()
            #1 garbled
            #2 /a.php(12): h()
            """))
        let exception = try #require(trace.exceptions.first)
        #expect(exception.frames.map(\.function) == [nil, "h", "g"])
        #expect(exception.frames.map(\.lineno) == [12, 8, 3])
        #expect(trace.unparsedLines == [4])
    }

    @Test("CRLF endings are read")
    func crlf() throws {
        let lines = ["Fatal error: Uncaught Exception: x in /a.php:3\r", "Stack trace:\r", "#0 /a.php(5): f()\r",
                     "#1 {main}\r"].enumerated().map { RecordLine($0.element, number: $0.offset + 1) }
        let trace = try #require(PHPGrammar().parse(lines))
        #expect(trace.exceptions.first?.frames.map(\.function) == [nil, "f"])
        #expect(trace.exceptions.first?.frames.last?.filename == "/a.php")
    }

    @Test("records without a PHP stack trace are left alone (a warning carries no trace)", arguments: [
        "PHP Warning:  Undefined variable $x in /var/www/a.php on line 2",
        "Traceback (most recent call last):\n  File \"/srv/a.py\", line 3, in run\nValueError: x",
        "/app/models/user.rb:42:in `validate': bad (ArgumentError)\n\tfrom /app/x.rb:1:in `<main>'",
        "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:12 +0x1d",
    ])
    func notPHP(_ text: String) {
        #expect(parse(text) == nil)
    }

    @Test("the detection pattern matches PHP frame lines and not other runtimes' frame lines")
    func detection() throws {
        let matcher = Matcher(try Pattern(PHPGrammar.detectionPattern))
        for line in ["#0 /var/www/a.php(12): Foo->bar('x')", "#1 [internal function]: f()", "#2 {main}",
                     "#0 Command line code(1): f()"] {
            #expect(try matcher.matches(line), "\(line)")
        }
        for line in ["\tat com.acme.A.b(A.java:10)", "   at A.B.C.M(String x) in C:\\x.cs:line 1",
                     "    at fn (file.js:1:2)", #"  File "/srv/a.py", line 3, in run"#, "\tfrom /app/x.rb:1:in `<main>'",
                     "#0  0x00007f3a in raise () from /lib/libc.so.6", "   0: std::panicking::begin_panic"] {
            #expect(try !matcher.matches(line), "\(line)")
        }
    }

    @Test("the starter pattern matches an uncaught exception's first line only")
    func starters() throws {
        let matchers = try PHPGrammar.starterPatterns.map { Matcher(try Pattern($0)) }
        func starts(_ line: String) throws -> Bool { try matchers.contains { try $0.matches(line) } }
        #expect(try starts("PHP Fatal error:  Uncaught Exception: x in /a.php:3"))
        #expect(try starts("Fatal error: Uncaught Error: y in /a.php:4"))
        #expect(try !starts("PHP Warning:  Undefined variable $x in /a.php on line 2"))
        #expect(try !starts("Stack trace:"))
    }
}

/// fluent-plugin-detect-exceptions' PHP samples: every `#n` line is one frame, the functions paired with the
/// places as the Sentry PHP SDK pairs them.
@Suite("PHP grammar on the shared corpus",
       .enabled(if: phpSamplesPresent, "the shared corpus is not at ../shared/corpus; PHP corpus tests skipped"))
struct PHPGrammarCorpusTests {
    struct Sample: Sendable, CustomTestStringConvertible {
        var file: String
        var value: String
        /// Caller first: (function, file name, line).
        var frames: [(function: String?, file: String, line: Int?)]
        var testDescription: String { file }
    }

    static let gae = "/base/data/home/apps/s~crash-example-php/1.388306779641080894/"
    static let samples: [Sample] = [
        Sample(file: "PHP_EXC.txt", value: "Custom exception", frames: [
            (nil, "/home/joe/work/test-php/test.php", 13),
            ("func2", "/home/joe/work/test-php/test.php", 9),
            ("func1", "/home/joe/work/test-php/test.php", 5),
        ]),
        Sample(file: "PHP_ON_GAE_EXC.txt", value: "message", frames: [
            (nil, gae + "index.php", 36),
            ("ErrorEntry::raise", gae + "index.php", 36),
            ("ErrorEntry::__call", gae + "errors.php", 20),
            ("call_user_func_array", "[internal]", nil),
            ("ErrorEntryGenerator::{closure}", gae + "errors.php", 60),
        ]),
    ]

    @Test("each sample: type, message, and every frame's function, file and line", arguments: samples)
    func sample(_ sample: Sample) throws {
        let text = try String(contentsOfFile: samplesFolder + "/" + sample.file, encoding: .utf8)
        let lines = recordLines(text.hasSuffix("\n") ? String(text.dropLast()) : text)
        let trace = try #require(PHPGrammar().parse(lines))
        #expect(trace.firstTraceLine == 0)
        #expect(trace.unparsedLines.isEmpty)
        #expect(trace.exceptions.map(\.type) == ["Exception"])
        let exception = try #require(trace.exceptions.first)
        #expect(exception.value == sample.value)
        // One frame per `#n` line: the functions' lines plus {main}.
        #expect(exception.frames.count == lines.filter { $0.text.hasPrefix("#") }.count)
        #expect(exception.frames.map(\.function) == sample.frames.map(\.function))
        #expect(exception.frames.map(\.filename) == sample.frames.map(\.file))
        #expect(exception.frames.map(\.lineno) == sample.frames.map(\.line))
    }
}
