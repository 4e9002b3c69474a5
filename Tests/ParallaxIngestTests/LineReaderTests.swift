import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxIngest

/// Lines come back whole across read boundaries, and a line over the limit fails alone.
@Suite struct LineReaderTests {
    @Test func testLinesOfEveryLengthComeBackWholeAndALongOneFailsAlone() throws {
        let directory = TemporaryDirectory()
        let lengths = [0, 1, 65_535, 65_536, 65_537, 200_000, 3, 150_001, 10]
        let lines = lengths.enumerated().map { index, length in
            Data(repeating: UInt8(ascii: "a") + UInt8(index), count: length)
        }
        var file = Data()
        for line in lines { file += line + Data([0x0A]) }
        file += Data("last line without a newline".utf8)
        var reader = try LineReader(path: directory.write("lines.txt", file), limit: 150_000)
        var read: [LineReader.Line] = []
        while let line = reader.next() { read.append(line) }
        let expected: [LineReader.Line] =
            lines.map { $0.count > 150_000 ? .tooLong(bytes: $0.count) : .text($0) }
            + [.text(Data("last line without a newline".utf8))]
        #expect(read == expected)
        #expect(reader.lineNumber == lengths.count + 1)
    }

    @Test func testOverlongLastLineWithoutANewlineFailsAlone() throws {
        let directory = TemporaryDirectory()
        let path = directory.write("lines.txt", Data("short\n".utf8) + Data(repeating: 0x62, count: 300_000))
        var reader = try LineReader(path: path, limit: 100_000)
        #expect(reader.next() == .text(Data("short".utf8)))
        #expect(reader.next() == .tooLong(bytes: 300_000))
        #expect(reader.next() == nil)
    }
}
