/// A recognised detail line under a task (docs/tasks-format.md, "Detail lines"). Anything else is kept as plain detail text.
enum DetailMarker: Equatable {
    case requirements([String])
    case writes([String])
    case reads([String])
    case dependencies([String])
    case blocked(String)
    case boundary(String)
    case criticality(String)
    case agent(String)
}

enum DetailMarkerParser {
    private enum Wrapping { case none, underscore, bold }

    private enum Label {
        case requirements, writes, reads, dependencies, blocked, boundary, criticality, agent

        /// Labels as written in real files (compared ASCII-case-insensitively), including the
        /// localized requirement labels seen in Kiro specs.
        private static let table: [(text: [UInt8], label: Label)] = ([
            ("requirements", .requirements), ("requirement", .requirements), ("需求", .requirements),
            ("요구사항", .requirements), ("Требования", .requirements), ("требования", .requirements),
            ("writes", .writes), ("reads", .reads),
            ("depends on", .dependencies), ("depends", .dependencies), ("depend on", .dependencies),
            ("dependencies", .dependencies), ("dependency", .dependencies),
            ("blocked", .blocked), ("boundary", .boundary), ("criticality", .criticality), ("agent", .agent),
        ] as [(String, Label)]).map { (Array($0.0.utf8), $0.1) }

        static func named(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Label? {
            entries: for entry in table where entry.text.count == range.count {
                for (offset, byte) in entry.text.enumerated() where ASCII.lowercased(s[range.lowerBound + offset]) != byte {
                    continue entries
                }
                return entry.label
            }
            return nil
        }
    }

    /// Longest label we look for, in bytes; keeps the scan of ordinary prose short.
    private static let maximumLabelLength = 24

    /// Where a detail line's text starts (before `end`): after its indentation, and after a bullet
    /// (`-`, `*`, `+` and a blank) with every blank that follows it.
    static func textStart(_ s: UnsafeBufferPointer<UInt8>, _ line: SourceLine, end e: Int) -> Int {
        var c = LineClassifier.indentation(s, line).end
        if c + 1 < e, s[c] == UInt8(ascii: "-") || s[c] == UInt8(ascii: "*") || s[c] == UInt8(ascii: "+"),
           ASCII.isBlank(s[c + 1]) {
            c += 2
            while c < e, ASCII.isBlank(s[c]) { c += 1 }
        }
        return c
    }

    static func parse(_ s: UnsafeBufferPointer<UInt8>, _ line: SourceLine) -> DetailMarker? {
        var e = line.end
        while e > line.start, ASCII.isBlank(s[e - 1]) { e -= 1 }
        var c = textStart(s, line, end: e)
        guard c < e else { return nil }
        let wrapping: Wrapping
        if s[c] == UInt8(ascii: "_") {
            wrapping = .underscore
            c += 1
        } else if c + 1 < e, s[c] == UInt8(ascii: "*"), s[c + 1] == UInt8(ascii: "*") {
            wrapping = .bold
            c += 2
        } else if ASCII.isLetter(s[c]) {
            wrapping = .none
        } else {
            return nil
        }
        guard let (labelEnd, valueStart) = labelBounds(s, from: c, end: e) else { return nil }
        guard let label = Label.named(s, c..<labelEnd) else { return nil }
        // Only the dependency forms are written without `_…_` in the wild; a plain "Blocked: …"
        // bullet is prose, not our marker.
        if wrapping != .underscore, label != .dependencies { return nil }
        var v = valueStart
        if wrapping == .bold, v + 1 < e, s[v] == UInt8(ascii: "*"), s[v + 1] == UInt8(ascii: "*") { v += 2 }
        if wrapping == .underscore, v < e, s[v] == UInt8(ascii: "_") { v += 1 }  // `_Requirements:_ R1`
        var valueEnd = e
        if wrapping == .underscore, valueEnd > v, s[valueEnd - 1] == UInt8(ascii: "_") { valueEnd -= 1 }
        while v < valueEnd, ASCII.isBlank(s[v]) { v += 1 }
        while valueEnd > v, ASCII.isBlank(s[valueEnd - 1]) { valueEnd -= 1 }
        let value = v..<valueEnd
        let text = { String(decoding: UnsafeBufferPointer(rebasing: s[value]), as: UTF8.self) }
        switch label {
        case .requirements: return .requirements(listItems(s, value))
        case .writes: return .writes(listItems(s, value))
        case .reads: return .reads(listItems(s, value))
        case .dependencies: return .dependencies(listItems(s, value))
        case .blocked: return .blocked(text())
        case .boundary: return .boundary(text())
        case .criticality: return .criticality(text())
        case .agent: return .agent(text())
        }
    }

    /// Finds `:` (or the full-width `：`) after a short label; returns the label's end and
    /// where the value starts. `**Label**:` and `**Label:**` both work.
    private static func labelBounds(_ s: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> (Int, Int)? {
        var k = start
        while k < end, k - start <= maximumLabelLength {
            if s[k] == UInt8(ascii: ":") {
                var labelEnd = k
                if labelEnd - start >= 2, s[labelEnd - 1] == UInt8(ascii: "*"), s[labelEnd - 2] == UInt8(ascii: "*") {
                    labelEnd -= 2
                }
                return (labelEnd, k + 1)
            }
            if k + 2 < end, s[k] == 0xEF, s[k + 1] == 0xBC, s[k + 2] == 0x9A { return (k, k + 3) }
            if s[k] == UInt8(ascii: "_") || s[k] == UInt8(ascii: "`") { return nil }
            k += 1
        }
        return nil
    }

    private static let noneWords: [[UInt8]] = ["none", "n/a", "-", "—", "–", "no dependencies"].map { Array($0.utf8) }

    /// Comma-separated values (also `;`, `、`, `，`) without code ticks or emphasis; `none` and
    /// dashes mean no items.
    static func listItems(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> [String] {
        var items: [Range<Int>] = []
        var start = range.lowerBound, k = range.lowerBound
        while k <= range.upperBound {
            var width = 0
            if k == range.upperBound {
                width = 1
            } else if s[k] == UInt8(ascii: ",") || s[k] == UInt8(ascii: ";") {
                width = 1
            } else if k + 2 < range.upperBound,
                      (s[k] == 0xE3 && s[k + 1] == 0x80 && s[k + 2] == 0x81) || (s[k] == 0xEF && s[k + 1] == 0xBC && s[k + 2] == 0x8C) {
                width = 3
            }
            if width > 0 {
                let item = trimmed(s, start..<k)
                if !item.isEmpty { items.append(item) }
                start = k + width
                k += width
            } else {
                k += 1
            }
        }
        if items.count == 1 {
            let only = items[0]
            if noneWords.contains(where: { $0.count == only.count && ASCII.hasWord($0, in: s, at: only.lowerBound, end: only.upperBound) }) {
                return []
            }
        }
        return items.map { String(decoding: UnsafeBufferPointer(rebasing: s[$0]), as: UTF8.self) }
    }

    private static func trimmed(_ s: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        let strip = { (b: UInt8) in ASCII.isBlank(b) || b == UInt8(ascii: "`") || b == UInt8(ascii: "*") }
        var a = range.lowerBound, b = range.upperBound
        while a < b, strip(s[a]) { a += 1 }
        while b > a, strip(s[b - 1]) { b -= 1 }
        return a..<b
    }
}

extension StringProtocol {
    /// Trims the given characters from both ends (Foundation-free).
    func trimming(_ set: Set<Character>) -> String {
        guard let first = firstIndex(where: { !set.contains($0) }) else { return "" }
        let last = lastIndex(where: { !set.contains($0) })!
        return String(self[first...last])
    }
}
