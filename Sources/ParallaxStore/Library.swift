import Foundation
import GRDB
import ParallaxMigrations

/// A Parallax library: one SQLite file of saved articles and the log of every change to them.
///
/// Every mutation runs in one immediate transaction that also stamps the change log,
/// so nothing a caller can do changes a user-visible field without a version and a clock.
public final class Library: Sendable {
    /// How a library is opened.
    public enum AccessMode: Sendable {
        /// Reads and writes; pending schema migrations are applied.
        case readWrite
        /// Reads only; the file is never modified.
        case readOnly
    }

    /// The path of the library file.
    public let path: String
    /// Where the library takes its time and randomness from.
    public let environment: LibraryEnvironment
    /// Whether it was opened read-write or read-only.
    public let mode: AccessMode
    let database: DatabaseQueue
    let busyTimeout: Double
    private let device: LockedValue<String>
    private let successionRecord = LockedValue<DeviceSuccession?>(nil)

    /// This library's own device id: made at `init`, and replaced when the library finds it is a copy.
    public var deviceID: String { device.value }

    /// Set when this library found it was a copy or a restored backup and moved to a new device
    /// id while it was open; the caller tells the user.
    public var succession: DeviceSuccession? { successionRecord.value }

    private init(
        path: String, database: DatabaseQueue, deviceID: String, busyTimeout: Double,
        environment: LibraryEnvironment, mode: AccessMode = .readWrite
    ) {
        self.path = path
        self.mode = mode
        self.database = database
        self.device = LockedValue(deviceID)
        self.busyTimeout = busyTimeout
        self.environment = environment
    }

    func noteSuccession(_ succession: DeviceSuccession) {
        device.value = succession.current
        successionRecord.value = succession
    }

    /// Creates a new, empty library with a fresh device id.
    ///
    /// - Parameters:
    ///   - path: Where to create it; missing parent folders are created.
    ///   - deviceID: The device id to use; a new random one when nil (tests pass their own).
    ///   - environment: The clock and random numbers to use.
    /// - Throws: ``LibraryError/libraryExists(path:)`` when the file exists,
    ///   ``LibraryError/notALibrary(path:reason:)`` for a folder,
    ///   ``LibraryError/notWritable(path:)`` when it cannot be created.
    public static func create(
        at path: String, deviceID: String? = nil, environment: LibraryEnvironment = .system
    ) throws -> Library {
        let fileManager = FileManager.default
        var isFolder: ObjCBool = false
        if fileManager.fileExists(atPath: path, isDirectory: &isFolder) {
            // A folder is a mistaken path, not a library someone already made.
            if isFolder.boolValue {
                throw LibraryError.notALibrary(
                    path: path,
                    reason:
                        "it is a folder; give a file path such as \((path as NSString).appendingPathComponent("library.sqlite"))"
                )
            }
            throw LibraryError.libraryExists(path: path)
        }
        let folder = FilePaths.folder(of: path)
        do {
            if !folder.isEmpty {
                try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true)
            }
        } catch {
            throw LibraryError.notWritable(path: folder)
        }
        if !folder.isEmpty && !fileManager.isWritableFile(atPath: folder) {
            throw LibraryError.notWritable(path: folder)
        }
        let device = deviceID ?? environment.makeID()
        do {
            let database = try DatabaseQueue(
                path: path, configuration: configuration(mode: .readWrite, busyTimeout: 5))
            try database.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA journal_mode = WAL")
                try SchemaMigrator(path: path).migrate(db)
                try db.inTransaction(.immediate) {
                    try db.execute(sql: "INSERT INTO device (id) VALUES (?)", arguments: [device])
                    try db.execute(
                        sql: """
                            INSERT INTO library (singleton, format, device, created, home_path, home_machine)
                            VALUES (1, 'parallax-library', ?, ?, ?, ?)
                            """,
                        arguments: [
                            db.lastInsertedRowID, environment.timestamp(), Self.homePath(of: path),
                            environment.machine,
                        ])
                    return .commit
                }
            }
            return Library(
                path: path, database: database, deviceID: device, busyTimeout: 5, environment: environment)
        } catch {
            try? fileManager.removeItem(atPath: path)
            for suffix in ["-wal", "-shm"] { try? fileManager.removeItem(atPath: path + suffix) }
            throw LibraryError.translating(error, path: path, operation: "create the library")
        }
    }

    /// Opens an existing library, checking that it is one and that its schema is known.
    ///
    /// - Parameters:
    ///   - path: The library file.
    ///   - mode: Read-write applies pending migrations; read-only never writes.
    ///   - busyTimeout: How long to wait, in seconds, for another process's lock.
    ///   - environment: The clock and random numbers to use.
    /// - Throws: ``LibraryError`` naming the problem; the file is left as it was.
    ///
    /// A library opened for writing at another path or on another machine than its own is a
    /// copy: it moves to a new device id first (see ``succession``), so that it and the
    /// original never issue the same change counters.
    public static func open(
        at path: String, mode: AccessMode = .readWrite, busyTimeout: Double = 5,
        environment: LibraryEnvironment = .system
    ) throws -> Library {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LibraryError.missingLibrary(path: path)
        }
        if isDirectory.boolValue { throw LibraryError.notALibrary(path: path, reason: "it is a folder") }
        if mode == .readWrite {
            let folder = FilePaths.folder(of: path)
            if !FileManager.default.isWritableFile(atPath: path)
                || !FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder)
            {
                throw LibraryError.notWritable(path: path)
            }
        }
        do {
            let database = try queue(at: path, mode: mode, busyTimeout: busyTimeout)
            let migrator = SchemaMigrator(path: path)
            if try database.read({ db in try migrator.needsMigration(db) }) {
                if mode == .readOnly {
                    // A reading command upgrades a library it may write, rather than refuse to read it.
                    guard FileManager.default.isWritableFile(atPath: path) else {
                        throw LibraryError.database(
                            path: path, operation: "open read-only",
                            message: "the library needs a schema upgrade, and this user cannot write it")
                    }
                    let writer = try DatabaseQueue(
                        path: path, configuration: configuration(mode: .readWrite, busyTimeout: busyTimeout))
                    try writer.writeWithoutTransaction { db in try migrator.migrate(db) }
                    try writer.close()
                } else {
                    try database.writeWithoutTransaction { db in try migrator.migrate(db) }
                }
            }
            let deviceID = try database.read { db in
                try String.fetchOne(
                    db, sql: "SELECT device.id FROM library JOIN device ON device.seq = library.device")
            }
            guard let deviceID else {
                throw LibraryError.notALibrary(path: path, reason: "it has no device id")
            }
            let library = Library(
                path: path, database: database, deviceID: deviceID, busyTimeout: busyTimeout,
                environment: environment, mode: mode)
            if mode == .readWrite { try library.claimHome() }
            return library
        } catch {
            throw LibraryError.translating(error, path: path, operation: "open the library")
        }
    }

    /// Opens the database; read-only, it falls back to SQLite's immutable mode when the
    /// write-ahead log's index cannot be made beside a file this user cannot write (a copy
    /// on read-only media, or a folder without write permission).
    private static func queue(at path: String, mode: AccessMode, busyTimeout: Double) throws -> DatabaseQueue
    {
        let configuration = configuration(mode: mode, busyTimeout: busyTimeout)
        do {
            let database = try DatabaseQueue(path: path, configuration: configuration)
            if mode == .readOnly { _ = try database.read { db in try Int.fetchOne(db, sql: "SELECT 1") } }
            return database
        } catch let error as DatabaseError
            where mode == .readOnly
            && [.SQLITE_CANTOPEN, .SQLITE_READONLY].contains(error.resultCode.primaryResultCode)
        {
            let uri = URL(fileURLWithPath: path).absoluteString + "?immutable=1"
            return try DatabaseQueue(path: uri, configuration: configuration)
        }
    }

    private static func configuration(mode: AccessMode, busyTimeout: Double) -> Configuration {
        var configuration = Configuration()
        configuration.readonly = mode == .readOnly
        configuration.busyMode = .timeout(busyTimeout)
        configuration.foreignKeysEnabled = true
        configuration.label = "Parallax library"
        configuration.prepareDatabase { db in
            // A bulk import or a large bundle is one transaction; a 64 MiB page cache keeps SQLite
            // from spilling it to the write-ahead log page by page before it commits.
            try db.execute(sql: "PRAGMA cache_size = -65536")
        }
        return configuration
    }
}

// MARK: - Transactions

extension Library {
    /// Runs a read, turning SQLite errors into ``LibraryError``.
    func read<T>(_ operation: String, _ body: (Database) throws -> T) throws -> T {
        do {
            return try database.read(body)
        } catch {
            throw LibraryError.translating(error, path: path, operation: operation, busyTimeout: busyTimeout)
        }
    }

    /// Runs a mutation in one immediate transaction with a ``ChangeWriter`` that stamps it.
    ///
    /// The library's version advances only when the body changed something. With `commit`
    /// false the transaction is rolled back after the body ran, as a dry run.
    func write<T>(_ operation: String, commit: Bool = true, _ body: (ChangeWriter) throws -> T) throws -> T {
        do {
            return try database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    let writer = try ChangeWriter(db: db, environment: environment)
                    result = try body(writer)
                    try writer.finish()
                    return commit ? .commit : .rollback
                }
                return result!
            }
        } catch {
            throw LibraryError.translating(error, path: path, operation: operation, busyTimeout: busyTimeout)
        }
    }

    /// Runs a mutation as ``write(_:commit:_:)`` does, on the database's own queue, so that a
    /// caller in a task does not hold a thread of the cooperative pool while it waits for the lock.
    func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (ChangeWriter) throws -> T)
        async throws -> T
    {
        do {
            let environment = environment
            return try await database.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    let writer = try ChangeWriter(db: db, environment: environment)
                    result = try body(writer)
                    try writer.finish()
                    return .commit
                }
                return result!
            }
        } catch {
            throw LibraryError.translating(error, path: path, operation: operation, busyTimeout: busyTimeout)
        }
    }

    /// Runs a read on the database's own queue (see the asynchronous ``write(_:_:)``).
    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T)
        async throws
        -> T
    {
        do {
            return try await database.read(body)
        } catch {
            throw LibraryError.translating(error, path: path, operation: operation, busyTimeout: busyTimeout)
        }
    }

    /// The library's current version: the number of transactions that changed it.
    public func currentVersion() throws -> Int {
        try read("read the version") { db in try Int.fetchOne(db, sql: "SELECT version FROM library") ?? 0 }
    }
}

// MARK: - Errors

extension LibraryError {
    /// Maps an error from SQLite or GRDB to the library error a user can act on.
    static func translating(
        _ error: any Error, path: String, operation: String, busyTimeout: Double = 5
    ) -> any Error {
        if error is LibraryError { return error }
        guard let databaseError = error as? DatabaseError else { return error }
        switch databaseError.resultCode.primaryResultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return LibraryError.locked(path: path, seconds: busyTimeout)
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            return LibraryError.notWritable(path: path)
        case .SQLITE_NOTADB:
            return LibraryError.notALibrary(path: path, reason: "it is not an SQLite database")
        case .SQLITE_CORRUPT:
            return LibraryError.database(
                path: path, operation: operation,
                message: "the database file is damaged; run 'parallax doctor'")
        default:
            return LibraryError.database(
                path: path, operation: operation, message: databaseError.message ?? "\(databaseError)")
        }
    }
}
