import ParallaxStore

extension IngestError: CategorizedError {
    /// The kind of failure.
    public var category: FailureCategory {
        switch self {
        case .missingFile: .notFound
        default: .unprocessable
        }
    }
}

extension FetchError: CategorizedError {
    /// The kind of failure: an address Parallax cannot fetch is invalid input; any other
    /// failure is the page's server's.
    public var category: FailureCategory {
        switch self {
        case .unsupportedAddress: .invalidInput
        default: .unavailable
        }
    }
}
