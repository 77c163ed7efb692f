/// What a single line of tasks.md looks like, before any context (fences, sections) applies.
enum LineShape {
    case blank
    case fence(FenceLine)
    case heading(HeadingLine)
    case checkbox(CheckboxLine)
    case text(indent: Int)
}

struct FenceLine {
    var character: UInt8
    var length: Int
    /// True when nothing but blanks follows the fence characters (only such a line closes a fence).
    var isBare: Bool
    var infoString: Range<Int>
}

struct HeadingLine {
    var level: Int
    var id: Range<Int>?
    var title: Range<Int>
    /// Numbered by a phase word (`## Phase 2: Foundational`, `## フェーズ 1: …`): Spec Kit's units.
    var isPhase = false
}

/// A list item (or a bare line, for the warning) that starts with `[c]`.
struct CheckboxLine {
    var indent: Int
    var hasBullet: Bool
    var marker: Range<Int>
    var isOptional: Bool
    var id: Range<Int>?
    var title: Range<Int>
}

enum LineClassifier {
    /// Visual width of leading blanks; a tab advances to the next multiple of 4.
    static func indentation(_ s: UnsafeBufferPointer<UInt8>, _ line: SourceLine) -> (width: Int, end: Int) {
        var width = 0, k = line.start
        while k < line.end {
            if s[k] == ASCII.space { width += 1 } else if s[k] == ASCII.tab { width += 4 - width % 4 } else { break }
            k += 1
        }
        return (width, k)
    }

    static func classify(_ s: UnsafeBufferPointer<UInt8>, _ line: SourceLine) -> LineShape {
        let (indent, first) = indentation(s, line)
        guard first < line.end else { return .blank }
        switch s[first] {
        case UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "+"):
            if let box = checkbox(s, line, indent: indent, at: first) { return .checkbox(box) }
        case UInt8(ascii: "["):
            if let box = checkbox(s, line, indent: indent, at: first) { return .checkbox(box) }
        case UInt8(ascii: "#") where indent <= 3:
            if let heading = heading(s, line, at: first) { return .heading(heading) }
        case UInt8(ascii: "`"), UInt8(ascii: "~"):
            if let fence = fence(s, line, at: first) { return .fence(fence) }
        default:
            break
        }
        return .text(indent: indent)
    }

    private static func fence(_ s: UnsafeBufferPointer<UInt8>, _ line: SourceLine, at first: Int) -> FenceLine? {
        let c = s[first]
        var k = first
        while k < line.end, s[k] == c { k += 1 }
        guard k - first >= 3 else { return nil }
        var info = k
        while info < line.end, ASCII.isBlank(s[info]) { info += 1 }
        var infoEnd = line.end
        while infoEnd > info, ASCII.isBlank(s[infoEnd - 1]) { infoEnd -= 1 }
        // A backtick fence's info string may not contain backticks (CommonMark); then it is inline code.
        if c == UInt8(ascii: "`"), s[info..<infoEnd].contains(c) { return nil }
        return FenceLine(character: c, length: k - first, isBare: info == infoEnd, infoString: info..<infoEnd)
    }

    private static let headingKeywords: [[UInt8]] = ["task", "step", "stage", "part", "milestone", "epic"]
        .map { Array($0.utf8) }

    private static func heading(_ s: UnsafeBufferPointer<UInt8>, _ line: SourceLine, at first: Int) -> HeadingLine? {
        var k = first
        while k < line.end, s[k] == UInt8(ascii: "#") { k += 1 }
        let level = k - first
        guard level <= 6, k == line.end || ASCII.isBlank(s[k]) else { return nil }
        while k < line.end, ASCII.isBlank(s[k]) { k += 1 }
        let titleEnd = headingTextEnd(s, from: k, end: line.end)
        let phase = PhaseWords.end(s, from: k, end: line.end)
        let afterKeyword = phase ?? skipKeyword(s, from: k, end: line.end)
        let label = IDLabel.scan(s, from: afterKeyword, end: line.end)
        let title = label.map { $0.titleStart..<max($0.titleStart, titleEnd) } ?? k..<max(k, titleEnd)
        return HeadingLine(level: level, id: label?.id, title: title, isPhase: phase != nil && label != nil)
    }

    /// End of a heading's text without trailing blanks or a closing `##` sequence (`## C#` keeps its `#`).
    private static func headingTextEnd(_ s: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int {
        var e = end
        while e > start, ASCII.isBlank(s[e - 1]) { e -= 1 }
        var hashes = e
        while hashes > start, s[hashes - 1] == UInt8(ascii: "#") { hashes -= 1 }
        guard hashes < e, hashes == start || ASCII.isBlank(s[hashes - 1]) else { return e }
        while hashes > start, ASCII.isBlank(s[hashes - 1]) { hashes -= 1 }
        return hashes
    }

    /// Skips `Task `, `Phase ` and the like, so `### Task 2: Login` has the id `2`.
    private static func skipKeyword(_ s: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int {
        for keyword in headingKeywords where start + keyword.count < end {
            var matches = true
            for (offset, byte) in keyword.enumerated() where ASCII.lowercased(s[start + offset]) != byte {
                matches = false
                break
            }
            if matches, ASCII.isBlank(s[start + keyword.count]) {
                var k = start + keyword.count
                while k < end, ASCII.isBlank(s[k]) { k += 1 }
                return k
            }
        }
        return start
    }

    private static func checkbox(_ s: UnsafeBufferPointer<UInt8>, _ line: SourceLine, indent: Int, at first: Int) -> CheckboxLine? {
        var k = first
        let hasBullet = s[k] != UInt8(ascii: "[")
        if hasBullet {
            k += 1
            guard k < line.end, ASCII.isBlank(s[k]) else { return nil }
            while k < line.end, ASCII.isBlank(s[k]) { k += 1 }
        }
        guard k < line.end, s[k] == UInt8(ascii: "[") else { return nil }
        let markerStart = k + 1
        guard markerStart < line.end else { return nil }
        let markerEnd = markerStart + scalarLength(s[markerStart])
        guard markerEnd < line.end, s[markerEnd] == UInt8(ascii: "]") else { return nil }
        k = markerEnd + 1
        var isOptional = false
        if k < line.end, s[k] == UInt8(ascii: "*") {
            isOptional = true
            k += 1
        } else if k + 1 < line.end, s[k] == UInt8(ascii: "\\"), s[k + 1] == UInt8(ascii: "*") {
            isOptional = true
            k += 2
        }
        while k < line.end, ASCII.isBlank(s[k]) { k += 1 }
        var titleEnd = line.end
        while titleEnd > k, ASCII.isBlank(s[titleEnd - 1]) { titleEnd -= 1 }
        let label = IDLabel.scan(s, from: k, end: titleEnd)
        var title = (label?.titleStart ?? k)..<titleEnd
        if label?.isBold == true, title.count >= 2, s[title.upperBound - 1] == UInt8(ascii: "*"),
           s[title.upperBound - 2] == UInt8(ascii: "*") {
            title = title.lowerBound..<(title.upperBound - 2)
        }
        return CheckboxLine(indent: indent, hasBullet: hasBullet, marker: markerStart..<markerEnd,
                            isOptional: isOptional, id: label?.id, title: title)
    }

    /// Bytes in the UTF-8 sequence a lead byte starts (1 for stray continuation bytes).
    private static func scalarLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }
}

/// An id at the start of a title: `1.2 `, `1.`, `1.1.1:`, `**T1.1**`, `**NAME-1: …**`.
struct IDLabel {
    var id: Range<Int>
    var titleStart: Int
    var isBold: Bool

    static func scan(_ s: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> IDLabel? {
        var k = start
        let isBold = k + 1 < end && s[k] == UInt8(ascii: "*") && s[k + 1] == UInt8(ascii: "*")
        if isBold { k += 2 }
        guard let idEnd = TaskIDGrammar.idEnd(s, from: k, limit: end) else { return nil }
        var t = idEnd
        // `阶段 1：准备`: CJK text writes a full-width colon after a number, with no blank after it.
        var fullWidthColon = false
        if t < end, s[t] == UInt8(ascii: ".") || s[t] == UInt8(ascii: ":") {
            t += 1
        } else if t + 2 < end, s[t] == 0xEF, s[t + 1] == 0xBC, s[t + 2] == 0x9A {
            t += 3
            fullWidthColon = true
        }
        if isBold, t + 1 < end, s[t] == UInt8(ascii: "*"), s[t + 1] == UInt8(ascii: "*") {
            t += 2
            if !fullWidthColon, t + 2 < end, s[t] == 0xEF, s[t + 1] == 0xBC, s[t + 2] == 0x9A {
                t += 3
                fullWidthColon = true
            }
        }
        guard t == end || ASCII.isBlank(s[t]) || fullWidthColon else { return nil }
        while t < end, ASCII.isBlank(s[t]) { t += 1 }
        // `## Phase 1 – Foundation`: a dash between the id and the title separates them.
        let dash = dashLength(s, at: t, end: end)
        if dash > 0, t + dash < end, ASCII.isBlank(s[t + dash]) {
            t += dash
            while t < end, ASCII.isBlank(s[t]) { t += 1 }
        }
        return IDLabel(id: k..<idEnd, titleStart: t, isBold: isBold)
    }

    /// Bytes of a hyphen, en dash or em dash at `k` (0 when none).
    private static func dashLength(_ s: UnsafeBufferPointer<UInt8>, at k: Int, end: Int) -> Int {
        guard k < end else { return 0 }
        if s[k] == UInt8(ascii: "-") { return 1 }
        if k + 2 < end, s[k] == 0xE2, s[k + 1] == 0x80, s[k + 2] == 0x93 || s[k + 2] == 0x94 { return 3 }
        return 0
    }
}
