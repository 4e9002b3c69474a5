import ArgumentParser
import Foundation
import ParallaxFraming

extension Bench {
    /// Scores the loaded-language finder against sentences whose biased words experts marked.
    struct BiasWords: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "bias-words",
            abstract: "Flag loaded words in expert-annotated sentences and score them.",
            discussion: """
                Reads JSON Lines of sentences in the BABE format ("id", "text", "label" biased or \
                neutral, "biased_words"), flags each sentence's words with the finder `parallax \
                loaded` uses (quotations and hedges left out: they are the speaker's words, or \
                distance rather than judgment), and prints word-level precision, recall and F1 \
                (sets of lower-cased word tokens per sentence, pooled) and sentence-level macro F1 \
                (a sentence counts as biased when a word is flagged), computed as \
                ../shared/tools/bias_words_eval.py computes them. Baseline in the same run: every \
                word of the valence lexicon with |valence| ≥ 1.5. Targets (issue 28): word F1 ≥ \
                0.40, sentence macro F1 ≥ 0.72.
                """)

        @Option(help: "Sentences in the BABE format.") var input: String
        @Option(help: "Write the predictions here, one {\"id\", \"words\", \"categories\"} a line.")
        var predictions: String?

        func run() throws {
            let sentences = try BiasSentence.read(input)
            let finder = LoadedLanguage()
            let start = Date()
            let terms = sentences.map { sentence in
                finder.terms(in: sentence.text).filter {
                    !$0.inQuote && $0.category != .hedge && $0.category != .scareQuote
                }
            }
            let flagged = terms.map { $0.map(\.text) }
            let seconds = Date().timeIntervalSince(start)
            let baseline = sentences.map { sentence in
                LoadedLanguage.valenceBaseline(in: sentence.text, threshold: 1.5)
            }
            if let predictions {
                let lines = try zip(sentences, terms).map { sentence, terms in
                    String(
                        decoding: try JSONSerialization.data(withJSONObject: [
                            "id": sentence.id, "words": terms.map(\.text),
                            "categories": terms.map(\.category.rawValue),
                        ]), as: UTF8.self)
                }
                try (lines.joined(separator: "\n") + "\n").write(
                    toFile: predictions, atomically: true, encoding: .utf8)
            }
            let ours = BiasScore(sentences: sentences, flagged: flagged)
            let theirs = BiasScore(sentences: sentences, flagged: baseline)
            print("\(sentences.count) sentences in \(String(format: "%.2f", seconds)) s")
            print("Parallax:            \(ours)")
            print("valence ≥ 1.5 (base): \(theirs)")
            print(
                String(
                    format: "ratio word F1 %.2f×, sentence macro F1 %.2f×",
                    ours.wordF1 / max(theirs.wordF1, 1e-9),
                    ours.sentenceMacroF1 / max(theirs.sentenceMacroF1, 1e-9)))
        }
    }
}

/// One annotated sentence.
struct BiasSentence {
    var id: String
    var text: String
    var biased: Bool
    var words: [String]

    static func read(_ path: String) throws -> [BiasSentence] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").compactMap { line in
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let id = object["id"] as? String, let text = object["text"] as? String
            else { return nil }
            return BiasSentence(
                id: id, text: text, biased: object["label"] as? String == "biased",
                words: object["biased_words"] as? [String] ?? [])
        }
    }
}

/// The scorer's figures: word tokens are runs of [a-z0-9] with inner ' ’ or -, lower-cased,
/// as a set per sentence; only flagged tokens that occur in the sentence count.
struct BiasScore: CustomStringConvertible {
    var precision = 0.0
    var recall = 0.0
    var wordF1 = 0.0
    var sentenceMacroF1 = 0.0

    init(sentences: [BiasSentence], flagged: [[String]]) {
        var (truePositives, falsePositives, falseNegatives) = (0, 0, 0)
        var confusion = [[0, 0], [0, 0]]
        for (sentence, words) in zip(sentences, flagged) {
            let gold = Set(sentence.words.flatMap(Self.tokens))
            let predicted = Set(words.flatMap(Self.tokens)).intersection(Self.tokens(sentence.text))
            truePositives += predicted.intersection(gold).count
            falsePositives += predicted.subtracting(gold).count
            falseNegatives += gold.subtracting(predicted).count
            confusion[sentence.biased ? 1 : 0][predicted.isEmpty ? 0 : 1] += 1
        }
        precision = Self.ratio(truePositives, truePositives + falsePositives)
        recall = Self.ratio(truePositives, truePositives + falseNegatives)
        wordF1 = Self.harmonic(precision, recall)
        sentenceMacroF1 =
            (0...1).map { label in
                Self.harmonic(
                    Self.ratio(
                        confusion[label][label], confusion[label][label] + confusion[1 - label][label]),
                    Self.ratio(confusion[label][label], confusion[label][label] + confusion[label][1 - label])
                )
            }.reduce(0, +) / 2
    }

    var description: String {
        String(
            format: "word-level P %.3f R %.3f F1 %.3f; sentence-level macro F1 %.3f", precision, recall,
            wordF1,
            sentenceMacroF1)
    }

    static func tokens(_ text: String) -> [String] {
        let lower = text.lowercased()
        let pattern = /[a-z0-9]+(?:['’-][a-z0-9]+)*/
        return lower.matches(of: pattern).map { String($0.output) }
    }

    private static func ratio(_ part: Int, _ whole: Int) -> Double {
        whole == 0 ? 0 : Double(part) / Double(whole)
    }
    private static func harmonic(_ a: Double, _ b: Double) -> Double { a + b == 0 ? 0 : 2 * a * b / (a + b) }
}
