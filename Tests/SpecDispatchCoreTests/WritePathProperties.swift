import PropertyBased
import Testing
@testable import SpecDispatchCore

/// The invariants docs/tasks-format.md states for `_writes:` entries: one spelling per path, and
/// an overlap that is symmetric, never misses a file both entries name, and sees a folder entry
/// cover every path below it.
@Suite("_writes: paths (properties)")
struct WritePathProperties {
    struct Case: CustomStringConvertible {
        var a: String
        var b: String
        var file: String
        var description: String { "a \(a), b \(b), file \(file)" }
    }

    static let names = ["src", "a.swift", "b.swift", "docs", "x", "a.md"]
    static let pieces = names + ["*", "*.swift", "?.swift", "[ab].swift", "**"]

    static func entry(using rng: inout some RandomNumberGenerator) -> String {
        var parts = (0..<Int.random(in: 1...3, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }
        if Int.random(in: 0..<4, using: &rng) == 0 { parts.insert(".", at: 0) }
        var text = parts.joined(separator: Int.random(in: 0..<5, using: &rng) == 0 ? "//" : "/")
        if Int.random(in: 0..<4, using: &rng) == 0 { text += "/" }
        return text
    }

    static let cases = Generator<Case, Shrink.None<Case>> { rng in
        let file = (0..<Int.random(in: 1...3, using: &rng)).map { _ in names.randomElement(using: &rng)! }.joined(separator: "/")
        return Case(a: entry(using: &rng), b: entry(using: &rng), file: file)
    }

    /// Whether a normalized entry names `file` (a folder entry: the file is below it).
    static func names(_ entry: String, _ file: String) -> Bool {
        let pattern = entry.split(separator: "/").map(String.init)
        let path = file.split(separator: "/").map(String.init)
        func match(_ p: ArraySlice<String>, _ f: ArraySlice<String>) -> Bool {
            guard let head = p.first else { return f.isEmpty || entry.hasSuffix("/") }
            if head == "**" { return (f.startIndex...f.endIndex).contains { match(p.dropFirst(), f[$0...]) } }
            guard let name = f.first, Glob.matches(head, name) else { return false }
            return match(p.dropFirst(), f.dropFirst())
        }
        return match(pattern[...], path[...])
    }

    @Test("normalizing is idempotent; overlap is symmetric and reflexive; two entries that name one file overlap")
    func invariants() async {
        await propertyCheck(count: 300, input: Self.cases) { example in
            guard case .success(let a) = WritePath.normalize(example.a), case .success(let b) = WritePath.normalize(example.b) else { return }
            #expect(WritePath.normalize(a) == .success(a), "\(example)")
            #expect(!a.contains("//") && !a.hasPrefix("./") && !a.contains("/./"), "\(example)")
            #expect(WritePath.overlap(a, a), "\(example)")
            #expect(WritePath.overlap(a, b) == WritePath.overlap(b, a), "\(example)")
            if Self.names(a, example.file), Self.names(b, example.file) {
                #expect(WritePath.overlap(a, b), "both name \(example.file): \(example)")
            }
        }
    }
}
