import Foundation
import ParallaxFraming
import ParallaxStore

/// Text renderings shared by several commands and the demo.
enum Rendering {
    /// One line an item: short id, state marks, title, then source and date saved, then tags.
    static func list(_ items: [Item], shortIDs: [String: String]) -> String {
        guard !items.isEmpty else { return "No items." }
        let idWidth = items.map { shortIDs[$0.id]?.count ?? ItemID.minimumShortLength }.max() ?? 10
        return items.map { item in
            let marks = stateMark(item) + (item.favorite ? "★" : " ") + (item.archived ? "A" : " ")
            let source = item.source.map { Terminal.truncate($0, 20) }
            let meta = ([source].compactMap { $0 } + [String(item.saved.prefix(10))]).joined(separator: " · ")
            let titleWidth = max(36, Terminal.width - idWidth - marks.count - meta.count - 7)
            var line = "\(Terminal.pad(shortIDs[item.id] ?? item.id, idWidth))  \(marks)  "
            line += Terminal.truncate(item.title, titleWidth) + "  " + Terminal.dim(meta)
            if !item.tags.isEmpty {
                line += "  " + Terminal.dim(item.tags.map { "#" + $0 }.joined(separator: " "))
            }
            return line
        }.joined(separator: "\n")
    }

    static func stateMark(_ item: Item) -> String {
        switch item.readingState {
        case .unread: "•"
        case .reading: "◐"
        case .read: "✓"
        }
    }

    /// A summary line for a single item.
    static func itemLine(_ item: Item, shortID: String) -> String {
        var parts = [item.source, item.published, "\(item.wordCount) words"].compactMap { $0 }
        if !item.tags.isEmpty { parts.append(item.tags.map { "#" + $0 }.joined(separator: " ")) }
        return "\(shortID)  \(item.title)  (\(parts.joined(separator: ", ")))"
    }

    /// Search hits with their snippets.
    static func search(_ hits: [SearchHit], shortIDs: [String: String], query: String) -> String {
        guard !hits.isEmpty else { return "No items match '\(query)'." }
        return hits.map { hit in
            let header =
                "\(shortIDs[hit.item.id] ?? hit.item.id)  \(Terminal.bold(hit.item.title))"
                + (hit.item.source.map { "  — \($0)" } ?? "")
            let snippet = hit.snippet(
                open: Terminal.isInteractive ? "\u{1B}[1m" : "[",
                close: Terminal.isInteractive ? "\u{1B}[0m" : "]")
            return header + "\n"
                + Terminal.wrap(
                    snippet.replacingOccurrences(of: "\n", with: " "), width: Terminal.width, indent: "    ")
        }.joined(separator: "\n\n")
    }

    /// An item's history grouped by version.
    static func history(_ item: Item, _ entries: [HistoryEntry], shortID: String) -> String {
        var lines = ["History of \(shortID)  \(item.title)"]
        var lastVersion = -1
        for entry in entries {
            if entry.version != lastVersion {
                lines.append("  version \(entry.version)  \(entry.time)  device \(entry.device.prefix(8))")
                lastVersion = entry.version
            }
            lines.append("    " + describe(entry))
        }
        return lines.joined(separator: "\n")
    }

    /// The library log, newest first.
    static func log(_ entries: [HistoryEntry], shortIDs: [String: String]) -> String {
        guard !entries.isEmpty else { return "No changes yet." }
        return entries.map { entry in
            "v\(entry.version)  \(entry.time)  \(shortIDs[entry.itemID] ?? String(entry.itemID.prefix(8)))  "
                + Terminal.truncate(entry.itemTitle, 40) + "  " + describe(entry)
        }.joined(separator: "\n")
    }

    static func describe(_ entry: HistoryEntry) -> String {
        switch (entry.entity, entry.field) {
        case (.item, "*"): return "saved"
        case (.item, "listed"):
            return entry.newValue == .integer(1) ? "saved to the list" : "taken off the list"
        case (.highlight, "*"): return "highlighted “\(Terminal.truncate(entry.newValue.description, 50))”"
        case (.tag, _):
            return entry.newValue == .integer(1)
                ? "tagged #\(entry.target ?? "")" : "untagged #\(entry.target ?? "")"
        case (.highlight, let field):
            return
                "highlight \(entry.target?.prefix(8) ?? "") \(field): \(value(entry.oldValue)) → \(value(entry.newValue))"
        case (_, "body"): return "text replaced"
        case (_, let field): return "\(field): \(value(entry.oldValue)) → \(value(entry.newValue))"
        }
    }

    private static func value(_ value: FieldValue) -> String {
        Terminal.truncate(value.description.replacingOccurrences(of: "\n", with: " "), 40)
    }
}

// MARK: - Loaded language

extension Rendering {
    /// A sentence with its flagged terms in bold (on a terminal) or between brackets.
    static func marking(_ sentence: LoadedReading.Sentence, terms: [LoadedLanguage.Term]) -> String {
        let units = Array(sentence.text.utf16)
        var result = ""
        var position = 0
        for term in terms.sorted(by: { $0.start < $1.start }) {
            let start = term.start - sentence.start
            let end = min(units.count, term.end - sentence.start)
            guard start >= position, start < end else { continue }
            result += String(decoding: units[position..<start], as: UTF16.self)
            let word = String(decoding: units[start..<end], as: UTF16.self)
            // Without colour, brackets mark the word.
            let bold = Terminal.bold(word)
            result += bold == word ? "[\(word)]" : bold
            position = end
        }
        return result + String(decoding: units[position...], as: UTF16.self)
    }
}

extension LibraryEvents {
    /// A library's events that show, on a terminal, how far grouping has got when it must group.
    static func showingProgress(_ library: Library) -> LibraryEvents {
        var events = LibraryEvents(library: library)
        events.progress = { step in
            Terminal.progress(
                "Grouping: "
                    + (step.total == 0
                        ? step.stage.rawValue + "…"
                        : Terminal.progressBar(done: step.done, total: step.total) + " " + step.stage.rawValue)
            )
        }
        return events
    }
}
