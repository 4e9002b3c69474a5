import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The fields of a form a browser posted (`application/x-www-form-urlencoded`) or a query string.
struct FormFields: Sendable {
    private let pairs: [(String, String)]

    /// Parses `name=value&...`, with `+` for spaces and percent escapes.
    init(encoded: String) {
        pairs = encoded.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (Self.decode(parts[0]), parts.count > 1 ? Self.decode(parts[1]) : "")
        }
    }

    /// The query string of a request.
    init(query request: Request) { self.init(encoded: request.uri.query ?? "") }

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
        return FormFields(encoded: String(decoding: buffer.readableBytesView, as: UTF8.self))
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

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
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
