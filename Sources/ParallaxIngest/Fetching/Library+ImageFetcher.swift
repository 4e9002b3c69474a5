import ParallaxStore

extension Library {
    /// The image fetcher for saving articles into this library: none when the caller turned
    /// images off (`add --no-images`, `serve --no-images`) or this device keeps no images
    /// (`parallax images off`), so both front ends decide it by one rule.
    public func imageFetcher(fetchingImages: Bool = true) throws -> ImageFetcher? {
        guard fetchingImages, try imageStorage().keepsImages else { return nil }
        return ImageFetcher()
    }
}
