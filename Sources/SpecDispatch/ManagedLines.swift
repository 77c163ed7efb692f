/// A line spec-dispatch keeps in one of git's own files (`info/exclude`, `info/attributes`, a
/// `.gitattributes`), with the comment that explains it: added and taken out again atomically,
/// every other line of the file left as it is.
enum ManagedLines {
    /// True when the file has `line` (blanks around it aside).
    static func contains(_ line: String, in file: String) -> Bool {
        guard let bytes = FileTree.contents(file) else { return false }
        return String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).contains { trimmed($0) == line }
    }

    /// Appends `comment` (when given) and `line`, unless the file has the line; returns whether it changed anything.
    static func add(_ line: String, comment: String? = nil, to file: String) throws -> Bool {
        guard !contains(line, in: file) else { return false }
        var text = FileTree.contents(file).map { String(decoding: $0, as: UTF8.self) } ?? ""
        if !text.isEmpty, !text.hasSuffix("\n") { text += "\n" }
        text += (comment.map { $0 + "\n" } ?? "") + line + "\n"
        try FileTree.writeAtomically(Array(text.utf8), to: file)
        return true
    }

    /// Removes `line` and `comment` (when given); returns whether it changed anything.
    static func remove(_ line: String, comment: String? = nil, from file: String) throws -> Bool {
        guard let bytes = FileTree.contents(file) else { return false }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let kept = lines.filter { trimmed($0) != line && String($0) != comment }
        guard kept.count != lines.count else { return false }
        try FileTree.writeAtomically(Array(kept.joined(separator: "\n").utf8), to: file)
        return true
    }

    private static func trimmed(_ line: Substring) -> Substring {
        var text = line
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
