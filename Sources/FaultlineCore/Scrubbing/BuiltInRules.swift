extension ScrubRule {
    /// The built-in rules in the order they run; where two replacements overlap they merge, and the one that
    /// starts first (then the longer, then the earlier rule) names the placeholder.
    ///
    /// Every example is a test: `input` becomes `output` with the default rules on (and the rule itself when it
    /// is opt-in), and every survivor comes out unchanged.
    public static let builtIn: [ScrubRule] = [
        pemKey, jsonWebToken, secrets, bearer, urlAuth, password, email, creditCard, iban, usSSN, ip, userPath,
        highEntropy, uuid, mac, phone,
    ]

    /// The names of the built-in rules that are on unless disabled.
    public static var defaultRuleNames: [String] { builtIn.filter { !$0.isOptIn }.map(\.name) }

    // MARK: Secrets with a known shape

    static let pemKey = ScrubRule(
        name: "@pemkey", label: "pemkey",
        summary: "The body of a PEM private or public key; the BEGIN and END lines stay. A block spread over several "
            + "lines is followed line by line.",
        detectors: [
            ScrubDetector(
                #"-----BEGIN [A-Z0-9 ]{0,40}(?:PRIVATE|PUBLIC) KEY(?: BLOCK)?-----(?<value>.+?)(?:-----END [A-Z0-9 ]{0,40}KEY(?: BLOCK)?-----|$)"#,
                trigger: .literals([Literal("-----BEGIN ")])),
        ],
        examples: [
            ("key=-----BEGIN RSA PRIVATE KEY-----MIIEowIBAAKCAQEA7bq-----END RSA PRIVATE KEY-----",
             "key=-----BEGIN RSA PRIVATE KEY-----[pemkey]-----END RSA PRIVATE KEY-----"),
            (#"{"key":"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"}"#,
             #"{"key":"-----BEGIN PRIVATE KEY-----[pemkey]-----END PRIVATE KEY-----"}"#),
            ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAAB\nAAAAMwAAAAtzc2gtZW\n-----END OPENSSH PRIVATE KEY-----",
             "-----BEGIN OPENSSH PRIVATE KEY-----\n[pemkey]\n[pemkey]\n-----END OPENSSH PRIVATE KEY-----"),
            ("-----BEGIN PGP PRIVATE KEY BLOCK-----lQOYBF0cNQkBCAC-----END PGP PRIVATE KEY BLOCK-----",
             "-----BEGIN PGP PRIVATE KEY BLOCK-----[pemkey]-----END PGP PRIVATE KEY BLOCK-----"),
        ],
        survivors: [
            "-----BEGIN CERTIFICATE-----MIIDdzCCAl+gAwIBAgIE-----END CERTIFICATE-----",
            "loading key from /etc/ssl/private/server.key",
            "-----BEGIN RSA PRIVATE KEY-----",
        ])

    static let jsonWebToken = ScrubRule(
        name: "@jwt", label: "jwt",
        summary: "A JSON Web Token: three base64url segments whose first decodes to a JSON header with `alg`.",
        detectors: [
            ScrubDetector(
                #"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*(?![A-Za-z0-9_-])"#,
                trigger: .literals([Literal("eyJ")]), validator: .jsonWebToken),
        ],
        examples: [
            ("id_token eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c expired",
             "id_token [jwt] expired"),
            ("unsigned eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSJ9. accepted", "unsigned [jwt] accepted"),
        ],
        survivors: [
            "eyJub3QiOiJqc29uIn0.eyJ4IjoxMjM0NTZ9.c2lnbmF0dXJl has no alg",
            "prefix eyJhbGciOiJIUzI1NiJ9 alone",
        ])

    static let bearer = ScrubRule(
        name: "@bearer", label: "token",
        summary: "The credentials of an `Authorization` header (the scheme stays: `Bearer [token]`) and a token after "
            + "the word Bearer anywhere.",
        detectors: [
            ScrubDetector(
                authorizationHeader + #"(?:bearer|basic|token|negotiate|ntlm|apikey|dpop|hoba)[ \t]+(?<value>[A-Za-z0-9._~+/:=-]+)"#,
                trigger: .words([Literal("authorization")]), lookback: 6),
            ScrubDetector(
                authorizationHeader + #"digest[ \t]+(?<value>[^\r\n]+)"#,
                trigger: .words([Literal("authorization")]), lookback: 6),
            ScrubDetector(
                authorizationHeader + #"(?!(?:bearer|basic|token|negotiate|ntlm|apikey|dpop|hoba|digest)[ \t])(?<value>[^\s"'\\,;]+)"#,
                trigger: .words([Literal("authorization")]), lookback: 6, validator: .credential),
            ScrubDetector(
                #"(?i)(?<![\w-])bearer[ \t]+(?<value>[A-Za-z0-9._~+/-]+=*)"#,
                trigger: .words([Literal("bearer")]), validator: .bearerToken),
        ],
        examples: [
            ("Auth header rejected: Authorization: Bearer AbCdEf0123456789GhIjKlMnOpQrStUv",
             "Auth header rejected: Authorization: Bearer [token]"),
            ("authorization=Basic YWxhZGRpbjpvcGVuc2VzYW1l", "authorization=Basic [token]"),
            (#"{"headers":{"Authorization":"Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"}}"#,
             #"{"headers":{"Authorization":"Token [token]"}}"#),
            (#"Authorization: Digest username="alice", realm="api", response="6629fae4""#,
             "Authorization: Digest [token]"),
            ("PROXY-AUTHORIZATION: sk9Qx71Lm", "PROXY-AUTHORIZATION: [token]"),
            ("b'Bearer A1BBC234QWERTY0987MNBV012765HJKL'", "b'Bearer [token]'"),
        ],
        survivors: [
            "Bearer token expired", "the bearer of this message", "authorization failed for user u42",
            "Authorization: required", "Authorization header missing",
        ])

    /// `Authorization:` (or `authorization=`, JSON `"Authorization":"`), case-insensitive, up to the scheme.
    private static let authorizationHeader =
        #"(?i)(?<![\w-])(?:proxy-)?authorization\\?["']?[ \t]{0,3}(?<op>[:=])[ \t]{0,3}\\?["']?"#

    static let urlAuth = ScrubRule(
        name: "@urlauth", label: "auth",
        summary: "The `user:password` of a URL (`https://[auth]@host/`).",
        detectors: [
            ScrubDetector(
                #"(?i)(?<![A-Za-z0-9+.-])[a-z][a-z0-9+.-]{0,20}://(?<value>[^\s/?#@"'<>\[\]\\]+)@"#,
                trigger: .literals([Literal("://")]), lookback: 21),
        ],
        examples: [
            ("connecting to postgres://app:s3cret@db.internal:5432/orders",
             "connecting to postgres://[auth]@db.internal:5432/orders"),
            ("redis://:hunter2@cache:6379/0", "redis://[auth]@cache:6379/0"),
            ("'https://alice:pw@example.com/x'", "'https://[auth]@example.com/x'"),
            ("pg://matt:pass@localhost/1", "pg://[auth]@localhost/1"),
        ],
        survivors: ["postgres:///path", "https://example.com/a@b", "see https://example.com/@scope/pkg"])

    static let password = ScrubRule(
        name: "@password", label: "password",
        summary: "The value of a sensitive key (password, passwd, secret, api_key, token, auth, credentials, "
            + "private_key, session, cookie, …) after `=`, `:`, `=>` or `:=`, in key=value, JSON, query strings and "
            + "headers: the value only, and only after an assignment.",
        detectors: [
            ScrubDetector(
                #"(?<![A-Za-z0-9])(?<key>(?i:[A-Za-z0-9_.-]{0,40}?(?:passw(?:or)?d|passphrase|pwd|secret|token|api[_.-]?key|auth|credentials?|private[_.-]?key|secret[_.-]?key|access[_.-]?key|session(?:[_.-]?(?:id|key))?|sessid|(?<![A-Za-z0-9])(?:sid|otp)|cookie)))\\?["']?[ \t]{0,3}(?<op>=>|:=|=|:)[ \t]{0,3}(?|\\"(?<value>(?:[^"\\]|\\[^"])*)\\"|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|(\$\{[^}\s]*\}|\{\{[^}]*\}\}|[^\s&,;"'<>(){}\[\]|\\]+))"#,
                trigger: .sensitiveAssignment, validator: .credential),
            ScrubDetector(
                #"(?i)(?<![\w-])(?:set-)?cookie[ \t]{0,3}:[ \t]{0,3}(?<value>[^\r\n"\\]*[^\s"\\;])"#,
                trigger: .words([Literal("cookie")]), lookback: 4),
        ],
        examples: [
            ("login user=u123 password=hunter2 ok", "login user=u123 password=[password] ok"),
            (#"{"username":"alice","password":"p@ss w0rd"}"#, #"{"username":"alice","password":"[password]"}"#),
            ("GET /cb?code=x&access_token=ya29.a0AfH6SM&state=1", "GET /cb?code=x&access_token=[password]&state=1"),
            ("User u257257 logged in from 10.120.78.73 session=538ae1c130312932",
             "User u257257 logged in from [ip] session=[password]"),
            ("X-Api-Key: 5f2b7c9e1a", "X-Api-Key: [password]"),
            ("Cookie: sessionid=abc123; csrftoken=xyz789", "Cookie: [password]"),
            ("db_password => 'tiger'", "db_password => '[password]'"),
            ("clientSecret: Zx9-Qq", "clientSecret: [password]"),
            (#"msg="{\"apiKey\":\"k-123\"}""#, #"msg="{\"apiKey\":\"[password]\"}""#),
            ("PHPSESSID=9s8d7f6g5h; connect.sid=s%3Aabc", "PHPSESSID=[password]; connect.sid=[password]"),
            ("MYSQL_PWD=tiger AUTH=x1", "MYSQL_PWD=[password] AUTH=[password]"),
        ],
        survivors: [
            "password reset failed for user u123", "Invalid password: too short", "token_count=512", "tokenizer=bpe",
            "author=jane", "is_authenticated=true", "password=null", "password: ********", "secret_name=db-creds",
            "passwordless=true", "PWD=/srv/app", "User password is secret123 for authentication", "api_key_id=AKID42",
            "token: expired", "auth_method=oauth", #"{"password": ""}"#, "password=${DB_PASSWORD}",
        ])

    static let secrets = ScrubRule(
        name: "@secrets", label: "secret",
        summary: "API keys and tokens with a known shape: AWS access key ids, GitHub, GitLab, Slack, Stripe, Google "
            + "API keys, OpenAI, Anthropic, npm and PyPI tokens; each has its own placeholder.",
        detectors: [
            ScrubDetector(
                #"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z2-7]{16}(?![A-Za-z0-9])"#,
                trigger: apiKeyPrefixes,
                label: "aws-access-key"),
            ScrubDetector(
                #"(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{36,251}|github_pat_[A-Za-z0-9_]{22,255})(?![A-Za-z0-9_])"#,
                trigger: apiKeyPrefixes,
                label: "github-token"),
            ScrubDetector(
                #"(?<![A-Za-z0-9_-])gl(?:pat|dt|rt|ptt|cbt|imt|soat|ft)-[A-Za-z0-9_-]{20,}(?:\.[0-9a-z]{9})?(?![A-Za-z0-9_-])"#,
                trigger: apiKeyPrefixes,
                label: "gitlab-token"),
            ScrubDetector(
                #"(?<![A-Za-z0-9_-])(?:xox[abeoprs]-[0-9A-Za-z-]{10,}|xapp-\d-[A-Z0-9]{6,}-\d+-[a-z0-9]{6,})"#,
                trigger: apiKeyPrefixes,
                label: "slack-token"),
            ScrubDetector(
                #"hooks\.slack\.com/(?:services|workflows|triggers)/(?<value>[A-Za-z0-9_/+-]{20,})"#,
                trigger: .literals([Literal("hooks.slack.com/")]), label: "slack-token"),
            ScrubDetector(
                #"(?<![A-Za-z0-9_])(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{10,247}|whsec_[A-Za-z0-9]{24,})(?![A-Za-z0-9_])"#,
                trigger: apiKeyPrefixes,
                label: "stripe-key"),
            ScrubDetector(
                #"(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])"#,
                trigger: apiKeyPrefixes, label: "google-api-key"),
            ScrubDetector(
                #"(?<![A-Za-z0-9_-])sk-(?:(?:proj|svcacct|admin)-[A-Za-z0-9_-]{20,}|[A-Za-z0-9_-]{16,}T3BlbkFJ[A-Za-z0-9_-]{16,}|[A-Za-z0-9]{48})(?![A-Za-z0-9_-])"#,
                trigger: apiKeyPrefixes, label: "openai-key"),
            ScrubDetector(
                #"(?<![A-Za-z0-9_-])sk-ant-[a-z]{2,8}\d{2}-[A-Za-z0-9_-]{20,}(?![A-Za-z0-9_-])"#,
                trigger: apiKeyPrefixes, label: "anthropic-key"),
            ScrubDetector(
                #"(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9_])"#,
                trigger: apiKeyPrefixes, label: "npm-token"),
            ScrubDetector(
                #"(?<![A-Za-z0-9_-])pypi-(?:AgEIcHlwaS5vcmc|AgENdGVzdC5weXBpLm9yZw)[A-Za-z0-9_-]{50,}"#,
                trigger: apiKeyPrefixes, label: "pypi-token"),
        ],
        examples: [
            ("aws_access_key_id=AKIAIOSFODNN7EXAMPLE region=eu-west-1",
             "aws_access_key_id=[aws-access-key] region=eu-west-1"),
            ("push with ghp_0123456789abcdefghijABCDEFGHIJ012345 denied", "push with [github-token] denied"),
            ("GITHUB_TOKEN github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ012",
             "GITHUB_TOKEN [github-token]"),
            ("clone with glpat-aBcDeFgHiJkLmNoPqRsT failed", "clone with [gitlab-token] failed"),
            ("slack xoxb-1234567890-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx ok", "slack [slack-token] ok"),
            ("POST https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX 404",
             "POST https://hooks.slack.com/services/[slack-token] 404"),
            ("stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc declined", "stripe [stripe-key] declined"),
            ("maps AIzaSyA-0123456789abcdefghijklmnopqrstu quota", "maps [google-api-key] quota"),
            ("openai sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_abcdefgh 401", "openai [openai-key] 401"),
            ("legacy sk-AbCdEfGhIjKlMnOpQrStT3BlbkFJAbCdEfGhIjKlMnOpQrSt", "legacy [openai-key]"),
            ("anthropic sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-abcdefAA 401", "anthropic [anthropic-key] 401"),
            ("//registry.npmjs.org/:_authToken=npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
             "//registry.npmjs.org/:_authToken=[npm-token]"),
            ("twine pypi-AgEIcHlwaS5vcmcCJDA4ZjJmYTk1LTYxZjItNDc3Zi04ZmQ4LWE3ZjE5YTRiNjU5YQACKlsz", "twine [pypi-token]"),
        ],
        survivors: [
            "task-runner-1234567890", "ghp_short", "pip install scikit-learn sk-learn", "AKIA1234",
            "skip_live_updates=true", "commit da39a3ee5e6b4b0d3255bfef95601890afd80709",
            "xoxb-short", "AIzaShort",
        ])

    /// Every `@secrets` token prefix in one trigger: a line is scanned once for all of them.
    private static let apiKeyPrefixes = ScrubTrigger.tokenPrefix(TokenPrefixes(
        ["AKIA", "ASIA", "ABIA", "ACCA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "APKA", "ghp_", "gho_", "ghu_",
         "ghs_", "ghr_", "github_pat_", "glpat-", "gldt-", "glrt-", "glptt-", "glcbt-", "glimt-", "glsoat-", "glft-",
         "xoxa-", "xoxb-", "xoxe-", "xoxo-", "xoxp-", "xoxr-", "xoxs-", "xapp-", "sk_live_", "rk_live_", "sk_test_",
         "rk_test_", "whsec_", "AIza", "sk-", "npm_", "pypi-"],
        minimumLength: 15))

    // MARK: Personal data

    static let email = ScrubRule(
        name: "@email", label: "email",
        summary: "An e-mail address with a letter top-level domain that is not a file extension (`icon@2x.png` stays).",
        valuesIgnoreCase: true,
        detectors: [
            ScrubDetector(
                #"(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-]|\.[A-Za-z0-9])"#,
                trigger: .byte(UInt8(ascii: "@")), lookback: 64, validator: .email),
        ],
        examples: [
            ("Sent notification to carol.285@example.com template=order_shipped",
             "Sent notification to [email] template=order_shipped"),
            ("<Jane.Doe+billing@mail.example.org>", "<[email]>"),
            ("GET /reset?email=alice@example.io&next=/", "GET /reset?email=[email]&next=/"),
            ("From: ALICE@EXAMPLE.COM.", "From: [email]."),
            ("Invoice 42 already finalized for dave.229@corp.example.net", "Invoice 42 already finalized for [email]"),
        ],
        survivors: [
            "icon@2x.png", "user@localhost", "com.acme.Order@1b6d3586", "npm install left-pad@1.3.0", "@Override",
            "foo@bar", "lodash@4.17.21.tgz",
        ])

    static let creditCard = ScrubRule(
        name: "@creditcard", label: "creditcard",
        summary: "A payment card number: a known issuer prefix, that issuer's length and the Luhn check, compact or in "
            + "groups of four (Amex and Diners groups too).",
        isPaymentCard: true,
        detectors: [
            ScrubDetector(
                #"(?<![\w.,+-])\d(?:[ -]?\d){12,18}(?![\w]|[.,-]\d)"#,
                trigger: .digitRun(minimumDigits: 13), validator: .paymentCard),
        ],
        examples: [
            ("Card 4111111111111111 rejected: invalid expiry", "Card [creditcard] rejected: invalid expiry"),
            ("card=4111-1111-1111-1111", "card=[creditcard]"),
            ("amex 378282246310005 mc 5555 5555 5555 4444", "amex [creditcard] mc [creditcard]"),
            ("discover 6011111111111117 jcb 3530111333300000 mc 2223003122003222",
             "discover [creditcard] jcb [creditcard] mc [creditcard]"),
            ("diners 3056 930902 5904", "diners [creditcard]"),
        ],
        survivors: [
            "order 1453843029218310", "ts=1748503543012", "id 4012-8888-8888-1882", "snowflake 1541815603606036480",
            "ns 1732112345123456789", "order 12345678", "order 123456789012", "4111 11 1111 1111 1111",
            "version 4111111111111111.2",
        ])

    static let iban = ScrubRule(
        name: "@iban", label: "iban",
        summary: "An IBAN, compact or in groups of four: the country's length and the mod-97 check.",
        detectors: [
            ScrubDetector(
                #"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![A-Za-z0-9])"#,
                trigger: .run(ByteClass(ranges: UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                                        plus: " "),
                              minimumLength: 15),
                validator: .iban),
        ],
        examples: [
            ("IBAN DE89370400440532013000 on file", "IBAN [iban] on file"),
            ("pay to GB82 WEST 1234 5698 7654 32 today", "pay to [iban] today"),
            ("NL91ABNA0417164300", "[iban]"),
            ("transfer FR14 2004 1010 0505 0001 3M02 606 2 days", "transfer [iban] 2 days"),
            ("NO9386011117947", "[iban]"),
        ],
        survivors: ["DE89370400440532013001", "fooNO9386011117947bar", "NO938601111794", "XX89370400440532013000",
                    "ISO 8601 DE89"])

    static let usSSN = ScrubRule(
        name: "@usssn", label: "us-ssn",
        summary: "A US social security number `ddd-dd-dddd`, without the never-issued ranges (area 000, 666, 9xx; "
            + "group 00; serial 0000).",
        detectors: [
            ScrubDetector(#"(?<![\w-])\d{3}-\d{2}-\d{4}(?![\w]|-\d)"#, trigger: .socialSecurityShape,
                          validator: .socialSecurityNumber),
        ],
        examples: [
            ("SSN 123-45-6789 on file", "SSN [us-ssn] on file"),
            ("ssn=078-05-1121", "ssn=[us-ssn]"),
        ],
        survivors: ["078-05-1120", "000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567", "123-45-0000",
                    "2026-03-01", "555-1234", "123-45-67890", "111-11-1111"])

    static let ip = ScrubRule(
        name: "@ip", label: "ip",
        summary: "An IPv4 or IPv6 address that parses (octets 0–255 without leading zeros; RFC 4291 text), except "
            + "`0.0.0.0` and `::`, versions (`Chrome/120.0.0.0`, `version 10.7.31.9`) and hex-letter scopes "
            + "(`dead::beef`).",
        detectors: [
            ScrubDetector(#"(?<![\w.-])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)"#, trigger: .dottedQuad, validator: .ipv4),
            ScrubDetector(
                #"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:[0-9A-Fa-f]{1,4}|\d{1,3}(?:\.\d{1,3}){3})?(?:%[0-9A-Za-z_.]+)?(?![\w:]|\.\d)"#,
                trigger: .ipv6Shape, lookback: 45, validator: .ipv6),
        ],
        examples: [
            ("POST /api/v1/checkout 201 in 19097ms user=u090122 ip=10.222.214.18",
             "POST /api/v1/checkout 201 in 19097ms user=u090122 ip=[ip]"),
            ("Read timed out after 300 ms talking to 192.168.1.20:8443", "Read timed out after 300 ms talking to [ip]:8443"),
            ("client [2001:db8::8a2e:370:7334]:443 reset", "client [[ip]]:443 reset"),
            ("listening on ::1 port 8080", "listening on [ip] port 8080"),
            ("from fe80::1ff:fe23:4567:890a%eth0 up", "from [ip] up"),
            ("X-Forwarded-For: 203.0.113.7, 2001:db8:85a3::8a2e:370:7334", "X-Forwarded-For: [ip], [ip]"),
            ("mapped ::ffff:192.0.2.128 ok", "mapped [ip] ok"),
            ("http://127.0.0.1:8080/health", "http://[ip]:8080/health"),
            ("full 2001:0db8:0000:0000:0000:ff00:0042:8329 ok", "full [ip] ok"),
        ],
        survivors: [
            "Chrome/120.0.6099.109", "Mozilla/5.0 Chrome/120.0.0.0 Safari/537.36", "version 10.7.31.9", "v2.1.1.108",
            "1.2.3.4.5", "256.1.1.1", "1.2.3", "std::vector", "Foo::bar", "::", "12:34:56", "bind 0.0.0.0:8080",
            "dead::beef", "1.2.3.04", "Ratio 1:2:3:4", "2026-03-01T08:00:00.123Z", "foo::1", "IP192.168.1.1text",
            "build: 1.2.3.4",
        ])

    static let userPath = ScrubRule(
        name: "@userpath", label: "user",
        summary: "The user name in a home directory (`/home/x/`, `/Users/x/`, `C:\\Users\\Jane Doe\\`): only the name is "
            + "replaced, so frames keep their path.",
        detectors: [
            ScrubDetector(
                #"(?<![\w.~-])(?:/home|/Users|/export/home|/var/home)/(?<value>"# + pathName(separators: "/") + ")",
                trigger: .literals([Literal("/home/"), Literal("/Users/")]), lookback: 7, validator: .userName),
            ScrubDetector(
                #"(?i)(?<![\w.-])(?:[a-z]:)?\\{1,2}(?:users|documents and settings)\\{1,2}(?<value>"#
                    + pathName(separators: #"\\"#) + ")",
                trigger: .words([Literal(#"\users\"#), Literal(#"\documents and settings\"#)]), lookback: 4,
                validator: .userName),
        ],
        examples: [
            ("Permission denied: '/home/alice/reports/q3.csv'", "Permission denied: '/home/[user]/reports/q3.csv'"),
            ("open /Users/Jane Doe/Library/Logs/app.log", "open /Users/[user]/Library/Logs/app.log"),
            (#"C:\Users\Jane Doe\AppData\Local\app.log"#, #"C:\Users\[user]\AppData\Local\app.log"#),
            ("cwd=/home/bob", "cwd=/home/[user]"),
            ("/home/alice is full", "/home/[user] is full"),
            ("file:///home/erin/x.py", "file:///home/[user]/x.py"),
            (#"{"path":"C:\\Users\\jdoe\\app"}"#, #"{"path":"C:\\Users\\[user]\\app"}"#),
            (#"at Foo.Bar() in c:\users\j.smith\src\Foo.cs:line 12"#, #"at Foo.Bar() in c:\users\[user]\src\Foo.cs:line 12"#),
        ],
        survivors: [
            "/api/users/12345/orders", "https://example.com/home/index.html", "/Users/Shared/app.log",
            #"C:\Users\Public\x"#, "/srv/app/worker/tasks.py", "/home/[user]/x", "/home/$USER/x",
        ])

    /// A user-name segment: no separators or quotes; up to three words when a path separator follows it.
    private static func pathName(separators: String) -> String {
        let plain = #"[^/\\\s"'<>|:;,()\[\]{}*?]+"#
        return plain + #"(?: [^/\\\s"'<>|:;,()\[\]{}*?]+){0,2}(?=["# + separators + "])|" + plain
    }

    static let highEntropy = ScrubRule(
        name: "@highentropy", label: "secret",
        summary: "A random-looking value (16+ characters, letters and digits, not only hex, Shannon entropy ≥ 3.3 "
            + "bits) right after a secret keyword (token, secret, password, api key, key, credentials) without `=`.",
        detectors: [
            ScrubDetector(
                #"(?i)(?<![A-Za-z0-9])(?:token|secret|passw(?:or)?d|api[_ -]?key|access[_ -]?key|private[_ -]?key|key|credentials?)(?![A-Za-z0-9])[\s:=>"'(]{1,4}(?-i)(?<value>[A-Za-z0-9+/_-]{16,}={0,2})(?![A-Za-z0-9+/=_-]|\.[A-Za-z0-9])"#,
                trigger: .keywordBeforeToken(["token", "secret", "password", "passwd", "key", "credential", "credentials"]
                    .map(Literal.init), minimumLength: 16),
                lookback: 8, validator: .highEntropy),
        ],
        examples: [
            ("using api key 9fK2xLq7ZwP4vB8nT1yRm0Qs for upstream", "using api key [secret] for upstream"),
            ("secret (Zq8Xk2Lm9Pw4Rt7Vb1Ny) was rotated", "secret ([secret]) was rotated"),
            ("refresh token wJalrXUtnFEMI/K7MDENG/bPxRfiCY expired", "refresh token [secret] expired"),
        ],
        survivors: [
            "token 3f9a2c7d8e1b4a5f6c7d8e9f0a1b2c3d", "key 550e8400-e29b-41d4-a716-446655440000",
            "secret existingSubscriptionHandler", "com.acme.auth.TokenService - started", "KeyError: 'customer_id'",
            "key=order:12345", "token aaaaaaaaaaaaaaaa1111", "sha256 key e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ])

    // MARK: Opt-in identifiers

    static let uuid = ScrubRule(
        name: "@uuid", label: "uuid",
        summary: "A UUID in its 8-4-4-4-12 form. Opt-in: UUIDs are usually request or entity ids worth keeping.",
        isOptIn: true,
        detectors: [
            ScrubDetector(
                #"(?<![0-9A-Za-z-])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z-])"#,
                trigger: .run(ByteClass(ranges: UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
                                        UInt8(ascii: "A")...UInt8(ascii: "F"), plus: "-"),
                              minimumLength: 36)),
        ],
        examples: [
            ("request 550e8400-e29b-41d4-a716-446655440000 failed", "request [uuid] failed"),
            ("{6F9619FF-8B86-D011-B42D-00C04FC964FF}", "{[uuid]}"),
        ],
        survivors: ["550e8400e29b41d4a716446655440000", "550e8400-e29b-41d4-a716-44665544000"])

    static let mac = ScrubRule(
        name: "@mac", label: "mac",
        summary: "A MAC address (`00:1a:2b:3c:4d:5e`, `00-1A-…`, `001a.2b3c.4d5e`) with one separator throughout, "
            + "not all zeros or all ones. Opt-in.",
        isOptIn: true,
        detectors: [
            ScrubDetector(
                #"(?<![0-9A-Za-z:.-])[0-9A-Fa-f]{2}([:-])[0-9A-Fa-f]{2}(?:\1[0-9A-Fa-f]{2}){4}(?![0-9A-Za-z:-]|\.\d)"#,
                trigger: .run(ByteClass(ranges: UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
                                        UInt8(ascii: "A")...UInt8(ascii: "F"), plus: ":-"),
                              minimumLength: 17),
                validator: .macAddress),
            ScrubDetector(
                #"(?<![0-9A-Za-z.])[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}(?![0-9A-Za-z]|\.[0-9A-Za-z])"#,
                trigger: .run(ByteClass(ranges: UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
                                        UInt8(ascii: "A")...UInt8(ascii: "F"), plus: "."),
                              minimumLength: 14),
                validator: .macAddress),
        ],
        examples: [
            ("eth0 ether 00:1a:2b:3c:4d:5e up", "eth0 ether [mac] up"),
            ("MAC 00-1A-2B-3C-4D-5E", "MAC [mac]"),
            ("cisco 0012.3456.789a", "cisco [mac]"),
        ],
        survivors: ["ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", "10:2F:33-AC-29-C3", "at 08:00:00.123", "1.2.3.4.5",
                    "0x7ffd5fbff8c0"])

    static let phone = ScrubRule(
        name: "@phone", label: "phone",
        summary: "A phone number written as one: international with `+`, or `(ddd) ddd-dddd` with separators; 7–15 "
            + "digits. Bare digit runs (epoch seconds, ids) stay. Opt-in.",
        isOptIn: true,
        detectors: [
            ScrubDetector(
                #"(?<![\w+])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){2,5}(?![\w]|[.-]?\d)"#,
                trigger: .byte(UInt8(ascii: "+")), validator: .phoneNumber),
            ScrubDetector(
                #"(?<![\w+-])(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w]|[.-]\d)"#,
                trigger: .run(ByteClass(ranges: UInt8(ascii: "0")...UInt8(ascii: "9"), plus: " .-()"), minimumLength: 12),
                validator: .phoneNumber),
        ],
        examples: [
            ("call +1 415 555 2671 now", "call [phone] now"),
            ("tel (415) 555-2671", "tel [phone]"),
            ("+44 20 7946 0958", "[phone]"),
            ("fax: +49-30-1234567", "fax: [phone]"),
            ("support 415.555.2671", "support [phone]"),
        ],
        survivors: ["ts=1747731000", "2026-03-01", "ids 046-1297901", "550e8400-e29b-41d4-a716-446655440000",
                    "10:00:00.123456", "pid 12345", "v1.2.3", "took 1+2 ms"])
}
