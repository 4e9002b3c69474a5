import Foundation
import ParallaxStore

/// Where `report -o FILE` writes a rendered report.
public enum ReportFile {
    /// An output file that replaces only an earlier framing report or outlet comparison, in
    /// any of the formats.
    public static func at(_ path: String) -> OutputFile {
        OutputFile(path: path, kind: "a framing report") { head in
            let text = String(decoding: head, as: UTF8.self)
            return text.hasPrefix(MarkdownReport.heading) || text.hasPrefix(ComparisonReport.heading)
                || text.contains(HTMLReport.generatorTag)
                || (text.hasPrefix("{")
                    && (text.contains(#""actors" :"#) || text.contains(#""attribution" :"#)))
        }
    }
}
