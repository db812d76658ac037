// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Faultline",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "faultline", targets: ["faultline"]),
        .library(name: "FaultlineCore", targets: ["FaultlineCore"]),
        .library(name: "FaultlineHistory", targets: ["FaultlineHistory"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    ],
    targets: [
        // C libraries, each imported by exactly one wrapper file in FaultlineCore.
        .systemLibrary(
            name: "CPCRE2",
            pkgConfig: "libpcre2-8",
            providers: [.apt(["libpcre2-dev"]), .brew(["pcre2"])]
        ),
        .systemLibrary(
            name: "CArchive",
            pkgConfig: "libarchive",
            providers: [.apt(["libarchive-dev"]), .brew(["libarchive"])]
        ),

        // The pipeline: reading, patterns, configuration. No CLI, storage or template dependencies.
        .target(
            name: "FaultlineCore",
            dependencies: [
                "CPCRE2",
                "CArchive",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: [
                // Foundation must not leak into the pipeline through another module's import: its String
                // methods bridge to NSString and cost more than the parsing they serve.
                .enableUpcomingFeature("MemberImportVisibility"),
            ]
        ),

        // The history: SQLite through GRDB. The pipeline never imports it.
        .target(
            name: "FaultlineHistory",
            dependencies: [
                "FaultlineCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),

        // The thin command-line front end.
        .executableTarget(
            name: "faultline",
            dependencies: [
                "FaultlineCore",
                "FaultlineHistory",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Tests
        .testTarget(
            name: "FaultlineCoreTests",
            dependencies: ["FaultlineCore"]
        ),
        .testTarget(
            name: "FaultlineHistoryTests",
            dependencies: ["FaultlineHistory"]
        ),
        .testTarget(
            name: "FaultlineCLITests",
            dependencies: ["faultline"],
            exclude: ["Fixtures"]  // read by path: Sentry event payloads for `faultline explain`
        ),
    ],
    swiftLanguageModes: [.v6]
)
