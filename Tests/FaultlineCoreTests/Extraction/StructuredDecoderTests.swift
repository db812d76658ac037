import Foundation
import Testing
@testable import FaultlineCore

private func bytes<T>(_ line: String, _ body: (UnsafeRawBufferPointer) -> T) -> T {
    Array(line.utf8).withUnsafeBytes(body)
}

private func jsonLevel(_ line: String) -> Level? { bytes(line) { JSONLineDecoder.level($0) } }
private func decodeJSON(_ line: String) -> StructuredRecord? { bytes(line) { JSONLineDecoder.decode($0) } }
private func logfmtLevel(_ line: String) -> Level? { bytes(line) { LogfmtDecoder.level($0) } }
private func decodeLogfmt(_ line: String) -> StructuredRecord? { bytes(line) { LogfmtDecoder.decode($0) } }

/// A JSON text for `value`: a string literal with the escapes JSON requires.
private func jsonString(_ value: String) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 {
                out += String(format: "\\u%04x", scalar.value)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// `{"a":{"b":"value"}}` for the path `a.b`, nested.
private func nestedMember(_ path: String, _ value: String) -> String {
    let parts = path.split(separator: ".", omittingEmptySubsequences: false)
    var text = jsonString(value)
    for part in parts.reversed() { text = "{" + jsonString(String(part)) + ":" + text + "}" }
    return String(text.dropFirst().dropLast())
}

/// A stack trace, as a value for the stack fields.
private let nodeStack = "TypeError: Cannot read properties of undefined (reading 'id')\n    at getUser (/app/src/users.js:14:22)\n    at async /app/src/routes.js:9:5"

@Suite("Structured log lines: JSON and logfmt")
struct StructuredDecoderTests {
    // MARK: JSON: the fast level

    @Test("looksLikeJSON is the first non-blank byte")
    func looksLikeJSON() {
        #expect(bytes(#"{"a":1}"#) { JSONLineDecoder.looksLikeJSON($0) })
        #expect(bytes(" \t{") { JSONLineDecoder.looksLikeJSON($0) })
        #expect(!bytes(#"[{"a":1}]"#) { JSONLineDecoder.looksLikeJSON($0) })
        #expect(!bytes("2026-11-25 ERROR {\"a\":1}") { JSONLineDecoder.looksLikeJSON($0) })
        #expect(!bytes("") { JSONLineDecoder.looksLikeJSON($0) })
    }

    @Test("every level field name, in any case", arguments:
            StructuredLevel.fieldNames + ["Level", "LEVEL", "Severity", "LogLevel", "levelName", "@Level"])
    func levelFieldNames(name: String) {
        let line = #"{"msg":"connection refused","#  + jsonString(name) + #":"error","pid":7}"#
        #expect(jsonLevel(line) == .error)
        #expect(decodeJSON(line)?.level == "error")
        #expect(decodeJSON(line)?.severity == .error)
    }

    @Test("level words", arguments: [
        ("ERROR", Level.error), ("error", .error), ("Error", .error), ("err", .error), ("WARN", .warning),
        ("Warning", .warning), ("INFO", .info), ("Information", .info), ("debug", .debug), ("Verbose", .trace),
        ("trace", .trace), ("notice", .notice), ("fatal", .critical), ("FATAL", .critical), ("CRITICAL", .critical),
        ("dpanic", .critical), ("panic", .critical), ("EMERGENCY", .critical), ("ALERT", .critical), ("E", .error),
    ])
    func levelWords(word: String, level: Level) {
        #expect(jsonLevel(#"{"level":"\#(word)"}"#) == level)
        #expect(jsonLevel(#"{"severity": " \#(word) " }"#) == level)
    }

    @Test("unknown level values read as no level")
    func unknownLevels() {
        for value in [#""DEFAULT""#, #""""#, #""errors""#, "true", "null", "-1", "8", "1e3", #"{"name":"error"}"#,
                      #"["error"]"#, #""err\u006fr""#, #""a very long level word indeed""#] {
            #expect(jsonLevel(#"{"level":\#(value),"msg":"x"}"#) == nil, "\(value)")
        }
    }

    @Test("numeric levels: bunyan/pino and syslog severities", arguments: [
        ("10", Level.trace), ("20", .debug), ("30", .info), ("35", .info), ("40", .warning), ("50", .error),
        ("60", .critical), ("100", .critical), ("50.0", .error), (#""50""#, .error), ("0", .critical),
        ("2", .critical), ("3", .error), ("4", .warning), ("5", .notice), ("6", .info), ("7", .debug),
    ])
    func numericLevels(value: String, level: Level) {
        #expect(jsonLevel(#"{"name":"api","hostname":"web-1","pid":1,"level":\#(value),"msg":"x"}"#) == level)
        #expect(decodeJSON(#"{"level":\#(value)}"#)?.severity == level)
    }

    @Test("the level is read at the top level only, after nested values and strings that mention it")
    func levelOnlyAtTopLevel() {
        #expect(jsonLevel(#"{"ctx":{"level":"error","a":[{"level":"fatal"}]},"level":"info"}"#) == .info)
        #expect(jsonLevel(#"{"ctx":{"level":"error"}}"#) == nil)
        #expect(jsonLevel(#"{"msg":"\"level\":\"error\", }{ ][","lvl":"warn"}"#) == .warning)
        #expect(jsonLevel(#"{"msg":"\"level\":\"error\""}"#) == nil)
        #expect(jsonLevel(#"{"level":"custom","severity":"ERROR"}"#) == .error, "the first field that reads as a level")
        // ECS, nested: {"log":{"level":…}}; Docker's "log" string is not nested.
        #expect(jsonLevel(#"{"@timestamp":"2026-11-25T10:00:00Z","log":{"logger":"app","level":"error"},"message":"x"}"#) == .error)
        #expect(jsonLevel(#"{"log":"level: error","stream":"stderr"}"#) == nil)
    }

    @Test("the fast level gives up on lines that are not JSON objects, without crashing")
    func levelOnMalformedLines() {
        for line in ["", "{", "not json", #"["level","error"]"#, #"{"msg":"unterminated, "level":"error"}"#,
                     #"{"msg":"x" "level"}"#, #"{"msg":"#, #"{"level""#, #"{"level":"#, #"{"level":"err"#,
                     #"{"a":{"b":[1,2,{"c":"d"}"#, #"{level:"error"}"#] {
            #expect(jsonLevel(line) == nil, "\(line)")
        }
        // It reads only up to the level: what follows is the full decoder's business.
        #expect(jsonLevel(#"{"level":"error","msg":"cut her"#) == .error)
    }

    // MARK: JSON: field names

    struct FieldCase: Sendable, CustomTestStringConvertible {
        var name: String
        var part: WritableKeyPath<StructuredRecord, String?> & Sendable
        var value: String
        var testDescription: String { name }
    }

    static let fieldCases: [FieldCase] = {
        var cases: [FieldCase] = []
        func add(_ names: [String], _ part: WritableKeyPath<StructuredRecord, String?> & Sendable, _ value: String) {
            cases += names.map { FieldCase(name: $0, part: part, value: value) }
        }
        add(StructuredRecord.Names.timestamp, \.timestamp, "2026-11-25T10:00:00.123Z")
        add(StructuredRecord.Names.message, \.message, "payment declined")
        add(StructuredRecord.Names.logger, \.logger, "com.acme.payments.Gateway")
        add(StructuredRecord.Names.thread, \.thread, "http-nio-8080-exec-3")
        add(StructuredRecord.Names.stack + StructuredRecord.Names.multiLineStack, \.stack, nodeStack)
        add(StructuredRecord.Names.errorType, \.errorType, "TypeError")
        add(StructuredRecord.Names.errorMessage, \.errorMessage, "Cannot read properties of undefined")
        return cases
    }()

    @Test("every field name, nested and as a dotted key", arguments: fieldCases)
    func fieldNames(_ field: FieldCase) throws {
        let nested = try #require(decodeJSON("{" + nestedMember(field.name, field.value) + #","pid":7}"#))
        #expect(nested[keyPath: field.part] == field.value)
        #expect(nested.fields == ["pid": "7"], "the field is taken, not copied to the fields")

        let dotted = try #require(decodeJSON("{" + jsonString(field.name) + ":" + jsonString(field.value) + "}"))
        #expect(dotted[keyPath: field.part] == field.value)

        let upper = try #require(decodeJSON("{" + jsonString(field.name.uppercased()) + ":" + jsonString(field.value) + "}"))
        #expect(upper[keyPath: field.part] == field.value, "names are matched in any case")
    }

    @Test("the first name in each list wins, whatever the order in the line")
    func namePriority() throws {
        let record = try #require(decodeJSON(
            #"{"message":"second","msg":"first","timestamp":"b","time":"a","name":"app","logger":"com.acme.A"}"#))
        #expect(record.message == "first")
        #expect(record.timestamp == "a")
        #expect(record.logger == "com.acme.A")
        #expect(record.fields == ["message": "second", "timestamp": "b", "name": "app"])
    }

    @Test("`trace` is a stack only when it spans lines; stacks and error messages only from text")
    func stackGuards() throws {
        let traceID = try #require(decodeJSON(#"{"msg":"x","trace":"4bf92f3577b34da6a3ce929d0e0e4736"}"#))
        #expect(traceID.stack == nil)
        #expect(traceID.fields["trace"] == "4bf92f3577b34da6a3ce929d0e0e4736")

        let structlog = try #require(decodeJSON(#"{"event":"x","exc_info":true,"error":false}"#))
        #expect(structlog.stack == nil && structlog.errorMessage == nil)
        #expect(structlog.fields == ["exc_info": "true", "error": "false"])
    }

    // MARK: JSON: nested errors and real logger shapes

    @Test("pino: err object with type, message and stack; numeric level; epoch time")
    func pino() throws {
        let line = #"{"level":50,"time":1764064800123,"pid":4242,"hostname":"api-7d9f","req":{"id":"req-91","method":"GET","url":"/users/7"},"err":{"type":"TypeError","message":"Cannot read properties of undefined (reading 'id')","stack":"TypeError: Cannot read properties of undefined (reading 'id')\n    at getUser (/app/src/users.js:14:22)\n    at async /app/src/routes.js:9:5"},"msg":"request failed"}"#
        #expect(jsonLevel(line) == .error)
        let record = try #require(decodeJSON(line))
        #expect(record == StructuredRecord(
            timestamp: "1764064800123", level: "50", message: "request failed", stack: nodeStack,
            errorType: "TypeError", errorMessage: "Cannot read properties of undefined (reading 'id')",
            fields: ["pid": "4242", "hostname": "api-7d9f", "req.id": "req-91", "req.method": "GET",
                     "req.url": "/users/7"]))
    }

    @Test("bunyan: err.name is the type; name is the logger")
    func bunyan() throws {
        let line = #"{"name":"orders","hostname":"web-1","pid":31,"level":50,"err":{"message":"connect ECONNREFUSED 10.0.0.5:5432","name":"Error","stack":"Error: connect ECONNREFUSED 10.0.0.5:5432\n    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)","code":"ECONNREFUSED"},"msg":"db down","time":"2026-11-25T10:00:00.000Z","v":0}"#
        let record = try #require(decodeJSON(line))
        #expect(record.logger == "orders")
        #expect(record.errorType == "Error")
        #expect(record.errorMessage == "connect ECONNREFUSED 10.0.0.5:5432")
        #expect(record.stack?.hasPrefix("Error: connect ECONNREFUSED") == true)
        #expect(record.fields["err.code"] == "ECONNREFUSED")
        #expect(record.severity == .error)
    }

    @Test("logrus and slog: error as a string")
    func logrusAndSlog() throws {
        let logrus = try #require(decodeJSON(
            #"{"error":"dial tcp 10.0.0.5:6379: i/o timeout","level":"error","msg":"cache unavailable","time":"2026-11-25T10:00:00+01:00"}"#))
        #expect(logrus.errorMessage == "dial tcp 10.0.0.5:6379: i/o timeout")
        #expect(logrus.message == "cache unavailable")
        #expect(logrus.timestamp == "2026-11-25T10:00:00+01:00")

        let slog = try #require(decodeJSON(
            #"{"time":"2026-11-25T10:00:00.123456789Z","level":"ERROR","msg":"query failed","err":"pq: relation \"users\" does not exist","query_ms":12.5}"#))
        #expect(slog.errorMessage == #"pq: relation "users" does not exist"#)
        #expect(slog.fields == ["query_ms": "12.5"])
    }

    @Test("zap: ts as a number, caller, stacktrace")
    func zap() throws {
        let line = #"{"level":"error","ts":1764064800.1234567,"logger":"orders","caller":"orders/service.go:88","msg":"failed to place order","orderID":42,"error":"context deadline exceeded","stacktrace":"github.com/acme/orders.(*Service).Place\n\t/app/orders/service.go:88\nmain.main\n\t/app/main.go:31"}"#
        #expect(jsonLevel(line) == .error)
        let record = try #require(decodeJSON(line))
        #expect(record.timestamp == "1764064800.1234567")
        #expect(record.logger == "orders")
        #expect(record.errorMessage == "context deadline exceeded")
        #expect(record.stack == "github.com/acme/orders.(*Service).Place\n\t/app/orders/service.go:88\nmain.main\n\t/app/main.go:31")
        #expect(record.fields == ["caller": "orders/service.go:88", "orderID": "42"])
    }

    @Test("structlog and python-json-logger: formatted tracebacks")
    func python() throws {
        let traceback = "Traceback (most recent call last):\n  File \"/app/worker/tasks.py\", line 42, in process_order\n    total = order.total / order.count\nZeroDivisionError: division by zero"
        let structlog = try #require(decodeJSON(
            #"{"event":"task failed","level":"error","logger":"app.worker","timestamp":"2026-11-25T10:00:00.000000Z","exception":"# + jsonString(traceback) + "}"))
        #expect(structlog.message == "task failed")
        #expect(structlog.stack == traceback)
        #expect(structlog.logger == "app.worker")

        let jsonLogger = try #require(decodeJSON(
            #"{"asctime": "2026-11-25 10:00:00,123", "levelname": "ERROR", "name": "app.worker", "message": "task failed", "exc_info": "# + jsonString(traceback) + #", "taskName": null}"#))
        #expect(jsonLogger.timestamp == "2026-11-25 10:00:00,123")
        #expect(jsonLogger.severity == .error)
        #expect(jsonLogger.stack == traceback)
        #expect(jsonLogger.fields.isEmpty)
    }

    @Test("logstash-logback-encoder, ECS and log4j2 JsonTemplateLayout")
    func java() throws {
        let trace = "java.lang.IllegalStateException: Order 42 not found\n\tat com.acme.orders.OrderService.load(OrderService.java:87)\n\tat java.base/java.lang.Thread.run(Thread.java:1583)"
        let logback = try #require(decodeJSON(
            #"{"@timestamp":"2026-11-25T10:00:00.123+01:00","@version":"1","message":"Unhandled exception","logger_name":"com.acme.orders.OrderController","thread_name":"http-nio-8080-exec-1","level":"ERROR","level_value":40000,"stack_trace":"# + jsonString(trace) + "}"))
        #expect(logback == StructuredRecord(
            timestamp: "2026-11-25T10:00:00.123+01:00", level: "ERROR", message: "Unhandled exception",
            logger: "com.acme.orders.OrderController", thread: "http-nio-8080-exec-1", stack: trace,
            fields: ["@version": "1", "level_value": "40000"]))

        let ecs = try #require(decodeJSON(
            #"{"@timestamp":"2026-11-25T10:00:00.123Z","log.level":"ERROR","message":"Unhandled exception","ecs.version":"1.2.0","service.name":"orders","process.thread.name":"main","log.logger":"com.acme.App","error.type":"java.lang.IllegalStateException","error.message":"Order 42 not found","error.stack_trace":"# + jsonString(trace) + "}"))
        #expect(ecs.severity == .error)
        #expect(ecs.logger == "com.acme.App")
        #expect(ecs.thread == "main")
        #expect(ecs.errorType == "java.lang.IllegalStateException")
        #expect(ecs.errorMessage == "Order 42 not found")
        #expect(ecs.stack == trace)
        #expect(ecs.fields == ["ecs.version": "1.2.0", "service.name": "orders"])
    }

    @Test("log4j2 JsonLayout: the thrown object becomes a Java trace with its causes")
    func log4j2Thrown() throws {
        let line = #"{"instant":{"epochSecond":1764064800,"nanoOfSecond":123000000},"thread":"main","level":"ERROR","loggerName":"com.acme.App","message":"startup failed","thrown":{"commonElementCount":0,"localizedMessage":"Order 42 not found","message":"Order 42 not found","name":"java.lang.IllegalStateException","cause":{"commonElementCount":1,"localizedMessage":"timeout","message":"timeout","name":"java.net.SocketTimeoutException","extendedStackTrace":[{"class":"java.net.Socket","method":"connect","file":"Socket.java","line":633,"exact":false,"location":"?","version":"?"}]},"extendedStackTrace":[{"class":"com.acme.OrderService","method":"load","file":"OrderService.java","line":87,"exact":true,"location":"classes/","version":"?"},{"class":"jdk.internal.reflect.NativeMethodAccessorImpl","method":"invoke0","line":-2,"exact":false},{"class":"com.acme.App","method":"main","exact":false}]},"endOfBatch":false,"loggerFqcn":"org.apache.logging.log4j.spi.AbstractLogger","threadId":1,"threadPriority":5}"#
        let record = try #require(decodeJSON(line))
        #expect(record.errorType == "java.lang.IllegalStateException")
        #expect(record.errorMessage == "Order 42 not found")
        #expect(record.stack == """
            java.lang.IllegalStateException: Order 42 not found
            \tat com.acme.OrderService.load(OrderService.java:87)
            \tat jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)
            \tat com.acme.App.main(Unknown Source)
            Caused by: java.net.SocketTimeoutException: timeout
            \tat java.net.Socket.connect(Socket.java:633)
            """)
        #expect(record.logger == "com.acme.App")
        #expect(record.thread == "main")
        #expect(record.fields["instant.epochSecond"] == "1764064800")
        #expect(record.fields["thrown.commonElementCount"] == nil)

        let printed = try #require(decodeJSON(
            #"{"level":"ERROR","message":"x","thrown":{"name":"java.lang.IllegalStateException","message":"boom","extendedStackTrace":"java.lang.IllegalStateException: boom\n\tat com.acme.A.run(A.java:1)"}}"#))
        #expect(printed.stack == "java.lang.IllegalStateException: boom\n\tat com.acme.A.run(A.java:1)")
        #expect(printed.errorType == "java.lang.IllegalStateException")
    }

    @Test("Serilog CLEF, .NET JSON console, Google Cloud, Rust tracing, winston")
    func otherLoggers() throws {
        let dotnetTrace = "System.InvalidOperationException: Sequence contains no elements\n   at System.Linq.ThrowHelper.ThrowNoElementsException()\n   at Acme.Orders.OrderService.Load(Int32 id) in /src/Orders/OrderService.cs:line 87"
        let clef = try #require(decodeJSON(
            #"{"@t":"2026-11-25T10:00:00.1234567Z","@mt":"Failed to load order {OrderId}","@l":"Error","@x":"# + jsonString(dotnetTrace) + #","OrderId":42,"SourceContext":"Acme.Orders.OrderService"}"#))
        #expect(clef.severity == .error)
        #expect(clef.timestamp == "2026-11-25T10:00:00.1234567Z")
        #expect(clef.message == "Failed to load order {OrderId}")
        #expect(clef.stack == dotnetTrace)
        #expect(clef.logger == "Acme.Orders.OrderService")
        #expect(clef.fields == ["OrderId": "42"])

        let console = try #require(decodeJSON(
            #"{"Timestamp":"2026-11-25T10:00:00.000Z","EventId":0,"LogLevel":"Error","Category":"Acme.Orders.OrderService","Message":"Failed to load order 42","Exception":"# + jsonString(dotnetTrace) + #","State":{"Message":"Failed to load order 42","OrderId":42,"{OriginalFormat}":"Failed to load order {OrderId}"}}"#))
        #expect(bytes(#"{"Timestamp":"x","EventId":0,"LogLevel":"Error"}"#) { JSONLineDecoder.level($0) } == .error)
        #expect(console.severity == .error)
        #expect(console.logger == "Acme.Orders.OrderService")
        #expect(console.message == "Failed to load order 42")
        #expect(console.stack == dotnetTrace)
        #expect(console.fields["State.OrderId"] == "42")

        let gcp = try #require(decodeJSON(
            #"{"severity":"ERROR","message":"upload failed","time":"2026-11-25T10:00:00Z","logging.googleapis.com/trace":"projects/p/traces/abc","stack_trace":"# + jsonString(nodeStack) + "}"))
        #expect(gcp.severity == .error)
        #expect(gcp.stack == nodeStack)
        #expect(gcp.fields["logging.googleapis.com/trace"] == "projects/p/traces/abc")

        let tracing = try #require(decodeJSON(
            #"{"timestamp":"2026-11-25T10:00:00.123456Z","level":"ERROR","fields":{"message":"request failed","status":500},"target":"acme_api::handlers","threadName":"tokio-runtime-worker","threadId":"ThreadId(3)"}"#))
        #expect(tracing.message == "request failed")
        #expect(tracing.logger == "acme_api::handlers")
        #expect(tracing.thread == "tokio-runtime-worker")
        #expect(tracing.fields == ["fields.status": "500", "threadId": "ThreadId(3)"])

        let winston = try #require(decodeJSON(
            #"{"level":"error","message":"Cannot read properties of undefined (reading 'id')","stack":"# + jsonString(nodeStack) + #","service":"users","timestamp":"2026-11-25 10:00:00"}"#))
        #expect(winston.stack == nodeStack)
        #expect(winston.fields == ["service": "users"])
    }

    @Test("a JSON-lines app log, plain and in Docker's json-file: the fast level finds the errors, decode reads them")
    func appLog() throws {
        let log = [
            #"{"level":30,"time":1764064800000,"pid":7,"hostname":"api-1","msg":"server listening","port":8080}"#,
            #"{"level":"info","ts":1764064801.5,"logger":"http","msg":"GET /healthz","status":200}"#,
            #"{"time":"2026-11-25T10:00:02Z","level":"warning","msg":"slow query","duration_ms":1250}"#,
            #"{"level":50,"time":1764064803000,"pid":7,"hostname":"api-1","err":{"type":"TypeError","message":"Cannot read properties of undefined (reading 'id')","stack":"# + jsonString(nodeStack) + #"},"msg":"request failed"}"#,
            #"{"event":"task failed","level":"error","logger":"app.worker","exception":"Traceback (most recent call last):\n  File \"/app/tasks.py\", line 3, in run\n    1 / 0\nZeroDivisionError: division by zero"}"#,
            #"{"level":"debug","msg":"cache miss","key":"user:7"}"#,
            #"{"level":"error","ts":1764064805.25,"logger":"orders","msg":"failed to place order","error":"context deadline exceeded","stacktrace":"main.place\n\t/app/orders.go:88"}"#,
            #"{"level":"fatal","time":"2026-11-25T10:00:06Z","msg":"out of memory"}"#,
        ]
        let levels = log.map(jsonLevel)
        #expect(levels == [.info, .info, .warning, .error, .error, .debug, .error, .critical])

        let errors = try log.indices.filter { (levels[$0] ?? .info) >= .error }.map { try #require(decodeJSON(log[$0])) }
        #expect(errors.map(\.message) == ["request failed", "task failed", "failed to place order", "out of memory"])
        #expect(errors.map { $0.stack?.split(separator: "\n").first.map(String.init) } == [
            "TypeError: Cannot read properties of undefined (reading 'id')", "Traceback (most recent call last):",
            "main.place", nil,
        ])
        #expect(errors.map(\.errorType) == ["TypeError", nil, nil, nil])
        #expect(errors[2].errorMessage == "context deadline exceeded")

        // The same log written by a container: unwrapped lines are the application's lines, byte for byte.
        var unwrapper = ContainerUnwrapper(maxLineBytes: 1 << 20)
        var inner: [String] = []
        for (index, line) in log.enumerated() {
            let wrapped = #"{"log":"# + jsonString(line + "\n") + #","stream":"stdout","time":"2026-11-25T10:00:00Z"}"#
            let accepted = bytes(wrapped) { raw in
                unwrapper.feed(raw, number: index + 1, byteOffset: 0) {
                    inner.append(String(decoding: $0.bytes, as: UTF8.self))
                }
            }
            #expect(accepted)
        }
        #expect(inner == log)
        #expect(inner.map(jsonLevel) == levels)
    }

    @Test("a stack written as an array of lines is joined")
    func stackArray() throws {
        let record = try #require(decodeJSON(
            #"{"level":"error","msg":"x","stack":["Error: boom","    at f (a.js:1:2)","    at g (b.js:3:4)"],"ids":[1,2],"mixed":["a",1]}"#))
        #expect(record.stack == "Error: boom\n    at f (a.js:1:2)\n    at g (b.js:3:4)")
        #expect(record.fields.isEmpty)
    }

    @Test("fields: scalars as written, nested names with dots, nulls left out")
    func fields() throws {
        let record = try #require(decodeJSON(
            #"{"level":"error","msg":"x","count":3,"ratio":-0.5e-3,"ok":true,"no":false,"none":null,"http":{"method":"GET","status":500,"headers":{"x-id":"a"}},"empty":{},"list":[]}"#))
        #expect(record.fields == ["count": "3", "ratio": "-0.5e-3", "ok": "true", "no": "false", "http.method": "GET",
                                  "http.status": "500", "http.headers.x-id": "a"])
        #expect(decodeJSON("{}") == StructuredRecord())
        #expect(decodeJSON(" \t{ \"a\" : 1 }\r ") == StructuredRecord(fields: ["a": "1"]))
    }

    @Test("string escapes decode to UTF-8", arguments: [
        (#"tab\there"#, "tab\there"), (#"q\"uote\\ \/"#, "q\"uote\\ /"), (#"\b\f\n\r"#, "\u{8}\u{C}\n\r"),
        (#"\u00e9\u4E2D\u0041"#, "é中A"), (#"\ud83d\ude00"#, "😀"), (#"\uD83D\uDE00x"#, "😀x"),
        (#"lone \ud83d and \ude00"#, "lone \u{FFFD} and \u{FFFD}"), (#"\u0000"#, "\u{0}"), ("ünïcødé", "ünïcødé"),
        ("raw\ttab", "raw\ttab"),
    ])
    func escapes(escaped: String, expected: String) throws {
        let record = try #require(decodeJSON(#"{"msg":""# + escaped + #""}"#))
        #expect(record.message == expected)
    }

    @Test("malformed JSON returns nil", arguments: [
        "", " ", "{", "}", "{\"", #"{"msg":"unterminated}"#, #"{"msg":"x""#, #"{"msg":"x",}"#, #"{,}"#, #"{"a" 1}"#,
        #"{"a":}"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":-}"#, #"{"a":1e}"#, #"{"a":+1}"#, #"{"a":tru}"#,
        #"{"a":nul}"#, #"{"a":True}"#, #"{'a':1}"#, #"{a:1}"#, #"{"a":"\x"}"#, #"{"a":"\u12"}"#, #"{"a":"\u12g4"}"#,
        #"{"a":"x\"}"#, #"{"a":[1,2}"#, #"{"a":[1,2,]}"#, #"{"a":{"b":1}"#, #"{"a":1}}"#, #"{"a":1} trailing"#,
        #"{"a":1}{"b":2}"#, #"[{"a":1}]"#, #""string""#, "42", "null", "not json at all",
    ])
    func malformed(line: String) {
        #expect(decodeJSON(line) == nil)
    }

    @Test("deep nesting is refused without exhausting the stack")
    func deepNesting() {
        let deep = "{\"a\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        #expect(decodeJSON(deep) == nil)
        #expect(jsonLevel(deep + #","level":"error"}"#) == nil)
        let fine = "{\"a\":" + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + #","level":"error"}"#
        #expect(decodeJSON(fine)?.level == "error")
        #expect(jsonLevel(fine) == .error)
    }

    @Test("lines over 1 MiB")
    func longLines() throws {
        let big = String(repeating: #"0123456789 \"quoted\" \u00e9 "#, count: 50_000)  // ≈ 1.5 MiB escaped
        #expect(big.utf8.count > 1 << 20)
        let line = #"{"ctx":{"payload":""# + big + #"","list":[{"level":"fatal"}]},"level":"error","msg":""# + big + #""}"#
        #expect(jsonLevel(line) == .error)
        let record = try #require(decodeJSON(line))
        let expected = String(repeating: "0123456789 \"quoted\" é ", count: 50_000)
        #expect(record.message == expected)
        #expect(record.fields["ctx.payload"] == expected)
        #expect(decodeJSON(String(line.dropLast(2))) == nil)
    }

    // MARK: JSON: the corpus

    @Test("fluent-bit's JSON-lines input joins to its expected record",
          .enabled(if: FileManager.default.fileExists(atPath: fluentBitFolder + "/tail_multiline_001.out"),
                   "fluent-bit corpus not found; skipped"))
    func fluentBitTailMultiline() throws {
        let input = try String(contentsOfFile: fluentBitFolder + "/tail_multiline_001.log", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let output = try String(contentsOfFile: fluentBitFolder + "/tail_multiline_001.out", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        #expect(input.count == 6 && output.count == 1)
        let records = try input.map { try #require(decodeJSON($0)) }
        let joined = try #require(decodeJSON(output[0]))
        // fluent-bit joined the `message` of the six records with newlines and kept the first record's fields.
        #expect(records.compactMap(\.message).joined(separator: "\n") == joined.message)
        #expect(records.allSatisfy { $0.timestamp == "2006-07-28T13:22:04Z" && $0.fields == ["key1": "12345", "key2": "abc"] })
        #expect(joined.timestamp == records[0].timestamp && joined.fields == records[0].fields)
        #expect(records.allSatisfy { $0.level == nil } && bytes(input[0]) { JSONLineDecoder.level($0) } == nil)
    }

    // MARK: logfmt

    @Test("looksLikeLogfmt needs two key=value pairs from the start")
    func looksLikeLogfmt() {
        func looks(_ line: String) -> Bool { bytes(line) { LogfmtDecoder.looksLikeLogfmt($0) } }
        #expect(looks(#"time=2026-11-25T10:00:00Z level=error msg="failed to connect""#))
        #expect(looks("  ts=1 caller=main.go:12"))
        #expect(looks(#"level=info msg="a b""#))
        #expect(!looks("level=error"))
        #expect(!looks("retrying in 5s, attempt=3 max=5"))
        #expect(!looks(#"{"level":"error"}"#))
        #expect(!looks("2026-11-25 10:00:00 ERROR a=b c=d"))
        #expect(!looks(#"msg="unterminated level=error"#))
        #expect(!looks(""))
    }

    @Test("the logfmt level, fast", arguments: [
        (#"time=2026-11-25T10:00:00Z level=error msg="failed to connect""#, Level?.some(.error)),
        (#"ts=2026-11-25T10:00:00Z lvl=warn caller=main.go:12 msg=slow"#, .warning),
        (#"time="2026-11-25 10:00:00" level="ERROR" msg=x"#, .error),
        (#"severity=CRITICAL msg=x"#, .critical),
        (#"Level=Fatal msg=x"#, .critical),
        (#"level=50 msg=x"#, .error),
        (#"msg="level=error in text" level=info"#, .info),
        (#"msg="level=error in text""#, nil),
        (#"level= msg=x"#, nil),
        (#"level msg=x"#, nil),
        (#"msg="unterminated level=error"#, nil),
    ])
    func logfmtLevels(line: String, level: Level?) {
        #expect(logfmtLevel(line) == level)
    }

    @Test("a logfmt record: quoted values, escapes, error fields and a stack")
    func logfmtRecord() throws {
        let line = #"time=2026-11-25T10:00:00.123Z level=error logger=orders.db msg="failed to connect" err="dial tcp 10.0.0.5:5432: i/o timeout" attempt=3 retry stack="goroutine 7 [running]:\nmain.connect()\n\t/app/db.go:42 +0x1d" path=/v1/orders note="say \"hi\" \\ \u00e9 \U0001F600 \x41""#
        #expect(bytes(line) { LogfmtDecoder.looksLikeLogfmt($0) })
        let record = try #require(decodeLogfmt(line))
        #expect(record == StructuredRecord(
            timestamp: "2026-11-25T10:00:00.123Z", level: "error", message: "failed to connect", logger: "orders.db",
            stack: "goroutine 7 [running]:\nmain.connect()\n\t/app/db.go:42 +0x1d",
            errorMessage: "dial tcp 10.0.0.5:5432: i/o timeout",
            fields: ["attempt": "3", "retry": "", "path": "/v1/orders", "note": "say \"hi\" \\ é 😀 A"]))
    }

    @Test("slog's TextHandler and go-kit lines")
    func logfmtLoggers() throws {
        let slog = try #require(decodeLogfmt(
            #"time=2026-11-25T10:00:00.000+01:00 level=ERROR source=/app/main.go:31 msg="query failed" err="pq: relation \"users\" does not exist" user.id=7"#))
        #expect(slog.severity == .error)
        #expect(slog.errorMessage == #"pq: relation "users" does not exist"#)
        #expect(slog.fields == ["source": "/app/main.go:31", "user.id": "7"])

        let gokit = try #require(decodeLogfmt(#"ts=2026-11-25T10:00:00Z caller=server.go:88 level=error err.type=*net.OpError err.msg="read: connection reset""#))
        #expect(gokit.timestamp == "2026-11-25T10:00:00Z")
        #expect(gokit.errorType == "*net.OpError")
        #expect(gokit.errorMessage == "read: connection reset")
        #expect(gokit.fields == ["caller": "server.go:88"])
    }

    @Test("malformed logfmt returns nil", arguments: [
        "", "   ", #"msg="unterminated"#, #"msg="x"y"#, #"="no key""#, #"a=1 ="x""#, #"msg="ends in backslash\"#,
        #"k"ey=1"#,
    ])
    func malformedLogfmt(line: String) {
        #expect(decodeLogfmt(line) == nil)
    }

    // MARK: Robustness

    @Test("random mutations of valid lines never crash; the parser agrees with JSONSerialization")
    func fuzz() throws {
        let seeds = [
            #"{"level":50,"time":1764064800123,"err":{"type":"TypeError","message":"x","stack":"TypeError: x\n    at f (a.js:1:2)"},"msg":"boom","tags":["a","b"],"n":-1.5e3,"ok":true,"none":null}"#,
            #"{"@timestamp":"2026-11-25T10:00:00Z","log":{"level":"error"},"message":"\u00e9\ud83d\ude00 \"q\" \\ \/","thrown":{"name":"E","extendedStackTrace":[{"class":"A","method":"b","line":1}]}}"#,
            #"time=2026-11-25T10:00:00Z level=error msg="failed \"to\" connect" err="i/o timeout" stack="a\nb" flag"#,
        ].map { Array($0.utf8) }
        var random = StructuredFuzzRandom(seed: 0x5EED)
        var decoded = 0
        var compared = 0
        var disagreements: [String] = []
        for _ in 0..<20_000 {
            let line = random.mutate(seeds[random.next(below: seeds.count)])
            let record = line.withUnsafeBytes { raw -> StructuredRecord? in
                _ = JSONLineDecoder.looksLikeJSON(raw)
                _ = JSONLineDecoder.level(raw)
                _ = LogfmtDecoder.looksLikeLogfmt(raw)
                _ = LogfmtDecoder.level(raw)
                _ = LogfmtDecoder.decode(raw)
                return JSONLineDecoder.decode(raw)
            }
            if record != nil { decoded += 1 }
            // Where both parsers' rules are the same they must accept the same lines: not with raw control
            // bytes or invalid UTF-8 (accepted here, refused there), \u escapes (lone surrogates: repaired
            // here), or a trailing comma (JSONSerialization accepts `[1,]`, which RFC 8259 does not).
            guard !line.contains(where: { $0 < 0x20 || $0 >= 0x80 }), !line.containsEscapedU,
                  !line.containsTrailingComma else { continue }
            let foundation = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any]
            compared += 1
            if (foundation != nil) != (record != nil), disagreements.count < 5 {
                disagreements.append(String(decoding: line, as: UTF8.self))
            }
        }
        #expect(decoded > 100)
        #expect(compared > 1_000)
        #expect(disagreements.isEmpty, "\(disagreements)")
    }
}

private let fluentBitFolder = corpusPath("fluent-bit")

extension Array where Element == UInt8 {
    /// Whether a `,` is followed by `]` or `}` (blanks between).
    fileprivate var containsTrailingComma: Bool {
        var afterComma = false
        for byte in self {
            switch byte {
            case UInt8(ascii: ","): afterComma = true
            case UInt8(ascii: "]"), UInt8(ascii: "}"): if afterComma { return true }
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: afterComma = false
            }
        }
        return false
    }

    /// Whether the bytes hold `\u`.
    fileprivate var containsEscapedU: Bool {
        indices.dropLast().contains { self[$0] == 0x5C && self[$0 + 1] == UInt8(ascii: "u") }
    }
}
