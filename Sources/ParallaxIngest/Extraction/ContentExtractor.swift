import Foundation
import ParallaxMarkup

/// Finds the main content of a page the way Readability does: paragraphs score the blocks that
/// hold them by their length and commas, class and id names hint at content or clutter, and the
/// best block, less its share of link text, wins together with siblings that look like more of
/// the same article.
struct ContentExtractor {
    /// Which heuristics a pass uses; each retry drops one, for pages they misjudge.
    struct Pass: Equatable {
        var stripUnlikely = true
        var weightClasses = true
        var cleanConditionally = true

        static let all: [Pass] = [
            Pass(),
            Pass(stripUnlikely: false),
            Pass(stripUnlikely: false, weightClasses: false),
            Pass(stripUnlikely: false, weightClasses: false, cleanConditionally: false),
        ]
    }

    /// An article shorter than this is taken as a sign the pass misjudged the page.
    static let sufficientLength = 500

    let pass: Pass

    /// Returns the content block, built from the page's own nodes (the tree is changed).
    func extract(from root: HTMLNode) -> HTMLNode? {
        let body = root.descendants(named: ["body"]).first ?? root
        prepare(body)
        wrapLooseText(in: body)
        let scored = scoreParagraphs(in: body)
        guard let top = topCandidate(among: scored, body: body) else { return nil }
        let article = gatherSiblings(of: top)
        clean(article)
        return article
    }
}

// MARK: - Preparing the page

private extension ContentExtractor {
    static let droppedTags: Set<String> = [
        "script", "style", "noscript", "template", "iframe", "svg", "canvas", "button", "input",
        "select", "textarea", "object", "embed", "link", "meta", "nav", "aside", "footer", "dialog",
        "menu", "head", "title", "label", "option", "audio", "video", "map",
    ]
    static let droppedRoles: Set<String> = [
        "navigation", "complementary", "menu", "menubar", "alert", "alertdialog", "dialog", "contentinfo",
        "banner", "search", "toolbar", "tooltip",
    ]
    static let keptUnlikely: Set<String> = [
        "body", "html", "a", "article", "main", "table", "caption", "thead", "tbody", "tfoot", "tr", "th",
        "td",
    ]

    func prepare(_ body: HTMLNode) {
        useNoscriptImages(in: body)
        var stack = [body]
        while let node = stack.popLast() {
            let dropped = Set(
                node.children.filter { !$0.isText && shouldDrop($0) }.map(ObjectIdentifier.init))
            node.dropChildren(in: dropped)
            stack.append(contentsOf: node.children.filter { !$0.isText })
        }
    }

    func shouldDrop(_ node: HTMLNode) -> Bool {
        if Self.droppedTags.contains(node.name) { return true }
        if node["hidden"] != nil || node["aria-hidden"] == "true" { return true }
        if let style = node["style"]?.lowercased().replacingOccurrences(of: " ", with: ""),
            style.contains("display:none") || style.contains("visibility:hidden")
        {
            return true
        }
        if let role = node["role"]?.lowercased(), Self.droppedRoles.contains(role) { return true }
        if node.name == "header"
            && !node.descendants(named: ["p"]).contains(where: { $0.textContent.count > 140 })
        {
            return true
        }
        guard pass.stripUnlikely, !Self.keptUnlikely.contains(node.name) else { return false }
        let names = ClassHints.names(of: node)
        return !TextScan.isBlank(names) && ClassHints.isUnlikely(names) && !ClassHints.isMaybeContent(names)
    }

    /// Puts the image of a `<noscript>` fallback in the place of the lazy-loading placeholder
    /// before it (or of the `<noscript>` itself), since only a script would have given the
    /// placeholder its real address. A `<noscript>` with any text is left to be dropped.
    func useNoscriptImages(in body: HTMLNode) {
        for noscript in body.descendants(named: ["noscript"]) {
            let images = noscript.descendants(named: ["img"])
            guard images.count == 1, TextScan.isBlank(noscript.textContent), let parent = noscript.parent,
                let index = parent.children.firstIndex(where: { $0 === noscript })
            else { continue }
            var children = parent.children
            children[index] = images[0]
            if let previous = children[..<index].lastIndex(where: { !$0.isText || !TextScan.isBlank($0.text) }
            ),
                children[previous].name == "img"
            {
                children.remove(at: previous)
            }
            parent.children = []
            for child in children { parent.append(child) }
        }
    }

    /// Gives runs of text that sit directly in a block beside other blocks a paragraph of their
    /// own, so they are scored like one.
    func wrapLooseText(in body: HTMLNode) {
        for block in [body] + body.descendants(named: ["div", "section", "article", "main", "td"]) {
            guard block.children.contains(where: { Self.isBlock($0) }) else { continue }
            var rebuilt: [HTMLNode] = []
            var run: [HTMLNode] = []
            func flushRun() {
                defer { run.removeAll() }
                guard run.contains(where: { !TextScan.isBlank($0.textContent) }) else {
                    rebuilt.append(contentsOf: run)
                    return
                }
                let paragraph = HTMLNode(name: "p")
                for node in run { paragraph.append(node) }
                rebuilt.append(paragraph)
            }
            for child in block.children {
                if Self.isBlock(child) {
                    flushRun()
                    rebuilt.append(child)
                } else {
                    run.append(child)
                }
            }
            flushRun()
            block.children = []
            for child in rebuilt { block.append(child) }
        }
    }

    static let blockTags: Set<String> = [
        "address", "article", "blockquote", "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "ol", "p",
        "pre", "section", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "ul", "br", "img",
    ]

    static func isBlock(_ node: HTMLNode) -> Bool { !node.isText && blockTags.contains(node.name) }
}

// MARK: - Scoring

private extension ContentExtractor {
    static let scoredTags: Set<String> = ["p", "pre", "td", "h2", "h3", "h4", "h5", "h6", "blockquote", "li"]
    static let paragraphLike: Set<String> = [
        "a", "blockquote", "dl", "div", "img", "ol", "p", "pre", "table", "ul", "section", "article",
        "figure", "h1", "h2", "h3", "h4", "h5", "h6",
    ]

    func scoreParagraphs(in body: HTMLNode) -> [HTMLNode] {
        body.measure()
        var candidates: [HTMLNode] = []
        let elements = body.descendants()
        // Reverse document order reaches every node before its ancestors.
        var holdsBlocks: Set<ObjectIdentifier> = []
        for node in elements.reversed()
        where Self.paragraphLike.contains(node.name) || holdsBlocks.contains(ObjectIdentifier(node)) {
            if let parent = node.parent { holdsBlocks.insert(ObjectIdentifier(parent)) }
        }
        for node in elements {
            let isParagraph: Bool
            switch node.name {
            case "div", "section":
                isParagraph = !holdsBlocks.contains(ObjectIdentifier(node))
            default: isParagraph = Self.scoredTags.contains(node.name)
            }
            guard isParagraph, node.textLength >= 25, node.name != "li" || node.textLength >= 80 else {
                continue
            }
            let score =
                1 + Double(TextScan.commaCount(node.textContent)) + min(Double(node.textLength / 100), 3)
            var ancestor = node.parent
            var level = 0
            while let current = ancestor, level < 5 {
                if current.score == nil {
                    current.score = initialScore(of: current)
                    candidates.append(current)
                }
                let divider: Double = level == 0 ? 1 : level == 1 ? 2 : Double(level * 3)
                current.score! += score / divider
                if current.name == "body" { break }
                ancestor = current.parent
                level += 1
            }
        }
        return candidates
    }

    func initialScore(of node: HTMLNode) -> Double {
        var score: Double
        switch node.name {
        case "div", "article", "main": score = 5
        case "pre", "td", "blockquote": score = 3
        case "address", "ol", "ul", "dl", "dd", "dt", "li", "form": score = -3
        case "h1", "h2", "h3", "h4", "h5", "h6", "th": score = -5
        default: score = 0
        }
        if node.name == "article" || node["itemprop"] == "articleBody" { score += 10 }
        return score + classWeight(of: node)
    }

    func classWeight(of node: HTMLNode) -> Double {
        guard pass.weightClasses else { return 0 }
        var weight = 0.0
        for name in [node["class"], node["id"]] {
            guard let name = name?.lowercased(), !name.isEmpty else { continue }
            if ClassHints.isNegative(name) { weight -= 25 }
            if ClassHints.isPositive(name) { weight += 25 }
        }
        return weight
    }

    func topCandidate(among candidates: [HTMLNode], body: HTMLNode) -> HTMLNode? {
        for candidate in candidates { candidate.score! *= 1 - candidate.linkDensity }
        let ranked = candidates.sorted { $0.score! > $1.score! }
        guard var top = ranked.first, top !== body else { return ranked.first }
        // When several strong candidates sit in one ancestor, the article is that ancestor.
        let rivals = ranked.dropFirst().prefix(4).filter { $0.score! >= top.score! * 0.75 }
        if rivals.count >= 3 {
            var ancestor = top.parent
            while let current = ancestor, current !== body {
                if rivals.filter({ $0.isDescendant(of: current) }).count >= 3 {
                    top = current
                    break
                }
                ancestor = current.parent
            }
        }
        if top.score == nil { top.score = initialScore(of: top) }
        var lastScore = top.score!
        let threshold = lastScore / 3
        var parent = top.parent
        while let current = parent, current !== body {
            guard let score = current.score else {
                parent = current.parent
                continue
            }
            if score < threshold { break }
            if score > lastScore {
                top = current
                break
            }
            lastScore = score
            parent = current.parent
        }
        while let parent = top.parent, parent !== body, parent.elements.count == 1 { top = parent }
        return top
    }

    func gatherSiblings(of top: HTMLNode) -> HTMLNode {
        let article = HTMLNode(name: "div")
        guard let parent = top.parent, parent.name != "html" else {
            article.append(top)
            return article
        }
        let topScore = top.score ?? 0
        let threshold = max(10, topScore * 0.2)
        let topClass = top["class"] ?? ""
        for sibling in parent.elements {
            var keep = sibling === top
            if !keep {
                var bonus = 0.0
                if !topClass.isEmpty && sibling["class"] == topClass { bonus += topScore * 0.2 }
                if let score = sibling.score, score + bonus >= threshold {
                    keep = true
                } else if sibling.name == "p" {
                    let density = sibling.linkDensity
                    let text = sibling.textContent
                    if sibling.textLength > 80 && density < 0.25 {
                        keep = true
                    } else if sibling.textLength > 0 && sibling.textLength <= 80 && density == 0,
                        text.contains(". ")
                            || text.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix(".")
                    {
                        keep = true
                    }
                }
            }
            if keep { article.append(sibling) }
        }
        return article
    }
}

// MARK: - Cleaning the chosen block

private extension ContentExtractor {
    static let subheadings: Set<String> = ["h2", "h3", "h4", "h5", "h6"]
    static let conditionalTags: Set<String> = [
        "form", "fieldset", "table", "ul", "ol", "div", "section", "figure",
    ]

    func clean(_ article: HTMLNode) {
        article.measure()
        // Innermost first, so a container is judged on what remains in it: every node is
        // visited after its descendants, drops the children judged clutter, then is judged.
        // Dropping as a pass over each child list, not one removal at a time, keeps a page of
        // many thousands of siblings linear.
        var dropped: Set<ObjectIdentifier> = []
        let tables = dataTableNodes(in: article)
        for node in article.descendants().reversed() {
            node.dropChildren(in: dropped)
            if node.name == "h1"
                || (Self.subheadings.contains(node.name)
                    && (classWeight(of: node) < 0 || node.linkDensity > 0.33))
                || (pass.cleanConditionally && Self.conditionalTags.contains(node.name)
                    && !tables.contains(ObjectIdentifier(node)) && isClutter(node))
            {
                dropped.insert(ObjectIdentifier(node))
            }
        }
        article.dropChildren(in: dropped)
    }

    /// The data tables in the article and everything in them. Judged cell by cell, a table of
    /// figures reads as a menu, short and without prose; whole, it is content unless its class
    /// says clutter or it is mostly links (a table of links is a menu laid out in cells).
    func dataTableNodes(in article: HTMLNode) -> Set<ObjectIdentifier> {
        var nodes: Set<ObjectIdentifier> = []
        for table in article.descendants(named: ["table"]) where ArticleText.isGrid(table) {
            guard classWeight(of: table) + (table.score ?? 0) >= 0 else { continue }
            let isHeaded = !table.descendants(named: ["th", "thead", "caption"]).isEmpty
            guard table.linkDensity <= (isHeaded ? 0.5 : 0.25) else { continue }
            nodes.insert(ObjectIdentifier(table))
            for node in table.descendants() { nodes.insert(ObjectIdentifier(node)) }
        }
        return nodes
    }

    func isClutter(_ node: HTMLNode) -> Bool {
        node.measure()
        let weight = classWeight(of: node)
        let score = node.score ?? 0
        if weight + score < 0 { return true }
        if TextScan.commaCount(node.textContent) >= 10 { return false }
        let descendants = node.descendants()
        var paragraphs = 0
        var images = 0
        var items = -100
        var inputs = 0
        var embeds = 0
        for element in descendants {
            switch element.name {
            case "p": paragraphs += 1
            case "img": images += 1
            case "li": items += 1
            case "input": inputs += 1
            case "object", "embed", "iframe": embeds += 1
            default: break
            }
        }
        let density = node.linkDensity
        let length = node.textLength
        let isList = node.name == "ul" || node.name == "ol"
        if images > 1 && Double(paragraphs) / Double(images) < 0.5 { return true }
        if !isList && items > paragraphs { return true }
        if inputs > paragraphs / 3 && inputs > 0 { return true }
        if !isList && length < 25 && (images == 0 || images > 2) { return true }
        if weight < 25 && density > 0.2 && !(isList && density < 0.5 && length > 200) { return true }
        if weight >= 25 && density > 0.5 { return true }
        if (embeds == 1 && length < 75) || embeds > 1 { return true }
        return false
    }
}
