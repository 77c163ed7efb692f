/// Where an id ends in a line of bytes. A segment is a number, optionally with a letter prefix
/// (`P2`, `T001`, `FOUNDATION-1`) or one lowercase letter suffix (`4a`); segments join with `.`.
enum TaskIDGrammar {
    /// Letter prefixes longer than this are words, not ids (`Implementation2`).
    static let maximumPrefixLength = 16

    /// The end (exclusive) of the id starting at `start`, or nil when no id starts there.
    /// A `.` that is not followed by another segment is left for the caller (`1.` ends at `1`).
    static func idEnd(_ s: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int? = nil) -> Int? {
        let end = limit ?? s.count
        guard var k = segmentEnd(s, from: start, limit: end) else { return nil }
        while k + 1 < end, s[k] == UInt8(ascii: "."), let next = segmentEnd(s, from: k + 1, limit: end) {
            k = next
        }
        return k
    }

    static func idEnd(_ s: [UInt8], from start: Int) -> Int? {
        s.withUnsafeBufferPointer { idEnd($0, from: start) }
    }

    private static func segmentEnd(_ s: UnsafeBufferPointer<UInt8>, from start: Int, limit end: Int) -> Int? {
        var k = start
        while k < end, ASCII.isLetter(s[k]), k - start < maximumPrefixLength { k += 1 }
        if k > start, k < end, s[k] == UInt8(ascii: "-") { k += 1 }
        let digitsStart = k
        while k < end, ASCII.isDigit(s[k]) { k += 1 }
        guard k > digitsStart else { return nil }
        if k < end, ASCII.isLower(s[k]), !(k + 1 < end && ASCII.isLetter(s[k + 1])) { k += 1 }
        return k
    }
}
