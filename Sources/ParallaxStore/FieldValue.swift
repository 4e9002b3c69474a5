import Foundation
import GRDB

/// A field's value as the change log and its JSON carry it: null, a number or text.
public enum FieldValue: Hashable, Sendable, Codable, CustomStringConvertible {
    /// No value.
    case null
    /// A whole number (booleans are 0 and 1).
    case integer(Int64)
    /// A real number.
    case real(Double)
    /// Text.
    case text(String)

    /// Decodes from a JSON scalar.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .real(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .integer(value ? 1 : 0)
        } else {
            self = .text(try container.decode(String.self))
        }
    }

    /// Encodes as a JSON scalar.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .integer(let value): try container.encode(value)
        case .real(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }

    /// The value as a short human-readable string.
    public var description: String {
        switch self {
        case .null: "∅"
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .text(let value): value
        }
    }

    /// The text, when the value is text.
    public var textValue: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case .int64(let value): self = .integer(value)
        case .double(let value): self = .real(value)
        case .string(let value): self = .text(value)
        case .blob(let data): self = .text(data.base64EncodedString())
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case .integer(let value): value.databaseValue
        case .real(let value): value.databaseValue
        case .text(let value): value.databaseValue
        }
    }
}
