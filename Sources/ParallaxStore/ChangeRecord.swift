import Foundation

/// One change as it travels between libraries: the newest value of one field of one row, with its clock.
public struct ChangeRecord: Codable, Hashable, Sendable {
    /// The kind of row.
    public var entity: Entity
    /// The id of the item the row belongs to.
    public var item: String
    /// The tag's name or the highlight's id; nil for the item itself.
    public var key: String?
    /// The field, or `*` for the row's creation.
    public var field: String
    /// The field's value (for a creation, see ``row``).
    public var value: FieldValue
    /// A created row's values by field name.
    public var row: [String: FieldValue]?
    /// When the change was made.
    public var hlc: HybridTimestamp
    /// The device that made it.
    public var device: String
    /// The device's counter for it.
    public var counter: Int
    /// The merge epoch of progress and tag changes (see docs/bundle-format.md).
    public var epoch: Int64?

    /// Whether it wins over a change stamped `(hlc, device)`: the later clock, then the greater device id.
    func supersedes(hlc otherHLC: HybridTimestamp, device otherDevice: String) -> Bool {
        (hlc, device) > (otherHLC, otherDevice)
    }
}

extension ChangeRecord {
    enum CodingKeys: String, CodingKey {
        case entity, item, key, field, value, row, hlc, device, counter, epoch
    }

    /// Decodes a record; a creation has no `value`, and a missing row value is null.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        entity = try container.decode(Entity.self, forKey: .entity)
        item = try container.decode(String.self, forKey: .item)
        key = try container.decodeIfPresent(String.self, forKey: .key)
        field = try container.decode(String.self, forKey: .field)
        value = try container.decodeIfPresent(FieldValue.self, forKey: .value) ?? .null
        row = try container.decodeIfPresent([String: FieldValue].self, forKey: .row)
        hlc = try container.decode(HybridTimestamp.self, forKey: .hlc)
        device = try container.decode(String.self, forKey: .device)
        counter = try container.decode(Int.self, forKey: .counter)
        epoch = try container.decodeIfPresent(Int64.self, forKey: .epoch)
    }

    /// Encodes a record compactly: no `value` for a creation, no null values in its row.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(entity, forKey: .entity)
        try container.encode(item, forKey: .item)
        try container.encodeIfPresent(key, forKey: .key)
        try container.encode(field, forKey: .field)
        if field != "*" { try container.encode(value, forKey: .value) }
        try container.encodeIfPresent(row?.filter { $0.value != .null }, forKey: .row)
        try container.encode(hlc, forKey: .hlc)
        try container.encode(device, forKey: .device)
        try container.encode(counter, forKey: .counter)
        try container.encodeIfPresent(epoch, forKey: .epoch)
    }
}
