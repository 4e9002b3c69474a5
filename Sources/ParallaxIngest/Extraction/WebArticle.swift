import Foundation
import ParallaxMarkup
import ParallaxStore

/// An article found in a web page: its metadata and its text, ready to save.
public struct WebArticle: Codable, Hashable, Sendable {
    /// The headline.
    public var title: String
    /// The author line.
    public var byline: String?
    /// The publication date, ISO 8601.
    public var published: String?
    /// The outlet: the page's site name, or its domain.
    public var site: String?
    /// The language code.
    public var language: String?
    /// The address the page was read from.
    public var url: String?
    /// The page's own canonical address, when it names one.
    public var canonicalURL: String?
    /// The page's summary.
    public var description: String?
    /// The body: paragraphs separated by a blank line.
    public var text: String
    /// Links in the body, resolved to absolute addresses.
    public var links: [ArticleLink]
    /// The character set the page was read in.
    public var charset: String
    /// The body as sanitized HTML (``HTMLSanitizer``), from the same part of the page as the
    /// text; nil when the text came from the page's structured data instead.
    public var html: String?
    /// The images the HTML shows, in order.
    public var images: [ArticleImage]

    enum CodingKeys: String, CodingKey {
        case title, byline, published, site, language, url, description, text, links, charset, html, images
        case canonicalURL = "canonical_url"
    }

    /// The number of words in the body.
    public var wordCount: Int { TextScan.wordCount(text) }

    /// A draft for the library: the canonical address when the page gives one.
    ///
    /// What a page says of itself is cut to the sizes the library keeps (``TextField``) rather
    /// than refused: a page's 3,000-character title is the page's doing, not the reader's.
    public var draft: ItemDraft {
        var draft = ItemDraft(title: TextField.title.repaired(title) ?? title, text: text)
        draft.url = url ?? canonicalURL
        draft.byline = byline.flatMap(TextField.byline.repaired)
        draft.source = site.flatMap(TextField.source.repaired)
        draft.published = published
        draft.language = language.flatMap(TextField.language.repaired)
        draft.html = html
        return draft
    }
}

/// Turns web pages into ``WebArticle``s.
public enum WebArticleExtractor {
    /// Pages larger than this are refused rather than parsed.
    public static let maximumPageBytes = 32 << 20

    /// Extracts the article from a page.
    /// - Parameters:
    ///   - data: The page's bytes as fetched or saved.
    ///   - url: The page's address, for relative links and the outlet's name.
    ///   - contentType: The HTTP `Content-Type`, which may name the character set.
    ///   - name: How errors name the page.
    /// - Throws: ``IngestError/tooLarge(name:bytes:limit:)``, ``IngestError/empty(name:)``, or
    ///   ``IngestError/noArticle(name:)`` when the page holds no article text.
    public static func extract(from data: Data, url: URL? = nil, contentType: String? = nil, name: String)
        throws -> WebArticle
    {
        guard data.count <= maximumPageBytes else {
            throw IngestError.tooLarge(name: name, bytes: data.count, limit: maximumPageBytes)
        }
        let (html, charset) = PageDecoder.decode(data, contentType: contentType)
        guard !TextScan.isBlank(html) else { throw IngestError.empty(name: name) }
        let document = HTMLDocument(html: html, baseURL: url)
        guard document.isComplete else {
            throw IngestError.tooComplex(name: name, limit: HTMLDocument.maximumNodes)
        }
        let metadata = PageMetadata(document: document)
        // Consumed, so that each later pass's parse replaces this one rather than joining it.
        let text = bestText(html: html, url: url, document: consume document, metadata: metadata)
        guard TextScan.wordCount(text.body) >= 20 else {
            throw IngestError.noArticle(name: name)
        }
        let host = (metadata.canonicalURL.flatMap(URL.init(string:)) ?? url)?.host?.lowercased()
        let domain = host.map { $0.hasPrefix("www.") ? String($0.dropFirst(4)) : $0 }
        let firstLine = text.body.prefix { $0 != "\n" }
        return WebArticle(
            title: metadata.title ?? String(firstLine.prefix(120)),
            byline: metadata.byline,
            published: metadata.published,
            site: metadata.site ?? domain,
            language: metadata.language ?? LanguageGuess.of(text.body),
            url: url?.absoluteString,
            canonicalURL: metadata.canonicalURL,
            description: metadata.description,
            text: text.body,
            links: text.links,
            charset: charset,
            html: text.markup?.html,
            images: text.markup?.images ?? [])
    }
}

// MARK: - Choosing the text

private extension WebArticleExtractor {
    /// Runs the extractor's passes, each on a fresh parse, until one finds enough text.
    static func bestText(html: String, url: URL?, document: consuming HTMLDocument, metadata: PageMetadata)
        -> (body: String, links: [ArticleLink], markup: SanitizedHTML?)
    {
        var best: (body: String, links: [ArticleLink], markup: SanitizedHTML?) = ("", [], nil)
        var page = consume document
        for (index, pass) in ContentExtractor.Pass.all.enumerated() {
            if index > 0 {
                // The earlier pass's tree goes before the next is built.
                page = HTMLDocument(html: "")
                page = HTMLDocument(html: html, baseURL: url)
            }
            guard let content = ContentExtractor(pass: pass).extract(from: page.root) else { continue }
            let body = ArticleText.render(content)
            if body.count > best.body.count {
                best = (
                    body, ArticleText.links(in: content, document: page),
                    HTMLSanitizer.sanitize(contentOf: content, in: page)
                )
            }
            if body.count >= ContentExtractor.sufficientLength { break }
        }
        if let structured = metadata.structuredBody.flatMap(PageMetadata.cleanStructuredBody),
            structured.count > best.body.count * 2
        {
            return (structured, best.links, nil)
        }
        return best
    }
}
