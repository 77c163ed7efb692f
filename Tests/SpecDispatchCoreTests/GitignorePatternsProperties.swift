import Foundation
import PropertyBased
import Testing
import TestSupport
@testable import SpecDispatchCore

/// Random trees of files and random gitignore lines, with git itself as the judge of which
/// files the lines take in (`git ls-files --others --ignored` with the lines as `.gitignore`).
@Suite("gitignore patterns (properties)")
struct GitignorePatternsProperties {
    struct Case: CustomStringConvertible {
        var files: [String]
        var lines: [String]
        var description: String { "lines \(lines), files \(files)" }
    }

    static let cases = Generator<Case, Shrink.None<Case>> { rng in
        let names = ["a", "b", "c", "ab", "ba", ".env", "x.pem"]
        var files: [String] = []
        for _ in 0..<Int.random(in: 1...6, using: &rng) {
            let path = (0..<Int.random(in: 1...4, using: &rng)).map { _ in names.randomElement(using: &rng)! }.joined(separator: "/")
            // A name is a file or a folder, not both.
            if !files.contains(where: { $0 == path || $0.hasPrefix(path + "/") || path.hasPrefix($0 + "/") }) { files.append(path) }
        }
        let pieces = ["a", "b", "c", "*", "?", "**", "a*", "[ab]", "*b", "[!a]", ".env", "*.pem", "[a-b]*"]
        let lines = (0..<Int.random(in: 1...4, using: &rng)).map { _ -> String in
            var line = (0..<Int.random(in: 1...3, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined(separator: "/")
            if Int.random(in: 0..<5, using: &rng) == 0 { line = "/" + line }
            if Int.random(in: 0..<5, using: &rng) == 0 { line += "/" }
            if Int.random(in: 0..<5, using: &rng) == 0 { line = "!" + line }
            return line
        }
        return Case(files: files, lines: lines)
    }

    @Test("the files the lines take in are the ones git ignores with those lines as .gitignore")
    func agreesWithGit() async throws {
        let root = try makeTemporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        var number = 0
        await propertyCheck(count: 150, input: Self.cases) { example in
            number += 1
            let repo = "\(root)/\(number)"
            try FileManager.default.createDirectory(atPath: repo, withIntermediateDirectories: true)
            try Shell.run(["git", "init", "-q"], in: repo)
            try write(example.lines.joined(separator: "\n") + "\n", to: ".gitignore", in: repo)
            for file in example.files { try write("x\n", to: file, in: repo) }
            let ignored = try Shell.run(["git", "-c", "core.excludesFile=/dev/null", "ls-files", "--others", "--ignored", "--exclude-standard"],
                                        in: repo).split(separator: "\n").map(String.init).filter { $0 != ".gitignore" }
            let patterns = GitignorePatterns(lines: example.lines)
            let ours = example.files.filter { patterns.contains($0, isDirectory: false) }
            #expect(Set(ours) == Set(ignored), "\(example): git takes \(ignored.sorted()), we take \(ours.sorted())")
        }
    }

    @Test("nothing below a folder is in when the folder is said to hold nothing that could be")
    func pruningIsSafe() async throws {
        await propertyCheck(count: 300, input: Self.cases) { example in
            let patterns = GitignorePatterns(lines: example.lines)
            for file in example.files where patterns.contains(file, isDirectory: false) {
                let components = file.split(separator: "/")
                for depth in 1..<max(components.count, 1) {
                    let folder = components.prefix(depth).joined(separator: "/")
                    let inAsFolder = patterns.contains(folder, isDirectory: true)
                    #expect(inAsFolder || patterns.mayContainSomethingBelow(folder), "\(example): \(file) is in, yet \(folder) says no")
                }
            }
        }
    }
}
