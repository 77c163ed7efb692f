// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "spec-dispatch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "spec-dispatch", targets: ["spec-dispatch"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibGit2",
            pkgConfig: "libgit2",
            providers: [.apt(["libgit2-dev"]), .brew(["libgit2"])]
        ),
        .target(
            name: "SpecDispatchCore",
            dependencies: [.product(name: "Mustache", package: "swift-mustache")]
        ),
        .target(name: "GitKit", dependencies: ["CLibGit2"]),
        .target(
            name: "SpecDispatch",
            dependencies: ["SpecDispatchCore", "GitKit"],
            // The kill switch tests use to interrupt commands exists in debug builds only.
            swiftSettings: [.define("SPEC_DISPATCH_FAULT_INJECTION", .when(configuration: .debug))],
            plugins: ["EmbedShippedFiles"]
        ),
        .executableTarget(name: "embed-shipped-files"),
        .plugin(
            name: "EmbedShippedFiles",
            capability: .buildTool(),
            dependencies: ["embed-shipped-files"],
            path: "Sources/Plugins/EmbedShippedFiles"
        ),
        .executableTarget(
            name: "spec-dispatch",
            dependencies: [
                "SpecDispatch",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "ParseBenchmark",
            dependencies: ["SpecDispatchCore"],
            path: "Benchmarks/ParseBenchmark"
        ),
        .testTarget(
            name: "SpecDispatchCoreTests",
            dependencies: [
                "SpecDispatchCore",
                "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: ["SpecDispatchCore", .product(name: "PropertyBased", package: "swift-property-based")],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "GitKitTests", dependencies: ["GitKit", "TestSupport"]),
        .testTarget(name: "SpecDispatchTests", dependencies: ["SpecDispatch", "SpecDispatchCore", "TestSupport"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "SpecDispatch",
                "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ]
)
