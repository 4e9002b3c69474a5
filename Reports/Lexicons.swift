/// The marker lexicons shipped in `Reports/lexicons/`, compiled into the binary.
public enum ShippedLexicons {
    /// Each lexicon's name and its file's text.
    public static let all: [(name: String, text: String)] = [
        ("report-verbs", String(decoding: PackageResources.report_verbs_txt, as: UTF8.self)),
        ("hedges", String(decoding: PackageResources.hedges_txt, as: UTF8.self)),
        ("intensifiers", String(decoding: PackageResources.intensifiers_txt, as: UTF8.self)),
        ("loaded", String(decoding: PackageResources.loaded_txt, as: UTF8.self)),
    ]
}
