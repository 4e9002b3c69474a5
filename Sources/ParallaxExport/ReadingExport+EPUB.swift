import Crypto
import Foundation
import ParallaxFiles
import ParallaxMarkup
import ParallaxStore
import ZIPFoundation

// MARK: - EPUB

extension ReadingExport {
    /// An EPUB 3 book (with an EPUB 2 table of contents for older readers): one XHTML chapter an
    /// article, written into the archive as it is read.
    func writeEPUB(to url: URL) throws -> Int {
        let archive: Archive
        do {
            archive = try Archive(url: url, accessMode: .create)
        } catch {
            throw OutputFileError.notWritable(path: url.deletingLastPathComponent().path, reason: "\(error)")
        }
        // The first entry must be the media type, stored uncompressed (EPUB OCF).
        try add("mimetype", Data("application/epub+zip".utf8), to: archive, compressed: false)
        try add("META-INF/container.xml", Data(Self.container.utf8), to: archive)
        // Stored, so that its first line marks the file as a Parallax book for `export -o` to replace.
        try add("OEBPS/style.css", Data(Self.style.utf8), to: archive, compressed: false)
        var chapters: [(id: String, title: String)] = []
        var images: [(file: String, type: ImageType)] = []
        var languages: [String: Int] = [:]
        var digest = SHA256()
        let count = try library.forEachRecord(withImages: true, filter: filter) { record in
            let id = "a\(record.item.id.lowercased())"
            // Each image once, stored as it is (it is compressed already); WebP and AVIF are not
            // among EPUB's core media types, so those stay links to their address.
            var sources: [String: String] = [:]
            for (address, image) in record.images where Self.epubImageTypes.contains(image.type) {
                let file = Self.imageFileName(image)
                sources[address] = file
                guard !images.contains(where: { $0.file == file }) else { continue }
                try add("OEBPS/\(file)", image.data, to: archive, compressed: false)
                images.append((file, image.type))
            }
            try add("OEBPS/\(id).xhtml", Data(Self.chapter(record, imageSources: sources).utf8), to: archive)
            chapters.append((id, record.item.title))
            languages[record.item.language ?? "en", default: 0] += 1
            digest.update(data: Data(record.item.id.utf8))
        }
        let language =
            languages.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? "en"
        // The same articles make the same book identifier, so a reader replaces an older copy.
        let hash = digest.finalize().map { String(format: "%02x", $0) }.joined()
        try add(
            "OEBPS/content.opf",
            Data(packageDocument(chapters, images: images, language: language, hash: hash).utf8), to: archive)
        try add("OEBPS/nav.xhtml", Data(navigation(chapters, language: language).utf8), to: archive)
        try add("OEBPS/toc.ncx", Data(ncx(chapters, hash: hash).utf8), to: archive)
        return count
    }

    private func add(_ path: String, _ data: Data, to archive: Archive, compressed: Bool = true) throws {
        try archive.addEntry(
            with: path, type: .file, uncompressedSize: Int64(data.count),
            compressionMethod: compressed ? .deflate : .none,
            provider: { position, size in data.subdata(in: Int(position)..<Int(position) + size) })
    }

    /// The formats an EPUB 3.2 reading system must show.
    static let epubImageTypes: Set<ImageType> = [.jpeg, .png, .gif]

    /// One article as an XHTML chapter; `imageSources` names the book's file for each image kept.
    static func chapter(_ record: ItemRecord, imageSources: [String: String] = [:]) -> String {
        let item = record.item
        var body = "<h1>\(escape(item.title))</h1>\n"
        let line = metadataLine(item)
        if !line.isEmpty { body += "<p class=\"meta\">\(escape(line))</p>\n" }
        body += articleHTML(record, sources: imageSources) + "\n"
        body += highlightsHTML(record.highlights, heading: "h2")
        if let note = item.note { body += "<h2>Note</h2>\n<p class=\"note\">\(escape(note))</p>\n" }
        if let url = Markup.linkTarget(item.url) {
            body += "<p class=\"meta\"><a href=\"\(escape(url))\">\(escape(url))</a></p>\n"
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="\(escape(item.language ?? "en"))">
            <head><title>\(escape(item.title))</title><link rel="stylesheet" type="text/css" href="style.css"/></head>
            <body>
            \(body)</body>
            </html>

            """
    }

    private func packageDocument(
        _ chapters: [(id: String, title: String)], images: [(file: String, type: ImageType)],
        language: String,
        hash: String
    ) -> String {
        let manifest =
            (chapters.map {
                "    <item id=\"\($0.id)\" href=\"\($0.id).xhtml\" media-type=\"application/xhtml+xml\"/>"
            }
            + images.map {
                "    <item id=\"\($0.file.replacingOccurrences(of: ".", with: "-"))\" href=\"\($0.file)\" media-type=\"\($0.type.rawValue)\"/>"
            }).joined(separator: "\n")
        let spine = chapters.map { "    <itemref idref=\"\($0.id)\"/>" }.joined(separator: "\n")
        let modified = Timestamp.string(from: Date())
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" xml:lang="\(Self.escape(language))">
              <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
                <dc:identifier id="book-id">urn:parallax:\(hash.prefix(32))</dc:identifier>
                <dc:title>\(Self.escape(title))</dc:title>
                <dc:language>\(Self.escape(language))</dc:language>
                <dc:creator>Parallax</dc:creator>
                <meta property="dcterms:modified">\(modified)</meta>
              </metadata>
              <manifest>
                <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
                <item id="ncx" href="toc.ncx" media-type="application/x-dtbncx+xml"/>
                <item id="style" href="style.css" media-type="text/css"/>
            \(manifest)
              </manifest>
              <spine toc="ncx">
                <itemref idref="nav" linear="no"/>
            \(spine)
              </spine>
            </package>

            """
    }

    private func navigation(_ chapters: [(id: String, title: String)], language: String) -> String {
        let items = chapters.map { "      <li><a href=\"\($0.id).xhtml\">\(Self.escape($0.title))</a></li>" }
            .joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE html>
            <html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" xml:lang="\(Self.escape(language))">
            <head><title>\(Self.escape(title))</title></head>
            <body>
              <nav epub:type="toc" id="toc">
                <h1>\(Self.escape(title))</h1>
                <ol>
            \(items)
                </ol>
              </nav>
            </body>
            </html>

            """
    }

    private func ncx(_ chapters: [(id: String, title: String)], hash: String) -> String {
        let points = chapters.enumerated().map { index, chapter in
            """
                <navPoint id="p\(index + 1)" playOrder="\(index + 1)"><navLabel><text>\(Self.escape(chapter.title))</text></navLabel><content src="\(chapter.id).xhtml"/></navPoint>
            """
        }.joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1">
              <head><meta name="dtb:uid" content="urn:parallax:\(hash.prefix(32))"/></head>
              <docTitle><text>\(Self.escape(title))</text></docTitle>
              <navMap>
            \(points)
              </navMap>
            </ncx>

            """
    }

    static let container = """
        <?xml version="1.0" encoding="UTF-8"?>
        <container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
          <rootfiles>
            <rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/>
          </rootfiles>
        </container>

        """

    /// The first line of the book's style sheet.
    static let styleMark = "/* A Parallax reading list */"

    static let style = """
        \(styleMark)
        body { font-family: serif; line-height: 1.5; margin: 0 1em; }
        h1 { font-size: 1.4em; line-height: 1.25; }
        .meta { font-size: 0.85em; color: #555; }
        .item { margin-left: 1em; }
        mark { background: #fff2a8; }
        blockquote { border-left: 3px solid #c9a800; margin: 1em 0; padding-left: 0.8em; }
        .note { font-style: italic; }
        img { max-width: 100%; }
        figcaption { font-size: 0.85em; color: #555; }
        table { border-collapse: collapse; }
        th, td { border: 1px solid #999; padding: 0.2em 0.4em; }

        """
}
