import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Whether a host is on this machine or its private network, so that a page from the web cannot
/// make Parallax fetch from the reader's router, printer or local services (an `img` pointing at
/// `http://192.168.1.1/…`).
///
/// The check fails closed: a host that cannot be told public (a name that does not resolve, an
/// address scoped to an interface, a literal in no known range) is refused like a private one.
public enum NetworkAddress {
    /// Where a host leads.
    public enum Reach: Equatable, Sendable {
        /// Only to public addresses; the one given is where the fetch connects, so that a second
        /// lookup (DNS rebinding) cannot lead elsewhere between the check and the connection.
        case publicAddress(String)
        /// To this machine, its private network, or a reserved range, by at least one address.
        case privateNetwork
        /// Nowhere that can be told: a name that does not resolve, or an address that cannot be read.
        case unknown
    }

    /// Where `host` (as a URL names it: brackets, a zone, a trailing dot allowed) leads.
    static func reach(of host: String) -> Reach {
        let name = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]."))
        guard !name.isEmpty else { return .unknown }
        if name == "localhost" || name.hasSuffix(".localhost") || name.hasSuffix(".local") {
            return .privateNetwork
        }
        if let zone = name.firstIndex(of: "%") {
            // A zone (`fe80::1%lo`) names an interface of this machine: only on-link addresses have one.
            return isPrivateLiteral(String(name[..<zone])) == nil ? .unknown : .privateNetwork
        }
        if let literal = isPrivateLiteral(name) { return literal ? .privateNetwork : .publicAddress(name) }
        // Refuse anything that reads as an address but is not one of the two standard forms,
        // rather than hand it to a resolver that reads octal and hex.
        if name.contains(":") { return .unknown }
        let addresses = resolve(name)
        guard !addresses.isEmpty else { return .unknown }
        if addresses.contains(where: { isPrivateLiteral($0) != false }) { return .privateNetwork }
        // IPv4 first: it reaches almost everywhere, where a machine may resolve IPv6 it cannot route.
        return .publicAddress(addresses.first { !$0.contains(":") } ?? addresses[0])
    }

    /// Where `host` leads, looked up on a dispatch queue: a resolver may wait seconds for its
    /// server, and the cooperative pool has a thread a core.
    public static func lookUp(_ host: String) async -> Reach {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .userInitiated).async {
                continuation.resume(returning: reach(of: host))
            }
        }
    }

    /// True for hosts that lead to this machine or its private network (not for unknown ones): a
    /// page from such a host may show images from there.
    static func isPrivate(host: String) -> Bool { reach(of: host) == .privateNetwork }

    /// Whether a numeric IPv4 or IPv6 address (in its standard form) is private or reserved; nil
    /// when `text` is not one.
    static func isPrivateLiteral(_ text: String) -> Bool? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return isPrivate(v4: UInt32(bigEndian: v4.s_addr)) }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return isPrivate(v6: withUnsafeBytes(of: v6) { Array($0) }) }
        return nil
    }
}

// MARK: - Ranges

private extension NetworkAddress {
    /// IPv4 ranges that are not the public internet (RFC 6890 and after), as address and prefix length.
    static let privateV4: [(UInt32, UInt32)] = [
        (0x0000_0000, 8),  // "this network", 0.0.0.0
        (0x0A00_0000, 8),  // private
        (0x6440_0000, 10),  // shared address space (carrier-grade NAT)
        (0x7F00_0000, 8),  // loopback
        (0xA9FE_0000, 16),  // link-local, cloud metadata
        (0xAC10_0000, 12),  // private
        (0xC000_0000, 24),  // IETF protocol assignments
        (0xC000_0200, 24),  // documentation
        (0xC058_6300, 24),  // 6to4 relay anycast
        (0xC0A8_0000, 16),  // private
        (0xC612_0000, 15),  // benchmarking
        (0xC633_6400, 24),  // documentation
        (0xCB00_7100, 24),  // documentation
        (0xE000_0000, 4),  // multicast
        (0xF000_0000, 4),  // reserved, and the broadcast address
    ]

    static func isPrivate(v4 value: UInt32) -> Bool {
        privateV4.contains { base, length in value >> (32 - length) == base >> (32 - length) }
    }

    /// IPv6: the forms that carry an IPv4 address are judged by it; otherwise only global unicast
    /// (2000::/3) outside its special blocks is public.
    static func isPrivate(v6 bytes: [UInt8]) -> Bool {
        func zeros(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { $0 == 0 } }
        func v4(at offset: Int) -> UInt32 { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) } }
        let mapped = zeros(0..<10) && bytes[10] == 0xFF && bytes[11] == 0xFF
        let translated = zeros(0..<8) && bytes[8] == 0xFF && bytes[9] == 0xFF && zeros(10..<12)
        let nat64 = bytes[0..<4] == [0x00, 0x64, 0xFF, 0x9B] && zeros(4..<12)
        // IPv4-compatible, including :: and ::1, which carry 0.0.0.0 and 0.0.0.1.
        if zeros(0..<12) || mapped || translated || nat64 { return isPrivate(v4: v4(at: 12)) }
        if bytes[0] == 0x20, bytes[1] == 0x02 { return isPrivate(v4: v4(at: 2)) }  // 6to4
        guard bytes[0] & 0xE0 == 0x20 else { return true }  // link-local, unique local, multicast...
        // IETF protocol assignments (Teredo, benchmarking, ORCHID...) and documentation ranges.
        let ietf = bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] & 0xFE == 0
        let documentation =
            bytes[0..<4] == [0x20, 0x01, 0x0D, 0xB8]
            || (bytes[0] == 0x3F && bytes[1] == 0xFF && bytes[2] & 0xF0 == 0)
        return ietf || documentation
    }

    /// The numeric addresses a name resolves to; empty when it does not resolve.
    static func resolve(_ name: String) -> [String] {
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
