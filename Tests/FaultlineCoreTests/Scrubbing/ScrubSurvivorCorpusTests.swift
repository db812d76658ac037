import Testing

@testable import FaultlineCore

/// Log-shaped strings that carry debugging value and no personal data: every default rule must leave them
/// alone (issue 4, item 7). Where scrubbers over-scrub, it is on exactly these.
@Suite("Scrubbing: log-shaped strings survive")
struct ScrubSurvivorCorpusTests {
    static let corpus: [String] = [
        // Versions, including dotted quads that are not addresses.
        "Starting acme-shop version 2.4.0 (build 52e6b43)", "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0.6099.109 Safari/537.36",
        "Chrome/120.0.0.0", "node v18.19.0", "version 10.7.31.9", "v2.1.1.108", "openssl 3.0.11-1~deb12u2", "1.2.3.4.5",
        "python3.11", "Spring Boot 3.2.1.RELEASE", "glibc 2.36",
        // UUIDs, hex digests, git SHAs, trace ids.
        "request 550e8400-e29b-41d4-a716-446655440000 failed", "{6F9619FF-8B86-D011-B42D-00C04FC964FF}",
        "md5 d41d8cd98f00b204e9800998ecf8427e", "sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "commit 9fceb02d0ae598e95dc970b74767f19372d61af8", "traceparent 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "integrity sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg==",
        "session 538ae1c130312932 closed", "Retrying request 8f3a9c2d1e4b5a6f after exception, attempt 2 of 5",
        // Timestamps and durations.
        "2026-03-01 08:00:00.123 INFO  [main] com.acme.Application - Started", "2026-03-01T08:00:00.123456789Z",
        "ts=1748503543012", "epoch 1732112345", "ns=1732112345123456789", "Wed Nov 25 10:00:00.123456 2026",
        "E1125 10:00:00.123456    1234 server.go:42] failed to sync", "took 1200ms", "elapsed=00:00:05.123", "PT5M30S",
        "Nov 25, 2026 10:00:00 AM com.acme.Server handle", "20261125T100000Z",
        // Ports and hosts.
        "localhost:8080", "db.internal:5432", "listening on :8443", "upstream api.example.com:443 timed out",
        "bind 0.0.0.0:8080", "connect ECONNREFUSED", "host:port", "redis:6379",
        // Ids: threads, processes, orders (8–12 digits, failing Luhn or too short for a card).
        "[http-nio-8080-exec-12]", "[pool-1-thread-2]", "ForkPoolWorker-3", "goroutine 1234 [running]:", "pid=4242",
        "order 12345678", "order 123456789", "order 1234567890", "order 12345678901", "order 123456789012",
        "invoice 4111111111", "id=99111455", "Processed batch 10996393 with 308 records in 18823 ms",
        "snowflake 1541815603606036480", "order 1453843029218310",
        // Memory addresses and frames.
        "0x7ffd5fbff8c0", "com.acme.cache.LocalCache$$Lambda$412/0x0000000800c3b840.run(Unknown Source)",
        "main.(*Server).handleOrder(0xc000120000, {0x7f3c, 0xc00012a000})", "/app/server.go:123 +0x1d4",
        "at com.acme.api.OrderController.getOrder(OrderController.java:42)", "com.acme.Order@1b6d3586",
        "File \"/srv/app/worker/tasks.py\", line 472, in process_order",
        "at OrderService.load (/app/src/services/orders.js:12:34)", "at async /app/node_modules/@babel/core/lib/index.js:1:2",
        // Class and function names, scopes.
        "Foo::bar", "std::vector<int>::push_back", "Illuminate\\Database\\QueryException", "ActiveRecord::RecordNotFound",
        "core::ops::function::FnOnce::call_once", "ExceptionTranslator registered for 308 handlers",
        "com.acme.auth.TokenService - started", "KeyError: 'customer_id'", "TokenRefreshFailedException",
        "PasswordEncoder", "SessionManager", "CookieParser", "AuthenticationException: Bad credentials",
        // Prose with sensitive words but no value.
        "password reset failed", "token expired", "Invalid password: too short", "session timed out",
        "User password is secret123 for authentication", "Bearer token missing", "authorization failed",
        // Paths that are not home directories, URLs without credentials.
        "/srv/app/worker/tasks.py", "/usr/lib/python3.11/site-packages/celery/app/trace.py", "/api/users/12345/orders",
        "GET /api/v1/search?q=shoes&page=652 200 in 25859ms", "https://example.com/home/index.html", "postgres:///path",
        "C:\\Program Files\\App\\app.exe", "/Users/Shared/app.log",
        // Misc numbers and shapes.
        "Heap usage at 87% of max", "12:34:56", "Ratio 1:2:3:4", "2026-03-01", "1,234,567.89", "+1", "3.14159",
        "icon@2x.png", "left-pad@1.3.0", "user@localhost", "::", "dead::beef",
    ]

    @Test("the default rules leave the string alone", arguments: corpus)
    func survives(_ text: String) {
        #expect(Scrubber(.standard).scrub(text) == text)
    }

    @Test("a line made of the whole corpus comes back byte for byte, and scrubLine reports no replacement")
    func wholeCorpus() {
        let line = Array(Self.corpus.joined(separator: " | ").utf8)
        var output: [UInt8] = []
        let replaced = line.withUnsafeBytes { Scrubber(.standard).scrubLine($0, into: &output) }
        #expect(!replaced)
        #expect(output == line)
    }
}
