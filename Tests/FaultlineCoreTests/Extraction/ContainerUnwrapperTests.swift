import Foundation
import Testing
@testable import FaultlineCore

/// What the unwrapper produced for one raw line or at the end: an inner line, or a raw line it declined
/// (which the caller reads as a plain line).
private enum Output: Equatable, CustomStringConvertible {
    case inner(Inner)
    case plain(String, number: Int)

    var text: String {
        switch self {
        case .inner(let inner): return inner.text
        case .plain(let text, _): return text
        }
    }

    var inner: Inner? {
        if case .inner(let inner) = self { return inner }
        return nil
    }

    var description: String {
        switch self {
        case .inner(let inner): return "inner(\(inner))"
        case .plain(let text, let number): return "plain(\(number): \(text))"
        }
    }
}

/// An ``InnerLine`` copied out of the unwrapper's buffers.
private struct Inner: Equatable, CustomStringConvertible {
    var bytes: [UInt8]
    var firstNumber: Int
    var firstByteOffset: Int64
    var lastNumber: Int
    var stream: ContainerStream
    var format: ContainerFormat
    var timestamp: String
    var wasCut: Bool

    init(_ line: InnerLine) {
        bytes = Array(line.bytes)
        firstNumber = line.firstNumber
        firstByteOffset = line.firstByteOffset
        lastNumber = line.lastNumber
        stream = line.stream
        format = line.format
        timestamp = line.timestampText
        wasCut = line.wasCut
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
    var description: String {
        "\(firstNumber)-\(lastNumber) \(stream) \(format)\(wasCut ? " cut" : "") [\(timestamp)] \(text)"
    }
}

/// Feeds raw lines (numbered from 1, at the byte offsets they would have in a file) through one unwrapper,
/// then finishes it.
private func unwrap(_ lines: [[UInt8]], maxLineBytes: Int = 1 << 20) -> (outputs: [Output], cut: Int) {
    var unwrapper = ContainerUnwrapper(maxLineBytes: maxLineBytes)
    var outputs: [Output] = []
    var offset: Int64 = 0
    for (index, line) in lines.enumerated() {
        let accepted = line.withUnsafeBytes { bytes in
            unwrapper.feed(bytes, number: index + 1, byteOffset: offset) { outputs.append(.inner(Inner($0))) }
        }
        if !accepted { outputs.append(.plain(String(decoding: line, as: UTF8.self), number: index + 1)) }
        offset += Int64(line.count + 1)
    }
    unwrapper.finish { outputs.append(.inner(Inner($0))) }
    return (outputs, unwrapper.cutLineCount)
}

private func unwrap(_ lines: [String], maxLineBytes: Int = 1 << 20) -> (outputs: [Output], cut: Int) {
    unwrap(lines.map { Array($0.utf8) }, maxLineBytes: maxLineBytes)
}

/// The byte offset of each line in a file holding `lines`, each followed by `\n`.
private func byteOffsets(_ lines: [[UInt8]]) -> [Int64] {
    var offsets: [Int64] = []
    var offset: Int64 = 0
    for line in lines {
        offsets.append(offset)
        offset += Int64(line.count + 1)
    }
    return offsets
}

private func detect(_ line: String) -> ContainerFormat? {
    Array(line.utf8).withUnsafeBytes { ContainerUnwrapper.detect($0) }
}

/// A Docker json-file line as the daemon writes it (Go's encoding/json: `<`, `>`, `&` as `\u003c` …).
private func docker(_ text: String, stream: String = "stdout", time: String = "2026-11-25T10:00:00.123456789Z") -> String {
    var escaped = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": escaped += "\\\""
        case "\\": escaped += "\\\\"
        case "\n": escaped += "\\n"
        case "\r": escaped += "\\r"
        case "\t": escaped += "\\t"
        case "<": escaped += "\\u003c"
        case ">": escaped += "\\u003e"
        case "&": escaped += "\\u0026"
        default:
            if scalar.value < 0x20 {
                escaped += String(format: "\\u%04x", scalar.value)
            } else {
                escaped.unicodeScalars.append(scalar)
            }
        }
    }
    return #"{"log":""# + escaped + #"","stream":""# + stream + #"","time":""# + time + #""}"#
}

@Suite("Container log unwrapping (Docker json-file, CRI)")
struct ContainerUnwrapperTests {
    // MARK: Detection

    @Test("detect tells Docker json-file and CRI lines from anything else")
    func detection() {
        #expect(detect(#"{"log":"hello\n","stream":"stdout","time":"2026-11-25T10:00:00.1Z"}"#) == .dockerJSON)
        #expect(detect(#"  {"time":"x","stream":"stderr","attrs":{"tag":"a"},"log":"x"}"#) == .dockerJSON)
        #expect(detect("2026-11-25T10:00:00.123456789Z stdout F hello") == .cri)
        #expect(detect("2019-05-07T18:57:50.904275087+00:00 stderr P 1a. some ") == .cri)
        #expect(detect("2026-11-25T10:00:00.123456789Z stdout F") == .cri)
        // An application's own JSON line, even one with a `log` field, is not Docker's wrapping.
        #expect(detect(#"{"level":"error","msg":"boom"}"#) == nil)
        #expect(detect(#"{"log":"hello"}"#) == nil)
        #expect(detect(#"{"log":42,"stream":"stdout"}"#) == nil)
        #expect(detect(#"{"log":"cut in the mid"#) == nil)
        #expect(detect("2026-11-25T10:00:00Z INFO started") == nil)
        #expect(detect("2026-11-25T10:00:00.1Z stdout X text") == nil)
        #expect(detect("2026-11-25T10:00:00.1Z stdin F text") == nil)
        #expect(detect("2026-11-25 10:00:00.123 ERROR boom") == nil)
        #expect(detect("") == nil)
    }

    // MARK: Docker json-file

    @Test("a Docker line gives its text without the newline, its stream, time and line number")
    func dockerSingleLine() {
        let result = unwrap([docker("hello world\n", stream: "stderr", time: "2026-11-25T10:00:00.5Z")])
        #expect(result.outputs.count == 1)
        let inner = result.outputs.first?.inner
        #expect(inner?.text == "hello world")
        #expect(inner?.stream == .stderr)
        #expect(inner?.format == .dockerJSON)
        #expect(inner?.timestamp == "2026-11-25T10:00:00.5Z")
        #expect(inner?.firstNumber == 1 && inner?.lastNumber == 1)
        #expect(inner?.wasCut == false)
        #expect(result.cut == 0)
    }

    @Test("Docker members in any order, with attrs and blanks")
    func dockerMemberOrder() {
        let line = #" { "time" : "2026-11-25T10:00:00Z" , "attrs" : {"tag":"web","labels":["a","b"]}, "stream":"stdout", "log" : "ok\n" } "#
        #expect(unwrap([line]).outputs.map(\.text) == ["ok"])
    }

    @Test("JSON escapes are decoded to UTF-8", arguments: [
        (#"tab\there\n"#, "tab\there"),
        (#"say \"hi\" \\ \/ done\n"#, #"say "hi" \ / done"#),
        (#"\u003cinit\u003e \u0026 \u00e9\u4e2d\n"#, "<init> & é中"),
        (#"emoji \ud83d\ude00!\n"#, "emoji 😀!"),
        (#"lone \ud83d here\n"#, "lone \u{FFFD} here"),
        (#"\b\f\r\n"#, "\u{8}\u{C}"),
        (#"raw UTF-8 ünïcødé\n"#, "raw UTF-8 ünïcødé"),
    ])
    func dockerEscapes(escaped: String, expected: String) {
        let line = #"{"log":""# + escaped + #"","stream":"stdout","time":"t"}"#
        #expect(unwrap([line]).outputs.map(\.text) == [expected])
    }

    @Test("a bad escape makes the line plain")
    func dockerBadEscape() {
        let line = #"{"log":"bad \x escape\n","stream":"stdout","time":"t"}"#
        #expect(unwrap([line]).outputs == [.plain(line, number: 1)])
        let cut = #"{"log":"cut \u12","stream":"stdout","time":"t"}"#
        #expect(unwrap([cut]).outputs == [.plain(cut, number: 1)])
    }

    @Test("a line Docker split at 16 KiB is joined from its chunks")
    func dockerSixteenKiBChunks() {
        let text = pseudoRandomLetters(count: 40_000, seed: 7)
        let characters = Array(text)
        var lines: [String] = []
        var start = 0
        while start < characters.count {
            let end = min(start + 16_384, characters.count)
            let chunk = String(characters[start..<end]) + (end == characters.count ? "\n" : "")
            lines.append(docker(chunk, time: "2026-11-25T10:00:0\(lines.count).0Z"))
            start = end
        }
        lines.append(docker("next line\n"))
        #expect(lines.count == 4)
        let outputs = unwrap(lines).outputs
        #expect(outputs.count == 2)
        let joined = outputs.first?.inner
        #expect(joined?.text == text)
        #expect(joined?.firstNumber == 1 && joined?.lastNumber == 3)
        #expect(joined?.timestamp == "2026-11-25T10:00:00.0Z", "the time of the first chunk")
        #expect(outputs.last?.inner?.firstNumber == 4)
    }

    @Test("stdout and stderr chunks interleave; each stream joins its own")
    func dockerInterleavedStreams() {
        let lines = [
            docker("out part 1, ", stream: "stdout"),
            docker("err part 1, ", stream: "stderr"),
            docker("out part 2\n", stream: "stdout"),
            docker("whole stdout line\n", stream: "stdout"),
            docker("err part 2\n", stream: "stderr"),
        ]
        let inner = unwrap(lines).outputs.compactMap(\.inner)
        #expect(inner.map(\.text) == ["out part 1, out part 2", "whole stdout line", "err part 1, err part 2"])
        #expect(inner.map(\.stream) == [.stdout, .stdout, .stderr])
        #expect(inner.map(\.firstNumber) == [1, 4, 2])
        #expect(inner.map(\.lastNumber) == [3, 4, 5])
        let offsets = byteOffsets(lines.map { Array($0.utf8) })
        #expect(inner.map(\.firstByteOffset) == [offsets[0], offsets[3], offsets[1]])
    }

    @Test("a Docker chunk holding several newlines gives several lines")
    func dockerEmbeddedNewlines() {
        let lines = [docker("one\ntwo\nthr"), docker("ee\n")]
        let inner = unwrap(lines).outputs.compactMap(\.inner)
        #expect(inner.map(\.text) == ["one", "two", "three"])
        #expect(inner.map(\.firstNumber) == [1, 1, 1])
        #expect(inner.map(\.lastNumber) == [1, 1, 2])
    }

    @Test("an empty line and a CRLF line")
    func dockerEmptyAndCRLF() {
        let outputs = unwrap([docker("\n"), docker("windows line\r\n"), docker("bare \r in the middle\n")]).outputs
        #expect(outputs.map(\.text) == ["", "windows line", "bare \r in the middle"])
    }

    // MARK: CRI

    @Test("CRI P chunks are joined until F; streams interleave")
    func criPartials() {
        let lines = [
            "2026-11-25T10:00:00.000000001Z stderr P first ",
            "2026-11-25T10:00:00.000000002Z stdout F unrelated stdout line",
            "2026-11-25T10:00:00.000000003Z stderr P second ",
            "2026-11-25T10:00:00.000000004Z stderr F third",
            "2026-11-25T10:00:00.000000005Z stdout F",
        ]
        let inner = unwrap(lines).outputs.compactMap(\.inner)
        #expect(inner.map(\.text) == ["unrelated stdout line", "first second third", ""])
        #expect(inner.map(\.firstNumber) == [2, 1, 5])
        #expect(inner.map(\.lastNumber) == [2, 4, 5])
        #expect(inner[1].timestamp == "2026-11-25T10:00:00.000000001Z")
        #expect(inner.allSatisfy { $0.format == .cri })
    }

    @Test("CRI text is kept byte for byte, blanks and quotes included")
    func criTextKept() {
        let outputs = unwrap([#"2026-11-25T10:00:00Z stdout F   {"level":"error","msg":"a \"b\""}  "#]).outputs
        #expect(outputs.map(\.text) == [#"  {"level":"error","msg":"a \"b\""}  "#])
    }

    @Test("CRI tags after a colon are allowed")
    func criExtraTags() {
        #expect(unwrap(["2026-11-25T10:00:00Z stdout P:x a", "2026-11-25T10:00:00Z stdout F:x b"]).outputs.map(\.text)
                == ["ab"])
    }

    // MARK: Plain lines, end of file, caps

    @Test("a plain line ends the pending lines first, oldest first, and is declined")
    func plainLineFlushes() {
        let lines = [
            docker("docker stderr partial", stream: "stderr"),
            "2026-11-25T10:00:00Z stdout P cri stdout partial",
            "plain text in between",
            docker("after\n"),
        ]
        let offsets = byteOffsets(lines.map { Array($0.utf8) })
        #expect(unwrap(lines).outputs == [
            .inner(Inner(text: "docker stderr partial", 1, .stderr, .dockerJSON, "2026-11-25T10:00:00.123456789Z",
                         offset: offsets[0])),
            .inner(Inner(text: "cri stdout partial", 2, .cri, "2026-11-25T10:00:00Z", offset: offsets[1])),
            .plain("plain text in between", number: 3),
            .inner(Inner(text: "after", 4, .stdout, .dockerJSON, "2026-11-25T10:00:00.123456789Z", offset: offsets[3])),
        ])
    }

    @Test("finish emits what is still pending")
    func finishFlushes() {
        let outputs = unwrap([docker("never ended", stream: "stderr")]).outputs
        #expect(outputs.map(\.text) == ["never ended"])
        #expect(outputs.first?.inner?.lastNumber == 1)
    }

    @Test("joined lines are cut at the cap and counted")
    func capJoinedLines() {
        let lines = [
            "2026-11-25T10:00:00Z stdout P 0123456789",
            "2026-11-25T10:00:00Z stdout P 0123456789",
            "2026-11-25T10:00:00Z stdout F 0123456789",
            "2026-11-25T10:00:00Z stdout F short",
            docker("a single chunk over the cap\n"),
        ]
        let result = unwrap(lines, maxLineBytes: 16)
        #expect(result.outputs.map(\.text) == ["0123456789012345", "short", "a single chunk o"])
        #expect(result.outputs.compactMap(\.inner).map(\.wasCut) == [true, false, true])
        #expect(result.cut == 2)
    }

    @Test("a line over 1 MiB is cut at a 1 MiB cap, escaped or not")
    func overOneMiB() {
        let text = pseudoRandomLetters(count: 1_500_000, seed: 11)
        let plain = unwrap([docker(text + "\n"), docker("after\n")], maxLineBytes: 1 << 20)
        #expect(plain.outputs.first?.inner?.bytes == Array(text.utf8.prefix(1 << 20)))
        #expect(plain.outputs.first?.inner?.wasCut == true)
        #expect(plain.outputs.last?.text == "after")
        #expect(plain.cut == 1)

        let tabbed = String(repeating: "\tat a.B.c(B.java:1)\n", count: 80_000)  // 1.6 MB, many escapes
        let joined = unwrap([docker(String(tabbed.dropLast()), stream: "stderr"), docker("\n", stream: "stderr")],
                            maxLineBytes: 1 << 20)
        #expect(joined.outputs.count == 80_000)
        #expect(joined.outputs.allSatisfy { $0.text == "\tat a.B.c(B.java:1)" })
        #expect(joined.cut == 0)
    }

    @Test("the unwrapper keeps working after a cut line and reuses its buffers")
    func manyLines() {
        var lines: [String] = []
        for index in 0..<2_000 {
            lines.append(docker("part \(index) ", stream: index % 2 == 0 ? "stdout" : "stderr"))
            lines.append(docker("end \(index)\n", stream: index % 2 == 0 ? "stdout" : "stderr"))
        }
        let inner = unwrap(lines).outputs.compactMap(\.inner)
        #expect(inner.count == 2_000)
        #expect(inner.enumerated().allSatisfy { $0.element.text == "part \($0.offset) end \($0.offset)" })
    }

    // MARK: Realistic fixtures

    @Test("a Java stack trace logged by a container, one json-file line per trace line")
    func javaTraceInDocker() {
        let trace = """
            2026-11-25 10:00:00.123 ERROR 1 --- [nio-8080-exec-1] o.a.c.c.C.[.[.[/].[dispatcherServlet]    : Servlet.service() for servlet [dispatcherServlet] threw exception
            java.lang.IllegalStateException: Order 42 not found & "cancelled" <retry later>
            \tat com.acme.orders.OrderService.load(OrderService.java:87) ~[classes/:na]
            \tat com.acme.orders.OrderController.<init>(OrderController.java:31) ~[classes/:na]
            \tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883) ~[spring-webmvc-6.1.1.jar:6.1.1]
            \tat java.base/java.lang.Thread.run(Thread.java:1583) ~[na:na]
            Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.
            \tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696) ~[HikariCP-5.0.1.jar:na]
            \t... 4 common frames omitted
            """
        let traceLines = trace.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var raw = [docker("2026-11-25 10:00:00.100  INFO 1 --- [main] c.a.Application : Started\n")]
        raw += traceLines.enumerated().map { index, line in
            docker(line + "\n", time: "2026-11-25T10:00:00.1234567\(index)Z")
        }
        #expect(raw[4].contains(#"\tat com.acme.orders.OrderController.\u003cinit\u003e"#), "written as Docker escapes it")
        let outputs = unwrap(raw).outputs
        #expect(outputs.map(\.text) == ["2026-11-25 10:00:00.100  INFO 1 --- [main] c.a.Application : Started"] + traceLines)
        #expect(outputs.compactMap(\.inner).map(\.firstNumber) == Array(1...raw.count))
    }

    @Test("a Node error whose long first line CRI split into P, P, F chunks, with stdout in between")
    func nodeErrorInCRIChunks() {
        let payload = String(repeating: #"{"sku":"A-100","qty":1},"#, count: 1_500)  // 36 000 bytes
        let header = "Error: Request failed with status 422: [" + payload + "]"
        let frames = [
            "    at OrderClient.submit (/app/src/clients/order.js:48:11)",
            "    at async CheckoutService.checkout (/app/src/services/checkout.js:112:5)",
            "    at async /app/src/routes/checkout.js:27:20",
        ]
        let bytes = Array(header.utf8)
        let chunks = stride(from: 0, to: bytes.count, by: 16_384).map {
            String(decoding: bytes[$0..<min($0 + 16_384, bytes.count)], as: UTF8.self)
        }
        #expect(chunks.count == 3)
        let raw = [
            "2026-11-25T10:00:01.000000001Z stderr P " + chunks[0],
            "2026-11-25T10:00:01.000000002Z stderr P " + chunks[1],
            "2026-11-25T10:00:01.000000003Z stdout F GET /healthz 200 1ms",
            "2026-11-25T10:00:01.000000004Z stderr F " + chunks[2],
        ] + frames.enumerated().map { "2026-11-25T10:00:01.00000001\($0.offset)Z stderr F " + $0.element }
        let outputs = unwrap(raw).outputs
        #expect(outputs.map(\.text) == ["GET /healthz 200 1ms", header] + frames)
        let error = outputs[1].inner
        #expect(error?.firstNumber == 1 && error?.lastNumber == 4 && error?.stream == .stderr)
        #expect(error?.timestamp == "2026-11-25T10:00:01.000000001Z")
    }

    // MARK: fluent-bit's ground truth

    @Test("fluent-bit's Docker, CRI and mixed container tests give fluent-bit's expected lines",
          .enabled(if: FluentBitContainerCorpus.source != nil, "fluent-bit corpus not found; skipped"))
    func fluentBitContainerCases() throws {
        let source = try #require(FluentBitContainerCorpus.source)
        // name of the input array, name of the expected array
        let cases = [
            ("docker_input", "docker_output"),
            ("cri_input", "cri_output"),
            ("container_mix_input", "container_mix_output"),
            ("docker_cri_chain_input", "docker_cri_chain_output"),
        ]
        var checkedLines = 0
        for (inputName, outputName) in cases {
            let input = try #require(FluentBitContainerCorpus.records(named: inputName, in: source), "\(inputName)")
            let expected = try #require(FluentBitContainerCorpus.records(named: outputName, in: source), "\(outputName)")
            // fluent-bit keeps Docker's `\n` in the joined value; an inner line is a line, without it.
            let expectedLines = expected.map { record in
                String(decoding: record.last == 0x0A ? record.dropLast() : record[...], as: UTF8.self)
            }
            let outputs = unwrap(input).outputs
            #expect(outputs.map(\.text) == expectedLines, "\(inputName)")
            checkedLines += expectedLines.count
        }
        #expect(checkedLines == 6 + 8 + 8 + 3)

        // Issue 3817's CRI records (its multiline rules are the framer's business): each F line is one line.
        let issue = try #require(FluentBitContainerCorpus.records(named: "issue_3817_1_input", in: source))
        let issueOffsets = byteOffsets(issue)
        #expect(unwrap(issue).outputs == [
            .inner(Inner(text: "[DEBUG] 1 start multiline - ", 1, .cri, "2021-05-17T17:35:01.184675702Z",
                         offset: issueOffsets[0])),
            .inner(Inner(text: "1 cont A", 2, .cri, "2021-05-17T17:35:01.184747208Z", offset: issueOffsets[1])),
            .inner(Inner(text: "[DEBUG] 2 start multiline - ", 3, .cri, "2021-05-17T17:35:01.184675702Z",
                         offset: issueOffsets[2])),
            .inner(Inner(text: "2 cont B", 4, .cri, "2021-05-17T17:35:01.184747208Z", offset: issueOffsets[3])),
            .plain("another isolated line", number: 5),
        ])
    }

    // MARK: Robustness

    @Test("random mutations of container lines never crash and never exceed the cap")
    func fuzz() {
        let seeds = [
            docker("\tat com.acme.A.\u{1F600}run(A.java:1)\n", stream: "stderr"),
            docker("partial chunk ", stream: "stdout"),
            #"{"log":"\ud83d\ude00 \u00e9 \"q\" \\\n","stream":"stderr","time":"2026-11-25T10:00:00Z","attrs":{"a":[1,{"b":"}"}]}}"#,
            "2026-11-25T10:00:00.123456789Z stderr P some partial text",
            "2026-11-25T10:00:00.123456789Z stdout F full text",
        ].map { Array($0.utf8) }
        var random = StructuredFuzzRandom(seed: 0xC0FFEE)
        var lines: [[UInt8]] = []
        for _ in 0..<20_000 {
            lines.append(random.mutate(seeds[random.next(below: seeds.count)]))
        }
        let cap = 48
        var unwrapper = ContainerUnwrapper(maxLineBytes: cap)
        var emitted = 0
        var overCap = 0
        for (index, line) in lines.enumerated() {
            _ = line.withUnsafeBytes { bytes in
                _ = ContainerUnwrapper.detect(bytes)
                return unwrapper.feed(bytes, number: index + 1, byteOffset: Int64(index) * 100) { inner in
                    emitted += 1
                    if inner.bytes.count > cap { overCap += 1 }
                }
            }
        }
        unwrapper.finish { _ in emitted += 1 }
        #expect(emitted > 1_000)
        #expect(overCap == 0)
    }
}

extension Inner {
    /// A one-line inner line at `number`.
    fileprivate init(text: String, _ number: Int, _ stream: ContainerStream = .stdout, _ format: ContainerFormat,
                     _ timestamp: String, offset: Int64) {
        bytes = Array(text.utf8)
        firstNumber = number
        firstByteOffset = offset
        lastNumber = number
        self.stream = stream
        self.format = format
        self.timestamp = timestamp
        wasCut = false
    }

    fileprivate init(text: String, _ number: Int, _ format: ContainerFormat, _ timestamp: String, offset: Int64) {
        self.init(text: text, number, .stdout, format, timestamp, offset: offset)
    }
}

// MARK: - fluent-bit's multiline test source

/// `fluent-bit/raw/multiline.c` from the shared corpus: its `struct record_check NAME[] = {…}` arrays hold
/// the inputs and expected outputs of fluent-bit's multiline tests as C string literals.
private enum FluentBitContainerCorpus {
    static let path: String = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()    // Extraction
        .deletingLastPathComponent()    // FaultlineCoreTests
        .deletingLastPathComponent()    // Tests
        .deletingLastPathComponent()    // package root
        .appendingPathComponent("../shared/corpus/fluent-bit/raw/multiline.c")
        .standardizedFileURL.path

    static let source: [UInt8]? = FileManager.default.contents(atPath: path).map { Array($0) }

    /// The records of the array called `name`, each the concatenation of its C string literals, decoded
    /// (`\"`, `\\`, `\n`, `\t`); nil if there is no such array.
    static func records(named name: String, in source: [UInt8]) -> [[UInt8]]? {
        let opening = Array("struct record_check \(name)[] = {".utf8)
        guard let start = source.firstRange(of: opening)?.upperBound else { return nil }
        var records: [[UInt8]] = []
        var depth = 1
        var index = start
        var current: [UInt8]?
        while index < source.count, depth > 0 {
            let byte = source[index]
            switch byte {
            case UInt8(ascii: "{"):
                depth += 1
                if depth == 2 { current = [] }
            case UInt8(ascii: "}"):
                if depth == 2, let record = current { records.append(record) }
                depth -= 1
            case UInt8(ascii: "\""):
                index += 1
                while index < source.count, source[index] != UInt8(ascii: "\"") {
                    var literal = source[index]
                    if literal == UInt8(ascii: "\\"), index + 1 < source.count {
                        index += 1
                        switch source[index] {
                        case UInt8(ascii: "n"): literal = 0x0A
                        case UInt8(ascii: "t"): literal = 0x09
                        default: literal = source[index]
                        }
                    }
                    current?.append(literal)
                    index += 1
                }
            case UInt8(ascii: "/") where index + 1 < source.count && source[index + 1] == UInt8(ascii: "*"):
                while index + 1 < source.count, !(source[index] == UInt8(ascii: "*") && source[index + 1] == UInt8(ascii: "/")) {
                    index += 1
                }
            default:
                break
            }
            index += 1
        }
        return records
    }
}

// MARK: - Deterministic mutations

/// A 64-bit LCG: the same mutations on every run.
struct StructuredFuzzRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state >> 11
    }

    mutating func next(below bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }

    /// `line` with one to four random edits: a byte replaced (often by a JSON or logfmt metacharacter),
    /// deleted, inserted or duplicated, or the line truncated.
    mutating func mutate(_ line: [UInt8]) -> [UInt8] {
        let special = Array(#""\{}[]:,=u0 \#n"#.utf8) + [0x00, 0xFF, 0xC3, 0x0A]
        var bytes = line
        for _ in 0...next(below: 4) {
            let position = next(below: bytes.count + 1)
            let byte = next(below: 3) == 0 ? UInt8(truncatingIfNeeded: next()) : special[next(below: special.count)]
            switch next(below: 5) {
            case 0 where position < bytes.count: bytes[position] = byte
            case 1 where position < bytes.count: bytes.remove(at: position)
            case 2: bytes.insert(byte, at: position)
            case 3: bytes.removeSubrange(position...)
            default:
                let end = min(bytes.count, position + next(below: 8))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            }
        }
        return bytes
    }
}
