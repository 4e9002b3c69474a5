import Foundation
import ParallaxTestSupport

#if canImport(Glibc)
    import Glibc
#endif

/// A TCP connection to the server that sends exactly the bytes a test gives it, when it gives
/// them: what a hostile or slow client does, which an HTTP client library would not.
final class RawConnection {
    private let descriptor: Int32

    /// Connects to 127.0.0.1 on `port`; answers wait at most `timeout` seconds.
    init(port: Int, timeout: TimeInterval = 10) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw POSIXError(.EMFILE) }
        var limit = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close(descriptor)
            throw POSIXError(.ECONNREFUSED)
        }
    }

    deinit { close(descriptor) }

    /// Sends the bytes; false once the server has closed the connection.
    @discardableResult
    func send(_ text: String) -> Bool { send(Data(text.utf8)) }

    /// Sends the bytes; false once the server has closed the connection.
    @discardableResult
    func send(_ data: Data) -> Bool {
        guard !isClosed else { return false }
        return LoopbackSocket.send(data, to: descriptor)
    }

    /// Sends `data` one byte at a time, `interval` seconds apart, as long as the server reads
    /// it; returns how many bytes went out before it closed the connection.
    func trickle(_ data: Data, every interval: TimeInterval) -> Int {
        for (index, byte) in data.enumerated() {
            guard send(Data([byte])) else { return index }
            Thread.sleep(forTimeInterval: interval)
        }
        return data.count
    }

    /// Whether the server has closed the connection (anything it sent before is read and dropped).
    var isClosed: Bool {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 0) > 0 else { return false }
            let count = recv(descriptor, &buffer, buffer.count, 0)
            if count <= 0 { return true }
        }
    }

    /// What the server sends until it closes the connection, or until the timeout.
    func receive() -> String {
        var answer = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = recv(descriptor, &buffer, buffer.count, 0)
            guard count > 0 else { break }
            answer.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: answer, as: UTF8.self)
    }

    /// The status line of the answer that comes first, without waiting for the rest.
    func statusLine() -> String {
        var answer = Data()
        var byte: UInt8 = 0
        while !answer.ends(with: Data("\r\n".utf8)), recv(descriptor, &byte, 1, 0) == 1 {
            answer.append(byte)
        }
        return String(decoding: answer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

private extension Data {
    func ends(with suffix: Data) -> Bool { count >= suffix.count && self.suffix(suffix.count) == suffix }
}
