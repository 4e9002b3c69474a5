import Foundation

/// Changes plus the article bodies they refer to, keyed by content hash.
public struct ChangeSet: Codable, Hashable, Sendable {
    /// The changes, in the order they apply.
    public var records: [ChangeRecord]
    /// Body texts by SHA-256.
    public var bodies: [String: String]
    /// Images the records' `images` fields name, by SHA-256.
    public var assets: [String: ImageAsset]

    /// Creates a change set.
    public init(
        records: [ChangeRecord] = [], bodies: [String: String] = [:], assets: [String: ImageAsset] = [:]
    ) {
        self.records = records
        self.bodies = bodies
        self.assets = assets
    }
}

/// What applying a change set did.
public struct ApplySummary: Hashable, Sendable {
    /// Changes that took effect.
    public var applied = 0
    /// Changes already known or superseded by newer local ones.
    public var superseded = 0
    /// Items the changes created here.
    public var createdItems = 0
    /// The bundle had been imported before, so nothing was done.
    public var alreadyImported = false
}
