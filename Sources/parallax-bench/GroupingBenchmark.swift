import Foundation
import ParallaxFraming

#if canImport(Glibc)
    import Glibc
#endif

/// Event grouping at scale on generated articles, and its quality on the PAC stories when present.
struct GroupingBenchmark {
    /// Generated events of three outlets each: the same sentences reworded, around a shared date.
    static func generatedArticles(_ count: Int) -> [GroupableArticle] {
        var generator = ArticleGenerator(seed: 11)
        var articles: [GroupableArticle] = []
        articles.reserveCapacity(count)
        var event = 0
        while articles.count < count {
            let story = generator.article(event, bytes: 1_500)
            let day = Date(timeIntervalSince1970: 1_550_000_000 + Double(event % 400) * 86_400)
            for outlet in 0..<3 where articles.count < count {
                let sentences = story.text.split(separator: ".").shuffled(using: &generator.random).prefix(8)
                articles.append(
                    GroupableArticle(
                        id: "e\(event)-\(outlet)", title: story.title,
                        text: sentences.joined(separator: ". ") + generator.sentence(),
                        source: ArticleGenerator.sources[
                            (event + outlet * 5) % ArticleGenerator.sources.count], published: day))
            }
            event += 1
        }
        return articles
    }

    /// The real PAC stories of ../shared with their gold events, when that file is there.
    static func pacArticles() throws -> (articles: [GroupableArticle], gold: [String: String])? {
        let path = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            .deletingLastPathComponent().appendingPathComponent("shared/corpora/pac-stories.jsonl")
        guard let text = try? String(contentsOf: path, encoding: .utf8) else { return nil }
        var gold: [String: String] = [:]
        let articles = try text.split(separator: "\n").map { line -> GroupableArticle in
            let row = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String] ?? [:]
            gold[row["id"] ?? ""] = row["story"]
            return GroupableArticle(
                id: row["id"] ?? "", title: row["title"] ?? "", text: row["text"] ?? "",
                source: row["source"] ?? "",
                published: try? Date(row["date"] ?? "", strategy: .iso8601.year().month().day()))
        }
        return (articles, gold)
    }

    /// B-cubed F1 of the grouping of the PAC stories, when they are there.
    static func pacF1() throws -> Double? {
        guard let (articles, gold) = try pacArticles() else { return nil }
        var predicted: [String: Set<String>] = [:]
        for group in GroupingSettings().group(articles) { for id in group { predicted[id] = Set(group) } }
        var byGold: [String: Set<String>] = [:]
        for (id, story) in gold { byGold[story, default: []].insert(id) }
        var precision = 0.0
        var recall = 0.0
        for (id, story) in gold {
            let shared = Double(predicted[id, default: [id]].intersection(byGold[story]!).count)
            precision += shared / Double(predicted[id, default: [id]].count)
            recall += shared / Double(byGold[story]!.count)
        }
        precision /= Double(gold.count)
        recall /= Double(gold.count)
        return 2 * precision * recall / (precision + recall)
    }

    /// The process's peak resident memory so far, in MB.
    static func peakMemoryMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}
