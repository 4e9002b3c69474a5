import Foundation
import ParallaxStore

/// Parses a decompressed payload as it arrives: `#body LENGTH` entries, then `#asset TYPE
/// LENGTH` entries, then newline-terminated JSON records, checking each against the header.
/// Only one entry is held at a time.
struct PayloadParser {
    let header: BundleHeader
    let now: Date
    let malformed: (String) -> SyncError
    let entries: (ChangeEntry) throws -> Void
    private var buffer = Data()
    private var bodies = 0, assets = 0, records = 0
    private let decoder = JSONDecoder()

    init(
        header: BundleHeader, now: Date, malformed: @escaping (String) -> SyncError,
        entries: @escaping (ChangeEntry) throws -> Void
    ) {
        self.header = header
        self.now = now
        self.malformed = malformed
        self.entries = entries
    }

    /// Takes the next bytes of the payload and hands on every entry they complete.
    mutating func consume(_ data: Data) throws {
        buffer.append(data)
        var offset = buffer.startIndex
        while let consumed = try nextEntry(from: offset) { offset = consumed }
        // A long body arrives over many calls; its bytes are not copied again until it is whole.
        if offset != buffer.startIndex { buffer = buffer.subdata(in: offset..<buffer.endIndex) }
    }

    /// Checks the payload ended after a whole entry, with the counts its header declares.
    func finish() throws {
        guard buffer.isEmpty else { throw malformed("the payload ends inside a line") }
        guard bodies == header.bodies, assets == header.assets, records == header.records else {
            throw malformed("the payload holds other counts than its header says")
        }
    }

    /// Parses one entry starting at `offset`; returns where the next begins, or nil when the
    /// buffer does not hold the whole entry yet.
    private mutating func nextEntry(from offset: Int) throws -> Int? {
        guard let newline = buffer[offset...].firstIndex(of: 0x0A) else { return nil }
        let line = buffer[offset..<newline]
        if bodies < header.bodies {
            guard let parsed = try entry("body", line: line, after: newline) else { return nil }
            guard let (fields, end) = parsed, fields.isEmpty else {
                throw malformed("body \(bodies + 1) is damaged")
            }
            guard let text = String(validating: buffer[(newline + 1)..<end], as: UTF8.self) else {
                throw malformed("body \(bodies + 1) is damaged")
            }
            bodies += 1
            try entries(.body(text))
            return end + 1
        }
        if assets < header.assets {
            guard
                let parsed = try entry("asset", line: line, after: newline, maximum: ImageAsset.maximumBytes)
            else { return nil }
            guard let (fields, end) = parsed else { throw malformed("image \(assets + 1) is damaged") }
            // The format is read from the bytes too: a type the bytes do not bear out is damage.
            guard fields.count == 1, let type = ImageType(rawValue: String(fields[0])),
                let asset = ImageAsset(data: buffer.subdata(in: (newline + 1)..<end)), asset.type == type
            else { throw malformed("image \(assets + 1) is damaged") }
            assets += 1
            try entries(.asset(asset))
            return end + 1
        }
        records += 1
        var record: ChangeRecord
        do {
            record = try decoder.decode(ChangeRecord.self, from: line)
        } catch {
            throw malformed("record \(records) is not a change record")
        }
        do {
            try record.validate(now: now)
        } catch let error as LibraryError {
            throw malformed("record \(records): \(error.errorDescription ?? "invalid")")
        }
        // Text an earlier or another version kept with controls is stored cleaned, the same on
        // every replica; refusing it would stop that device's sync for good.
        record = record.cleaned()
        // A record outside the range the header declares would let a receiver believe it has
        // seen changes it never got, or raise another device's counter past what it made.
        guard record.counter > header.since[record.device] ?? 0,
            record.counter <= header.vector[record.device] ?? 0
        else {
            throw malformed(
                "record \(records) has change \(record.counter) of device \(record.device.prefix(10)), "
                    + "outside the range the bundle declares")
        }
        guard records <= header.records else {
            throw malformed("the payload holds other counts than its header says")
        }
        try entries(.record(record))
        return newline + 1
    }

    /// The fields of a `#KIND … LENGTH` line and where its LENGTH bytes end (at their newline):
    /// nil when those bytes have not all arrived yet, `.some(nil)` when the line is not such an entry.
    private func entry(_ kind: String, line: Data, after newline: Int, maximum: Int = .max) throws -> (
        fields: [Substring], end: Int
    )?? {
        let prefix = Array("#\(kind) ".utf8)
        guard line.starts(with: prefix) else { return .some(nil) }
        var fields = String(decoding: line.dropFirst(prefix.count), as: UTF8.self)
            .split(separator: " ", omittingEmptySubsequences: false)
        guard let lengthField = fields.popLast(), let length = Int(lengthField), length >= 0,
            length <= maximum,
            length <= header.payloadBytes
        else { return .some(nil) }
        let end = newline + 1 + length
        guard end < buffer.endIndex else { return nil }
        guard buffer[end] == 0x0A else { return .some(nil) }
        return (fields, end)
    }
}
