import ParallaxIngest
import ParallaxStore
import ParallaxTestSupport
import Testing

/// `Library.imageFetcher(fetchingImages:)`, the one rule `add` and the reading app save images by.
@Suite struct ImageFetcherChoiceTests {
    @Test func testImagesAreFetchedOnlyWhenWantedAndKeptOnThisDevice() throws {
        let temporary = try TemporaryLibrary()
        #expect(try temporary.library.imageFetcher() != nil)
        #expect(try temporary.library.imageFetcher(fetchingImages: false) == nil)
        _ = try temporary.library.setKeepsImages(false)
        #expect(try temporary.library.imageFetcher() == nil)
        _ = try temporary.library.setKeepsImages(true)
        #expect(try temporary.library.imageFetcher() != nil)
    }
}
