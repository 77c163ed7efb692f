/// A task id as written in tasks.md: dotted segments (`1`, `1.2`, `10.2.1`, `P2.1`, `1.4a.1`, `T001`).
///
/// Identity is the exact text; order compares segment by segment with numbers numerically, so
/// `1.2` sorts before `1.10` and `1` before `1.1`.
public struct TaskID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let text: String

    /// Wraps text already known to be a well-formed id (see `TaskIDGrammar`).
    public init(validated text: String) {
        self.text = text
    }

    /// Parses a whole string as an id; nil when it is not one.
    public init?(_ text: some StringProtocol) {
        var utf8 = Array(text.utf8)
        if utf8.last == UInt8(ascii: ".") { utf8.removeLast() }  // `1.` and `1` name the same task
        guard !utf8.isEmpty,
              TaskIDGrammar.idEnd(utf8, from: 0) == utf8.count
        else { return nil }
        self.text = String(decoding: utf8, as: UTF8.self)
    }

    public var description: String { text }

    /// The id of the parent task: `1.2.3` → `1.2`; nil for a top-level id.
    public var parent: TaskID? {
        guard let dot = text.utf8.lastIndex(of: UInt8(ascii: ".")) else { return nil }
        return TaskID(validated: String(text[..<dot]))
    }

    /// Number of segments: `1` is 1, `1.2` is 2.
    public var depth: Int {
        text.utf8.reduce(1) { $1 == UInt8(ascii: ".") ? $0 + 1 : $0 }
    }

    /// True when `other` is a descendant: `1` is an ancestor of `1.2` and `1.2.3`, not of `10.1`.
    public func isAncestor(of other: TaskID) -> Bool {
        other.text.count > text.count && other.text.hasPrefix(text) && other.text.utf8.dropFirst(text.utf8.count).first == UInt8(ascii: ".")
    }

    public static func < (lhs: TaskID, rhs: TaskID) -> Bool {
        TaskIDOrder.compare(lhs.text, rhs.text) < 0
    }
}

/// Segment-wise comparison without allocating: prefix letters, then the number by value,
/// then suffix letters; the raw text breaks ties (`T01` vs `T1`) so the order is total.
enum TaskIDOrder {
    static func compare(_ a: String, _ b: String) -> Int {
        var a = a, b = b
        return a.withUTF8 { ua in b.withUTF8 { ub in compare(ua, ub) } }
    }

    static func compare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 0, j = 0
        while true {
            let aEnd = i >= a.count, bEnd = j >= b.count
            if aEnd || bEnd { return aEnd && bEnd ? rawCompare(a, b) : (aEnd ? -1 : 1) }
            let sa = Segment(a, from: i), sb = Segment(b, from: j)
            let c = sa.compare(to: sb, a, b)
            if c != 0 { return c }
            i = sa.end + 1
            j = sb.end + 1
        }
    }

    private static func rawCompare(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        for k in 0..<min(a.count, b.count) where a[k] != b[k] { return a[k] < b[k] ? -1 : 1 }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }

    /// One segment's parts as index ranges into its buffer.
    private struct Segment {
        var prefix: Range<Int>, digits: Range<Int>, suffix: Range<Int>, end: Int

        init(_ s: UnsafeBufferPointer<UInt8>, from start: Int) {
            var k = start
            while k < s.count, !ASCII.isDigit(s[k]), s[k] != UInt8(ascii: ".") { k += 1 }
            prefix = start..<k
            var d = k
            while d < s.count, s[d] == UInt8(ascii: "0"), d + 1 < s.count, ASCII.isDigit(s[d + 1]) { d += 1 }
            var e = d
            while e < s.count, ASCII.isDigit(s[e]) { e += 1 }
            digits = d..<e
            var f = e
            while f < s.count, s[f] != UInt8(ascii: ".") { f += 1 }
            suffix = e..<f
            end = f
        }

        func compare(to o: Segment, _ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
            let p = bytes(a, prefix, b, o.prefix)
            if p != 0 { return p }
            if digits.count != o.digits.count { return digits.count < o.digits.count ? -1 : 1 }
            let n = bytes(a, digits, b, o.digits)
            if n != 0 { return n }
            return bytes(a, suffix, b, o.suffix)
        }

        private func bytes(_ a: UnsafeBufferPointer<UInt8>, _ ra: Range<Int>,
                           _ b: UnsafeBufferPointer<UInt8>, _ rb: Range<Int>) -> Int {
            var i = ra.lowerBound, j = rb.lowerBound
            while i < ra.upperBound, j < rb.upperBound {
                if a[i] != b[j] { return a[i] < b[j] ? -1 : 1 }
                i += 1; j += 1
            }
            return ra.count == rb.count ? 0 : (ra.count < rb.count ? -1 : 1)
        }
    }
}
