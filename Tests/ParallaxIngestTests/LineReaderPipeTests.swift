import Foundation
import Testing

@testable import ParallaxIngest

/// On a pipe, a line is handed on as soon as it has arrived, while the writer keeps the pipe open.
@Suite struct LineReaderPipeTests {
    @Test func aLineOnAPipeThatStaysOpenIsReadWithoutWaitingForMore() throws {
        let pipe = Pipe()
        defer { try? pipe.fileHandleForWriting.close() }
        try pipe.fileHandleForWriting.write(contentsOf: Data(#"{"text":"The talks resumed."}"#.utf8 + [0x0A]))
        let read = LockedLine()
        let done = DispatchSemaphore(value: 0)
        let handle = pipe.fileHandleForReading
        Thread {
            var reader = LineReader(handle: handle)
            read.line = reader.next()
            done.signal()
        }.start()
        // A guard, not a measure: a reader that waits for the writer to close never signals.
        if done.wait(timeout: .now() + 60) == .timedOut {
            try pipe.fileHandleForWriting.close()
            done.wait()
            Issue.record("the line was read only once the pipe closed")
        }
        #expect(read.line == .text(Data(#"{"text":"The talks resumed."}"#.utf8)))
    }
}

/// The line the reading thread got, handed to the test under a lock.
private final class LockedLine: @unchecked Sendable {
    private let lock = NSLock()
    private var value: LineReader.Line?
    var line: LineReader.Line? {
        get { lock.withLock { value } }
        set { lock.withLock { value = newValue } }
    }
}
