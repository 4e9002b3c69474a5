import Foundation
import ParallaxFiles
import ParallaxMarkup
import ParallaxStore

/// One article as a self-contained web page to read offline: its HTML when the library keeps
/// it (sanitized again, with its kept images inlined and the others linked), else its text.
public enum ArticlePage {
    /// What the page's generator tag names it (``OutputFile/generatorTag(_:)``).
    static let generatorKind = "article page"

    /// The page's policy: nothing loads but its inlined images and its own style.
    static let contentPolicy =
        #"<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">"#

    /// Writes the page to `path`, which may replace only an earlier article page.
    public static func write(_ record: ItemRecord, images: [String: ImageAsset], to path: String) throws {
        let file = OutputFile(path: path, kind: "an article page") { head in
            OutputFile.isPage(head, of: generatorKind) || isEarlierVersionsPage(head)
        }
        try file.write(Data(render(record, images: images).utf8))
    }

    /// Whether `head` is a page an earlier version wrote, before each kind named itself: its
    /// generator was every page's, but of them only an article page carried this policy. So
    /// `open` still replaces the page it wrote for an item before (the same path each time).
    private static func isEarlierVersionsPage(_ head: Data) -> Bool {
        let text = String(decoding: head, as: UTF8.self)
        guard text.hasPrefix("<!DOCTYPE html>"), let policy = text.range(of: "\n" + contentPolicy + "\n"),
            let generator = text.range(
                of: #"<meta name="generator" content="Parallax">"#, range: policy.upperBound..<text.endIndex),
            let body = text.range(of: "<body")
        else { return false }
        return generator.upperBound <= body.lowerBound
    }

    /// Where `parallax open` writes an item's page when it is given no path: a folder of its own
    /// under the system's temporary directory, one file an item.
    public static func defaultPath(for item: Item) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("parallax-open")
            .appendingPathComponent(
                "\(ReadingExport.slug(item.title))-\(item.id.suffix(8).lowercased()).html"
            ).path
    }

    /// The article's body for a page that frames it itself (the reading app): its kept HTML,
    /// sanitized again, with each kept image's `src` from `imageSources` (by the image's address)
    /// and the others linked; its text as escaped paragraphs, highlights marked, without HTML.
    public static func body(_ record: ItemRecord, imageSources: [String: String]) -> String {
        ReadingExport.articleHTML(record, sources: imageSources)
    }

    /// The page.
    /// - Parameters:
    ///   - record: The item with its text and highlights; its `html`, when set, is the body.
    ///   - images: The kept images, by the address the HTML names them with.
    public static func render(_ record: ItemRecord, images: [String: ImageAsset]) -> String {
        let item = record.item
        let escape = Markup.html
        var body = "<h1>\(escape(item.title))</h1>\n"
        let line = ReadingExport.metadataLine(item)
        if !line.isEmpty { body += "<p class=\"meta\">\(escape(line))</p>\n" }
        if let link = Markup.linkTarget(item.url) {
            body += "<p class=\"meta\"><a href=\"\(escape(link))\">\(escape(link))</a></p>\n"
        }
        if record.html != nil {
            // Inlined here, so the page needs nothing but itself; the policy below allows
            // images from these data addresses and nothing else.
            body +=
                ReadingExport.articleHTML(record, sources: images.mapValues(ReadingExport.dataAddress)) + "\n"
            body += ReadingExport.highlightsHTML(record.highlights, heading: "h2")
        } else {
            body += ReadingExport.paragraphsHTML(record) + "\n"
            if record.highlights.contains(where: { $0.note != nil }) {
                body += ReadingExport.highlightsHTML(record.highlights, heading: "h2")
            }
        }
        if let note = item.note { body += "<h2>Note</h2>\n<p class=\"note\">\(escape(note))</p>\n" }
        return """
            <!DOCTYPE html>
            <html lang="\(escape(item.language ?? "en"))">
            <head>
            <meta charset="utf-8">
            \(contentPolicy)
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(OutputFile.generatorTag(generatorKind))
            <title>\(escape(item.title))</title>
            <style>
            \(ReadingExport.readingStyle)
            </style>
            </head>
            <body>
            <article>
            \(body)</article>
            </body>
            </html>

            """
    }
}

extension ReadingExport {
    /// The kept HTML of a record, sanitized again (a synced peer could have sent other markup),
    /// with each image's `src` from `sources` (by its address) and the others linked; its text
    /// as paragraphs when it has no HTML.
    static func articleHTML(_ record: ItemRecord, sources: [String: String]) -> String {
        guard let html = record.html else { return paragraphsHTML(record) }
        let baseURL = record.item.url.flatMap(URL.init(string:))
        return HTMLSanitizer.sanitize(html: html, baseURL: baseURL, images: .kept(sources)).html
    }

    /// An image as a `data:` address, for a page that must hold its images.
    static func dataAddress(_ image: ImageAsset) -> String {
        "data:\(image.type.rawValue);base64,\(image.data.base64EncodedString())"
    }

    /// The typography every reading page shares: a readable column, figures and tables that fit
    /// it, and a dark scheme.
    static let readingStyle = """
        body { font: 1.1rem/1.6 Georgia, "Times New Roman", serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #222; background: #fdfcf8; }
        h1, h2, h3 { font-family: system-ui, sans-serif; line-height: 1.25; }
        .meta, .top { font: 0.85rem system-ui, sans-serif; color: #666; margin: 0.2rem 0; }
        .item { padding-left: 1rem; }
        mark { background: #fff2a8; }
        blockquote { border-left: 3px solid #e0c200; margin: 1rem 0; padding-left: 1rem; }
        .note { font-style: italic; }
        a { color: #1a5fb4; word-break: break-word; }
        img { max-width: 100%; height: auto; }
        figure { margin: 1.5rem 0; }
        figcaption { font: 0.85rem system-ui, sans-serif; color: #666; }
        table { border-collapse: collapse; font: 0.9rem system-ui, sans-serif; }
        th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; }
        pre { overflow-x: auto; }
        @media (prefers-color-scheme: dark) { body { background: #1c1c1c; color: #ddd; } mark { background: #6b5b00; color: #fff; } a { color: #8ab4f8; } }
        """
}
