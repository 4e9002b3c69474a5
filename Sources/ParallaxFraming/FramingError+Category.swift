import ParallaxStore

extension ReportError: CategorizedError {
    /// The kind of failure: a report asked of articles that cannot make one.
    public var category: FailureCategory { .unprocessable }
}

extension ComparisonError: CategorizedError {
    /// The kind of failure: a comparison asked of outlets that cannot make one.
    public var category: FailureCategory { .unprocessable }
}
