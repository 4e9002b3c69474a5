import ArgumentParser
import ParallaxStore

struct DoctorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check the library's integrity.",
        discussion: """
            Runs SQLite's integrity and foreign-key checks, checks the search index against the \
            rows, each article body against its hash and word count, and that every row has its \
            place in the change log. Exits with 8 when it finds a problem. --repair rebuilds the \
            search index first (the only part that can be rebuilt from the rest).
            """)

    @Flag(help: "Rebuild the search index before checking.") var repair = false
    @OptionGroup var libraryOptions: LibraryOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let library = try libraryOptions.open()
        let problems = try library.checkIntegrity(rebuildSearchIndex: repair)
        if output.json {
            try Terminal.printJSON(DoctorReport(ok: problems.isEmpty, problems: problems))
        } else if problems.isEmpty {
            print("\(library.path): no problems found.")
        } else {
            for problem in problems { print("\(problem.check): \(problem.detail)") }
        }
        if !problems.isEmpty {
            throw Failure(
                message: "\(problems.count) problem\(problems.count == 1 ? "" : "s") found",
                code: Failure.problemsFound)
        }
    }
}

/// What `doctor --json` prints.
struct DoctorReport: Encodable {
    let ok: Bool
    let problems: [IntegrityProblem]
}
