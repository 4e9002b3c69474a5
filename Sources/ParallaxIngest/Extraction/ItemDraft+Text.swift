import Foundation
import ParallaxStore

extension ItemDraft {
    /// Makes a draft from plain or Markdown article text, dropping page chrome.
    ///
    /// - Parameters:
    ///   - text: The article as scraped or written.
    ///   - title: A headline that replaces the one found in the text.
    public init(parsingText text: String, title: String? = nil) {
        let article = PlainTextArticle(parsing: text)
        self.init(title: title ?? article.title, text: article.body)
        byline = article.byline
        language = LanguageGuess.of(article.body)
    }
}
