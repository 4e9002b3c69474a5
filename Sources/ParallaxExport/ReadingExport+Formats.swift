import Foundation
import ParallaxFiles
import ParallaxMarkup
import ParallaxStore

// MARK: - Markdown folder

extension ReadingExport {
    /// One `slug-id.md` an article with YAML front matter, highlights and note, and `index.md`
    /// listing them all, into an empty folder.
    func writeMarkdown(to folder: URL) throws -> Int {
        var index = "# \(title)\n\n"
        let count = try library.forEachRecord(withImages: true, filter: filter) { record in
            let name = "\(Self.slug(record.item.title))-\(record.item.id.suffix(8).lowercased()).md"
            var text = Self.markdown(record)
            // The images beside the file, named by their hash so each is written once, listed in
            // the order the article shows them.
            let shown = record.html.map { HTMLSanitizer.sanitize(html: $0).images } ?? []
            let kept = shown.compactMap { image in record.images[image.url].map { (image, $0) } }
            if !kept.isEmpty {
                text += "\n## Images\n"
                for (image, asset) in kept {
                    let file = Self.imageFileName(asset)
                    let target = folder.appendingPathComponent(file)
                    if !FileManager.default.fileExists(atPath: target.path) {
                        try asset.data.write(to: target)
                    }
                    text += "\n![\(Markup.markdownLine(image.alt))](\(file))\n"
                }
            }
            try Data(text.utf8).write(to: folder.appendingPathComponent(name))
            let line = Self.metadataLine(record.item)
            index +=
                "- [\(Markup.markdownLine(record.item.title))](\(name))"
                + (line.isEmpty ? "" : " — \(Markup.markdownLine(line))")
                + "\n"
        }
        try Data(index.utf8).write(to: folder.appendingPathComponent(Self.markdownIndexName))
        return count
    }

    static func markdown(_ record: ItemRecord) -> String {
        let item = record.item
        var front: [(String, String?)] = [
            ("title", item.title), ("url", item.url), ("source", item.source), ("byline", item.byline),
            ("published", item.published), ("saved", item.saved), ("language", item.language),
            ("state", item.readingState.rawValue), ("id", item.id),
        ]
        if item.archived { front.append(("archived", "true")) }
        if item.favorite { front.append(("favorite", "true")) }
        var text = "---\n"
        for (key, value) in front {
            guard let value else { continue }
            text += "\(key): \(key == "archived" || key == "favorite" ? value : yamlString(value))\n"
        }
        if !item.tags.isEmpty {
            text += "tags: [" + item.tags.map(yamlString).joined(separator: ", ") + "]\n"
        }
        text += "---\n\n# \(Markup.markdownLine(item.title))\n\n"
        if record.text.isEmpty {
            text +=
                "A saved link, not fetched yet: " + (Markup.linkTarget(item.url).map { "<\($0)>" } ?? "")
                + "\n"
        } else {
            text += Markup.markdown(record.text) + "\n"
        }
        if !record.highlights.isEmpty {
            text += "\n## Highlights\n"
            for highlight in record.highlights {
                text +=
                    "\n> " + Markup.markdown(highlight.quote).replacingOccurrences(of: "\n", with: "\n> ")
                    + "\n"
                if let note = highlight.note { text += "\n\(Markup.markdown(note))\n" }
            }
        }
        if let note = item.note { text += "\n## Note\n\n\(Markup.markdown(note))\n" }
        return text
    }

    /// A JSON string is a valid YAML scalar, with every character escaped that needs it.
    static func yamlString(_ value: String) -> String {
        let data = (try? JSONEncoder().encode(value)) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\\/", with: "/")
    }

}

// MARK: - HTML reading page

extension ReadingExport {
    /// One self-contained page: a contents list and every article, styled for reading, with no
    /// script and nothing loaded from the network.
    func writeHTML(to url: URL) throws -> Int {
        let handle = try createFile(url)
        defer { try? handle.close() }
        // The contents list comes first but is known only at the end: articles are written to a
        // second file and appended.
        let articlesURL = url.appendingPathExtension("articles")
        let articles = try createFile(articlesURL)
        defer { try? FileManager.default.removeItem(at: articlesURL) }
        var contents = ""
        let count = try library.forEachRecord(withImages: true, filter: filter) { record in
            let item = record.item
            contents += "<li><a href=\"#i\(item.id)\">\(Self.escape(item.title))</a></li>\n"
            var html = "<article id=\"i\(item.id)\">\n<h2>\(Self.escape(item.title))</h2>\n"
            let line = Self.metadataLine(item)
            if !line.isEmpty { html += "<p class=\"meta\">\(Self.escape(line))</p>\n" }
            if let link = Markup.linkTarget(item.url) {
                html += "<p class=\"meta\"><a href=\"\(Self.escape(link))\">\(Self.escape(link))</a></p>\n"
            }
            if !item.tags.isEmpty {
                html +=
                    "<p class=\"meta\">" + item.tags.map { "#" + Self.escape($0) }.joined(separator: " ")
                    + "</p>\n"
            }
            html += Self.articleHTML(record, sources: record.images.mapValues(Self.dataAddress)) + "\n"
            let unmarked = record.highlights.filter { record.html != nil || !record.text.contains($0.quote) }
            // Highlights marked in the text need repeating only for their notes.
            if !unmarked.isEmpty || record.highlights.contains(where: { $0.note != nil }) {
                html += Self.highlightsHTML(record.highlights, heading: "h3")
            }
            if let note = item.note { html += "<h3>Note</h3>\n<p class=\"note\">\(Self.escape(note))</p>\n" }
            html += "<p class=\"top\"><a href=\"#contents\">Contents</a></p>\n</article>\n"
            try articles.write(contentsOf: Data(html.utf8))
        }
        try articles.close()
        let head = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            \(OutputFile.generatorTag(Self.htmlGeneratorKind))
            <title>\(Self.escape(title))</title>
            <style>
            \(Self.readingStyle)
            article { border-top: 1px solid #ddd; margin-top: 3rem; padding-top: 1rem; }
            </style>
            </head>
            <body>
            <h1>\(Self.escape(title))</h1>
            <p class="meta">\(count) articles, exported by Parallax.</p>
            <nav id="contents"><ol>
            \(contents)</ol></nav>

            """
        try handle.write(contentsOf: Data(head.utf8))
        let source = try FileHandle(forReadingFrom: articlesURL)
        defer { try? source.close() }
        while let chunk = try source.read(upToCount: 1 << 20), !chunk.isEmpty {
            try handle.write(contentsOf: chunk)
        }
        try handle.write(contentsOf: Data("</body>\n</html>\n".utf8))
        try handle.synchronize()
        return count
    }
}

extension ReadingExport {
    /// The file an exported image is written to: named by its hash, so it is written once.
    static func imageFileName(_ image: ImageAsset) -> String {
        "image-\(image.hash.prefix(16)).\(image.type.fileExtension)"
    }
}
