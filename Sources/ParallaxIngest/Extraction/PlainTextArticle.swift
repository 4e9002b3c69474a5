import Foundation

/// An article recovered from plain or Markdown text: its headline, author line and clean body.
public struct PlainTextArticle: Equatable, Sendable {
    /// The headline.
    public var title: String
    /// The author line, when the text has one.
    public var byline: String?
    /// The body: prose paragraphs and subheadings, separated by blank lines, without page chrome.
    public var body: String

    /// Finds the article in text that may be wrapped in page chrome.
    ///
    /// The body starts at the first line of prose. The headline is a Markdown `#` heading
    /// before it, or else the longest heading-shaped line before it; when there is none,
    /// the first words of the body stand in. Chrome lines are dropped throughout, and so are
    /// short lines after the last paragraph (tag lists, share prompts).
    public init(parsing text: String, classifier: PageChromeClassifier = PageChromeClassifier()) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var kinds = lines.map { line -> PageChromeClassifier.LineKind in
            line.isEmpty ? .chrome : classifier.classify(Self.strippingMarkdownHeading(line))
        }
        let bodyStart = kinds.firstIndex(of: .prose) ?? lines.count
        var title: String?
        var byline: String?
        var bestWordCount = 0
        for index in 0..<bodyStart {
            switch kinds[index] {
            case .byline(let name): byline = byline ?? name
            case .heading:
                let words = lines[index].split(whereSeparator: \.isWhitespace).count
                if lines[index].hasPrefix("# ") && (title == nil || !title!.hasPrefix("# ")) {
                    title = lines[index]
                    bestWordCount = .max
                } else if words >= 3 && words >= bestWordCount {
                    title = lines[index]
                    bestWordCount = words
                }
            default: break
            }
        }
        let lastProse = kinds.lastIndex(of: .prose) ?? -1
        var paragraphs: [String] = []
        var current: [String] = []
        func flush() {
            if !current.isEmpty { paragraphs.append(current.joined(separator: " ")) }
            current = []
        }
        if bodyStart < lines.count {
            for index in bodyStart...lastProse {
                if lines[index].isEmpty {
                    flush()
                    continue
                }
                if case .byline(let name) = kinds[index] {
                    byline = byline ?? name
                    kinds[index] = .chrome
                }
                let continuesSentence =
                    current.last.map { !PageChromeClassifier.endsLikeSentence($0) } ?? false
                switch kinds[index] {
                case .prose,
                    .heading where continuesSentence:
                    // Hard-wrapped prose continues the paragraph; a line after a sentence end starts one
                    // only when the source separated paragraphs by single newlines.
                    current.append(lines[index])
                    if index + 1 < lines.count, !lines[index + 1].isEmpty,
                        Self.startsNewParagraph(after: lines[index])
                    {
                        flush()
                    }
                case .heading:
                    flush()
                    paragraphs.append(lines[index])
                default: flush()
                }
            }
            flush()
        }
        let body = paragraphs.joined(separator: "\n\n")
        self.title = title.map(Self.strippingMarkdownHeading) ?? Self.fallbackTitle(from: body)
        self.byline = byline
        self.body = body
    }

    static func strippingMarkdownHeading(_ line: String) -> String {
        guard line.hasPrefix("#") else { return line }
        return String(line.drop(while: { $0 == "#" })).trimmingCharacters(in: .whitespaces)
    }

    static func startsNewParagraph(after line: String) -> Bool {
        line.count < 60 || PageChromeClassifier.endsLikeSentence(line)
    }

    static func fallbackTitle(from body: String) -> String {
        let words = body.split(whereSeparator: \.isWhitespace).prefix(12)
        let joined = words.joined(separator: " ")
        return words.count == 12 ? joined + "…" : joined
    }
}
