import Foundation
import Testing

@testable import FaultlineHistory

@Suite("History database")
struct HistoryDatabaseTests {
    static func temporaryPath() -> String {
        FileManager.default.temporaryDirectory
            .appendingPathComponent("faultline-history-\(UUID().uuidString)/nested/history.sqlite").path
    }

    @Test("the pseudonym key is created once, kept in the file, and the same on reopening")
    func pseudonymKeyPersists() throws {
        let path = Self.temporaryPath()
        defer { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        let first = try HistoryDatabase(path: path).pseudonymKey()
        #expect(first.count == 32)
        #expect(Set(first).count > 8, "random bytes, not a constant")
        #expect(try HistoryDatabase(path: path).pseudonymKey() == first)
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("two histories have different keys")
    func keysDiffer() throws {
        let (a, b) = (Self.temporaryPath(), Self.temporaryPath())
        defer {
            for path in [a, b] { try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent) }
        }
        #expect(try HistoryDatabase(path: a).pseudonymKey() != HistoryDatabase(path: b).pseudonymKey())
    }

    @Test("a file that is not SQLite is an error naming the path")
    func notADatabase() throws {
        let path = Self.temporaryPath()
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
        let error = #expect(throws: HistoryError.self) { _ = try HistoryDatabase(path: path).pseudonymKey() }
        #expect(error?.description.contains(path) == true)
    }
}
