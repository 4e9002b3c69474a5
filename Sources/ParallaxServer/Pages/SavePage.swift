import Foundation
import ParallaxIngest
import ParallaxStore

/// Saving from the browser: the bookmarklets, the plain form, and what a save did.
enum SavePage {
    static func render(origin: String, saveToken: String, session: AccessControl.Session?) -> HTML {
        PageLayout.render(
            title: "Save", section: .save, session: session,
            body: """
                <h1>Save an article</h1>
                <form method="post" action="/save" class="save-form">\(PageLayout.csrfField(session))
                <label>Web address <input name="url" type="url" required placeholder="https://" size="50"></label>
                <label>Tags <input name="tags" placeholder="comma separated"></label>
                <button type="submit">Save</button></form>
                <h2>From any page</h2>
                <p>Drag a button to your bookmarks bar. On a page you want to keep, click it: the page is \
                saved here and a tab shows what was saved.</p>
                <p class="bookmarklets">\
                <a class="bookmarklet" href="\(bookmarklet(origin: origin, token: saveToken, sendsPage: false))">Save to Parallax</a> \
                <a class="bookmarklet" href="\(bookmarklet(origin: origin, token: saveToken, sendsPage: true))">Save page as shown</a></p>
                <p class="muted"><b>Save to Parallax</b> sends the address, and Parallax fetches the page itself. \
                <b>Save page as shown</b> sends the page your browser shows, for pages behind a login or a paywall \
                you pass. A tab opens here to confirm the save. Each carries this library's save token: a page can \
                read it while the bookmarklet runs, though it can save nothing without your confirmation.</p>
                \(PageLayout.button("Make a new save token", action: "/save/token", session: session)) \
                <span class="muted">Bookmarklets made before stop working; drag the new ones.</span>
                """)
    }

    /// The page a bookmarklet opens: what it sent, and the button that saves it.
    static func confirmation(_ staged: PendingSaves.PendingSave) -> HTML {
        let what: String =
            staged.html.map { "The page as your browser showed it (\(max(1, $0.count / 1024)) KB)." }
            ?? "Parallax will fetch the page from this address."
        return PageLayout.render(
            title: "Save this page?", section: .save, session: nil,
            body: """
                <h1>Save this page?</h1>
                <p class="saved-title"><code>\(staged.url)</code></p>
                <p class="muted">\(what)</p>
                <form method="post" action="/save/confirm" class="save-form">\
                <input type="hidden" name="pending" value="\(staged.id)">
                <label>Tags <input name="tags" placeholder="comma separated"></label>
                <button type="submit">Save</button></form>
                <p class="muted">Saving needs this browser signed in to Parallax. Not what you meant? Close this tab.</p>
                """)
    }

    /// The bookmarklet: a script that posts the page to this server in a new tab.
    ///
    /// A form post is the one cross-site request every browser lets a page make without asking
    /// the server first. The save token rides in its address, where the server checks it before
    /// reading the body.
    static func bookmarklet(origin: String, token: String, sendsPage: Bool) -> String {
        let fields =
            "[['url',location.href]" + (sendsPage ? ",['html',document.documentElement.outerHTML]]" : "]")
        return "javascript:(function(){var f=document.createElement('form');f.method='post';"
            + "f.action='\(origin)/save/bookmarklet?token=\(token)';f.target='_blank';f.acceptCharset='utf-8';"
            + "\(fields).forEach(function(p){var i=document.createElement('input');i.type='hidden';"
            + "i.name=p[0];i.value=p[1];f.appendChild(i);});document.body.appendChild(f);f.submit();"
            + "f.remove();})()"
    }

    /// What a save did.
    static func result(_ saved: ArticleInput.SavedArticle, shortID: String, session: AccessControl.Session?)
        -> HTML
    {
        let heading: String
        switch saved.outcome {
        case .added: heading = "Saved"
        case .updated: heading = "Updated"
        case .duplicate(_, let reason):
            heading = "Already saved (same \(reason == .url ? "address" : "text"))"
        }
        let item = saved.outcome.item
        var lines: [String] = [[item.source, item.byline].compactMap { $0 }.joined(separator: " · ")]
        if item.wordCount > 0 { lines.append("\(item.wordCount) words") }
        if let images = saved.images, images.kept > 0 || !images.problems.isEmpty {
            lines.append(
                "\(images.kept) images kept offline, \(images.problems.count) linked to their address")
        }
        return PageLayout.render(
            title: heading, section: .save, session: session,
            body: """
                <h1>\(heading)</h1>
                <p class="saved-title"><a href="/items/\(shortID)">\(item.title)</a></p>
                <p class="muted">\(lines.filter { !$0.isEmpty }.joined(separator: " · "))</p>
                <p><a href="/items/\(shortID)">Read it</a> · <a href="/">Back to the library</a></p>
                """)
    }
}
