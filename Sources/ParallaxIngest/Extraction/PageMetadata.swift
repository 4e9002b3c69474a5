import Foundation
import ParallaxMarkup
import ParallaxStore

/// What a page says about itself: `<meta>` tags (Open Graph, article:*, author, description),
/// schema.org JSON-LD, `<time>`, `<link rel=canonical>`, `<html lang>` and `<title>`.
struct PageMetadata {
    var title: String?
    var byline: String?
    var published: String?
    var site: String?
    var language: String?
    var canonicalURL: String?
    var description: String?
    /// The `articleBody` of a JSON-LD article, when the page carries one.
    var structuredBody: String?

    /// Reads the metadata; call before extraction changes the tree.
    init(document: HTMLDocument) {
        let root = document.root
        var meta: [String: String] = [:]
        var canonical: String?
        var documentTitle: String?
        var jsonLD: [[String: Any]] = []
        var firstTime: String?
        var firstHeading: String?
        var itemprops: [String: String] = [:]
        var bylineElement: String?
        for node in root.descendants() {
            switch node.name {
            case "meta":
                guard let content = node["content"]?.trimmingCharacters(in: .whitespacesAndNewlines),
                    !content.isEmpty
                else { break }
                for key in [node["property"], node["name"], node["itemprop"], node["http-equiv"]] {
                    if let key = key?.lowercased(), meta[key] == nil { meta[key] = content }
                }
            case "link":
                let rel = (node["rel"] ?? "").lowercased().split(separator: " ")
                if rel.contains("canonical"), canonical == nil, let href = node["href"] {
                    canonical = document.absoluteURL(href)
                }
            case "title":
                if documentTitle == nil { documentTitle = PageMetadata.clean(node.textContent) }
            case "script":
                if (node["type"] ?? "").lowercased().contains("ld+json") {
                    jsonLD.append(contentsOf: PageMetadata.articles(inJSONLD: node.textContent))
                }
            case "time":
                if firstTime == nil { firstTime = node["datetime"] }
            case "h1":
                if firstHeading == nil { firstHeading = PageMetadata.clean(node.textContent) }
            default:
                break
            }
            // An element may carry several properties: itemprop="datePublished dateCreated".
            for property in (node["itemprop"] ?? "").lowercased().split(separator: " ").map(String.init)
            where itemprops[property] == nil {
                let value = node["content"] ?? node["datetime"] ?? PageMetadata.clean(node.textContent)
                if let value, !value.isEmpty { itemprops[property] = value }
            }
            if bylineElement == nil, node.name != "meta", node.name != "body",
                ClassHints.containsAny(["byline"], in: ClassHints.names(of: node)) || node["rel"] == "author"
            {
                let text = PageMetadata.clean(node.textContent) ?? ""
                if !text.isEmpty && text.count < 100 { bylineElement = text }
            }
        }
        // A page's WebPage object describes the page; an article object, in any script, wins.
        let article = jsonLD.first { !PageMetadata.isWebPage($0) } ?? jsonLD.first ?? [:]
        title =
            [
                meta["og:title"], PageMetadata.string(article["headline"]), meta["twitter:title"],
                firstHeading,
                documentTitle.map(PageMetadata.withoutSiteName),
            ].lazy.compactMap { $0.flatMap(PageMetadata.clean) }.first
        let authorNames = PageMetadata.names(article["author"])
        byline =
            [
                authorNames.isEmpty ? nil : authorNames.joined(separator: ", "), meta["author"],
                meta["article:author"].flatMap { $0.hasPrefix("http") ? nil : $0 }, meta["parsely-author"],
                meta["sailthru.author"], meta["dc.creator"], meta["byl"], itemprops["author"], bylineElement,
            ].lazy.compactMap { $0.flatMap(PageMetadata.cleanByline) }.first
        published =
            [
                meta["article:published_time"], PageMetadata.string(article["datePublished"]),
                meta["og:published_time"],
                meta["datepublished"], meta["pubdate"], meta["publishdate"], meta["publish-date"],
                meta["date"],
                meta["dc.date"], meta["dc.date.issued"], meta["dcterms.created"], meta["sailthru.date"],
                meta["parsely-pub-date"], itemprops["datepublished"], firstTime,
            ].lazy.compactMap { $0.flatMap(PublicationDate.normalize) }.first
        let publisher = (article["publisher"] as? [String: Any]).flatMap { PageMetadata.string($0["name"]) }
        // Some sites give their address as their name; the domain says the same more plainly.
        site = [meta["og:site_name"], publisher, meta["application-name"]]
            .lazy.compactMap { $0.flatMap(PageMetadata.clean) }.first { !$0.contains("://") }
        let lang = root["lang"] ?? root["xml:lang"]
        language =
            [lang, meta["og:locale"], meta["content-language"], PageMetadata.string(article["inLanguage"])]
            .lazy.compactMap { $0.flatMap(PageMetadata.languageCode) }.first
        canonicalURL = canonical ?? meta["og:url"].flatMap(document.absoluteURL)
        description =
            [meta["og:description"], meta["description"], meta["twitter:description"]]
            .lazy.compactMap { $0.flatMap(PageMetadata.clean) }.first
        structuredBody = PageMetadata.string(article["articleBody"])
    }
}

extension PageMetadata {
    /// A JSON-LD `articleBody` as text: entities decoded, one paragraph a line kept apart.
    static func cleanStructuredBody(_ body: String) -> String? {
        let paragraphs = decodeEntities(body).split(whereSeparator: \.isNewline)
            .map { $0.split(whereSeparator: \.isWhitespace).joined(separator: " ") }.filter { !$0.isEmpty }
        return paragraphs.isEmpty ? nil : paragraphs.joined(separator: "\n\n")
    }
}

// MARK: - Reading values

private extension PageMetadata {
    static let articleTypes: Set<String> = [
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
        "blogposting", "backgroundnewsarticle", "reviewnewsarticle", "scholarlyarticle", "techarticle",
        "report", "liveblogposting", "socialmediaposting", "webpage",
    ]

    /// Article objects in a JSON-LD script (`WebPage` among them), in order.
    static func articles(inJSONLD text: String) -> [[String: Any]] {
        guard let data = text.data(using: .utf8),
            let json = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        else { return [] }
        var found: [[String: Any]] = []
        var queue: [Any] = [json]
        while let value = queue.popLast() {
            if let array = value as? [Any] {
                queue.append(contentsOf: array.reversed())
            } else if let object = value as? [String: Any] {
                if let graph = object["@graph"] { queue.append(graph) }
                let types = (object["@type"] as? [String]) ?? [(object["@type"] as? String) ?? ""]
                if types.contains(where: { articleTypes.contains($0.lowercased()) }) { found.append(object) }
            }
        }
        return found
    }

    static func isWebPage(_ object: [String: Any]) -> Bool {
        ((object["@type"] as? String) ?? "").lowercased() == "webpage"
    }

    static func string(_ value: Any?) -> String? {
        if let text = value as? String { return text }
        if let array = value as? [Any] { return array.lazy.compactMap { string($0) }.first }
        return nil
    }

    static func names(_ value: Any?) -> [String] {
        if let text = value as? String { return [text] }
        if let object = value as? [String: Any] { return string(object["name"]).map { [$0] } ?? [] }
        if let array = value as? [Any] { return array.flatMap { names($0) } }
        return []
    }

    static func clean(_ text: String) -> String? {
        let cleaned = TextScan.collapsingWhitespace(decodeEntities(text))
        return cleaned.isEmpty ? nil : cleaned
    }

    /// JSON-LD and some meta values arrive with entities still encoded.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        return text.replacingOccurrences(of: "&amp;", with: "&").replacingOccurrences(
            of: "&quot;", with: "\""
        )
        .replacingOccurrences(of: "&#39;", with: "'").replacingOccurrences(of: "&#x27;", with: "'")
        .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
        .replacingOccurrences(of: "&nbsp;", with: " ")
    }

    static func cleanByline(_ text: String) -> String? {
        guard var cleaned = clean(text) else { return nil }
        if cleaned.lowercased().hasPrefix("by ") { cleaned = String(cleaned.dropFirst(3)) }
        guard !cleaned.isEmpty, cleaned.count <= 200, !cleaned.hasPrefix("http") else { return nil }
        return cleaned
    }

    /// "Headline | Site" and "Headline - Site" lose the site's name.
    static func withoutSiteName(_ title: String) -> String {
        for separator in [" | ", " - ", " – ", " — ", " :: ", " » "] {
            guard let range = title.range(of: separator, options: .backwards) else { continue }
            let head = String(title[..<range.lowerBound])
            if head.split(separator: " ").count >= 3 { return head }
        }
        return title
    }

    static func languageCode(_ value: String) -> String? {
        let primary =
            value.trimmingCharacters(in: .whitespaces).lowercased()
            .split(whereSeparator: { $0 == "-" || $0 == "_" }).first.map(String.init) ?? ""
        guard (2...3).contains(primary.count), primary.allSatisfy({ $0.isASCII && $0.isLetter }) else {
            return nil
        }
        return primary
    }
}

/// Publication dates as pages write them, turned into the ISO 8601 form a library stores.
enum PublicationDate {
    static func normalize(_ value: String) -> String? {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard trimmed.count >= 10 else { return nil }
        if let date = try? Timestamp.normalizedDate(trimmed, field: "published") { return date }
        var repaired = trimmed.replacingOccurrences(of: " ", with: "T")
        // "+0500" → "+05:00"; ISO 8601 parsers want the colon.
        if let sign = repaired.lastIndex(where: { $0 == "+" || $0 == "-" }),
            repaired.distance(from: sign, to: repaired.endIndex) == 5,
            repaired[repaired.index(after: sign)...].allSatisfy(\.isNumber)
        {
            repaired.insert(":", at: repaired.index(sign, offsetBy: 3))
        }
        if let date = try? Timestamp.normalizedDate(repaired, field: "published") { return date }
        if repaired.count > 10, !repaired.contains("Z"),
            !repaired.dropFirst(10).contains(where: { $0 == "+" }),
            !repaired.dropFirst(10).contains("-"),
            let date = try? Timestamp.normalizedDate(repaired + "Z", field: "published")
        {
            return date
        }
        let day = String(trimmed.prefix(10)).replacingOccurrences(of: "/", with: "-")
        if let date = try? Timestamp.normalizedDate(day, field: "published") { return date }
        return writtenOut(trimmed)
    }

    static let months = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    /// "November 19, 2019, 07:47 PM EST" or "19 Nov 2019": the day, with the month in English.
    static func writtenOut(_ text: String) -> String? {
        let words = text.lowercased().split { !$0.isLetter && !$0.isNumber }.map(String.init)
        let month = words.lazy.compactMap { word in
            word.count >= 3
                ? months.firstIndex { $0 == word || ($0.hasPrefix(word) && word.count == 3) } : nil
        }.first
        let numbers = words.compactMap { Int($0) }
        guard let month, let year = numbers.first(where: { (1900...2100).contains($0) }),
            let day = numbers.first(where: { (1...31).contains($0) })
        else { return nil }
        return try? Timestamp.normalizedDate(
            String(format: "%04d-%02d-%02d", year, month + 1, day), field: "published")
    }
}
