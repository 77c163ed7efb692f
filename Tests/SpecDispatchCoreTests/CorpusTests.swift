import Foundation
import Testing
@testable import SpecDispatchCore

/// The real-world files of `../shared/corpus` (or `$SPEC_DISPATCH_CORPUS`), walked so that files
/// added later are covered too.
enum Corpus {
    /// Set explicitly (as `.ci/run` does), the corpus must be there; by default it may be absent.
    static var isRequired: Bool { ProcessInfo.processInfo.environment["SPEC_DISPATCH_CORPUS"] != nil }
    static var isAvailable: Bool { !files.isEmpty }

    static var folder: URL {
        if let path = ProcessInfo.processInfo.environment["SPEC_DISPATCH_CORPUS"] { return URL(fileURLWithPath: path) }
        let package = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return package.deletingLastPathComponent().appendingPathComponent("shared/corpus")
    }

    static var files: [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "md" && $0.lastPathComponent != "FORMAT-NOTES.md" }
            .sorted { $0.path < $1.path }
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: folder.appendingPathComponent(name)))
    }
}

@Suite("corpus of real tasks.md files")
struct CorpusTests {
    @Test("the corpus is present when SPEC_DISPATCH_CORPUS names it", .enabled(if: Corpus.isRequired))
    func corpusIsPresent() {
        #expect(Corpus.files.count >= 68, "SPEC_DISPATCH_CORPUS=\(Corpus.folder.path) holds \(Corpus.files.count) files, expected the 68 of ../shared/corpus")
    }

    @Test("every corpus file parses and round-trips byte for byte",
          .enabled(if: Corpus.isAvailable, "no corpus at ../shared/corpus; set SPEC_DISPATCH_CORPUS to run the corpus tests"))
    func everyFileRoundTrips() throws {
        for file in Corpus.files {
            let bytes = Array(try Data(contentsOf: file))
            let tree = TaskTree(bytes: bytes)
            #expect(tree.document.serialized() == bytes, "\(file.lastPathComponent) does not round-trip")
            #expect(tree.document.lines.last.map { $0.fullEnd == bytes.count } ?? bytes.isEmpty,
                    "\(file.lastPathComponent): line table does not cover the file")
        }
    }

    @Test("every corpus file partitions its tasks into units",
          .enabled(if: Corpus.isAvailable, "no corpus at ../shared/corpus; set SPEC_DISPATCH_CORPUS to run the corpus tests"))
    func everyFilePartitions() throws {
        for file in Corpus.files {
            let tree = TaskTree(bytes: Array(try Data(contentsOf: file)))
            let members = tree.units.flatMap(\.members)
            #expect(members.count == tree.nodes.count, "\(file.lastPathComponent)")
            #expect(Set(members).count == members.count, "\(file.lastPathComponent)")
        }
    }
}
