import Foundation
import GRDB

/// The history: one SQLite file that remembers what earlier runs found.
///
/// For now it keeps the run's secrets — the key of the keyed pseudonyms the scrubber writes
/// (`[email:3f9a2c]`), created on first use. Later stages add issues, counts per release and samples through
/// migrations of their own. Personal data never reaches this file: everything stored is scrubbed first, and
/// the key is random bytes, never printed.
public final class HistoryDatabase: Sendable {
    /// Where the history lives unless the configuration or `--history` says otherwise.
    public static let defaultPath = ".faultline/history.sqlite"

    /// The file's path, as given.
    public let path: String
    private let queue: DatabaseQueue

    /// Opens the history at `path`, creating the file (and its directory) and bringing its schema up to date.
    ///
    /// - Throws: ``HistoryError`` naming the path and SQLite's reason.
    public init(path: String) throws(HistoryError) {
        self.path = path
        do {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
            var configuration = Configuration()
            configuration.label = "faultline-history"
            queue = try DatabaseQueue(path: path, configuration: configuration)
            try Self.migrator.migrate(queue)
        } catch {
            throw HistoryError(path: path, operation: "open", underlying: error)
        }
    }

    /// The schema, one migration per change; never edit a migration that has shipped.
    private static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1 secrets") { db in
            try db.create(table: "secret") { table in
                table.primaryKey("name", .text)
                table.column("value", .blob).notNull()
                table.column("createdAt", .datetime).notNull()
            }
        }
        return migrator
    }

    /// The key of keyed pseudonyms (HMAC-SHA256): 32 random bytes, created on first use and the same for
    /// every later run on this history, so one person gets one pseudonym across runs.
    public func pseudonymKey() throws(HistoryError) -> [UInt8] {
        try secret(named: "pseudonym-hmac-sha256", bytes: 32)
    }

    /// The secret called `name`, created from the system's random source when it does not exist yet.
    private func secret(named name: String, bytes count: Int) throws(HistoryError) -> [UInt8] {
        do {
            return try queue.write { db in
                if let stored = try Data.fetchOne(db, sql: "SELECT value FROM secret WHERE name = ?", arguments: [name]),
                   stored.count == count {
                    return [UInt8](stored)
                }
                var generator = SystemRandomNumberGenerator()
                let fresh = (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
                try db.execute(
                    sql: "INSERT OR REPLACE INTO secret (name, value, createdAt) VALUES (?, ?, ?)",
                    arguments: [name, Data(fresh), Date()])
                return fresh
            }
        } catch {
            throw HistoryError(path: path, operation: "read the pseudonym key of", underlying: error)
        }
    }
}

/// A history file that cannot be opened, migrated, read or written.
public struct HistoryError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let operation: String
    /// SQLite's or the file system's reason.
    public let reason: String

    init(path: String, operation: String, underlying: any Error) {
        self.path = path
        self.operation = operation
        if let databaseError = underlying as? DatabaseError {
            reason = databaseError.message ?? "SQLite error \(databaseError.resultCode.rawValue)"
        } else {
            reason = String(describing: underlying)
        }
    }

    public var description: String { "cannot \(operation) the history \(path): \(reason)" }
}
