import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The fields of a form a browser posted (`application/x-www-form-urlencoded`) or a query string.
struct FormFields: Sendable {
    private let pairs: [(String, String)]

    /// The most fields a form may have: a bulk action's thousand ids and a few more.
    static let fieldLimit = 1_100

    /// Parses `name=value&...`, with `+` for spaces and percent escapes: a page a bookmarklet
    /// sends is tens of megabytes, so separators are found with `memchr` and each field is
    /// decoded in one pass into its string.
    /// - Throws: ``ServerError/badField(_:_:)`` beyond ``fieldLimit`` fields.
    init(encoded bytes: some Collection<UInt8>) throws {
        pairs =
            try bytes.withContiguousStorageIfAvailable(Self.parse)
            ?? Array(bytes).withUnsafeBufferPointer(Self.parse)
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
        // Parsing a page of tens of megabytes takes a while: on a dispatch queue it holds no
        // thread of the cooperative pool, which every other request of the server needs.
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(with: Result { try FormFields(encoded: buffer.readableBytesView) })
            }
        }
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
}

private extension FormFields {
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws -> [(String, String)] {
        guard let base = bytes.baseAddress else { return [] }
        var pairs: [(String, String)] = []
        var start = 0
        while start < bytes.count {
            let end = find(UInt8(ascii: "&"), in: bytes, from: start, to: bytes.count) ?? bytes.count
            if end > start {
                guard pairs.count < fieldLimit else {
                    throw ServerError.badField("body", "more than \(fieldLimit) fields")
                }
                let equals = find(UInt8(ascii: "="), in: bytes, from: start, to: end)
                let name = decode(UnsafeBufferPointer(start: base + start, count: (equals ?? end) - start))
                let value = equals.map {
                    decode(UnsafeBufferPointer(start: base + $0 + 1, count: end - $0 - 1))
                }
                pairs.append((name, value ?? ""))
            }
            start = end + 1
        }
        return pairs
    }

    /// Where `byte` first is in `bytes[start..<end]`.
    static func find(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int)
        -> Int?
    {
        guard let base = bytes.baseAddress, end > start,
            let found = memchr(base + start, Int32(byte), end - start)
        else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// `+` as a space and `%XX` as its byte; a `%` without two hex digits stays as it is.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { output in
            var (index, written) = (0, 0)
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "+") {
                    output[written] = UInt8(ascii: " ")
                } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                    let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
                {
                    output[written] = high << 4 | low
                    index += 2
                } else {
                    output[written] = byte
                }
                written += 1
                index += 1
            }
            return written
        }
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
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
