/// One line of the file as byte offsets: its content, then its terminator (none, LF or CRLF).
public struct SourceLine: Sendable, Equatable {
    public var start: Int
    public var end: Int
    public var terminatorLength: Int

    public var fullEnd: Int { end + terminatorLength }
    public var contentRange: Range<Int> { start..<end }
}

/// The line ending a file uses, so inserted lines match their neighbours.
public enum LineEnding: String, Sendable {
    case lf, crlf
    /// Classic Mac OS files, still written by some editors and exports.
    case cr

    public var bytes: [UInt8] {
        switch self {
        case .lf: [ASCII.lf]
        case .crlf: [ASCII.cr, ASCII.lf]
        case .cr: [ASCII.cr]
        }
    }
}

enum LineSplitter {
    /// A file ends its lines with CR alone when its first two line ends are lone CRs, or when
    /// lone CRs end every line but the last (an editor's final LF or CRLF); a stray CR in an LF
    /// file does not make it one.
    static func endsLinesWithCR(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        var loneCRs = 0
        var k = start
        while k < s.count {
            if s[k] == ASCII.lf { return loneCRs > 0 && k + 1 == s.count }
            if s[k] == ASCII.cr {
                if k + 1 < s.count, s[k + 1] == ASCII.lf { return loneCRs > 0 && k + 2 == s.count }
                loneCRs += 1
                if loneCRs == 2 { return true }
            }
            k += 1
        }
        return loneCRs == 1
    }

    /// Splits at LF; a CR right before the LF belongs to the terminator. A lone CR is content,
    /// except in a file whose lines a CR ends (`endsLinesWithCR`), split at CR (or CRLF).
    static func split(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> (lines: [SourceLine], ending: LineEnding) {
        var lines: [SourceLine] = []
        lines.reserveCapacity(s.count / 32 + 1)
        if endsLinesWithCR(s, from: start) {
            splitAtCR(s, from: start, into: &lines)
            return (lines, .cr)
        }
        var ending: LineEnding?
        var lineStart = start
        var k = start
        let n = s.count
        while k < n {
            if s[k] == ASCII.lf {
                let crlf = k > lineStart && s[k - 1] == ASCII.cr
                lines.append(SourceLine(start: lineStart, end: crlf ? k - 1 : k, terminatorLength: crlf ? 2 : 1))
                if ending == nil { ending = crlf ? .crlf : .lf }
                lineStart = k + 1
            }
            k += 1
        }
        if lineStart < n { lines.append(SourceLine(start: lineStart, end: n, terminatorLength: 0)) }
        return (lines, ending ?? .lf)
    }

    /// Lines ended by CR, or CRLF; an LF alone only as the file's very last byte.
    private static func splitAtCR(_ s: UnsafeBufferPointer<UInt8>, from start: Int, into lines: inout [SourceLine]) {
        var lineStart = start
        var k = start
        let n = s.count
        while k < n {
            if s[k] == ASCII.cr || (s[k] == ASCII.lf && k + 1 == n) {
                let crlf = s[k] == ASCII.cr && k + 1 < n && s[k + 1] == ASCII.lf
                lines.append(SourceLine(start: lineStart, end: k, terminatorLength: crlf ? 2 : 1))
                lineStart = k + (crlf ? 2 : 1)
                if crlf { k += 1 }
            }
            k += 1
        }
        if lineStart < n { lines.append(SourceLine(start: lineStart, end: n, terminatorLength: 0)) }
    }
}
