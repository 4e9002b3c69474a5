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
        private var output = Data()
        private var failure: SyncError?
        private var ended = false
        private var buffer = [UInt8](repeating: 0, count: Deflate.chunkSize)

        /// The level compressible chunks are written at.
        private let level: Int32
        private var currentLevel: Int32

        init(level: Int32 = 6) throws {
            self.level = level
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
            output.append(contentsOf: buffer[0..<(Deflate.chunkSize - Int(stream.avail_out))])
            guard status == Z_OK else {
                failure = SyncError.codec("zlib could not change its compression level")
                return
            }
            currentLevel = newLevel
        }

        /// Compresses what is left and returns the whole compressed stream.
        func finish() throws -> Data {
            try queue.sync {
                deflate(Data(), flush: Z_FINISH)
                deflateEnd(&stream)
                ended = true
                if let failure { throw failure }
                return output
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
                    output.append(contentsOf: buffer[0..<(Deflate.chunkSize - Int(stream.avail_out))])
                } while stream.avail_out == 0
            }
        }
    }
}
