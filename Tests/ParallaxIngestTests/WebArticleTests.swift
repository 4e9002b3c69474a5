import Foundation
import ParallaxMarkup
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxIngest

@Suite struct WebArticleTests {
    let pageURL = URL(string: "https://ledger.example.com/business/2024/03/05/dockworkers-strike")!

    func harbourArticle() throws -> WebArticle {
        let data = try Data(contentsOf: Fixtures.samplePage)
        return try WebArticleExtractor.extract(from: data, url: pageURL, name: "harbour-strike.html")
    }

    @Test func testArticleBodyKeepsParagraphsAndHeadingsAndDropsPageChrome() throws {
        let article = try harbourArticle()
        let paragraphs = article.text.components(separatedBy: "\n\n")
        #expect(paragraphs.first?.hasPrefix("Dockworkers at the harbour's three container terminals") == true)
        #expect(paragraphs.contains("Ships wait offshore"))
        #expect(paragraphs.last?.hasPrefix("Talks are due to resume on Thursday") == true)
        #expect(paragraphs.count == 7)
        for chrome in [
            "cookies", "Share on", "Most read", "long overdue", "All rights reserved", "Sign up", "Related",
            "Port profits", "Business", "Idle cranes",
        ] {
            #expect(!article.text.contains(chrome), "\(chrome) leaked into the body")
        }
    }

    @Test func testAPageOfMoreNodesThanTheLimitIsRefusedNotCut() throws {
        // Half a million paragraphs in 11 MB, under the size cap: read whole they would take
        // about a gibibyte, and cut short they would lose the article's end without a word.
        let paragraphs = String(repeating: "<p>word word word.</p>", count: HTMLDocument.maximumNodes / 2 + 1)
        let page = Data("<html><body><article>\(paragraphs)</article></body></html>".utf8)
        #expect(throws: IngestError.tooComplex(name: "huge.html", limit: HTMLDocument.maximumNodes)) {
            try WebArticleExtractor.extract(from: page, name: "huge.html")
        }
        #expect(!HTMLDocument(html: String(decoding: page, as: UTF8.self)).isComplete)
        #expect(HTMLDocument(html: "<p>a</p>").isComplete)
    }

    @Test func testMetadataComesFromOpenGraphJSONLDAndCanonicalLink() throws {
        let article = try harbourArticle()
        #expect(article.title == "Dockworkers walk out as talks over automation collapse")
        #expect(article.byline == "Mara Lindqvist, Tomas Ek")
        #expect(article.published == "2024-03-05T06:30:00Z")
        #expect(article.site == "The Coastal Ledger")
        #expect(article.language == "en")
        #expect(article.description == "A strike halts the harbour's container terminals.")
        #expect(
            article.canonicalURL
                == "https://ledger.example.com/business/2024/03/05/dockworkers-strike?utm_source=rss")
        #expect(article.charset == "utf-8")
    }

    @Test func testRelativeLinksAreResolvedAgainstThePageAndBase() throws {
        let article = try harbourArticle()
        #expect(
            article.links.contains(
                ArticleLink(text: "its website", url: "https://ledger.example.com/documents/offer.pdf")))
        let based = """
            <html><head><base href="https://cdn.example.org/mirror/"></head><body><article>
            \(String(repeating: "<p>Words of a long enough paragraph that says something, and more, about the case. <a href='doc.html'>the ruling</a></p>", count: 5))
            </article></body></html>
            """
        let article2 = try WebArticleExtractor.extract(from: Data(based.utf8), url: pageURL, name: "based")
        #expect(article2.links.first?.url == "https://cdn.example.org/mirror/doc.html")
    }

    @Test func testOutletFallsBackToTheDomainAndTitleToTheTitleElement() throws {
        let page = """
            <html><head><title>Rainfall breaks a century-old record - Valley Courier</title></head><body>
            <div id="main">\(longParagraphs(6))</div></body></html>
            """
        let article = try WebArticleExtractor.extract(
            from: Data(page.utf8), url: URL(string: "https://www.valley-courier.example/weather/1")!,
            name: "p")
        #expect(article.site == "valley-courier.example")
        #expect(article.title == "Rainfall breaks a century-old record")
    }

    @Test func testCharsetComesFromHeaderThenMetaAndInvalidBytesAreReplaced() throws {
        // "Café crème" in Windows-1252, declared only by the page's <meta>.
        var latin = Data("<html><head><meta charset=\"windows-1252\"></head><body><article>".utf8)
        latin.append(contentsOf: [0x43, 0x61, 0x66, 0xE9, 0x20, 0x63, 0x72, 0xE8, 0x6D, 0x65, 0x2E, 0x20])
        latin.append(Data((longParagraphs(4) + "</article></body></html>").utf8))
        let meta = try WebArticleExtractor.extract(from: latin, name: "latin")
        #expect(meta.text.hasPrefix("Café crème."))
        #expect(meta.charset == "windows-1252")
        // The header wins over the page.
        let header = try WebArticleExtractor.extract(
            from: latin, contentType: "text/html; charset=ISO-8859-1", name: "latin")
        #expect(header.text.hasPrefix("Café crème."))
        // Undeclared and not UTF-8: read as Windows-1252, as browsers do.
        let undeclared = latin.replacing(Data("charset=\"windows-1252\"".utf8), with: Data("name=\"x\"".utf8))
        #expect(try WebArticleExtractor.extract(from: undeclared, name: "u").text.hasPrefix("Café crème."))
        // Declared UTF-8 but holding Latin bytes: replacement characters, not a failure.
        let wrong = try WebArticleExtractor.extract(
            from: latin, contentType: "text/html; charset=utf-8", name: "wrong")
        #expect(wrong.text.hasPrefix("Caf\u{FFFD} cr\u{FFFD}me."))
        // An unknown charset name falls back to UTF-8.
        let unknown = try WebArticleExtractor.extract(
            from: Data(("<p>Ünïcode</p>" + longParagraphs(3)).utf8),
            contentType: "text/html; charset=x-klingon",
            name: "unknown")
        #expect(unknown.text.hasPrefix("Ünïcode"))
        // A page that says utf-16 in its <meta> is read as UTF-8, as browsers read it.
        let sixteen = try WebArticleExtractor.extract(
            from: Data(
                ("<html><head><meta charset=\"utf-16\"></head><body><p>Ünïcode</p>" + longParagraphs(3)).utf8),
            name: "sixteen")
        #expect(sixteen.text.hasPrefix("Ünïcode") && sixteen.charset == "utf-8")
    }

    @Test func testMalformedMarkupIsRecoveredLikeABrowser() throws {
        let page =
            "<html><body><div class=content><p>"
            + longParagraphs(5).replacingOccurrences(of: "</p>", with: "")
            + "<b><i>unclosed</b> tags & stray </span> ends <table><tr><td>cell"
        let article = try WebArticleExtractor.extract(from: Data(page.utf8), name: "malformed")
        #expect(article.text.contains("Paragraph number 4"))
    }

    @Test func testPagesWithoutAnArticleAreRefused() throws {
        let front =
            "<html><body><nav>" + String(repeating: "<a href='/x'>Section</a> ", count: 50)
            + "</nav><p>Welcome!</p></body></html>"
        #expect(throws: IngestError.noArticle(name: "front")) {
            try WebArticleExtractor.extract(from: Data(front.utf8), name: "front")
        }
        #expect(throws: IngestError.empty(name: "blank")) {
            try WebArticleExtractor.extract(from: Data("  \n ".utf8), name: "blank")
        }
        #expect(throws: IngestError.noArticle(name: "binary")) {
            try WebArticleExtractor.extract(from: Data((0..<4096).map { UInt8($0 % 251) }), name: "binary")
        }
    }

    @Test func testHostileNestingDoesNotExhaustTheStack() throws {
        let depth = 20_000
        let page =
            String(repeating: "<div>", count: depth) + longParagraphs(5)
            + String(repeating: "</div>", count: depth)
        let article = try WebArticleExtractor.extract(from: Data(page.utf8), name: "deep")
        #expect(article.text.contains("Paragraph number 3"))
    }

    @Test func testTensOfThousandsOfDroppedSiblingsAreHandledInOnePass() throws {
        let clutter = String(repeating: "<div class='share'>Share</div><script>x()</script>", count: 20_000)
        let page = "<html><body>\(clutter)<article>\(longParagraphs(5))</article>\(clutter)</body></html>"
        let article = try WebArticleExtractor.extract(from: Data(page.utf8), name: "flat")
        #expect(article.text.components(separatedBy: "\n\n").count == 5)
        #expect(!article.text.contains("Share"))
    }

    @Test func testPublicationDatesInPageFormatsAreNormalised() {
        #expect(PublicationDate.normalize("2019-11-19T10:09:41-0500") == "2019-11-19T15:09:41Z")
        #expect(PublicationDate.normalize("2019-11-19 10:09:41") == "2019-11-19T10:09:41Z")
        #expect(PublicationDate.normalize("2019-11-19T14:00:00.000Z") == "2019-11-19T14:00:00Z")
        #expect(PublicationDate.normalize("2019-11-19") == "2019-11-19")
        #expect(PublicationDate.normalize("2019-11-19T25:99") == "2019-11-19")
        #expect(PublicationDate.normalize("yesterday") == nil)
        #expect(PublicationDate.normalize("2019/11/19") == "2019-11-19")
        #expect(PublicationDate.normalize("November 19, 2019, 07:47 PM EST") == "2019-11-19")
        #expect(PublicationDate.normalize("19 Nov 2019") == "2019-11-19")
        #expect(PublicationDate.normalize("Mayday 2019") == nil)
    }

    /// The shared scorer's metric over the 40 dev pages; trafilatura scores 0.951 there.
    @Test(.enabled(if: Fixtures.sharedDirectory != nil, "../shared is absent"))
    func testExtractionQualityOnTheDevPagesReachesTheTarget() throws {
        let folder = Fixtures.sharedDirectory!.appendingPathComponent("corpora/extraction-dev")
        let truth = try JSONDecoder().decode(
            [String: [String: String]].self,
            from: Data(contentsOf: folder.appendingPathComponent("ground-truth.json")))
        var precisions: [Double] = []
        var recalls: [Double] = []
        for (id, entry) in truth {
            let page = try gunzip(folder.appendingPathComponent("html/\(id).html.gz"))
            let body =
                (try? WebArticleExtractor.extract(
                    from: page, url: entry["url"].flatMap(URL.init(string:)), name: id))?.text ?? ""
            let (precision, recall) = shingleOverlap(truth: entry["articleBody"] ?? "", predicted: body)
            precisions.append(precision)
            recalls.append(recall)
        }
        let precision = precisions.reduce(0, +) / Double(precisions.count)
        let recall = recalls.reduce(0, +) / Double(recalls.count)
        let f1 = 2 * precision * recall / (precision + recall)
        #expect(f1 >= 0.95, "F1 \(f1), precision \(precision), recall \(recall)")
    }

    func longParagraphs(_ count: Int) -> String {
        (1...count).map {
            "<p>Paragraph number \($0) of the report explains, at some length and with commas, what the council decided and why it matters to residents.</p>"
        }.joined()
    }

    func gunzip(_ url: URL) throws -> Data {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "gzip -dc \"$0\"", url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return data
    }

    func shingleOverlap(truth: String, predicted: String) -> (Double, Double) {
        func shingles(_ text: String) -> [String: Int] {
            let words = text.split { !($0.isLetter || $0.isNumber || $0 == "_") }.map(String.init)
            guard words.count >= 4 else { return words.isEmpty ? [:] : [words.joined(separator: " "): 1] }
            return (0...(words.count - 4)).reduce(into: [:]) {
                $0[words[$1..<($1 + 4)].joined(separator: " "), default: 0] += 1
            }
        }
        let t = shingles(truth)
        let p = shingles(predicted)
        var tp = 0
        var fp = 0
        var fn = 0
        for key in Set(t.keys).union(p.keys) {
            tp += min(t[key, default: 0], p[key, default: 0])
            fp += max(0, p[key, default: 0] - t[key, default: 0])
            fn += max(0, t[key, default: 0] - p[key, default: 0])
        }
        if fp == 0 && fn == 0 { return (1, 1) }
        return (
            tp + fp == 0 ? 0 : Double(tp) / Double(tp + fp), tp + fn == 0 ? 0 : Double(tp) / Double(tp + fn)
        )
    }
}

/// The article's HTML: the same part of the page as its text, sanitized, with its images.
@Suite struct WebArticleMarkupTests {
    static let page = """
        <html><head><title>Port</title><script>track()</script></head><body>
        <nav><a href="/">Home</a> <img src="/logo.png" alt="Logo"></nav>
        <article class="story-body">
        <h1>Cranes idle as the strike enters its second week</h1>
        <p>Dockworkers at the harbour's three container terminals stayed out for a second week on
        Monday, and the port authority said ships were now waiting up to nine days offshore.</p>
        <figure><img class="lazy" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" \
        data-srcset="/img/cranes-640.jpg 640w, /img/cranes-1280.jpg 1280w" alt="Idle cranes">
        <figcaption>Idle cranes at the east terminal.</figcaption></figure>
        <p>The union says automation plans would cut a third of the jobs at the terminals within five
        years, while the operator says no worker would be dismissed because of the new cranes.</p>
        <img class="lazy" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <noscript><img src="/img/picket.jpg" alt="Picket line"></noscript>
        <p onclick="steal()">Talks are due to resume on Thursday, the <a href="/labour/mediator">mediator</a>
        said, <script>alert(1)</script>adding that both sides had agreed to a news blackout until then.</p>
        <table><tr><th>Terminal</th><th>Ships waiting</th></tr><tr><td>East</td><td>14</td></tr></table>
        </article></body></html>
        """

    @Test func testArticleHTMLKeepsFiguresImagesLinksAndTablesAndNothingElse() throws {
        let article = try WebArticleExtractor.extract(
            from: Data(Self.page.utf8), url: URL(string: "https://ledger.example.com/port/strike")!,
            name: "strike.html")
        let html = try #require(article.html)
        #expect(
            article.images == [
                ArticleImage(url: "https://ledger.example.com/img/cranes-1280.jpg", alt: "Idle cranes"),
                ArticleImage(url: "https://ledger.example.com/img/picket.jpg", alt: "Picket line"),
            ])
        #expect(html.contains(#"<figcaption>Idle cranes at the east terminal.</figcaption></figure>"#))
        #expect(html.contains(#"<a href="https://ledger.example.com/labour/mediator">mediator</a>"#))
        #expect(html.contains("<td>East</td><td>14</td>"))
        for unwanted in ["script", "alert", "onclick", "steal", "data:", "Logo", "class="] {
            #expect(!html.contains(unwanted), "\(unwanted) in \(html)")
        }
        // The text is read from the same content.
        #expect(article.text.contains("Idle cranes at the east terminal."))
        #expect(article.text.hasPrefix("Dockworkers at the harbour's three container terminals"))
    }

    @Test func testTextFromStructuredDataHasNoHTML() throws {
        let body = String(repeating: "The strike went on through the week at every terminal. ", count: 40)
        let page = """
            <html><head><script type="application/ld+json">{"@type": "NewsArticle", "headline": "Strike",
            "articleBody": "\(body)"}</script></head><body><p>Subscribe to read.</p></body></html>
            """
        let article = try WebArticleExtractor.extract(from: Data(page.utf8), name: "paywalled.html")
        #expect(article.text.hasPrefix("The strike went on"))
        #expect(article.html == nil && article.images.isEmpty)
    }

    @Test func aPagesOverlongTitleAndBylineAreCutToWhatTheLibraryKeeps() throws {
        let title = String(repeating: "Breaking news ", count: 300)
        let page = """
            <html><head><title>\(title)</title><meta name="author" content="\(String(repeating: "A", count: 1_500))">
            </head><body><article><p>\(String(repeating: "The council met on Tuesday and voted. ", count: 20))</p>
            </article></body></html>
            """
        let draft = try WebArticleExtractor.extract(from: Data(page.utf8), name: "long.html").draft
        #expect(draft.title.unicodeScalars.count <= 2_000 && draft.title.hasPrefix("Breaking news"))
        #expect((draft.byline?.unicodeScalars.count ?? 0) <= 1_000)
        let folder = TemporaryDirectory()
        let library = try Library.create(at: folder.path("library.sqlite"))
        #expect(try library.add(draft).item.title == draft.title)
    }
}
