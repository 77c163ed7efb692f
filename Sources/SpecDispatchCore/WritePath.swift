/// A `_writes:` entry: a path relative to the repository root, as git names files. `./src/a.swift`
/// and `src//a.swift` are `src/a.swift`; a trailing `/` means a folder and everything in it;
/// `*`, `?` and `[…]` match within one path segment and `**` across segments, as in gitignore.
/// Two units may not run at once when any entry of one can name a path an entry of the other
/// names: the check errs towards "they may", which only makes them take turns.
public enum WritePath {
    public enum Problem: Error, Equatable {
        case outsideRepository
        case empty
    }

    /// The entry in its one spelling, or why it names nothing in the repository.
    public static func normalize(_ raw: String) -> Result<String, Problem> {
        // Nearly every entry is already in its one spelling: a 10,000-task plan has 9,000.
        if isPlain(raw) { return .success(raw) }
        let text = raw.trimmingCharacters(in: [" ", "\t", "`"])
        guard !text.isEmpty else { return .failure(.empty) }
        guard !text.hasPrefix("/"), !text.hasPrefix("~") else { return .failure(.outsideRepository) }
        var segments: [Substring] = []
        for segment in text.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..":
                guard !segments.isEmpty else { return .failure(.outsideRepository) }
                segments.removeLast()
            default: segments.append(segment)
            }
        }
        guard !segments.isEmpty else { return .failure(.empty) }
        return .success(segments.joined(separator: "/") + (text.hasSuffix("/") ? "/" : ""))
    }

    /// No blank or backtick at either end, no leading `/`, `~` or `.`, and no `//` or `/.`.
    private static func isPlain(_ raw: String) -> Bool {
        var copy = raw
        return copy.withUTF8 { bytes in
            guard let first = bytes.first, let last = bytes.last, !isEdge(first), !isEdge(last) else { return false }
            var previous = UInt8(ascii: "/")
            for byte in bytes {
                if previous == UInt8(ascii: "/"), byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "~") { return false }
                previous = byte
            }
            return true
        }
    }

    private static func isEdge(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "`")
    }

    /// Whether some path can be named by both normalized entries.
    public static func overlap(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        // Two different files, neither a folder nor a pattern: the usual case, decided unsplit.
        if namesOneFile(a), namesOneFile(b) { return false }
        return overlap(segments(a)[...], folder: a.hasSuffix("/"), segments(b)[...], folder: b.hasSuffix("/"))
    }

    private static func namesOneFile(_ entry: String) -> Bool {
        !entry.hasSuffix("/") && !entry.utf8.contains { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "[") }
    }

    private static func segments(_ entry: String) -> [String] {
        entry.split(separator: "/").map(String.init)
    }

    private static func overlap(_ a: ArraySlice<String>, folder aFolder: Bool, _ b: ArraySlice<String>, folder bFolder: Bool) -> Bool {
        // One ran out: it names the other's path when that ends here too, when it is a folder
        // (everything below), or when the other goes on with `**` alone (which may be nothing).
        guard let x = a.first else { return b.isEmpty || aFolder || b.allSatisfy { $0 == "**" } }
        guard let y = b.first else { return bFolder || a.allSatisfy { $0 == "**" } }
        // `**` can stand for any number of segments: assume the rest may meet.
        if x == "**" || y == "**" { return true }
        guard segmentsMayMatch(x, y) else { return false }
        return overlap(a.dropFirst(), folder: aFolder, b.dropFirst(), folder: bFolder)
    }

    private static func isGlob(_ segment: String) -> Bool {
        segment.contains { $0 == "*" || $0 == "?" || $0 == "[" }
    }

    /// Two segments can name one file or folder name: equal, or a pattern matching the other;
    /// two patterns are assumed to.
    private static func segmentsMayMatch(_ x: String, _ y: String) -> Bool {
        switch (isGlob(x), isGlob(y)) {
        case (false, false): x == y
        case (true, false): Glob.matches(x, y)
        case (false, true): Glob.matches(y, x)
        case (true, true): true
        }
    }
}
