import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

// MARK: - Large files

extension WebDAVTransport {
    /// Downloads a file to a local path a chunk at a time, refusing more than a bundle may hold.
    ///
    /// A download cut short is resumed where it stopped (a `Range` request) when it is retried,
    /// and a file already at `path` is taken as the start of this one: names on a remote are
    /// made from contents, so the bytes are the same. A server that ignores the range sends the
    /// whole file again, which replaces what was there. A server that falls silent, or sends
    /// slower than ``Timeouts/slowestTransfer``, is left at once and not asked again.
    public func download(_ name: String, to path: String) throws {
        let url = try file(name)
        try withRetries {
            if !FileManager.default.fileExists(atPath: path) {
                guard FileManager.default.createFile(atPath: path, contents: nil) else {
                    throw SyncError.malformed(path: path, reason: "it cannot be written")
                }
            }
            guard let handle = FileHandle(forUpdatingAtPath: path), let offset = try? handle.seekToEnd()
            else {
                throw SyncError.malformed(path: path, reason: "it cannot be written")
            }
            defer { try? handle.close() }
            let headers = offset > 0 ? [("Range", "bytes=\(offset)-")] : []
            let request = try prepare("GET", url, headers: headers, body: nil)
            let delegate = FileDownload(
                handle: handle, offset: Int(offset), limit: Self.maximumBytes, timeouts: timeouts)
            traffic.count(sent: 0)
            defer { traffic.count(received: delegate.received) }
            let status: Int
            do {
                status = try Self.client(for: timeouts).execute(
                    request: request, delegate: delegate, deadline: .now() + timeouts.transfer.timeAmount
                ).wait()
            } catch {
                if let failure = delegate.failure {
                    try? FileManager.default.removeItem(atPath: path)
                    throw SyncError.remote(
                        location: url.absoluteString, reason: failure.errorDescription ?? "\(failure)")
                }
                // What arrived stays, for a retry to resume from.
                throw failure(error, at: url, deadline: timeouts.transfer.timeAmount, stopped: nil)
            }
            switch status {
            case 200, 206: return
            case 416:
                // The range starts at or past the end: what is there is not a start of this file.
                try? FileManager.default.removeItem(atPath: path)
                throw PassingFailure(
                    error: .remote(location: url.absoluteString, reason: "the server refused to resume (416)")
                )
            case 401, 403:
                try? FileManager.default.removeItem(atPath: path)
                throw SyncError.remoteAuthentication(location: url.absoluteString)
            case 404:
                // Gone since the listing: another device pruned it, which is no failure of the remote.
                try? FileManager.default.removeItem(atPath: path)
                throw SyncError.missingBundle(path: url.absoluteString)
            default:
                try check("GET", url, status: status, accepting: [200, 206])
            }
        }
    }

    /// Uploads a local file a chunk at a time under a temporary name, then moves it into place.
    public func upload(_ name: String, from path: String) throws {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
            throw SyncError.missingBundle(path: path)
        }
        try place(name) { temporary in
            let body = HTTPClient.Body.stream(contentLength: Int64(size)) { writer in
                // Each attempt reads the file from its start.
                guard let handle = FileHandle(forReadingAtPath: path) else {
                    return writer.write(.byteBuffer(ByteBuffer())).flatMapThrowing {
                        throw SyncError.malformed(path: path, reason: "it cannot be read")
                    }
                }
                return Self.send(handle, to: writer).always { _ in try? handle.close() }
            }
            try withRetries {
                let request = try prepare("PUT", temporary, headers: [], body: body)
                let response = try execute(
                    request, temporary, limit: Self.maximumAnswerBytes, tooLarge: nil,
                    deadline: timeouts.transferDeadline(bytes: size))
                let status = Int(response.status.code)
                if status == 401 || status == 403 {
                    throw SyncError.remoteAuthentication(location: temporary.absoluteString)
                }
                try check("PUT", temporary, status: status, accepting: [200, 201, 204])
            }
        }
    }

    /// Writes a file's chunks one after another, each once the last is sent.
    private static func send(_ handle: FileHandle, to writer: HTTPClient.Body.StreamWriter)
        -> EventLoopFuture<Void>
    {
        let chunk: Data
        do {
            chunk = try handle.read(upToCount: 1 << 20) ?? Data()
        } catch {
            return writer.write(.byteBuffer(ByteBuffer())).flatMapThrowing { throw error }
        }
        guard !chunk.isEmpty else { return writer.write(.byteBuffer(ByteBuffer())) }
        return writer.write(.byteBuffer(ByteBuffer(bytes: chunk))).flatMap { send(handle, to: writer) }
    }
}

/// Writes a GET's body into a file as it arrives: from the start for a whole answer (200), after
/// what the file holds for a partial one (206) that starts there.
final class FileDownload: HTTPClientResponseDelegate, @unchecked Sendable {
    typealias Response = Int

    private let handle: FileHandle
    private let offset: Int
    private let limit: Int
    private let timeouts: WebDAVTransport.Timeouts
    private let started = NIODeadline.now()
    private var status = 0
    private var writing = false
    /// Why the download was stopped, if it was: not a failure that may pass.
    private(set) var failure: SyncError?
    /// Body bytes received.
    private(set) var received = 0

    init(handle: FileHandle, offset: Int, limit: Int, timeouts: WebDAVTransport.Timeouts) {
        self.handle = handle
        self.offset = offset
        self.limit = limit
        self.timeouts = timeouts
    }

    func didReceiveHead(task: HTTPClient.Task<Int>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        status = Int(head.status.code)
        switch status {
        case 200:
            writing = (try? handle.truncate(atOffset: 0)) != nil
        case 206:
            // `Content-Range: bytes START-END/TOTAL` must start where the file ends.
            let range = head.headers.first(name: "Content-Range") ?? ""
            let start = range.split(separator: " ").last?.split(separator: "-").first.flatMap { Int($0) }
            writing = start == offset
            if !writing { failure = .codec("the server resumed at another place than asked") }
        default:
            writing = false
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Int>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        guard writing, failure == nil else { return task.eventLoop.makeSucceededVoidFuture() }
        received += buffer.readableBytes
        let total = (status == 206 ? offset : 0) + received
        let elapsed = NIODeadline.now() - started
        if total > limit {
            failure = .codec("the answer is larger than 1 GiB")
            task.cancel()
        } else if elapsed > timeouts.transferDeadline(bytes: received) {
            // A trickle that never falls silent long enough for the idle timeout.
            failure = .codec(
                "the server sent \(received) bytes in \(elapsed.nanoseconds / 1_000_000_000) seconds, "
                    + "slower than \(timeouts.slowestTransfer >> 10) KiB a second")
            task.cancel()
        } else {
            do {
                try handle.write(contentsOf: Data(buffer.readableBytesView))
            } catch {
                failure = .codec("it cannot be written (\(error))")
                task.cancel()
            }
        }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didFinishRequest(task: HTTPClient.Task<Int>) throws -> Int {
        if let failure { throw failure }
        return status
    }
}
