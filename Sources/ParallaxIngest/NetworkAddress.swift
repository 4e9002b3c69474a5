import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Whether a host is on this machine or its private network, so that a page from the web cannot
/// make Parallax fetch from the reader's router, printer or local services (an `img` pointing at
/// `http://192.168.1.1/…`).
enum NetworkAddress {
    /// True for loopback, private, link-local and unspecified addresses, `localhost` names, and
    /// names that resolve to any of those.
    static func isPrivate(host: String) -> Bool {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]."))
        if name == "localhost" || name.hasSuffix(".localhost") || name.hasSuffix(".local") { return true }
        if let literal = isPrivateLiteral(name) { return literal }
        return resolve(name).contains { isPrivateLiteral($0) ?? false }
    }

    /// Whether a numeric IPv4 or IPv6 address is private; nil when `text` is not one.
    static func isPrivateLiteral(_ text: String) -> Bool? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let value = UInt32(bigEndian: v4.s_addr)
            let (a, b, c) = (value >> 24, (value >> 16) & 0xFF, (value >> 8) & 0xFF)
            // Private, shared, link-local and loopback ranges, the reserved and documentation ones
            // (a machine may well have one of those), multicast and beyond.
            return a == 0 || a == 10 || a == 127 || (a == 169 && b == 254)
                || (a == 172 && (16...31).contains(b))
                || (a == 192 && b == 168) || (a == 100 && (64...127).contains(b)) || a >= 224
                || (a == 192 && b == 0 && (c == 0 || c == 2)) || (a == 198 && (b == 18 || b == 19))
                || (a == 198 && b == 51 && c == 100) || (a == 203 && b == 0 && c == 113)
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            if bytes[0..<15].allSatisfy({ $0 == 0 }) { return true }  // :: and ::1
            let mapped = bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF
            let compatible = bytes[0..<12].allSatisfy { $0 == 0 }
            let translated = bytes[0..<4] == [0x00, 0x64, 0xFF, 0x9B] && bytes[4..<12].allSatisfy { $0 == 0 }
            if mapped || compatible || translated {
                // An IPv4 address inside IPv6: mapped, compatible, or behind NAT64.
                return isPrivateLiteral(bytes[12..<16].map(String.init).joined(separator: "."))
            }
            return bytes[0] & 0xFE == 0xFC || (bytes[0] == 0xFE && bytes[1] & 0xC0 == 0x80)
                || bytes[0] == 0xFF
        }
        return nil
    }

    /// The numeric addresses a name resolves to; empty when it does not resolve.
    private static func resolve(_ name: String) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &list) == 0, let first = list else { return [] }
        defer { freeaddrinfo(first) }
        var addresses: [String] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(
                entry.pointee.ai_addr, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0,
                NI_NUMERICHOST) == 0
            {
                addresses.append(String(decoding: buffer.prefix { $0 != 0 }.map(UInt8.init), as: UTF8.self))
            }
            cursor = entry.pointee.ai_next
        }
        return addresses
    }
}
