/// A log record prefix format: how the first line of a record looks, as a PCRE2 pattern with named groups
/// `timestamp`, `level`, `thread`, `logger`, `host`, `pri` and `message` (each optional).
///
/// Formats are data with examples; the examples drive the tests and document what is recognised. A file
/// may mix several formats (a Java service and a Python worker writing to one file): the framer learns
/// each format it meets.
public struct RecordFormat: Sendable {
    public let name: String
    public let pattern: String
    /// Line → the fields the pattern must capture (`level`, `timestamp`, `logger`, `thread`, `message`).
    public let examples: [(line: String, fields: [String: String])]
    /// The record's level is on its second line (java.util.logging's `SEVERE: message`).
    public let levelOnNextLine: Bool

    public init(name: String, pattern: String, levelOnNextLine: Bool = false,
                examples: [(line: String, fields: [String: String])]) {
        self.name = name
        self.pattern = pattern
        self.levelOnNextLine = levelOnNextLine
        self.examples = examples
    }
}

extension RecordFormat {
    private static let levels =
        #"(?:TRACE|DEBUG|INFO|NOTICE|WARN(?:ING)?|ERROR|FATAL|CRITICAL|SEVERE|PANIC|trace|debug|info|notice|warn(?:ing)?|error|fatal|critical|panic|Trace|Debug|Info|Warn(?:ing)?|Error|Fatal|Critical)"#
    private static let isoTimestamp =
        #"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2}| ?UTC)?"#

    /// The built-in formats, most specific first.
    public static let builtIn: [RecordFormat] = [
        RecordFormat(
            name: "iso-level (logback/log4j with the level after the time, Python logging, winston, zap console)",
            pattern: #"^(?<timestamp>"# + isoTimestamp + #")\s+(?:\[(?<thread>[^\]]*)\]\s+)?(?<level>"# + levels
                + #")\b:?\s+(?:\[(?<thread2>[^\]]*)\]\s+)?(?:(?<logger>[\w$.\-/]+)(?: - |: )(?=.))?(?<message>.*)$"#,
            examples: [
                ("2026-03-01 08:00:00.123 ERROR [http-nio-8080-exec-1] com.acme.api.OrderController - Unhandled exception",
                 ["timestamp": "2026-03-01 08:00:00.123", "level": "ERROR", "thread2": "http-nio-8080-exec-1",
                  "logger": "com.acme.api.OrderController", "message": "Unhandled exception"]),
                ("2026-03-01 08:00:00,123 ERROR [ForkPoolWorker-3] app.worker.tasks: Task failed",
                 ["timestamp": "2026-03-01 08:00:00,123", "level": "ERROR", "logger": "app.worker.tasks",
                  "message": "Task failed"]),
                ("2026-03-01T08:00:00.123Z error: Unhandled rejection TypeError: boom",
                 ["timestamp": "2026-03-01T08:00:00.123Z", "level": "error",
                  "message": "Unhandled rejection TypeError: boom"]),
                ("2026-11-25T10:00:00.000+01:00 [main] WARN  c.a.Thing - slow",
                 ["thread": "main", "level": "WARN", "logger": "c.a.Thing", "message": "slow"]),
            ]),
        RecordFormat(
            name: "logback/log4j default (time, [thread], level, logger - message)",
            pattern: #"^(?<timestamp>(?:\d{4}-\d{2}-\d{2}[T ])?\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?)\s+\[(?<thread>[^\]]*)\]\s+(?<level>"#
                + levels + #")\s+(?<logger>\S+)\s+-\s+(?<message>.*)$"#,
            examples: [
                ("10:00:00.123 [main] ERROR com.acme.App - boom",
                 ["timestamp": "10:00:00.123", "thread": "main", "level": "ERROR", "logger": "com.acme.App",
                  "message": "boom"]),
                ("2026-11-25 10:00:00,123 [pool-1-thread-2] INFO  org.x.Y - started",
                 ["thread": "pool-1-thread-2", "level": "INFO", "logger": "org.x.Y", "message": "started"]),
            ]),
        RecordFormat(
            name: "Python logging (asctime - name - levelname - message)",
            pattern: #"^(?<timestamp>"# + isoTimestamp + #") - (?<logger>.+?) - (?<level>"# + levels
                + #") - (?<message>.*)$"#,
            examples: [
                ("2026-11-25 10:00:00,123 - app.db - ERROR - connection lost",
                 ["logger": "app.db", "level": "ERROR", "message": "connection lost"]),
            ]),
        RecordFormat(
            name: "Python logging default (LEVEL:name:message)",
            pattern: #"^(?<level>DEBUG|INFO|WARNING|ERROR|CRITICAL):(?<logger>[\w.\-]*):(?<message>.*)$"#,
            examples: [
                ("ERROR:app.worker:task failed", ["level": "ERROR", "logger": "app.worker", "message": "task failed"]),
            ]),
        RecordFormat(
            name: "bracketed time (Monolog/Laravel, many frameworks)",
            pattern: #"^\[(?<timestamp>"# + isoTimestamp + #")\]\s+(?:(?<logger>[\w\-]+)\.)?(?<level>"# + levels
                + #")\b:?\s*(?<message>.*)$"#,
            examples: [
                ("[2026-11-25 10:00:00] production.ERROR: Uncaught exception",
                 ["logger": "production", "level": "ERROR", "message": "Uncaught exception"]),
                ("[2026-11-25T10:00:00.123Z] WARN slow request",
                 ["level": "WARN", "message": "slow request"]),
            ]),
        RecordFormat(
            name: "level first (LEVEL time message, [LEVEL] message)",
            pattern: #"^\[?(?<level>TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL)\]?\s+(?:(?<timestamp>"#
                + isoTimestamp + #")\s+)?(?:\[(?<thread>[^\]]*)\]\s+)?(?<message>.*)$"#,
            examples: [
                ("ERROR 2026-11-25 10:00:00,123 [main] something broke",
                 ["level": "ERROR", "timestamp": "2026-11-25 10:00:00,123", "thread": "main",
                  "message": "something broke"]),
                ("[WARN] disk almost full", ["level": "WARN", "message": "disk almost full"]),
            ]),
        RecordFormat(
            name: "java.util.logging (two lines: time logger method, then LEVEL: message)",
            pattern: #"^(?<timestamp>[A-Z][a-z]{2} \d{1,2}, \d{4},? \d{1,2}:\d{2}:\d{2}(?: [AP]M)?) (?<logger>[\w$.]+)(?: (?<function>[\w$<>]+))?$"#,
            levelOnNextLine: true,
            examples: [
                ("Nov 25, 2026 10:00:00 AM com.acme.Server handle",
                 ["timestamp": "Nov 25, 2026 10:00:00 AM", "logger": "com.acme.Server", "function": "handle"]),
            ]),
        RecordFormat(
            name: "klog/glog (Lmmdd hh:mm:ss.uuuuuu threadid file:line] msg)",
            pattern: #"^(?<level>[IWEF])(?<timestamp>\d{4} \d{2}:\d{2}:\d{2}\.\d{6})\s+(?<thread>\d+) (?<logger>[^ \]]+:\d+)\] (?<message>.*)$"#,
            examples: [
                ("E1125 10:00:00.123456    1234 server.go:42] failed to sync",
                 ["level": "E", "timestamp": "1125 10:00:00.123456", "thread": "1234", "logger": "server.go:42",
                  "message": "failed to sync"]),
            ]),
        RecordFormat(
            name: "Ruby Logger / Rails (L, [time #pid] LEVEL -- progname: message)",
            pattern: #"^(?<level>[DIWEFU]), \[(?<timestamp>\S+) #(?<thread>\d+)\]\s+[A-Z]+ -- (?<logger>[^:]*): (?<message>.*)$"#,
            examples: [
                ("E, [2026-11-25T10:00:00.123456 #4242] ERROR -- : boom",
                 ["level": "E", "timestamp": "2026-11-25T10:00:00.123456", "thread": "4242", "logger": "",
                  "message": "boom"]),
            ]),
        RecordFormat(
            name: "nginx error log",
            pattern: #"^(?<timestamp>\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}) \[(?<level>emerg|alert|crit|error|warn|notice|info|debug)\] (?<thread>\d+#\d+): (?:\*\d+ )?(?<message>.*)$"#,
            examples: [
                ("2026/11/25 10:00:00 [error] 1234#0: *5 connect() failed (111: Connection refused)",
                 ["timestamp": "2026/11/25 10:00:00", "level": "error", "thread": "1234#0",
                  "message": "connect() failed (111: Connection refused)"]),
            ]),
        RecordFormat(
            name: "Apache error log",
            pattern: #"^\[(?<timestamp>[A-Z][a-z]{2} [A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}(?:\.\d+)? \d{4})\] \[(?:(?<logger>\w+):)?(?<level>emerg|alert|crit|error|warn|notice|info|debug|trace\d)\] (?:\[pid (?<thread>[^\]]+)\] )?(?:\[client [^\]]+\] )?(?<message>.*)$"#,
            examples: [
                ("[Wed Nov 25 10:00:00.123456 2026] [core:error] [pid 42:tid 7] [client 10.0.0.1:1234] AH00037: Symbolic link not allowed",
                 ["logger": "core", "level": "error", "thread": "42:tid 7",
                  "message": "AH00037: Symbolic link not allowed"]),
            ]),
        RecordFormat(
            name: "Go log package (yyyy/mm/dd hh:mm:ss message)",
            pattern: #"^(?<timestamp>\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d+)?) (?:(?<logger>[\w.\-]+\.go:\d+): )?(?<message>.*)$"#,
            examples: [
                ("2026/11/25 10:00:00 http: panic serving 10.0.0.1:1234: boom",
                 ["timestamp": "2026/11/25 10:00:00", "message": "http: panic serving 10.0.0.1:1234: boom"]),
            ]),
        RecordFormat(
            name: "syslog RFC 5424",
            pattern: #"^<(?<pri>\d{1,3})>1 (?<timestamp>\S+) (?<host>\S+) (?<logger>\S+) (?<thread>\S+) \S+ (?:-|(?:\[[^\]]*\])+) ?(?<message>.*)$"#,
            examples: [
                ("<11>1 2026-11-25T10:00:00.000Z web01 api 4242 ID47 - request failed",
                 ["pri": "11", "host": "web01", "logger": "api", "thread": "4242", "message": "request failed"]),
            ]),
        RecordFormat(
            name: "syslog RFC 3164 / journald short (Mmm dd hh:mm:ss host unit[pid]: message)",
            pattern: #"^(?:<(?<pri>\d{1,3})>)?(?<timestamp>[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}) (?<host>\S+) (?<logger>[^:\[\s]+)(?:\[(?<thread>\d+)\])?: (?<message>.*)$"#,
            examples: [
                ("Nov 25 10:00:00 web01 api[4242]: request failed",
                 ["timestamp": "Nov 25 10:00:00", "host": "web01", "logger": "api", "thread": "4242",
                  "message": "request failed"]),
            ]),
        RecordFormat(
            name: "journald short-iso (time host unit[pid]: message)",
            pattern: #"^(?<timestamp>\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})) (?<host>\S+) (?<logger>[^:\[\s]+)(?:\[(?<thread>\d+)\])?: (?<message>.*)$"#,
            examples: [
                ("2026-11-25T10:00:00+0100 web01 api[4242]: request failed",
                 ["host": "web01", "logger": "api", "thread": "4242", "message": "request failed"]),
            ]),
    ]
}
