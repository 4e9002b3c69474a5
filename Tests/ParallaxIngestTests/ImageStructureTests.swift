import Foundation
import ParallaxStore
import ParallaxTestSupport
import Testing

@testable import ParallaxIngest

/// An image is kept only when its bytes reach its format's end: a download cut short behind a
/// valid header declares dimensions nothing backs.
@Suite struct ImageStructureTests {
    static let formats: [(String, Data, ImageType)] = [
        ("png", TestImages.png(width: 40, height: 30), .png),
        ("jpeg", TestImages.jpeg(width: 20, height: 9), .jpeg),
        ("gif", TestImages.gif, .gif), ("webp", TestImages.webp, .webp), ("avif", TestImages.avif(), .avif),
    ]

    @Test func testAWholeImageOfEveryFormatIsCompleteAndEveryCutOfItIsNot() throws {
        for (name, data, type) in Self.formats {
            #expect(ImageType(detecting: data) == type, "\(name)")
            #expect(ImageDimensions(of: data, type: type) != nil, "\(name)")
            #expect(ImageStructure.isComplete(data, type: type), "\(name)")
            for length in 0..<data.count {
                #expect(
                    !ImageStructure.isComplete(data.prefix(length), type: type), "\(name) cut at \(length)")
            }
        }
        #expect(
            ImageDimensions(of: TestImages.jpeg(width: 20, height: 9), type: .jpeg)
                == .init(width: 20, height: 9))
        #expect(ImageDimensions(of: TestImages.avif(), type: .avif) == .init(width: 2, height: 2))
    }

    @Test func testAValidHeaderPaddedOutIsNotAnImage() {
        for (name, data, type) in Self.formats {
            let padded = data.prefix(data.count / 2) + Data(count: 4096)
            #expect(!ImageStructure.isComplete(padded, type: type), "\(name)")
        }
        var png = TestImages.png(width: 40, height: 30)
        png[17] ^= 0x01  // the width, behind a checksum that no longer matches
        #expect(!ImageStructure.isComplete(png, type: .png))
    }

    @Test func testAnImageCutShortIsNotKept() async throws {
        let photo = TestImages.png(width: 40, height: 30)
        let server = try LocalHTTPServer { path in
            switch path {
            case "/whole.png": .init(contentType: "image/png", body: photo)
            case "/cut.png": .init(contentType: "image/png", body: photo.prefix(photo.count - 20))
            case "/cut.jpg":
                .init(contentType: "image/jpeg", body: TestImages.jpeg(width: 64, height: 64).dropLast(2))
            default: .init(status: 404)
            }
        }
        defer { server.stop() }
        var draft = ItemDraft(title: "Port", text: "Ships wait.")
        draft.html = ["/whole.png", "/cut.png", "/cut.jpg"].map {
            #"<p><img src="\#(server.baseURL)\#($0)" /></p>"#
        }
        .joined()
        let report = await ImageFetcher().fetchImages(for: &draft, pageURL: server.baseURL + "/page")
        #expect(report.kept == 1 && draft.images.map(\.url) == [server.baseURL + "/whole.png"])
        #expect(
            report.problems.count == 2 && report.problems.allSatisfy { $0.contains("cut short") },
            "\(report.problems)")
    }
}
