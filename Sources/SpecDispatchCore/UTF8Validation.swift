/// Strict UTF-8 validation with an 8-bytes-at-a-time ASCII fast path; tasks.md is mostly ASCII.
enum UTF8Validation {
    /// Offset of the first byte that does not start a well-formed UTF-8 sequence, or nil.
    static func firstInvalidOffset(_ s: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = s.count
        var i = 0
        guard let base = s.baseAddress else { return nil }
        while i < n {
            if i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            }
            let b = s[i]
            if b < 0x80 { i += 1; continue }
            guard let length = sequenceLength(s, at: i) else { return i }
            i += length
        }
        return nil
    }

    private static func sequenceLength(_ s: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let b0 = s[i]
        let (length, low, high): (Int, UInt8, UInt8)
        switch b0 {
        case 0xC2...0xDF: (length, low, high) = (2, 0x80, 0xBF)
        case 0xE0: (length, low, high) = (3, 0xA0, 0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, low, high) = (3, 0x80, 0xBF)
        case 0xED: (length, low, high) = (3, 0x80, 0x9F)
        case 0xF0: (length, low, high) = (4, 0x90, 0xBF)
        case 0xF1...0xF3: (length, low, high) = (4, 0x80, 0xBF)
        case 0xF4: (length, low, high) = (4, 0x80, 0x8F)
        default: return nil
        }
        guard i + length <= s.count, (low...high).contains(s[i + 1]) else { return nil }
        for k in 2..<max(2, length) where s[i + k] & 0xC0 != 0x80 { return nil }
        return length
    }
}
