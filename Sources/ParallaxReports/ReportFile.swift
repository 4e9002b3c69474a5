import Foundation
import ParallaxFiles
import ParallaxStore

/// Where `report -o FILE` and `compare -o FILE` write a rendered report.
///
/// Each replaces only an earlier output of its own command, in any of its formats: a framing
/// report never replaces an outlet comparison, an article page or a reading export, nor the
/// other way round.
public enum ReportFile {
    /// An output file that replaces only an earlier framing report.
    public static func at(_ path: String) -> OutputFile {
        OutputFile(path: path, kind: "a framing report") { head in
            recognizes(
                head, heading: MarkdownReport.heading + "\n", generatorKind: HTMLReport.generatorKind,
                firstKey: "actors")
        }
    }

    /// An output file that replaces only an earlier outlet comparison.
    public static func comparison(at path: String) -> OutputFile {
        OutputFile(path: path, kind: "an outlet comparison") { head in
            recognizes(
                head, heading: ComparisonReport.heading, generatorKind: ComparisonReport.generatorKind,
                firstKey: "attribution")
        }
    }
}

private extension ReportFile {
    /// Whether `head` starts as the command writes each format: the Markdown's first heading,
    /// the HTML page's generator tag, or the JSON's first key as the pretty encoder sorts it.
    static func recognizes(_ head: Data, heading: String, generatorKind: String, firstKey: String) -> Bool {
        head.starts(with: Array(heading.utf8)) || OutputFile.isPage(head, of: generatorKind)
            || head.starts(with: Array("{\n  \"\(firstKey)\" : ".utf8))
    }
}
