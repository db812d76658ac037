import Testing

@testable import FaultlineCore

/// The bounded memos behind extraction and event scrubbing: a result is reused only for an equal input, and a
/// slot taken by another input is recomputed, never confused.
@Suite("Memos")
struct MemoTests {
    @Test("a line memo computes once per text and recomputes after a slot is taken by another line")
    func lineMemo() {
        let memo = LineMemo<Int>(slots: 1)
        var computed = 0
        func value(_ text: String) -> Int {
            memo.value(for: text) { computed += 1; return $0.utf8.count }
        }
        #expect(value("\tat a.B.c(B.java:1)") == 19)
        #expect(value("\tat a.B.c(B.java:1)") == 19)
        #expect(computed == 1)
        #expect(value("x") == 1, "one slot: the other line replaces the first")
        #expect(value("\tat a.B.c(B.java:1)") == 19)
        #expect(computed == 3)
        let long = String(repeating: "x", count: LineMemo<Int>.maximumLength + 1)
        #expect(value(long) == long.utf8.count)
        #expect(value(long) == long.utf8.count)
        #expect(computed == 5, "a line longer than the limit is computed every time, never kept")
    }

    @Test("a slot's entry is read only when the caller accepts it; otherwise the new one takes the slot")
    func slotMemo() {
        let memo = SlotMemo<(key: String, value: String)>(slots: 2)
        var made = 0
        func value(_ key: String, digest: UInt64) -> String {
            memo.lookup(digest: digest, matches: { $0.key == key }, make: { made += 1; return (key, key.uppercased()) },
                        read: { $0.value })
        }
        #expect(value("bob", digest: 0) == "BOB")
        #expect(value("bob", digest: 0) == "BOB")
        #expect(value("eve", digest: 0) == "EVE", "same slot and digest, other key: made, not reused")
        #expect(value("bob", digest: 2) == "BOB", "digest 2 picks slot 0 too, and bob is no longer there")
        #expect(value("bob", digest: 1) == "BOB")
        #expect(made == 4)
    }

    @Test("the short-input digest tells apart lines that differ in one byte, at every length")
    func digest() {
        var seen = Set<UInt64>()
        for length in 0...80 {
            let base = [UInt8](repeating: UInt8(ascii: "a"), count: length)
            seen.insert(base.withUnsafeBytes { ContentHasher.digest($0) })
            for position in 0..<length {
                var changed = base
                changed[position] = UInt8(ascii: "b")
                seen.insert(changed.withUnsafeBytes { ContentHasher.digest($0) })
            }
        }
        #expect(seen.count == 81 + (0...80).reduce(0, +))
        let line = Array("2026-03-01 08:05:00.000 ERROR".utf8)
        #expect(line.withUnsafeBytes { ContentHasher.digest($0) } == line.withUnsafeBytes { ContentHasher.digest($0) })
    }

    @Test("a record body is reused only when every trace line and the prefix flag are equal")
    func traceBodies() {
        let bodies = TraceBodies(slots: 1)
        var made = 0
        func body(_ texts: [String], prefix: Bool = true) -> String? {
            let record = EventBuilder.PreparedRecord(
                traceLines: texts.enumerated().map { RecordLine($0.element, number: $0.offset + 1) }, hasPrefix: prefix)
            return bodies.body(for: record) { record in
                made += 1
                return EventBuilder.RecordBody(trace: nil, message: record.traceLines.map(\.text).joined(separator: "|"),
                                               unparsedIndices: [])
            }.message
        }
        #expect(body(["failed", "KeyError: 'id'"]) == "failed|KeyError: 'id'")
        #expect(body(["failed", "KeyError: 'id'"]) == "failed|KeyError: 'id'")
        #expect(made == 1)
        #expect(body(["failed", "KeyError: 'sku'"]) == "failed|KeyError: 'sku'")
        #expect(body(["failed", "KeyError: 'sku'"], prefix: false) == "failed|KeyError: 'sku'")
        #expect(body(["failed"]) == "failed")
        #expect(made == 4)
    }
}
