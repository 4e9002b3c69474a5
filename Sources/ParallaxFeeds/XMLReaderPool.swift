import Synchronization

/// Readers of small documents that finished their parse, kept for the next ones: a refresh reads
/// hundreds of small feeds, and each would otherwise set up libxml2's parser and learn its
/// element names anew.
enum XMLReaderPool {
    /// The most readers kept: one for each parse that may run at once on a machine's cores is
    /// plenty, and a pool no larger holds little memory.
    private static let capacity = 8
    private static let readers = Mutex<[XMLStreamReader]>([])

    /// A reader of a whole UTF-8 document held in memory: a kept one when there is one.
    static func reader(utf8Document document: [UInt8], base: String?) throws -> XMLStreamReader {
        if let kept = readers.withLock({ $0.popLast() }) {
            try kept.restart(utf8Document: document, base: base)
            return kept
        }
        return try XMLStreamReader(document: document, isUTF8: true, base: base, encoding: nil)
    }

    /// Keeps a reader whose document was read to its end without a failure, unless the pool is
    /// full or the reader has learned so many names (a hostile document's) that it is better
    /// dropped.
    static func keep(_ reader: XMLStreamReader) {
        guard reader.isWorthKeeping else { return }
        readers.withLock { readers in
            if readers.count < capacity { readers.append(reader) }
        }
    }
}
