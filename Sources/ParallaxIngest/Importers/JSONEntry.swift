import Foundation

/// One object of a JSON export, read field by field: a field of the wrong type, or a date that
/// does not parse, fails the entry with a message naming the field rather than being dropped.
struct JSONEntry {
    let fields: [String: Any]

    /// The entry of an element of a JSON array.
    /// - Throws: ``ImportRecordError/malformed(_:)`` when the element is not an object.
    init(_ data: Data) throws {
        guard let fields = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw ImportRecordError.malformed("not a JSON object")
        }
        self.fields = fields
    }

    init(fields: [String: Any]) {
        self.fields = fields
    }

    /// A text field; nil when it is absent, null or empty.
    func string(_ key: String) throws -> String? {
        switch fields[key] {
        case nil, is NSNull: return nil
        case let text as String:
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : text
        case let value?: throw mistyped(key, value, "text")
        }
    }

    /// A text field the entry cannot do without.
    func required(_ key: String) throws -> String {
        guard let text = try string(key) else { throw ImportRecordError.missingField(key) }
        return text
    }

    /// A number, or a number written as text.
    func number(_ key: String) throws -> Double? {
        switch fields[key] {
        case nil, is NSNull: return nil
        case let number as NSNumber: return number.doubleValue
        case let text as String where Double(text)?.isFinite == true && !text.contains("x"):
            return Double(text)
        case let value?: throw mistyped(key, value, "a number")
        }
    }

    /// A yes/no field as services write them: true/false, 1/0, "yes"/"no", "true"/"false".
    /// - Parameter absent: The answer when the entry does not have the field.
    func flag(_ key: String, absent: Bool = false) throws -> Bool {
        switch fields[key] {
        case nil, is NSNull: return absent
        case let bool as Bool: return bool
        // 2 or 0.5 is no answer: it fails the entry rather than being read as yes.
        case let number as NSNumber where number.doubleValue == 0 || number.doubleValue == 1:
            return number.doubleValue == 1
        case let text as String:
            switch text.lowercased() {
            case "yes", "true", "1": return true
            case "no", "false", "0", "": return false
            default: throw mistyped(key, text, "yes or no")
            }
        case let value?: throw mistyped(key, value, "yes or no")
        }
    }

    /// A list of names: strings, or objects with a `name` or `label`.
    func names(_ key: String) throws -> [String] {
        switch fields[key] {
        case nil, is NSNull: return []
        case let list as [Any]:
            return try list.map { element in
                if let name = element as? String { return name }
                if let object = element as? [String: Any],
                    let name = (object["name"] ?? object["label"]) as? String
                {
                    return name
                }
                throw mistyped(key, element, "a list of names")
            }
        case let value?: throw mistyped(key, value, "a list of names")
        }
    }

    /// A date a reader acted on, as ISO 8601 or `YYYY-MM-DD HH:MM:SS` (UTC when no zone is
    /// given), under ``ImportDate``'s rule.
    func date(_ key: String) throws -> String? {
        try string(key).map { try ImportDate.text($0, field: key) }
    }

    /// A publication date, as ``date(_:)`` reads it, which may be older than 1980.
    func publicationDate(_ key: String) throws -> String? {
        try string(key).map { try ImportDate.text($0, field: key, meaning: .publication) }
    }

    private func mistyped(_ key: String, _ value: Any, _ expected: String) -> ImportRecordError {
        let shown = "\(value)".replacingOccurrences(of: "\n", with: " ").prefix(40)
        return .malformed("the field \(key) holds '\(shown)', not \(expected)")
    }
}
