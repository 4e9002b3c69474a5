import Foundation
import GRDB

// MARK: - Tables kept beside the articles

extension Library {
    /// Reads tables a higher module keeps in the library file beside the articles, such as the
    /// remotes sync goes through.
    ///
    /// They describe this device's relations to other places, not articles, so they are not in
    /// the change log; the article tables change only through ``write(_:commit:_:)``.
    package func readBookkeeping<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        try read(operation, body)
    }

    /// Writes those tables in one immediate transaction that leaves the library's version alone.
    /// - Throws: ``LibraryError/notWritable(path:)`` for a library opened read-only.
    package func writeBookkeeping<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        guard mode == .readWrite else { throw LibraryError.notWritable(path: path) }
        do {
            return try database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw LibraryError.translating(error, path: path, operation: operation, busyTimeout: busyTimeout)
        }
    }
}
