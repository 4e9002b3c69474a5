/// The lexicons shipped in `Reports/lexicons/`, compiled into the binary.
public enum ShippedLexicons {
    /// Each marker lexicon's name and its file's text: the words the framing report counts.
    public static let all: [(name: String, text: String)] = [
        ("report-verbs", text(PackageResources.report_verbs_txt)),
        ("hedges", text(PackageResources.hedges_txt)),
        ("intensifiers", text(PackageResources.intensifiers_txt)),
        ("loaded", text(PackageResources.loaded_txt)),
        ("labels", text(PackageResources.labels_txt)),
        ("doubt-verbs", text(PackageResources.doubt_verbs_txt)),
    ]

    /// Words whose weight comes from the event reported (`reported-events.txt`).
    public static let reportedEvents = text(PackageResources.reported_events_txt)

    /// VADER's valence lexicon (`valence.txt`, MIT licence): a word, a tab, its mean valence.
    public static let valence = text(PackageResources.valence_txt)

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
