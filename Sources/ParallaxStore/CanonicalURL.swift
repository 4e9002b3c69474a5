import Foundation

/// The normal form of an article's URL, used to tell that two links are the same article.
public enum CanonicalURL {
    /// Query parameters that track a click rather than name a page.
    static let trackingParameters: Set<String> = [
        "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "igshid", "yclid", "_hsenc", "_hsmi",
        "ref", "ref_src", "ref_url", "cmpid", "ocid", "smid", "sr_share", "mkt_tok", "spm",
    ]

    /// Whether an address names a scheme other than http and https (`javascript:`, `data:`,
    /// `file:`…), which no renderer may link to. Text without a scheme, which earlier versions
    /// kept from some imports, is not.
    public static func hasForeignScheme(_ string: String) -> Bool {
        let trimmed = string.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard let colon = trimmed.firstIndex(of: ":") else { return false }
        let scheme = trimmed[..<colon]
        guard let first = scheme.first, first.isLetter,
            scheme.allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) })
        else { return false }
        return scheme != "http" && scheme != "https"
    }

    /// Lower-cases scheme and host, drops the fragment, default ports, tracking parameters
    /// (`utm_*` and the like) and a trailing slash, and sorts what query remains.
    ///
    /// Returns nil when the string is not an absolute http(s) URL.
    public static func normalize(_ string: String) -> String? {
        guard var components = URLComponents(string: string.trimmingCharacters(in: .whitespaces)),
            let scheme = components.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = components.host, !host.isEmpty
        else { return nil }
        components.scheme = scheme
        components.host =
            host.lowercased().hasPrefix("www.") ? String(host.lowercased().dropFirst(4)) : host.lowercased()
        if (scheme == "http" && components.port == 80) || (scheme == "https" && components.port == 443) {
            components.port = nil
        }
        components.fragment = nil
        let kept = (components.queryItems ?? []).filter { item in
            let name = item.name.lowercased()
            return !name.hasPrefix("utm_") && !trackingParameters.contains(name)
        }
        components.queryItems =
            kept.isEmpty ? nil : kept.sorted { ($0.name, $0.value ?? "") < ($1.name, $1.value ?? "") }
        var path = components.percentEncodedPath
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        if path == "/" { path = "" }
        components.percentEncodedPath = path
        return components.string
    }
}
