import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

// MARK: - Large files

extension WebDAVTransport {
    /// How long one transfer of a large file may take in all; each read still waits at most a
    /// minute (the client's read timeout), so a stalled server is noticed long before.
    static let transferDeadline: TimeAmount = .hours(2)

    /// Downloads a file to a local path a chunk at a time, refusing more than a bundle may hold.
    public func download(_ name: String, to path: String) throws {
        let url = file(name)
        try withRetries {
            try? FileManager.default.removeItem(atPath: path)
            let request = try prepare("GET", url, headers: [], body: nil)
            let limit = Self.maximumBytes
            let delegate = try FileDownloadDelegate(
                path: path,
                reportProgress: { task, progress in
                    if progress.receivedBytes > limit { task.cancel() }
                })
            let progress: FileDownloadDelegate.Progress
            traffic.count(sent: 0)
            defer {
                traffic.count(
                    received: (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0)
            }
            do {
                progress = try Self.client.execute(
                    request: request, delegate: delegate, deadline: .now() + Self.transferDeadline
                ).wait()
            } catch {
                let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int ?? 0
                try? FileManager.default.removeItem(atPath: path)
                if size > limit {
                    throw SyncError.remote(
                        location: url.absoluteString, reason: "the answer is larger than 1 GiB")
                }
                throw PassingFailure(
                    error: .remote(location: url.absoluteString, reason: "cannot be reached (\(error))"))
            }
            let status = Int(progress.head.status.code)
            guard status == 200 else {
                try? FileManager.default.removeItem(atPath: path)
                if status == 401 || status == 403 {
                    throw SyncError.remoteAuthentication(location: url.absoluteString)
                }
                // Gone since the listing: another device pruned it, which is no failure of the remote.
                if status == 404 {
                    throw SyncError.malformed(path: url.absoluteString, reason: "no such file")
                }
                try check("GET", url, status: status, accepting: [200])
                return
            }
            guard progress.receivedBytes <= limit else {
                try? FileManager.default.removeItem(atPath: path)
                throw SyncError.remote(
                    location: url.absoluteString, reason: "the answer is larger than 1 GiB")
            }
        }
    }

    /// Uploads a local file a chunk at a time under a temporary name, then moves it into place.
    public func upload(_ name: String, from path: String) throws {
        guard let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int else {
            throw SyncError.malformed(path: path, reason: "no such file")
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
                traffic.count(sent: size)
                let response: HTTPClient.Response
                do {
                    response = try Self.client.execute(
                        request: request, deadline: .now() + Self.transferDeadline
                    )
                    .wait()
                } catch {
                    throw PassingFailure(
                        error: .remote(
                            location: temporary.absoluteString, reason: "cannot be reached (\(error))"))
                }
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
