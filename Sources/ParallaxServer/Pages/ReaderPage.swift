import Foundation
import ParallaxExport
import ParallaxStore

/// The reading view of one article, with everything a reader changes on it.
enum ReaderPage {
    struct Content: Sendable {
        var record: ItemRecord
        var imageSources: [String: String]
        var shortID: String
    }

    /// Reads the item, its text, highlights, HTML and the addresses its images are served at.
    static func load(_ reference: String, from library: Library) throws -> Content {
        let item = try ReadingApp.liveItem(reference, in: library)
        let images = try library.articleImages(ofItem: item.id)
        let shortID = try library.shortIDs(for: [item.id])[item.id] ?? item.id
        return Content(
            record: ItemRecord(
                item: item, text: try library.text(of: item), highlights: try library.highlights(of: item),
                html: try library.articleHTML(ofItem: item.id)),
            imageSources: images.mapValues { "/items/\(shortID)/images/\($0.hash)" }, shortID: shortID)
    }

    static func render(_ content: Content, session: AccessControl.Session?) -> HTML {
        let item = content.record.item
        let base = "/items/\(content.shortID)"
        var facts = [item.byline, item.source, item.published.map { PageLayout.day($0) }].compactMap { $0 }
        if item.wordCount > 0 { facts.append("\(item.wordCount) words, \(max(1, item.wordCount / 230)) min") }
        let original: HTML =
            (item.url.flatMap { $0.hasPrefix("http") ? $0 : nil }).map {
                "<a class=\"original\" href=\"\($0)\" rel=\"noreferrer noopener\">Original</a>"
            } ?? ""
        let article = HTML(
            unescaped: ArticlePage.body(content.record, imageSources: content.imageSources))
        return PageLayout.render(
            title: item.title, section: .library, session: session,
            body: """
                <div class="reader-tools" data-reader-tools hidden>
                <button type="button" data-font="-1" aria-label="Smaller text">A−</button>\
                <button type="button" data-font="1" aria-label="Larger text">A+</button>\
                <button type="button" data-theme-toggle>Light / dark</button></div>
                <article class="reader" id="article" data-item="\(content.shortID)" \
                data-progress="\(String(format: "%.2f", item.progress))">
                <h1>\(item.title)</h1>
                <p class="meta">\(facts.joined(separator: " · ")) \(original)</p>
                \(toolbar(item, base: base, session: session))
                <div class="body" data-article-body>
                \(article)
                </div>
                </article>
                <aside class="reader-side">
                \(highlights(content.record.highlights, base: base, session: session))
                \(tags(item, base: base, session: session))
                \(note(item, base: base, session: session))
                <p><a href="\(base)/history">History of this item</a></p>
                </aside>
                """)
    }

    private static func toolbar(_ item: Item, base: String, session: AccessControl.Session?) -> HTML {
        let state: HTML =
            item.readingState == .read
            ? PageLayout.button(
                "Mark unread", action: base + "/state", fields: [("state", "unread")], session: session)
            : PageLayout.button(
                "Mark read", action: base + "/state", fields: [("state", "read")], session: session)
        let favorite = PageLayout.button(
            item.favorite ? "★ Favorite" : "☆ Favorite", action: base + "/favorite",
            fields: [("value", item.favorite ? "0" : "1")], session: session)
        let archive = PageLayout.button(
            item.archived ? "Move to my list" : "Archive", action: base + "/archive",
            fields: [("value", item.archived ? "0" : "1")], session: session)
        let remove = PageLayout.button("Remove", action: base + "/remove", session: session, style: "danger")
        // A feed's article is off the reader's list until they keep it.
        let keep: HTML =
            item.listed ? "" : PageLayout.button("Save to my list", action: base + "/keep", session: session)
        let progress: HTML =
            item.readingState == .reading
            ? "<span class=\"muted\">\(Int(item.progress * 100))% read</span>" : ""
        return "<div class=\"toolbar\">\(keep)\(state)\(favorite)\(archive)\(remove) \(progress)</div>"
    }

    private static func highlights(_ highlights: [Highlight], base: String, session: AccessControl.Session?)
        -> HTML
    {
        let list = HTML.joined(
            highlights.map { highlight in
                let note: HTML = highlight.note.map { "<p class=\"note\">\($0)</p>" } ?? ""
                return """
                    <li data-highlight="\(highlight.quote)"><blockquote>\(highlight.quote)</blockquote>\(note)\
                    \(PageLayout.button("Remove", action: "/highlights/\(highlight.id)/remove", fields: [("return", base)], session: session, style: "link"))</li>
                    """
            })
        return """
            <section class="highlights"><h2>Highlights</h2>
            <ol>\(list)</ol>
            <form method="post" action="\(base)/highlights" class="highlight-form" data-highlight-form>
            \(PageLayout.csrfField(session))
            <label>Passage <textarea name="quote" rows="3" required \
            placeholder="Select text in the article, or paste a passage"></textarea></label>
            <label>Note <input name="note" placeholder="optional"></label>
            <button type="submit">Highlight</button>
            </form></section>
            """
    }

    private static func tags(_ item: Item, base: String, session: AccessControl.Session?) -> HTML {
        let list = HTML.joined(
            item.tags.map { tag in
                "<li>#\(tag) \(PageLayout.button("×", action: base + "/tags", fields: [("remove", tag)], session: session, style: "link"))</li>"
            }, separator: "")
        return """
            <section class="item-tags"><h2>Tags</h2><ul class="tags">\(list)</ul>
            <form method="post" action="\(base)/tags">\(PageLayout.csrfField(session))\
            <input name="add" placeholder="new tag" aria-label="New tag" required> <button type="submit">Add</button></form>
            </section>
            """
    }

    private static func note(_ item: Item, base: String, session: AccessControl.Session?) -> HTML {
        """
        <section class="item-note"><h2>Note</h2>
        <form method="post" action="\(base)/note">\(PageLayout.csrfField(session))\
        <textarea name="note" rows="4" aria-label="Note">\(item.note)</textarea>
        <button type="submit">Save note</button></form></section>
        """
    }
}

/// An item's history: each version of each field, newest first.
enum HistoryPage {
    static func render(item: Item, entries: [HistoryEntry], shortID: String, session: AccessControl.Session?)
        -> HTML
    {
        let rows = HTML.joined(
            entries.map { entry in
                """
                <tr><td class="n">\(entry.version)</td><td>\(entry.time)</td><td><code>\(String(entry.device.prefix(8)))</code></td>\
                <td>\(entry.field)</td><td>\(describe(entry.oldValue))</td><td>\(describe(entry.newValue))</td></tr>
                """
            })
        return PageLayout.render(
            title: "History of \(item.title)", section: .library, session: session,
            body: """
                <h1>History</h1>
                <p><a href="/items/\(shortID)">\(item.title)</a></p>
                <table class="history"><thead><tr><th>Version</th><th>Time</th><th>Device</th><th>Field</th>\
                <th>Was</th><th>Became</th></tr></thead>
                <tbody>\(rows)</tbody></table>
                """)
    }

    private static func describe(_ value: FieldValue) -> String {
        let text = value.description
        return text.count > 120 ? String(text.prefix(120)) + "…" : text
    }
}
