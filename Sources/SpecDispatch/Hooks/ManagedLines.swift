/// A line spec-dispatch keeps in one of git's own files (`info/exclude`, `info/attributes`, a
/// `.gitattributes`), with the comment that explains it: added and taken out again atomically,
/// every other line of the file left byte for byte as it is (CRLF included). Works on bytes, since
/// a Swift String reads "\r\n" as one character and would neither split nor trim it.
enum ManagedLines {
    /// True when the file has `line` (blanks and a CR around it aside, as git reads it).
    static func contains(_ line: String, in file: String) -> Bool {
        FileTree.contents(file).map { has(line, in: $0) } ?? false
    }

    /// Appends `comment` (when given) and `line`, unless the file has the line; returns whether it changed anything.
    static func add(_ line: String, comment: String? = nil, to file: String) throws -> Bool {
        var bytes = FileTree.contents(file) ?? []
        guard !has(line, in: bytes) else { return false }
        if let last = bytes.last, last != newline { bytes.append(newline) }
        bytes += Array(((comment.map { $0 + "\n" } ?? "") + line + "\n").utf8)
        try FileTree.writeAtomically(bytes, to: file)
        return true
    }

    /// Removes `line` and `comment` (when given); returns whether it changed anything.
    static func remove(_ line: String, comment: String? = nil, from file: String) throws -> Bool {
        guard let bytes = FileTree.contents(file) else { return false }
        let dropped = [Array(line.utf8)] + (comment.map { [Array($0.utf8)] } ?? [])
        let lines = bytes.split(separator: newline, omittingEmptySubsequences: false)
        let kept = lines.filter { !dropped.contains(Array(trimmed($0))) }
        guard kept.count != lines.count else { return false }
        try FileTree.writeAtomically(Array(kept.joined(separator: [newline])), to: file)
        return true
    }

    private static let newline = UInt8(ascii: "\n")

    private static func has(_ line: String, in bytes: [UInt8]) -> Bool {
        let wanted = Array(line.utf8)
        return bytes.split(separator: newline).contains { trimmed($0).elementsEqual(wanted) }
    }

    private static func trimmed(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let blank: Set<UInt8> = [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r")]
        var text = line
        while let first = text.first, blank.contains(first) { text.removeFirst() }
        while let last = text.last, blank.contains(last) { text.removeLast() }
        return text
    }
}
