import Foundation
import ParallaxTestSupport
import Testing

@testable import ParallaxStore

@Suite struct ExportTests {
    @Test func testExportIsSortedByIDWithSortedKeys() throws {
        let temporary = try TemporaryLibrary()
        for number in 1...5 { try temporary.library.add(Fixtures.draft(number)) }
        let lines = try temporary.export().split(separator: "\n")
        #expect(lines.count == 5)
        let objects = try lines.map {
            try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        let ids = objects.map { $0["id"] as! String }
        #expect(ids == ids.sorted())
        for line in lines {
            let keys = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                .keys
            #expect(keys.contains("text") && keys.contains("content_hash") && keys.contains("tags"))
            // Sorted keys: the key order in the text is alphabetical.
            let positions = keys.sorted().map { line.range(of: "\"\($0)\":")!.lowerBound }
            #expect(positions == positions.sorted())
        }
        #expect(try temporary.export() == temporary.export())
    }

    @Test func testExportRecordDecodesBackToTheSameItem() throws {
        let temporary = try TemporaryLibrary()
        var draft = Fixtures.draft(1)
        draft.tags = ["a"]
        draft.note = "n"
        let id = try temporary.library.add(draft).item.id
        try temporary.library.addHighlight(id, quote: "Paragraph two", note: "why")
        let line = try #require(try temporary.export().split(separator: "\n").first)
        let record = try JSONDecoder().decode(ItemRecord.self, from: Data(line.utf8))
        #expect(record.item == (try temporary.library.resolve(id)))
        #expect(record.text == draft.text)
        #expect(record.highlights.map(\.quote) == ["Paragraph two"])
    }

    @Test func testDoctorFindsATamperedBody() throws {
        let temporary = try TemporaryLibrary()
        try temporary.library.add(Fixtures.draft(1))
        #expect(try temporary.library.checkIntegrity().isEmpty)
        try temporary.library.database.write { db in
            try db.execute(sql: "DROP TRIGGER item_search_update")
            try db.execute(sql: "UPDATE body SET text = 'changed behind the library''s back'")
        }
        let problems = try temporary.library.checkIntegrity()
        #expect(problems.contains { $0.check == "bodies" })
    }

    @Test func testStatisticsCountStatesSourcesAndTags() throws {
        let temporary = try TemporaryLibrary()
        let one = try temporary.library.add(Fixtures.draft(1, source: "Reuters")).item.id
        try temporary.library.add(Fixtures.draft(2, source: "Reuters"))
        let three = try temporary.library.add(Fixtures.draft(3, source: "AP")).item.id
        try temporary.library.mark(one, as: .read)
        try temporary.library.updateTags(one, adding: ["x"], removing: [])
        try temporary.library.delete(three)
        let stats = try temporary.library.statistics()
        #expect(stats.items == 2 && stats.read == 1 && stats.unread == 1 && stats.deleted == 1)
        #expect(stats.sources == [NameCount(name: "Reuters", count: 2)])
        #expect(stats.tags == [NameCount(name: "x", count: 1)])
        #expect(stats.version == 6)
    }
}
