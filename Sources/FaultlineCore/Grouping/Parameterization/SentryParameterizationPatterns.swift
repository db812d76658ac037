/// Sentry's parameterization patterns (`src/sentry/grouping/parameterization.py`), restated from the
/// reference's description (§7) in PCRE2, in Sentry's order. At one position the first alternative that
/// matches wins, so the order is part of the behaviour: `uuid` before `hex`, `float` before `int`, …
///
/// Versions: the newest `int` (`(\b|(?<!\w)-)\d{1,7}\b`, so `2006-01-40` → `<int>-<int>-<int>`) and the newest
/// `hex` (4–6 characters with a letter and a digit, or 8–128 of one case), as seen in spring 2026.
///
/// Written from descriptions, not copied. Where the reference gives a pattern, it is used as given, with
/// Python's `\s`/`\S` spelled out (``PythonClass``) and inner groups made non-capturing. The date forms the
/// reference only names (RFC 822/1123, RFC 850, JavaScript, the two legacy forms) are written from the
/// formats themselves.
enum SentryParameterizationPatterns {
    static let all: [ParameterizationPattern] = [
        email, url, hostname, ip, traceparent, uuid, sha1, md5, date, duration, swiftTransactionID, hex,
        gitSHA, float, int, quotedString, bool,
    ]

    private static let s = PythonClass.space
    private static let nonSpace = PythonClass.nonSpace
    private static let spaceMembers = PythonClass.spaceMembers

    // MARK: 1–3: addresses

    /// The characters of an email's local part.
    private static let localPart = #"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]"#

    /// `[local part]+@domain`. The guard in front (a match starts where the search starts or after a
    /// character that cannot be in a local part) changes no result: a local part that matches inside a run
    /// of such characters also matches at the run's previous character, where the search came first. It keeps
    /// long runs without `@` (base64, tokens) linear instead of rescanning the run from every position.
    static let email = ParameterizationPattern(
        name: "email",
        source: #"(?:\G|(?<!\#(localPart))) \#(localPart)+ @ [a-zA-Z0-9-]+ (?:\.[a-zA-Z0-9-]+)*"#,
        examples: [
            .init("test@email.com", "<email>"),
            .init("contact first.last+tag@mail.example.org now", "contact <email> now"),
            // The local part stops at `:`, so a URL's credentials become `user:<email>`.
            .init("tcp://user:pass@email.com:10", "tcp://user:<email>:<int>"),
            // A domain needs no dot.
            .init("root@localhost", "<email>"),
        ])

    static let url = ParameterizationPattern(
        name: "url",
        source: #"\b (?:wss?|https?|ftp) :// [^\#(spaceMembers)/$.?#] . \#(nonSpace)*"#,
        examples: [
            .init("http://some.email.com", "<url>"),
            .init("GET https://api.example.com/v1/users?id=42 failed", "GET <url> failed"),
            .init("connect wss://host:443/socket", "connect <url>"),
            // Other schemes are not URLs; what follows `://` is parameterized on its own.
            .init("tcp://10.0.0.1:5432", "tcp://<ip>:<int>"),
        ])

    /// The top-level domains `hostname` knows, each all upper or all lower case.
    static let topLevelDomains = """
        COM NET ORG JP DE UK FR BR IT RU ES ME GOV PL CA AU CN CO IN NL EDU INFO EU CH ID AT KR CZ MX BE TV SE TR \
        TW AL UA IR VN CL SK LY CC TO NO FI US PT DK AR HU TK GR IL NEWS RO MY BIZ IE ZA NZ SG EE TH IO XYZ PE BG HK \
        RS LT LINK PH CLUB SI SITE MOBI BY CAT WIKI LA GA XXX CF HR NG JOBS ONLINE KZ UG GQ AE IS LV PRO FM TIPS MS \
        SA APP
        """.split(separator: " ").map(String.init)

    static let hostname = ParameterizationPattern(
        name: "hostname",
        source: #"\b (?:[a-zA-Z0-9\-]{1,63}\.)+? (?:"#
            + (topLevelDomains + topLevelDomains.map { $0.lowercased() }).joined(separator: "|")
            + #") \b"#,
        examples: [
            .init("www.example.net", "<hostname>"),
            .init("resolve db01.internal.example.COM failed", "resolve <hostname> failed"),
            // Labels are taken lazily: the first known TLD ends the host name.
            .init("www.example.co.uk", "<hostname>.uk"),
            // Mixed-case and unknown TLDs are not host names.
            .init("example.Com", "example.Com"),
            .init("service.internal", "service.internal"),
        ])

    // MARK: 4–8: addresses and identifiers

    private static let ipv4 = #"(?:(?:25[0-5]|(?:2[0-4]|1{0,1}[0-9]){0,1}[0-9])\.){3,3}(?:25[0-5]|(?:2[0-4]|1{0,1}[0-9]){0,1}[0-9])"#
    private static let h16 = "[0-9a-fA-F]{1,4}"

    /// IPv6 text forms (RFC 4291 §2.2), in the order the reference lists them: full, `::`-compressed
    /// (by how many groups stand before the `::`), link-local with a zone, IPv4-mapped, IPv4-embedded.
    private static let ipv6Forms = [
        "(?:\(h16):){7,7}\(h16)",
        "(?:\(h16):){1,7}:",
        "(?:\(h16):){1,6}:\(h16)",
        "(?:\(h16):){1,5}(?::\(h16)){1,2}",
        "(?:\(h16):){1,4}(?::\(h16)){1,3}",
        "(?:\(h16):){1,3}(?::\(h16)){1,4}",
        "(?:\(h16):){1,2}(?::\(h16)){1,5}",
        "\(h16):(?::\(h16)){1,6}",
        ":(?:(?::\(h16)){1,7}|:)",
        "fe80:(?::[0-9a-fA-F]{0,4}){0,4}%[0-9a-zA-Z]{1,}",
        "::(?:ffff(?::0{1,4}){0,1}:){0,1}\(ipv4)",
        "(?:\(h16):){1,4}:\(ipv4)",
    ]

    static let ip = ParameterizationPattern(
        name: "ip",
        // The lookarounds keep `Class::method` and `a::b` from being addresses.
        source: "(?<![0-9a-zA-Z_]) (?:" + ipv6Forms.joined(separator: " | ") + ") (?![0-9a-zA-Z])"
            + #" | \b \#(ipv4) \b"#,
        examples: [
            .init("0.0.0.0:80", "<ip>:<int>"),
            .init("from 192.168.1.254 port", "from <ip> port"),
            .init("Option::unwrap()", "Option::unwrap()"),
            .init("Foo::Bar::baz", "Foo::Bar::baz"),
            .init("1:2:3:4:5:6:7:8", "<ip>"),
            .init("bind [::1]:8080", "bind [<ip>]:<int>"),
            // Forms are tried in order and the lookahead accepts `:`, `.` and `%` after an address, so an
            // earlier, shorter form can win: a middle `::` ends the address at the next group.
            .init("2001:db8:85a3::8a2e:370:7334", "<ip>:<int>:<int>"),
            .init("fe80::1ff:fe23:4567:890a", "<ip>:<hex>:<int>:<hex>"),
            .init("fe80::1%eth0", "<ip>%eth0"),
            .init("::ffff:192.0.2.1", "<ip>.<float>.<int>"),
            .init("256.1.1.1", "<float>.<float>"),
        ])

    static let traceparent = ParameterizationPattern(
        name: "traceparent",
        source: #"\b 00-[0-9a-f]{32}-[0-9a-f]{16}-0[01] \b | \b 1-[0-9a-f]{8}-[0-9a-f]{24} \b"#,
        examples: [
            .init("traceparent: 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                  "traceparent: <traceparent>"),
            // AWS X-Ray.
            .init("X-Amzn-Trace-Id: Root=1-5759e988-bd862e3fe1be46a994272793", "X-Amzn-Trace-Id: Root=<traceparent>"),
        ])

    static let uuid = ParameterizationPattern(
        name: "uuid",
        source: #"\b [0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12} \b"#,
        examples: [
            .init("bea691f2-2e25-4bec-6838-e0c44b03d60a/7c1811ed-cd07-4ba5-8d1c-4b7a1f6e0b3c", "<uuid>/<uuid>"),
            .init("Order 3F2504E0-4F89-11D3-9A0C-0305E82C3301 not found", "Order <uuid> not found"),
        ])

    static let sha1 = ParameterizationPattern(
        name: "sha1",
        source: #"\b [0-9a-fA-F]{40} \b"#,
        examples: [
            .init("blob da39a3ee5e6b4b0d3255bfef95601890afd80709", "blob <sha1>"),
        ])

    static let md5 = ParameterizationPattern(
        name: "md5",
        source: #"\b [0-9a-fA-F]{32} \b"#,
        examples: [
            .init("checksum d41d8cd98f00b204e9800998ecf8427e mismatch", "checksum <md5> mismatch"),
        ])

    // MARK: 9: dates

    private static let weekday = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
    private static let fullWeekday = "(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    private static let month = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    /// A zone as Go's `MST` layout element writes it (an abbreviation) or a numeric offset (`-0700`).
    private static let zone = #"(?:[+-]\d{4}|[A-Z]{1,5})\b"#
    /// ISO 8601 date and time up to the minutes, extended (`2006-01-02 15:04`) or basic (`20060102T1504`).
    private static let isoDateHourMinute = #"\d{4}-?[01]\d-?[0-3]\d [\#(spaceMembers)T] [0-2]\d:?[0-5]\d"#
    private static let isoOffset = #"(?:[+-][0-2]\d:?[0-5]\d|Z)"#

    /// The date forms, in order.
    static let dateForms: [String] = [
        // RFC 822, 822Z, 1123, 1123Z: `Mon, 02 Jan 06 15:04 MST`, `Mon, 02 Jan 2006 15:04:05 -0700`.
        #"(?:\#(weekday),\#(s))? \d{1,2}\#(s)\#(month)\#(s)(?:\d{4}|\d{2})\#(s)\d{2}:\d{2}(?::\d{2})?\#(s)\#(zone)"#,
        // `Mon Jan 02, 1999`, `Jan 18, 2019`.
        #"(?:\#(weekday)\#(s))? \#(month)\#(s)\d{1,2},\#(s)\d{4}"#,
        // RFC 850: `Monday, 02-Jan-06 15:04:05 MST`.
        #"\#(fullWeekday),\#(s)\d{2}-\#(month)-\d{2}\#(s)\d{2}:\d{2}:\d{2}\#(s)\#(zone)"#,
        // RFC 3339 (and RFC3339Nano): `2006-01-02T15:04:05.999999999Z07:00`.
        #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?(?:[+-]?\d{2}:\d{2})?"#,
        // JavaScript's Date.toString(): `Mon Jan 02 2006 15:04:05 GMT-0800 (Pacific Standard Time)`.
        #"\#(weekday)\#(s)\#(month)\#(s)\d{2}\#(s)\d{4}\#(s)\d{2}:\d{2}:\d{2}\#(s)GMT[+-]\d{4}(?:\#(s)\([^)]+\))?"#,
        // Date and time with an offset or Z: with fractional seconds, with seconds, with minutes.
        #"\#(isoDateHourMinute) :?[0-5]\d \.\d+ \#(isoOffset)"#,
        #"\#(isoDateHourMinute) :?[0-5]\d \#(isoOffset)"#,
        #"\#(isoDateHourMinute) \#(isoOffset)"#,
        // The same without an offset.
        #"\#(isoDateHourMinute) :?[0-5]\d \.\d+"#,
        #"\#(isoDateHourMinute) :?[0-5]\d"#,
        #"\#(isoDateHourMinute)"#,
        // Kitchen clock, 12 hours: `3:04`, `11:21PM`, `3:04:05 pm`.
        #"(?<!\d)(?:[1-9]|1[0-2]):[0-5]\d(?::[0-5]\d)?(?![\d:])(?:\#(s)?[aApP][Mm])?"#,
        // Kitchen clock, 24 hours: `23:21`, `09:30:15`.
        #"(?<!\d)(?:0?\d|1\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?![\d:])"#,
        // Date: `2006-01-02`.
        #"\d{4}-[01]\d-[0-3]\d"#,
        // Time: `15:04:05`.
        #"[0-2]\d:[0-5]\d:[0-5]\d"#,
        // Legacy syslog and ctime (ANSIC, UnixDate): `Jan  2 15:04:05`, `Mon Jan  2 15:04:05 MST 2006`.
        #"(?:\#(weekday)\#(s)+)? \#(month)\#(s)+\d{1,2}\#(s)+\d{2}:\d{2}:\d{2}(?:\.\d+)? (?:(?:\#(s)+[A-Z]{2,5})?\#(s)+\d{4}\b)?"#,
        // Legacy RFC 2822, with folding white space and an optional zone: `Tue,  1 Jul 2003 10:52:37`.
        #"(?:\#(weekday),\#(s)*)? \d{1,2}\#(s)+\#(month)\#(s)+\d{4}\#(s)+\d{2}:\d{2}(?::\d{2})? (?:\#(s)+\#(zone))?"#,
        // Python's repr of a datetime: `datetime.datetime(2025, 6, 24, 18, 33, 0, 447640)`.
        #"datetime.datetime\(.*?\)"#,
    ]

    static let date = ParameterizationPattern(
        name: "date",
        source: dateForms.map { "(?:\($0))" }.joined(separator: " | "),
        examples: [
            .init("Mon, 02 Jan 06 15:04 MST", "<date>"),
            .init("02 Jan 06 15:04 -0700", "<date>"),
            .init("Mon, 02 Jan 2006 15:04:05 -0700", "<date>"),
            .init("expires Mon, 02 Jan 2006 15:04:05 GMT; path=/", "expires <date>; path=/"),
            .init("Mon Jan 02, 1999", "<date>"),
            .init("Jan 18, 2019", "<date>"),
            .init("Monday, 02-Jan-06 15:04:05 MST", "<date>"),
            .init("2024-02-20T22:16:36", "<date>"),
            .init("2006-01-02T15:04:05.999999999+07:00", "<date>"),
            .init("at 2006-01-02T15:04:05Z", "at <date>"),
            .init("Mon Jan 02 2006 15:04:05 GMT-0800 (Pacific Standard Time)", "<date>"),
            .init("2006-01-02 15:04:05.123+01:00", "<date>"),
            .init("20060102T150405+0100", "<date>"),
            .init("2006-01-02 15:04Z", "<date>"),
            .init("2024-02-23 02:13:53.418", "<date>"),
            .init("2006-01-02 15:04:05", "<date>"),
            .init("20060102 1504", "<date>"),
            .init("11:21PM", "<date>"),
            .init("at 3:04 pm", "at <date>"),
            .init("9:30", "<date>"),
            .init("23:21", "<date>"),
            .init("09:30:15", "<date>"),
            .init("2006-01-02", "<date>"),
            .init("24:00:00", "<date>"),
            .init("Jan  2 15:04:05 host sshd", "<date> host sshd"),
            .init("Mon Jan  2 15:04:05 MST 2006", "<date>"),
            .init("Tue,  1 Jul 2003 10:52:37", "<date>"),
            .init("datetime.datetime(2025, 6, 24, 18, 33, 0, 447640)", "<date>"),
            // Not a kitchen time: the minutes run on.
            .init("0:17502", "<int>:<int>"),
        ])

    // MARK: 10–17: numbers and values

    static let duration = ParameterizationPattern(
        name: "duration",
        // Two alternatives (in Sentry's verbose pattern the space between them is ignored): milliseconds need
        // a boundary before, seconds after. The guard before seconds changes no result (seconds that match
        // inside a run of digits also match at the previous digit, where the search came first) and keeps
        // long digit runs linear.
        source: #"\b \d+ms | (?:\G|(?<!\d)) \d+(?:\.\d+)?s \b"#,
        examples: [
            .init("1.234s", "<duration>"),
            .init("10ms", "<duration>"),
            .init("timeout after 30s", "timeout after <duration>"),
            .init("took 10msec", "took <duration>ec"),
        ])

    static let swiftTransactionID = ParameterizationPattern(
        name: "swift_txn_id",
        source: #"\b tx[0-9a-f]{21}-[0-9a-f]{10} \#(nonSpace)*"#,
        examples: [
            .init("Swift txn txabcdef0123456789abcde-0123456789abc failed", "Swift txn <swift_txn_id> failed"),
        ])

    static let hex = ParameterizationPattern(
        name: "hex",
        source: #"""
            \b 0[xX][0-9a-fA-F]+ \b
            | (?:\b|(?<!\w)-)
              (?: (?=[a-f]*[0-9])(?=[0-9]*[a-f])[0-9a-f]{4,6}
                | (?=[A-F]*[0-9])(?=[0-9]*[A-F])[0-9A-F]{4,6}
                | [0-9a-f]{8,128}
                | [0-9A-F]{8,128} )
              \b
            """#,
        examples: [
            .init("0x9af8", "<hex>"),
            .init("0XDEADBEEF", "<hex>"),
            .init("segfault at 7f3a2c", "segfault at <hex>"),
            .init("9af8", "<hex>"),
            .init("9AF8", "<hex>"),
            .init("deadbeef", "<hex>"),
            .init("DEADBEEF", "<hex>"),
            .init("12345678", "<hex>"),
            .init("request 1700000000123 failed", "request <hex> failed"),
            .init("offset -deadbeef", "offset <hex>"),
            // Four to six characters need a letter and a digit, of one case.
            .init("face", "face"),
            .init("1234", "<int>"),
            .init("9aF8", "9aF8"),
        ])

    static let gitSHA = ParameterizationPattern(
        name: "git_sha",
        source: #"\b (?=[a-f]*[0-9])(?=[0-9]*[a-f])[0-9a-f]{7} \b"#,
        examples: [
            .init("commit a93c7d2", "commit <git_sha>"),
            .init("commit 4150908", "commit <int>"),
            .init("defaced", "defaced"),
        ])

    static let float = ParameterizationPattern(
        name: "float",
        source: #"-\d+\.\d+ \b | \b \d+\.\d+ \b"#,
        examples: [
            .init("0.23", "<float>"),
            .init("delta -1.5", "delta <float>"),
            .init("version 1.2.3", "version <float>.<int>"),
            .init("HTTP/1.1 404", "HTTP/<float> <int>"),
        ])

    static let int = ParameterizationPattern(
        name: "int",
        source: #"(?:\b|(?<!\w)-) \d{1,7} \b"#,
        examples: [
            .init("0:17502", "<int>:<int>"),
            .init("2006-01-40", "<int>-<int>-<int>"),
            .init("retry -5 times", "retry <int> times"),
            .init("Encoding: utf-8", "Encoding: utf-<int>"),
            .init("4,150,908", "<int>,<int>,<int>"),
            .init("١٢٣ items", "<int> items"),
            .init("id42", "id42"),
        ])

    static let quotedString = ParameterizationPattern(
        name: "quoted_str",
        source: #"(?<==) (?:'[^']+'|"[^"]+")"#,
        examples: [
            .init("b='1'", "b=<quoted_str>"),
            .init(#"b="0.0.0.0 1 a=True""#, "b=<quoted_str>"),
            .init("b = '1'", "b = '<int>'"),
            .init("b=''", "b=''"),
        ])

    static let bool = ParameterizationPattern(
        name: "bool",
        source: #"(?<==) (?:True|true|False|false)"#,
        examples: [
            .init("a=false", "a=<bool>"),
            .init("a = False", "a = False"),
            .init(#"{"ok": true}"#, #"{"ok": true}"#),
            .init("a=trueish", "a=<bool>ish"),
        ])
}
