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
    /// Splits at LF; a CR right before the LF belongs to the terminator. A lone CR is content,
    /// except in a file without any LF, whose lines a CR ends.
    static func split(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> (lines: [SourceLine], ending: LineEnding) {
        var lines: [SourceLine] = []
        lines.reserveCapacity(s.count / 32 + 1)
        var lineStart = start
        var k = start
        let n = s.count
        let crOnly = !s[start...].contains(ASCII.lf) && s[start...].contains(ASCII.cr)
        let terminator = crOnly ? ASCII.cr : ASCII.lf
        var ending: LineEnding?
        while k < n {
            if s[k] == terminator, crOnly {
                lines.append(SourceLine(start: lineStart, end: k, terminatorLength: 1))
                lineStart = k + 1
            } else if s[k] == terminator {
                let crlf = k > lineStart && s[k - 1] == ASCII.cr
                lines.append(SourceLine(start: lineStart, end: crlf ? k - 1 : k, terminatorLength: crlf ? 2 : 1))
                if ending == nil { ending = crlf ? .crlf : .lf }
                lineStart = k + 1
            }
            k += 1
        }
        if lineStart < n { lines.append(SourceLine(start: lineStart, end: n, terminatorLength: 0)) }
        return (lines, crOnly ? .cr : ending ?? .lf)
    }
}
