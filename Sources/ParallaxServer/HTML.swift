import ParallaxMarkup

/// A piece of HTML whose interpolated text is escaped unless it is itself `HTML`.
///
/// Pages are built only from these, so a title holding `<script>` can reach a page only as
/// text: forgetting to escape would take writing `HTML(unescaped:)` on purpose.
struct HTML: Sendable, Hashable, ExpressibleByStringInterpolation {
    /// The markup.
    private(set) var markup: String

    /// Markup taken as it is: for fragments another renderer has already escaped or sanitized.
    init(unescaped markup: String) { self.markup = markup }

    init(stringLiteral value: String) { markup = value }

    init(stringInterpolation: Interpolation) { markup = stringInterpolation.markup }

    /// The pieces joined.
    static func joined(_ pieces: some Sequence<HTML>, separator: String = "\n") -> HTML {
        HTML(unescaped: pieces.map(\.markup).joined(separator: separator))
    }

    static func + (left: HTML, right: HTML) -> HTML { HTML(unescaped: left.markup + right.markup) }

    static func += (left: inout HTML, right: HTML) { left.markup += right.markup }

    /// The interpolation that escapes text and keeps markup.
    struct Interpolation: StringInterpolationProtocol {
        var markup = ""

        init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity * 2) }

        mutating func appendLiteral(_ literal: String) { markup += literal }

        mutating func appendInterpolation(_ text: String) { markup += Markup.html(text) }

        mutating func appendInterpolation(_ text: String?) { markup += Markup.html(text ?? "") }

        mutating func appendInterpolation(_ number: Int) { markup += String(number) }

        mutating func appendInterpolation(_ html: HTML) { markup += html.markup }

        mutating func appendInterpolation(_ html: HTML?) { markup += html?.markup ?? "" }
    }
}
