/// The page that asks for the token when a browser arrives without a session.
enum SignInPage {
    static func render(failed: Bool) -> HTML {
        let failure: HTML =
            failed
            ? "<p class=\"failure\">That token does not open this library (a one-time link works once; run 'parallax serve' again for a new one).</p>"
            : ""
        return PageLayout.render(
            title: "Sign in", section: nil, session: nil,
            body: """
                <h1>Sign in</h1>
                \(failure)
                <p>Open the link that <code>parallax serve</code> printed, or enter its token.</p>
                <form method="post" action="/login"><label>Token <input name="token" type="password" \
                autocomplete="current-password" required></label> <button type="submit">Sign in</button></form>
                """)
    }
}
