import CSystemZlib
import Foundation

/// zlib's deflate through the system libz, in 64 KiB steps each way.
public enum Deflate {
    static let chunkSize = 1 << 16

    /// Compresses bytes into a zlib stream.
    /// - Throws: ``SyncError/codec(_:)`` when zlib reports an error.
    public static func compress(_ input: Data, level: Int32 = 6) throws -> Data {
        var stream = z_stream()
        guard deflateInit_(&stream, level, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw SyncError.codec("zlib could not start compressing")
        }
        defer { deflateEnd(&stream) }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        try input.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var offset = 0
            repeat {
                let take = min(chunkSize, input.count - offset)
                stream.next_in = UnsafeMutablePointer(
                    mutating: raw.baseAddress?.advanced(by: offset).assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(take)
                offset += take
                let flush = offset == input.count ? Z_FINISH : Z_NO_FLUSH
                var status: Int32
                repeat {
                    status = buffer.withUnsafeMutableBufferPointer { pointer in
                        stream.next_out = pointer.baseAddress
                        stream.avail_out = uInt(chunkSize)
                        return deflate(&stream, flush)
                    }
                    guard status != Z_STREAM_ERROR else {
                        throw SyncError.codec("zlib failed while compressing")
                    }
                    output.append(contentsOf: buffer[0..<(chunkSize - Int(stream.avail_out))])
                } while stream.avail_out == 0
            } while offset < input.count
        }
        return output
    }

    /// Inflates a zlib stream, refusing to produce more than `limit` bytes.
    /// - Throws: ``SyncError/codec(_:)`` for a damaged or truncated stream, data after its end,
    ///   or output beyond the limit (checked each step, so a bomb stops early).
    public static func decompress(_ input: Data, limit: Int) throws -> Data {
        var stream = z_stream()
        guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw SyncError.codec("zlib could not start decompressing")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var finished = false
        try input.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            stream.next_in = UnsafeMutablePointer(
                mutating: raw.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = uInt(input.count)
            while !finished {
                let status = buffer.withUnsafeMutableBufferPointer { pointer in
                    stream.next_out = pointer.baseAddress
                    stream.avail_out = uInt(chunkSize)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                switch status {
                case Z_OK, Z_STREAM_END: break
                case Z_BUF_ERROR where stream.avail_in == 0:
                    throw SyncError.codec("the compressed payload is truncated")
                default:
                    throw SyncError.codec("the compressed payload is damaged")
                }
                let produced = chunkSize - Int(stream.avail_out)
                if output.count + produced > limit {
                    throw SyncError.codec("the payload inflates beyond \(limit) bytes")
                }
                output.append(contentsOf: buffer[0..<produced])
                finished = status == Z_STREAM_END
                if !finished && produced == 0 && stream.avail_in == 0 {
                    throw SyncError.codec("the compressed payload is truncated")
                }
            }
        }
        if stream.avail_in != 0 { throw SyncError.codec("the compressed payload has data after its end") }
        return output
    }
}

extension Deflate {
    /// A compressor fed in chunks that deflates on its own thread, so that producing the next
    /// chunk and compressing the last one run at once (zlib is the slowest part of an export).
    final class Pipeline: @unchecked Sendable {
        // `stream`, `output` and `failure` are touched only on `queue`.
        private let queue = DispatchQueue(label: "parallax.deflate")
        private let slots = DispatchSemaphore(value: 4)
        private var stream = z_stream()
        /// Where compressed bytes go, on `queue`, as they come.
        private let output: (Data) throws -> Void
        private var failure: (any Error)?
        private var ended = false
        private var buffer = [UInt8](repeating: 0, count: Deflate.chunkSize)

        /// The level compressible chunks are written at.
        private let level: Int32
        private var currentLevel: Int32

        /// - Parameter output: Takes the compressed bytes as they come, on the pipeline's own
        ///   thread; what it throws ends the stream, and ``finish()`` throws it.
        init(level: Int32 = 6, output: @escaping (Data) throws -> Void) throws {
            self.level = level
            self.output = output
            currentLevel = level
            guard deflateInit_(&stream, level, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
            else {
                throw SyncError.codec("zlib could not start compressing")
            }
        }

        // An export that fails before `finish()` still frees zlib's state.
        deinit {
            queue.sync {
                if !ended { deflateEnd(&stream) }
            }
        }

        /// Queues a chunk; waits when four are already waiting, so memory stays bounded.
        /// - Parameter compressing: False for bytes compressed already (images): they go into
        ///   the stream as stored blocks, which costs a few bytes and no time.
        func write(_ chunk: Data, compressing: Bool = true) {
            slots.wait()
            queue.async {
                self.setLevel(compressing ? self.level : Z_NO_COMPRESSION)
                self.deflate(chunk, flush: Z_NO_FLUSH)
                self.slots.signal()
            }
        }

        /// Switches the stream's level, after flushing what the current level holds.
        private func setLevel(_ newLevel: Int32) {
            guard failure == nil, newLevel != currentLevel else { return }
            deflate(Data(), flush: Z_BLOCK)
            let status = buffer.withUnsafeMutableBufferPointer { pointer in
                stream.next_out = pointer.baseAddress
                stream.avail_out = uInt(Deflate.chunkSize)
                return deflateParams(&stream, newLevel, Z_DEFAULT_STRATEGY)
            }
            emit(buffer[0..<(Deflate.chunkSize - Int(stream.avail_out))])
            guard status == Z_OK else {
                failure = SyncError.codec("zlib could not change its compression level")
                return
            }
            currentLevel = newLevel
        }

        /// Compresses what is left and hands it on.
        func finish() throws {
            try queue.sync {
                deflate(Data(), flush: Z_FINISH)
                deflateEnd(&stream)
                ended = true
                if let failure { throw failure }
            }
        }

        private func emit(_ bytes: ArraySlice<UInt8>) {
            guard failure == nil, !bytes.isEmpty else { return }
            do {
                try output(Data(bytes))
            } catch {
                failure = error
            }
        }

        private func deflate(_ chunk: Data, flush: Int32) {
            guard failure == nil else { return }
            chunk.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                stream.next_in = UnsafeMutablePointer(
                    mutating: raw.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(chunk.count)
                repeat {
                    let status = buffer.withUnsafeMutableBufferPointer { pointer in
                        stream.next_out = pointer.baseAddress
                        stream.avail_out = uInt(Deflate.chunkSize)
                        return CSystemZlib.deflate(&stream, flush)
                    }
                    if status == Z_STREAM_ERROR {
                        failure = SyncError.codec("zlib failed while compressing")
                        return
                    }
                    emit(buffer[0..<(Deflate.chunkSize - Int(stream.avail_out))])
                } while stream.avail_out == 0
            }
        }
    }
}

extension Deflate {
    /// A decompressor fed in chunks, that hands on what it inflates as it goes and refuses to
    /// produce more than its limit (checked each step, so a bomb stops early).
    final class Inflater {
        private var stream = z_stream()
        private var buffer = [UInt8](repeating: 0, count: Deflate.chunkSize)
        private let limit: Int
        private(set) var produced = 0
        private(set) var finished = false

        init(limit: Int) throws {
            self.limit = limit
            guard inflateInit_(&stream, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
                throw SyncError.codec("zlib could not start decompressing")
            }
        }

        deinit { inflateEnd(&stream) }

        /// Inflates a chunk of the compressed stream.
        /// - Throws: ``SyncError/codec(_:)`` for a damaged stream, data after its end, or output
        ///   beyond the limit; errors `output` throws.
        func feed(_ input: Data, output: (Data) throws -> Void) throws {
            guard !input.isEmpty else { return }
            guard !finished else { throw SyncError.codec("the compressed payload has data after its end") }
            try input.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                stream.next_in = UnsafeMutablePointer(
                    mutating: raw.baseAddress?.assumingMemoryBound(to: Bytef.self))
                stream.avail_in = uInt(input.count)
                while stream.avail_in > 0 && !finished {
                    let status = buffer.withUnsafeMutableBufferPointer { pointer in
                        stream.next_out = pointer.baseAddress
                        stream.avail_out = uInt(Deflate.chunkSize)
                        return inflate(&stream, Z_NO_FLUSH)
                    }
                    guard status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR else {
                        throw SyncError.codec("the compressed payload is damaged")
                    }
                    let count = Deflate.chunkSize - Int(stream.avail_out)
                    produced += count
                    if produced > limit {
                        throw SyncError.codec("the payload inflates beyond \(limit) bytes")
                    }
                    if count > 0 { try output(Data(buffer[0..<count])) }
                    finished = status == Z_STREAM_END
                    if status == Z_BUF_ERROR && count == 0 { break }
                }
                if finished && stream.avail_in > 0 {
                    throw SyncError.codec("the compressed payload has data after its end")
                }
            }
            // zlib may hold output back while input remains; drain it.
            while !finished {
                let status = buffer.withUnsafeMutableBufferPointer { pointer in
                    stream.next_out = pointer.baseAddress
                    stream.avail_out = uInt(Deflate.chunkSize)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let count = Deflate.chunkSize - Int(stream.avail_out)
                guard status == Z_OK || status == Z_STREAM_END, count > 0 || status == Z_STREAM_END else {
                    break
                }
                produced += count
                if produced > limit { throw SyncError.codec("the payload inflates beyond \(limit) bytes") }
                if count > 0 { try output(Data(buffer[0..<count])) }
                finished = status == Z_STREAM_END
            }
        }

        /// Checks the stream ended.
        func finish() throws {
            guard finished else { throw SyncError.codec("the compressed payload is truncated") }
        }
    }
}
