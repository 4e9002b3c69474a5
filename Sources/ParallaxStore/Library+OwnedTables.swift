import Foundation
import GRDB
import ParallaxMigrations

// MARK: - Tables other modules own

/// The tables a module above the store keeps in the library file, made by its own track of
/// migrations (`Migrations/Sync/`, `Migrations/Framing/`), and reached only through this handle.
///
/// They hold this device's relations to other places, or data derived from the articles, not
/// articles: they are not in the change log, and writing them leaves the library's version alone.
/// The article tables change only through ``Library/write(_:commit:_:)``. A module's rows that
/// must commit with a merge (sync's receipts) are written inside the merge's own transaction,
/// through ``ImportLedger``.
package struct OwnedTables: Sendable {
    /// The module whose tables these are.
    package let owner: TableOwnerName
    let library: Library

    /// Reads the owner's tables.
    package func read<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        try library.read(operation, body)
    }

    /// Writes the owner's tables in one immediate transaction.
    /// - Throws: ``LibraryError/notWritable(path:)`` for a library opened read-only.
    package func write<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        guard library.mode == .readWrite else { throw LibraryError.notWritable(path: library.path) }
        do {
            return try library.database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw LibraryError.translating(
                error, path: library.path, operation: operation, busyTimeout: library.busyTimeout)
        }
    }
}

extension Library {
    /// The tables `owner` keeps in this library; opening the library applied their migrations.
    package func tables(of owner: TableOwnerName) -> OwnedTables { OwnedTables(owner: owner, library: self) }
}

// MARK: - The reading app's save token

extension Library {
    /// The token a bookmarklet sends with a page to the reading app: one for each library file,
    /// kept only on this device. The first call makes it with `make`; when two servers make one
    /// at once, the first one stored stays.
    public func saveToken(makingOne make: () -> String) throws -> String {
        if let token = try read("read the save token", { db in try Self.storedSaveToken(db) }) {
            return token
        }
        let token = make()
        return try tables(of: .store).write("make a save token") { db in
            try db.execute(literal: "UPDATE library SET save_token = \(token) WHERE save_token IS NULL")
            return try Self.storedSaveToken(db) ?? token
        }
    }

    /// Replaces the save token with `token`, so bookmarklets made before stop working.
    public func replaceSaveToken(with token: String) throws {
        try tables(of: .store).write("replace the save token") { db in
            try db.execute(literal: "UPDATE library SET save_token = \(token)")
        }
    }
}

private extension Library {
    static func storedSaveToken(_ db: Database) throws -> String? {
        try String.fetchOne(db, sql: "SELECT save_token FROM library")
    }
}
