/// Byte classes used by the line scanners; tasks.md syntax is ASCII even when its text is not.
enum ASCII {
    static let space = UInt8(ascii: " "), tab = UInt8(ascii: "\t"), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")

    @inline(__always) static func isDigit(_ b: UInt8) -> Bool { b &- 0x30 < 10 }
    @inline(__always) static func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isLower(_ b: UInt8) -> Bool { b &- 0x61 < 26 }
    @inline(__always) static func isBlank(_ b: UInt8) -> Bool { b == space || b == tab }
    @inline(__always) static func lowercased(_ b: UInt8) -> UInt8 { b &- 0x41 < 26 ? b | 0x20 : b }

    /// Whether `word` (ASCII letters in lower case; other bytes as they must appear) is in `s` at
    /// `k`, ending by `end`: ASCII letters of `s` match in any case.
    static func hasWord(_ word: [UInt8], in s: UnsafeBufferPointer<UInt8>, at k: Int, end: Int) -> Bool {
        k >= 0 && k + word.count <= end && word.indices.allSatisfy { lowercased(s[k + $0]) == word[$0] }
    }
}
