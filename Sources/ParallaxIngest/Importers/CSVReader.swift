import Foundation

/// Reads RFC 4180 CSV one record at a time in bounded memory: quoted fields may hold commas,
/// doubled quotes and line breaks.
struct CSVReader: IteratorProtocol {
    private var lines: LineReader
    /// Lines read ahead for a record that turned out malformed, to be read again.
    private var pushedBack: [(number: Int, line: LineReader.Line)] = []
    private var lastLineNumber = 0
    /// The line the last record started on, from 1.
    private(set) var lineNumber = 0
    /// A quoted field may run over at most this many lines; past it the opening quote is taken
    /// as a typo, the record fails alone, and the lines after it are read again as records.
    static let maximumLinesPerRecord = 100

    init(path: String, limit: Int = LineReader.maximumLineBytes) throws {
        lines = try LineReader(path: path, limit: limit)
        self.limit = limit
    }

    /// The most bytes one record may hold, over all its lines.
    private let limit: Int

    /// The next record's fields, or the reason it is malformed; nil at the end.
    mutating func next() -> Result<[String], CSVError>? {
        guard let first = nextLine() else { return nil }
        lineNumber = lastLineNumber
        guard case .text(var line) = first else { return .failure(.tooLong(line: lineNumber)) }
        var readAhead: [(number: Int, line: LineReader.Line)] = []
        if lineNumber == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var fieldStarted = false
        var linesUsed = 1
        while true {
            var index = line.startIndex
            while index < line.endIndex {
                let byte = line[index]
                if quoted {
                    if byte == 0x22 {
                        let next = line.index(after: index)
                        if next < line.endIndex && line[next] == 0x22 {
                            field.append(0x22)
                            index = next
                        } else {
                            quoted = false
                        }
                    } else {
                        field.append(byte)
                    }
                } else if byte == 0x22 && !fieldStarted {
                    quoted = true
                    fieldStarted = true
                } else if byte == 0x2C {
                    fields.append(String(decoding: field, as: UTF8.self))
                    field.removeAll(keepingCapacity: true)
                    fieldStarted = false
                } else if byte != 0x0D || line.index(after: index) != line.endIndex {
                    field.append(byte)
                    fieldStarted = true
                }
                index = line.index(after: index)
            }
            guard quoted else { break }
            guard linesUsed < Self.maximumLinesPerRecord, let next = nextLine() else {
                pushedBack.append(contentsOf: readAhead.reversed())
                return .failure(.unclosedQuote(line: lineNumber))
            }
            guard case .text(let more) = next, field.count + more.count <= limit else {
                return .failure(.tooLong(line: lineNumber))
            }
            readAhead.append((lastLineNumber, next))
            field.append(0x0A)
            line = more
            linesUsed += 1
        }
        fields.append(String(decoding: field, as: UTF8.self))
        return .success(fields)
    }

    private mutating func nextLine() -> LineReader.Line? {
        if let (number, line) = pushedBack.popLast() {
            lastLineNumber = number
            return line
        }
        guard let line = lines.next() else { return nil }
        lastLineNumber = lines.lineNumber
        return line
    }
}

/// A CSV record that cannot be read.
enum CSVError: Error, Equatable {
    case unclosedQuote(line: Int)
    /// The record holds more than a record may (see ``LineReader/maximumLineBytes``).
    case tooLong(line: Int)
}
