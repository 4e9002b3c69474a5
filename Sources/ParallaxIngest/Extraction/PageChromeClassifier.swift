import Foundation

/// Tells the lines of scraped page text apart: page chrome, headline material, bylines and prose.
///
/// Scrapers keep the page's furniture around an article: loading notices, banners,
/// section links, icon-font ligature names fused to their labels ("folder_openAsia-Pacific",
/// "access_time6 months ago", "starAdd to favorites"), share and subscribe prompts. None of
/// that is a list of known strings here; a line is judged by its shape: how long it is,
/// whether it ends like a sentence, whether it carries an icon-name token, how much of it
/// is interface vocabulary, and whether it is a relative time or mostly punctuation.
public struct PageChromeClassifier: Sendable {
    /// What a line of page text is.
    public enum LineKind: Equatable, Sendable {
        /// Page furniture, not part of the article.
        case chrome
        /// An author line; the payload is the name without "By".
        case byline(String)
        /// A line of prose: a sentence or more.
        case prose
        /// A short line that could be a headline or a subheading.
        case heading
    }

    /// Creates a classifier.
    public init() {}

    /// Classifies one line.
    public func classify(_ line: String) -> LineKind {
        let text = line.trimmingCharacters(in: .whitespaces)
        let words = text.split(whereSeparator: \.isWhitespace)
        guard !words.isEmpty else { return .chrome }
        if words.count <= 12 && words.contains(where: Self.isIconToken) { return .chrome }
        if Self.letterShare(text) < 0.5 { return .chrome }
        if words.count <= 15 && (Self.isCopyrightNotice(text) || Self.isBreadcrumb(text)) { return .chrome }
        if let byline = Self.byline(text, wordCount: words.count) { return .byline(byline) }
        let endsLikeSentence = Self.endsLikeSentence(text)
        if words.count >= 20 || (words.count >= 6 && endsLikeSentence) { return .prose }
        // Headlines capitalise most words; a long line in sentence case is prose wrapped mid-sentence.
        if words.count >= 12 && Self.lowercaseShare(words) > 0.6 { return .prose }
        if words.count <= 10 && Self.isRelativeTime(text) { return .chrome }
        if Self.interfaceShare(words) >= 0.5 { return .chrome }
        if Self.endsWithEllipsis(text) && words.count <= 4 { return .chrome }
        return endsLikeSentence && words.count > 3 ? .prose : .heading
    }

    // MARK: - Features

    /// An icon-font ligature name (snake_case, as Material Icons spell them), or one fused to the
    /// next word's capital ("starAdd").
    static func isIconToken(_ word: Substring) -> Bool {
        let scalars = Array(word.unicodeScalars)
        var index = 0
        while index < scalars.count, scalars[index].properties.isLowercase, scalars[index].isASCII {
            index += 1
        }
        guard index >= 2 else { return false }
        if index < scalars.count, scalars[index] == "_" {
            var next = index + 1
            while next < scalars.count, scalars[next].isASCII,
                scalars[next].properties.isLowercase || scalars[next] == "_"
            {
                next += 1
            }
            return next > index + 1
        }
        guard index >= 3, index < scalars.count else { return false }
        // A lowercase run of three or more letters glued to a capitalised word ("starAdd") or a
        // number ("schedule5"): the icon's name followed by its label.
        if scalars[index].properties.numericType != nil { return true }
        return index + 1 < scalars.count && scalars[index].properties.isUppercase
            && scalars[index + 1].properties.isLowercase
    }

    static func lowercaseShare(_ words: [Substring]) -> Double {
        let lettered = words.compactMap { $0.first(where: \.isLetter) }
        guard !lettered.isEmpty else { return 0 }
        return Double(lettered.filter(\.isLowercase).count) / Double(lettered.count)
    }

    static func isCopyrightNotice(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return text.contains("©") || lowered.hasPrefix("copyright ")
            || lowered.contains("all rights reserved")
    }

    /// Navigation trails: short segments between separators, as in "Home | World | Americas".
    static func isBreadcrumb(_ text: String) -> Bool {
        let separators: Set<Character> = ["|", "›", "»", ">", "/", "·", "•"]
        let segments = text.split(whereSeparator: separators.contains)
        return segments.count >= 3
            && segments.allSatisfy { $0.split(whereSeparator: \.isWhitespace).count <= 4 }
    }

    static func letterShare(_ text: String) -> Double {
        let visible = text.unicodeScalars.filter { !$0.properties.isWhitespace }
        guard !visible.isEmpty else { return 0 }
        return Double(visible.filter { $0.properties.isAlphabetic }.count) / Double(visible.count)
    }

    static func byline(_ text: String, wordCount: Int) -> String? {
        guard wordCount <= 10 else { return nil }
        for prefix in ["By ", "BY ", "by ", "Written by ", "Words by "] where text.hasPrefix(prefix) {
            let name = text.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
            guard let first = name.unicodeScalars.first, first.properties.isUppercase else { return nil }
            return name
        }
        return nil
    }

    static func endsLikeSentence(_ text: String) -> Bool {
        if endsWithEllipsis(text) { return false }
        var trimmed = Substring(text)
        while let last = trimmed.last, "\"'”’)»".contains(last) { trimmed = trimmed.dropLast() }
        guard let last = trimmed.last else { return false }
        return ".!?:;".contains(last)
    }

    static func endsWithEllipsis(_ text: String) -> Bool {
        text.hasSuffix("...") || text.hasSuffix("…")
    }

    static func isRelativeTime(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered.range(
            of:
                #"\b(\d+|an?|one)\s*(seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\s+ago\b"#,
            options: .regularExpression) != nil
    }

    /// The share of a line's content words that are the vocabulary of page interfaces.
    static func interfaceShare(_ words: [Substring]) -> Double {
        let content = words.map { $0.lowercased().trimmingCharacters(in: .punctuationCharacters) }
            .filter { !$0.isEmpty && !functionWords.contains($0) }
        guard !content.isEmpty else { return 0 }
        return Double(content.filter(interfaceWords.contains).count) / Double(content.count)
    }

    static let functionWords: Set<String> = [
        "a", "an", "the", "to", "of", "in", "on", "for", "with", "and", "or", "this", "that", "our", "your",
        "us", "me",
        "my", "it", "is", "be", "at", "by", "from", "up", "now",
    ]

    static let interfaceWords: Set<String> = [
        "add", "favorites", "favourites", "favorite", "bookmark", "bookmarks", "save", "share", "shares",
        "print", "email",
        "e-mail", "comment", "comments", "reply", "subscribe", "subscription", "login", "log", "sign",
        "signup", "register",
        "menu", "search", "home", "loading", "wait", "please", "advertisement", "advert", "ads", "sponsored",
        "cookies",
        "cookie", "accept", "click", "tap", "follow", "tweet", "facebook", "twitter", "whatsapp", "telegram",
        "reddit",
        "linkedin", "copy", "link", "read", "more", "next", "previous", "prev", "back", "top", "skip",
        "toggle", "close",
        "like", "views", "newsletter", "related", "trending", "popular", "download", "app", "settings",
        "account",
        "privacy", "policy", "terms", "copyright", "rights", "reserved", "continue", "reading", "article",
        "story", "video",
        "photo", "gallery", "listen", "watch", "view", "show", "hide", "expand", "collapse", "permalink",
        "tags", "tagged",
    ]
}
