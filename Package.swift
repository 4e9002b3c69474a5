// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Parallax",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "parallax", targets: ["parallax"]),
        .executable(name: "parallax-bench", targets: ["parallax-bench"]),
        .library(name: "ParallaxStore", targets: ["ParallaxStore"]),
        .library(name: "ParallaxIngest", targets: ["ParallaxIngest"]),
        .library(name: "ParallaxFeeds", targets: ["ParallaxFeeds"]),
        .library(name: "ParallaxSync", targets: ["ParallaxSync"]),
        .library(name: "ParallaxFraming", targets: ["ParallaxFraming"]),
        .library(name: "ParallaxReports", targets: ["ParallaxReports"]),
        .library(name: "ParallaxMarkup", targets: ["ParallaxMarkup"]),
        .library(name: "ParallaxExport", targets: ["ParallaxExport"]),
        .library(name: "ParallaxServer", targets: ["ParallaxServer"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
        // Streams a download with backpressure and inflates it under a byte limit, which
        // URLSession on Linux cannot: it decodes and buffers ahead of its delegate.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        // The reading app's HTTP server (`parallax serve`): async handlers over SwiftNIO, with
        // an in-process test client.
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // The reading server's log, which Hummingbird takes as a `Logger`.
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
    ],
    targets: [
        // The numbered SQL files are the schema's single source of truth, one folder (and one
        // track of versions) per module that owns tables; they are compiled into the binary so a
        // library can be upgraded without the source tree.
        .target(
            name: "ParallaxMigrations",
            path: "Migrations",
            resources: [
                .embedInCode("Store/0001_library.sql"),
                .embedInCode("Store/0002_field_clock_epoch.sql"),
                .embedInCode("Store/0003_event.sql"),
                .embedInCode("Store/0004_vocabulary.sql"),
                .embedInCode("Store/0005_device_home.sql"),
                .embedInCode("Store/0006_list_order_and_counts.sql"),
                .embedInCode("Store/0007_body_summary_index.sql"),
                .embedInCode("Store/0008_corrected_event_lookup.sql"),
                .embedInCode("Store/0009_search_pending_size.sql"),
                .embedInCode("Store/0010_article_html.sql"),
                .embedInCode("Store/0011_image_assets.sql"),
                .embedInCode("Store/0012_image_references_and_setting.sql"),
                .embedInCode("Store/0013_browser_save_token.sql"),
                .embedInCode("Store/0014_feeds.sql"),
                .embedInCode("Feeds/0001_feed_fetch.sql"),
                .embedInCode("Sync/0001_sync.sql"),
                .embedInCode("Sync/0002_receipt_history_rows.sql"),
                .embedInCode("Sync/0003_remotes.sql"),
                .embedInCode("Sync/0004_remote_file_encryption.sql"),
                .embedInCode("Sync/0005_remote_file_failures.sql"),
                .embedInCode("Framing/0001_event_grouping.sql"),
                .embedInCode("Framing/0002_grouping_changes.sql"),
                .embedInCode("Framing/0003_grouping_state.sql"),
                .embedInCode("Framing/0004_shared_event_lookup.sql"),
            ]
        ),
        .target(
            name: "ParallaxStore",
            dependencies: [
                "ParallaxMigrations",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Files and folders a command writes where the user says: written beside the path and
        // renamed into place, never over a file Parallax did not write.
        .target(name: "ParallaxFiles", dependencies: ["ParallaxStore"]),
        .systemLibrary(
            name: "CSystemZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        // Debian's libxml2 headers need a shim beside Foundation; see Sources/CLibXML2/shim.h.
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(
            name: "ParallaxSync",
            dependencies: [
                "ParallaxStore", "ParallaxFiles",
                "ParallaxMigrations",
                "CSystemZlib",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        // Lexicons are editable data; like the migrations they are compiled into the binary.
        .target(
            name: "ParallaxLexicons",
            path: "Reports",
            exclude: ["examples", "lexicons/VADER-LICENSE.txt"],
            resources: [
                .embedInCode("lexicons/report-verbs.txt"),
                .embedInCode("lexicons/hedges.txt"),
                .embedInCode("lexicons/intensifiers.txt"),
                .embedInCode("lexicons/loaded.txt"),
                .embedInCode("lexicons/labels.txt"),
                .embedInCode("lexicons/doubt-verbs.txt"),
                .embedInCode("lexicons/reported-events.txt"),
                .embedInCode("lexicons/valence.txt"),
            ]
        ),
        .target(
            name: "ParallaxFraming",
            dependencies: [
                "ParallaxStore", "ParallaxMigrations", "ParallaxLexicons",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "ParallaxReports",
            dependencies: ["ParallaxFraming", "ParallaxStore", "ParallaxMarkup", "ParallaxFiles"]),
        // Parsing, sanitizing and escaping markup: below both the extractor that reads pages and
        // the renderers that write them, so that both use one parser and one allow-list.
        .target(name: "ParallaxMarkup", dependencies: ["CLibXML2"]),
        // The reading exports (JSON Lines, Markdown, HTML, EPUB): what leaves the library for a reader.
        .target(
            name: "ParallaxExport",
            dependencies: [
                "ParallaxStore", "ParallaxMarkup", "ParallaxFiles",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "ParallaxIngest",
            dependencies: [
                "ParallaxStore", "ParallaxMarkup", "CLibXML2",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            resources: [
                .embedInCode("Samples/seed-al-ahed.txt"),
                .embedInCode("Samples/companions.jsonl"),
                .embedInCode("Samples/sample-page.html"),
            ]
        ),
        // The reading app: pages and actions over the same library API as the CLI, no logic of its own.
        .target(
            name: "ParallaxServer",
            dependencies: [
                "ParallaxStore", "ParallaxIngest", "ParallaxSync", "ParallaxFraming", "ParallaxReports",
                "ParallaxMarkup", "ParallaxExport", "ParallaxFeeds",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                // The request parts a channel handler of the server sees (`RequestDeadlines`).
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [
                .embedInCode("Assets/parallax.css"),
                .embedInCode("Assets/parallax.js"),
            ]
        ),
        // Outlets' feeds (RSS, RDF, Atom, JSON Feed, OPML): read as they stream, over the
        // ingest module's fetcher and extractor.
        .target(
            name: "ParallaxFeeds",
            dependencies: [
                "ParallaxStore", "ParallaxIngest", "ParallaxMarkup", "ParallaxMigrations", "ParallaxFiles",
                "CLibXML2",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .executableTarget(
            name: "parallax",
            dependencies: [
                "ParallaxServer",
                "ParallaxStore",
                "ParallaxIngest",
                "ParallaxFeeds",
                "ParallaxSync",
                "ParallaxFraming",
                "ParallaxReports",
                "ParallaxExport",
                // The sync commands pass a remote's shared key (`SymmetricKey`) and make new ones.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "parallax-bench",
            dependencies: [
                "ParallaxStore",
                "ParallaxSync",
                "ParallaxFraming",
                "ParallaxIngest",
                "ParallaxFeeds",
                // The serve scenario runs the reading app in process and measures its pages.
                "ParallaxServer",
                "CLibXML2",
                "CSystemZlib",
                // The convergence scenario runs the test suite's property test at more seeds, and
                // the remote and image scenarios start the same loopback servers the tests do.
                "ParallaxSimulation",
                // The fuzz scenario signs the bundles it mutates, so that they reach the payload parser.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Simulated devices and what surrounds them: generated drafts and images, an in-memory
        // remote, the convergence simulation, and launchers for real loopback servers (Apache
        // with mod_dav, a static HTTP server). The tests and parallax-bench drive the same ones.
        .target(
            name: "ParallaxSimulation",
            dependencies: [
                "ParallaxStore", "ParallaxSync",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "ParallaxTestSupport",
            dependencies: ["ParallaxSimulation", "ParallaxStore", "ParallaxMigrations", "ParallaxSync"],
            path: "Tests/ParallaxTestSupport"
        ),
        .testTarget(
            name: "ParallaxStoreTests",
            dependencies: [
                "ParallaxStore", "ParallaxTestSupport", .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "ParallaxIngestTests",
            dependencies: [
                "ParallaxIngest", "ParallaxStore", "ParallaxMarkup", "ParallaxTestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            exclude: ["Resources"]
        ),
        .testTarget(
            name: "ParallaxFeedsTests",
            dependencies: [
                "ParallaxFeeds", "ParallaxMarkup", "ParallaxSimulation", "ParallaxStore",
                "ParallaxTestSupport",
            ],
            exclude: ["Resources"]
        ),
        .testTarget(
            name: "ParallaxExportTests",
            dependencies: [
                "ParallaxExport", "ParallaxStore", "ParallaxMarkup", "ParallaxFiles", "ParallaxTestSupport",
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .testTarget(
            name: "ParallaxMarkupTests",
            dependencies: ["ParallaxMarkup", "ParallaxSimulation", "ParallaxTestSupport"],
            exclude: ["Resources"]
        ),
        .testTarget(
            name: "ParallaxFramingTests",
            dependencies: [
                "ParallaxFraming", "ParallaxReports", "ParallaxStore", "ParallaxFiles", "ParallaxIngest",
                "ParallaxTestSupport",
            ]
        ),
        .testTarget(
            name: "ParallaxSyncTests",
            dependencies: [
                "ParallaxSync", "ParallaxStore", "ParallaxTestSupport",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            exclude: ["Resources"]
        ),
        .testTarget(
            name: "ParallaxServerTests",
            dependencies: [
                "ParallaxServer", "ParallaxStore", "ParallaxSync", "ParallaxTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .testTarget(
            name: "ParallaxCLITests",
            dependencies: [
                "parallax", "ParallaxStore", "ParallaxFiles", "ParallaxSync", "ParallaxIngest",
                "ParallaxFraming",
                "ParallaxTestSupport",
                "CSystemZlib", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
    ]
)
