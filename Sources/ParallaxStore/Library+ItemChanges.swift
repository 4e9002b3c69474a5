import Foundation
import GRDB

/// One change a reader makes to many items at once, as a reading app's bulk actions do.
public enum ItemChange: Sendable, Hashable {
    /// Archives the items, or brings them back.
    case archived(Bool)
    /// Marks the items favorites, or not.
    case favorite(Bool)
    /// Sets the reading state, with the progress ``Library/mark(_:as:progress:)`` gives it.
    case readingState(ReadingState)
    /// Adds and removes tags.
    case tags(adding: [String], removing: [String])
    /// Removes the items, leaving tombstones.
    case delete
}

extension Library {
    /// Applies one change to every item named, all or none: each reference is resolved before
    /// the first write, and the whole is one transaction and one version.
    /// - Throws: ``LibraryError/unknownItem(reference:)`` (for a removed item too) or
    ///   ``LibraryError/ambiguousItem(reference:candidates:)``, changing nothing; an invalid tag.
    @discardableResult
    public func apply(_ change: ItemChange, to references: [String]) throws -> [Item] {
        var normalized = change
        if case .tags(let adding, let removing) = change {
            normalized = .tags(
                adding: try adding.map(Tag.normalize), removing: try removing.map(Tag.normalize))
        }
        return try write("change items") { [normalized] writer in
            let seqs = try references.map { reference in
                let seq = try resolveSeq(writer.db, reference)
                guard try writer.itemValue(seq, .deleted) != true.databaseValue else {
                    throw LibraryError.unknownItem(reference: reference)
                }
                return seq
            }
            for seq in seqs { try Self.apply(normalized, to: seq, writer: writer) }
            return try seqs.map { try fetchItem(writer.db, seq: $0) }
        }
    }

    private static func apply(_ change: ItemChange, to seq: Int64, writer: ChangeWriter) throws {
        switch change {
        case .archived(let archived): try writer.setItemField(seq, .archived, to: archived.databaseValue)
        case .favorite(let favorite): try writer.setItemField(seq, .favorite, to: favorite.databaseValue)
        case .readingState(let state):
            try writer.setItemField(seq, .readingState, to: state.rawValue.databaseValue)
            switch state {
            case .read: try writer.setItemField(seq, .progress, to: 1.0.databaseValue)
            case .unread: try writer.setItemField(seq, .progress, to: 0.0.databaseValue)
            case .reading: break
            }
        case .tags(let adding, let removing):
            for tag in removing { try writer.setTag(tag, on: seq, present: false) }
            for tag in adding { try writer.setTag(tag, on: seq, present: true) }
        case .delete: try writer.setItemField(seq, .deleted, to: true.databaseValue)
        }
    }
}
