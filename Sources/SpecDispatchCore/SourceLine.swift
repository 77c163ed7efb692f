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

    public var bytes: [UInt8] { self == .lf ? [ASCII.lf] : [ASCII.cr, ASCII.lf] }
}

enum LineSplitter {
    /// Splits at LF; a CR right before the LF belongs to the terminator. A lone CR is content.
    static func split(_ s: UnsafeBufferPointer<UInt8>, from start: Int) -> [SourceLine] {
        var lines: [SourceLine] = []
        lines.reserveCapacity(s.count / 32 + 1)
        var lineStart = start
        var k = start
        let n = s.count
        while k < n {
            if s[k] == ASCII.lf {
                let crlf = k > lineStart && s[k - 1] == ASCII.cr
                lines.append(SourceLine(start: lineStart, end: crlf ? k - 1 : k, terminatorLength: crlf ? 2 : 1))
                lineStart = k + 1
            }
            k += 1
        }
        if lineStart < n { lines.append(SourceLine(start: lineStart, end: n, terminatorLength: 0)) }
        return lines
    }
}
