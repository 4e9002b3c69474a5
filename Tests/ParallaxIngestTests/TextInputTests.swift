import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxIngest

@Suite struct TextInputTests {
    @Test func testBinaryInvalidAndEmptyInputIsRefused() throws {
        #expect(throws: IngestError.binary(name: "x")) {
            try TextInput.decode(Data([0x50, 0x4B, 0x03, 0x04, 0x00, 0x01]), name: "x")
        }
        #expect(throws: IngestError.invalidUTF8(name: "x", offset: 3)) {
            try TextInput.decode(Data([0x61, 0x62, 0x63, 0xFF, 0x64]), name: "x")
        }
        #expect(throws: IngestError.empty(name: "x")) {
            try TextInput.decode(Data(" \n\t\n".utf8), name: "x")
        }
        #expect(throws: IngestError.empty(name: "x")) { try TextInput.decode(Data(), name: "x") }
    }

    @Test func testByteOrderMarkAndLineEndingsAreNormalised() throws {
        let text = try TextInput.decode(Data([0xEF, 0xBB, 0xBF]) + Data("one\r\ntwo\rthree".utf8), name: "x")
        #expect(text == "one\ntwo\nthree")
    }

    @Test func testMissingFileAndFolderAreRefused() throws {
        let directory = TemporaryDirectory()
        #expect(throws: IngestError.missingFile(path: directory.path("absent.txt"))) {
            try TextInput.read(path: directory.path("absent.txt"))
        }
        #expect(throws: IngestError.isDirectory(path: directory.url.path)) {
            try TextInput.read(path: directory.url.path)
        }
    }
}
