/// Lines in gitignore syntax, matched as git matches a `.gitignore` at the root: what
/// `.worktreeinclude` and `dispatch.setup.copy` name. `*`, `?` and `[…]` match within a path
/// component, `**` across components; a pattern with a slash before its end is anchored at the
/// root, one without matches a name at any depth; a trailing slash matches folders only; `!`
/// takes a path back out, the last matching line deciding; a folder that is in takes everything
/// under it in, with no way back (as git cannot re-include a file under an ignored folder).
public struct GitignorePatterns: Sendable {
    struct Pattern: Sendable {
        var negated: Bool
        var directoryOnly: Bool
        /// Path components to match, `**` standing for any number of them.
        var segments: [String]
    }

    let patterns: [Pattern]

    public init(lines: [String]) {
        patterns = lines.compactMap(Self.parse)
    }

    public var isEmpty: Bool { patterns.isEmpty }

    /// Whether `path` (relative to the root, `/`-separated, no trailing slash) is in.
    public func contains(_ path: String, isDirectory: Bool) -> Bool {
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !components.isEmpty else { return false }
        for depth in 1..<components.count where decision(components[..<depth], isDirectory: true) == true {
            return true
        }
        return decision(components[...], isDirectory: isDirectory) ?? false
    }

    /// Whether something below the folder `path` could be in, so that it is worth looking inside.
    public func mayContainSomethingBelow(_ path: String) -> Bool {
        let components = path.split(separator: "/").map(String.init)
        return patterns.contains { !$0.negated && Self.prefixMayMatch($0.segments[...], components[...]) }
    }

    /// The last pattern matching decides: in (true), out (false), or none matches (nil).
    private func decision(_ components: ArraySlice<String>, isDirectory: Bool) -> Bool? {
        for pattern in patterns.reversed() where !pattern.directoryOnly || isDirectory {
            if Self.match(pattern.segments[...], components) { return !pattern.negated }
        }
        return nil
    }

    private static func parse(_ raw: String) -> Pattern? {
        var line = Substring(raw)
        // Trailing spaces are ignored unless escaped; a leading `#` is a comment, `\#` is not.
        while line.last == " ", !line.dropLast().hasSuffix("\\") { line = line.dropLast() }
        guard !line.isEmpty, !line.hasPrefix("#") else { return nil }
        var negated = false
        if line.hasPrefix("!") {
            negated = true
            line = line.dropFirst()
        } else if line.hasPrefix("\\!") || line.hasPrefix("\\#") {
            line = line.dropFirst()
        }
        var directoryOnly = false
        if line.hasSuffix("/") {
            directoryOnly = true
            line = line.dropLast()
        }
        guard !line.isEmpty else { return nil }
        let anchored = line.contains("/")
        if line.hasPrefix("/") { line = line.dropFirst() }
        var segments = line.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !segments.isEmpty else { return nil }
        if !anchored { segments.insert("**", at: 0) }
        return Pattern(negated: negated, directoryOnly: directoryOnly, segments: segments)
    }

    private static func match(_ segments: ArraySlice<String>, _ components: ArraySlice<String>) -> Bool {
        guard let first = segments.first else { return components.isEmpty }
        if first == "**" {
            let rest = segments.dropFirst()
            // A trailing `**` matches everything inside, not the folder itself.
            if rest.isEmpty { return !components.isEmpty }
            return (components.startIndex...components.endIndex).contains { match(rest, components[$0...]) }
        }
        guard let component = components.first, Glob.matches(first, component) else { return false }
        return match(segments.dropFirst(), components.dropFirst())
    }

    /// Whether some path that starts with `components` could match `segments`.
    private static func prefixMayMatch(_ segments: ArraySlice<String>, _ components: ArraySlice<String>) -> Bool {
        guard let component = components.first else { return true }
        guard let first = segments.first else { return false }
        if first == "**" { return true }
        return Glob.matches(first, component) && prefixMayMatch(segments.dropFirst(), components.dropFirst())
    }
}

/// fnmatch(3) within one path component: `*`, `?`, `[…]` (with `!` or `^` to negate, ranges),
/// and `\` to take the next character literally.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        matches(Array(pattern.unicodeScalars)[...], Array(text.unicodeScalars)[...])
    }

    private static func matches(_ pattern: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let p = pattern.first else { return text.isEmpty }
        switch p {
        case "*":
            let rest = pattern.drop { $0 == "*" }
            return (text.startIndex...text.endIndex).contains { matches(rest, text[$0...]) }
        case "?":
            return !text.isEmpty && matches(pattern.dropFirst(), text.dropFirst())
        case "[":
            guard let c = text.first, let (matched, rest) = bracket(pattern.dropFirst(), c) else {
                return text.first == "[" && matches(pattern.dropFirst(), text.dropFirst())
            }
            return matched && matches(rest, text.dropFirst())
        case "\\" where pattern.count > 1:
            let literal = pattern[pattern.index(after: pattern.startIndex)]
            return text.first == literal && matches(pattern.dropFirst(2), text.dropFirst())
        default:
            return text.first == p && matches(pattern.dropFirst(), text.dropFirst())
        }
    }

    /// A bracket expression after its `[`: whether `c` is in it, and the pattern after its `]`;
    /// nil when it has no closing `]` (then `[` is a plain character).
    private static func bracket(_ pattern: ArraySlice<Unicode.Scalar>, _ c: Unicode.Scalar) -> (Bool, ArraySlice<Unicode.Scalar>)? {
        var rest = pattern
        var negate = false
        if let first = rest.first, first == "!" || first == "^" {
            negate = true
            rest = rest.dropFirst()
        }
        var found = false
        var first = true
        while let item = rest.first {
            if item == "]" && !first { return (found != negate, rest.dropFirst()) }
            first = false
            var low = item
            rest = rest.dropFirst()
            if low == "\\", let escaped = rest.first {
                low = escaped
                rest = rest.dropFirst()
            }
            if rest.first == "-", rest.count > 1, let high = rest.dropFirst().first, high != "]" {
                rest = rest.dropFirst(2)
                if low.value <= c.value && c.value <= high.value { found = true }
            } else if low == c {
                found = true
            }
        }
        return nil
    }
}
