/// Control characters in text that spec-dispatch shows or commits: task titles, block reasons,
/// agent and reviewer names. On a terminal they move the cursor, clear the screen or retitle the
/// window; in a commit message a newline forges a trailer and a NUL ends the message early,
/// since libgit2 takes C strings.
public enum ControlCharacters {
    /// C0 controls and DEL, which git's core.quotePath escapes; the C1 controls, since a UTF-8
    /// terminal may take U+009B for CSI; and the bidirectional overrides and isolates, which
    /// show text in another order than it reads.
    public static func contains(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    /// `text` with each control character escaped: `\a \b \t \n \v \f \r`, else `\ooo` in octal
    /// for the C0 controls and DEL (as git quotes paths), and `\u{…}` in hex for the others. A
    /// backslash that would read as the start of an escape is doubled, so that two different
    /// texts never show alike. Text without control characters or backslashes is unchanged.
    public static func escaped(_ text: String) -> String {
        var text = text
        // On bytes, as titles are escaped by the thousand for a board: one pass, and no copy when
        // nothing needs escaping, which is nearly always.
        let escaped = text.withUTF8 { bytes -> String? in
            let end = bytes.count
            guard let start = bytes.indices.first(where: { bytes[$0] == backslash || controlLength(bytes, at: $0, end: end) > 0 }) else {
                return nil
            }
            var out = Array(bytes[..<start])
            out.reserveCapacity(end + 16)
            var i = start
            while i < end {
                let length = controlLength(bytes, at: i, end: end)
                if length > 0 {
                    out += escape(scalarValue(bytes, at: i, length: length))
                    i += length
                    continue
                }
                out.append(bytes[i])
                if bytes[i] == backslash, i + 1 < end, escapeStarts.contains(bytes[i + 1]) || controlLength(bytes, at: i + 1, end: end) > 0 {
                    out.append(backslash)
                }
                i += 1
            }
            return String(decoding: out, as: UTF8.self)
        }
        return escaped ?? text
    }

    /// `escaped` line by line, the line breaks kept: for a message whose own lines quote data.
    public static func escapedLines(_ text: String) -> String {
        // By scalars: as Characters, "\r\n" is one, and no "\n" would split it.
        text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { escaped(String(String.UnicodeScalarView($0))) }.joined(separator: "\n")
    }

    /// The first control character of `text` not in `allowed`, and its position (1-based, in
    /// Unicode scalars).
    public static func first(in text: String, allowing allowed: Set<Unicode.Scalar> = []) -> (scalar: Unicode.Scalar, position: Int)? {
        for (i, scalar) in text.unicodeScalars.enumerated() where contains(scalar) && !allowed.contains(scalar) {
            return (scalar, i + 1)
        }
        return nil
    }

    /// `U+001B`: how a message names a character that cannot be shown.
    public static func name(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// The length of the UTF-8 encoding of a control character at `i` (before `end`), or 0:
    /// 1 for C0 and DEL, 2 for C1 (0xC2 0x80–0x9F), 3 for U+202A–U+202E and U+2066–U+2069.
    static func controlLength(_ b: UnsafeBufferPointer<UInt8>, at i: Int, end: Int) -> Int {
        let byte = b[i]
        if byte < 0x20 || byte == 0x7F { return 1 }
        if byte == 0xC2 { return i + 1 < end && b[i + 1] < 0xA0 ? 2 : 0 }
        if byte == 0xE2, i + 2 < end {
            let (second, third) = (b[i + 1], b[i + 2])
            if second == 0x80 && (0xAA...0xAE).contains(third) || second == 0x81 && (0xA6...0xA9).contains(third) { return 3 }
        }
        return 0
    }

    /// The scalar a control character of `length` bytes at `i` encodes.
    static func scalarValue(_ b: UnsafeBufferPointer<UInt8>, at i: Int, length: Int) -> UInt32 {
        switch length {
        case 1: UInt32(b[i])
        case 2: UInt32(b[i] & 0x1F) << 6 | UInt32(b[i + 1] & 0x3F)
        default: UInt32(b[i] & 0x0F) << 12 | UInt32(b[i + 1] & 0x3F) << 6 | UInt32(b[i + 2] & 0x3F)
        }
    }

    private static func escape(_ value: UInt32) -> [UInt8] {
        if let letter = letters[value] { return [backslash, letter] }
        if value > 0x7F { return Array("\\u{\(String(value, radix: 16, uppercase: true))}".utf8) }
        return [backslash, UInt8(ascii: "0") + UInt8(value >> 6), UInt8(ascii: "0") + UInt8(value >> 3 & 7), UInt8(ascii: "0") + UInt8(value & 7)]
    }

    private static let backslash = UInt8(ascii: "\\")
    private static let letters: [UInt32: UInt8] = [0x07: UInt8(ascii: "a"), 0x08: UInt8(ascii: "b"), 0x09: UInt8(ascii: "t"),
                                                   0x0A: UInt8(ascii: "n"), 0x0B: UInt8(ascii: "v"), 0x0C: UInt8(ascii: "f"), 0x0D: UInt8(ascii: "r")]
    /// What may follow a backslash in an escape (besides a control character, whose escape
    /// begins with one): the letters above, an octal digit, `u`, or a backslash.
    private static let escapeStarts = Set("\\abtnvfru01234567".utf8)
}

/// A command-line value that becomes commit or tasks.md text: a name (`block --by`,
/// `--reviewer`, `--agent`) is one line of text; a reason may also span lines and hold tabs.
public enum ArgumentText: Sendable {
    case name, reason

    /// What is wrong with `value` given as `option`, in words; nil when it may be written.
    public func refusal(_ value: String, option: String) -> String? {
        let allowed: Set<Unicode.Scalar> = self == .reason ? ["\n", "\t"] : []
        guard let found = ControlCharacters.first(in: value, allowing: allowed) else { return nil }
        let rule = self == .name ? "names are one line of text" : "a reason may hold newlines and tabs, no other control character"
        return "\(option) contains a control character (\(ControlCharacters.name(found.scalar)) at position \(found.position)); \(rule)"
    }
}
