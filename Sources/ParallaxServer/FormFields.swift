import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The fields of a form a browser posted (`application/x-www-form-urlencoded`) or a query string.
struct FormFields: Sendable {
    private let pairs: [(String, String)]

    /// The most fields a form may have: a bulk action's thousand ids and a few more.
    static let fieldLimit = 1_100

    /// Parses `name=value&...`, with `+` for spaces and percent escapes, byte by byte: a page a
    /// bookmarklet sends is tens of megabytes, and a hostile body may be nothing but separators.
    /// - Throws: ``ServerError/badField(_:_:)`` beyond ``fieldLimit`` fields.
    init(encoded bytes: some Collection<UInt8>) throws {
        var pairs: [(String, String)] = []
        var name: [UInt8] = []
        var value: [UInt8] = []
        var inValue = false
        func finish() throws {
            if !name.isEmpty || inValue {
                guard pairs.count < Self.fieldLimit else {
                    throw ServerError.badField("body", "more than \(Self.fieldLimit) fields")
                }
                pairs.append((Self.decode(name), Self.decode(value)))
            }
            (name, value, inValue) = ([], [], false)
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "&"): try finish()
            case UInt8(ascii: "=") where !inValue: inValue = true
            default: if inValue { value.append(byte) } else { name.append(byte) }
            }
        }
        try finish()
        self.pairs = pairs
    }

    /// The query string of a request.
    init(query request: Request) throws { try self.init(encoded: Array((request.uri.query ?? "").utf8)) }

    /// Reads a posted form of at most `limit` bytes.
    /// - Throws: ``ServerError/tooLarge(limit:)`` beyond the limit; ``ServerError/badField(_:_:)``
    ///   for a body that is not a form.
    static func read(_ request: Request, limit: Int) async throws -> FormFields {
        if let type = request.headers[.contentType]?.lowercased(),
            !type.hasPrefix("application/x-www-form-urlencoded")
        {
            throw ServerError.badField("body", "a form (application/x-www-form-urlencoded) was expected")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: limit)
        } catch is NIOTooManyBytesError {
            throw ServerError.tooLarge(limit: limit)
        } catch {
            throw ServerError.badField("body", "it could not be read")
        }
        return try FormFields(encoded: buffer.readableBytesView)
    }

    /// Reads a form a signed-in page posted: its CSRF token (the `csrf` field, or the
    /// `X-CSRF-Token` header a script sends) must be the session's.
    static func action(_ request: Request, context: ServerContext, limit: Int = ServerConfiguration.formLimit)
        async throws -> FormFields
    {
        guard let session = context.session else { throw ServerError.signedOut }
        let form = try await read(request, limit: limit)
        let token = request.headers[.csrfToken] ?? form["csrf"] ?? ""
        guard AccessControl.same(token, session.csrfToken) else { throw ServerError.forgedRequest }
        return form
    }

    /// The first value of a field, nil when it is absent.
    subscript(_ name: String) -> String? { pairs.first { $0.0 == name }?.1 }

    /// Every value of a repeated field, in order.
    func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }

    /// A field that must be present and not blank.
    func required(_ name: String) throws -> String {
        guard let value = self[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
            throw ServerError.badField(name, "it is missing")
        }
        return value
    }

    /// `+` as a space and `%XX` as its byte; a `%` without two hex digits stays as it is.
    private static func decode(_ bytes: [UInt8]) -> String {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                decoded.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                decoded.append(high << 4 | low)
                index += 2
            } else {
                decoded.append(byte)
            }
            index += 1
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension FormFields {
    /// A query string for these pairs, `?` included; empty without any.
    static func encode(_ pairs: [(String, String)]) -> String {
        guard !pairs.isEmpty else { return "" }
        let allowed = CharacterSet(
            charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return "?"
            + pairs.map {
                "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
            }.joined(separator: "&")
    }
}
