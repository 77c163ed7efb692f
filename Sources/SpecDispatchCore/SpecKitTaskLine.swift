/// What Spec Kit writes on a task line besides the id and the title: `- [ ] T012 [P] [US1]
/// Create the form in src/form.ts — depends on T009, T010`.
enum SpecKitTaskLine {
    /// `T001`, `T007a`, `T1000`: a T, three or more digits, an optional lowercase letter. Kiro's
    /// `T1`…`T11` are not Spec Kit's (they never sit under phase headings there).
    static func isSpecKitID(_ s: UnsafeBufferPointer<UInt8>, _ id: Range<Int>) -> Bool {
        guard id.count >= 4, s[id.lowerBound] == UInt8(ascii: "T") else { return false }
        var digitsEnd = id.upperBound
        if ASCII.isLower(s[digitsEnd - 1]) { digitsEnd -= 1 }
        return digitsEnd - id.lowerBound >= 4 && s[(id.lowerBound + 1)..<digitsEnd].allSatisfy(ASCII.isDigit)
    }

    static func isSpecKitID(_ id: TaskID) -> Bool {
        var text = id.text
        return text.withUTF8 { isSpecKitID($0, 0..<$0.count) }
    }

    struct Tags {
        var parallel = false
        /// `US1` for `[US1]`.
        var story: String?
        /// Where the title starts after the tags.
        var titleStart: Int
    }

    /// The `[P]` and `[USn]` tags at the start of a title, in either order.
    static func tags(_ s: UnsafeBufferPointer<UInt8>, title: Range<Int>) -> Tags {
        var tags = Tags(titleStart: title.lowerBound)
        var k = title.lowerBound
        while k < title.upperBound, s[k] == UInt8(ascii: "[") {
            guard let close = s[k..<title.upperBound].firstIndex(of: UInt8(ascii: "]")) else { break }
            let inner = (k + 1)..<close
            if inner.count == 1, s[inner.lowerBound] == UInt8(ascii: "P"), !tags.parallel {
                tags.parallel = true
            } else if inner.count >= 3, tags.story == nil, s[inner.lowerBound] == UInt8(ascii: "U"),
                      s[inner.lowerBound + 1] == UInt8(ascii: "S"), s[(inner.lowerBound + 2)..<close].allSatisfy(ASCII.isDigit) {
                tags.story = String(decoding: UnsafeBufferPointer(rebasing: s[inner]), as: UTF8.self)
            } else {
                break
            }
            k = close + 1
            while k < title.upperBound, ASCII.isBlank(s[k]) { k += 1 }
            tags.titleStart = k
        }
        return tags
    }

    /// The Spec Kit ids listed after "depends on" (`— depends on T009, T010`, `(depends on
    /// T004)`), wherever the phrase appears in the title. A list stops at the first word that is
    /// not an id or a joining word; a range (`T005–T008`) is not read.
    static func inlineDependencies(_ s: UnsafeBufferPointer<UInt8>, title: Range<Int>) -> [TaskID] {
        var result: [TaskID] = []
        var k = title.lowerBound
        let end = title.upperBound
        while let phrase = phraseEnd(s, from: k, end: end) {
            k = phrase
            while true {
                while k < end, ASCII.isBlank(s[k]) || s[k] == UInt8(ascii: ",") || s[k] == UInt8(ascii: ":")
                    || s[k] == UInt8(ascii: "/") || s[k] == UInt8(ascii: "&") { k += 1 }
                if k + 3 < end, s[k] == UInt8(ascii: "a"), s[k + 1] == UInt8(ascii: "n"),
                   s[k + 2] == UInt8(ascii: "d"), ASCII.isBlank(s[k + 3]) {
                    k += 3
                    continue
                }
                var idEnd = k
                while idEnd < end, ASCII.isLetter(s[idEnd]) || ASCII.isDigit(s[idEnd]) { idEnd += 1 }
                guard idEnd > k, isSpecKitID(s, k..<idEnd) else { break }
                // `T003.1` is not a Spec Kit id; `T005–T008` or `T005-T008` is a range, which names
                // ids this list cannot check.
                if idEnd < end, s[idEnd] == UInt8(ascii: "."), idEnd + 1 < end, ASCII.isDigit(s[idEnd + 1]) { break }
                if isRangeDash(s, at: idEnd, end: end) { break }
                result.append(TaskID(validated: String(decoding: UnsafeBufferPointer(rebasing: s[k..<idEnd]), as: UTF8.self)))
                k = idEnd
            }
        }
        return result
    }

    private static let phrases: [[UInt8]] = ["depends on", "depend on"].map { Array($0.utf8) }
    private static let negations: [[UInt8]] = ["not ", "n't ", "no longer "].map { Array($0.utf8) }

    /// A hyphen or en dash followed by another Spec Kit id (`T005–T008`); an em dash ends the list.
    private static func isRangeDash(_ s: UnsafeBufferPointer<UInt8>, at k: Int, end: Int) -> Bool {
        let dash = k < end && s[k] == UInt8(ascii: "-") ? 1
            : k + 2 < end && s[k] == 0xE2 && s[k + 1] == 0x80 && s[k + 2] == 0x93 ? 3 : 0
        guard dash > 0 else { return false }
        var idEnd = k + dash
        while idEnd < end, ASCII.isLetter(s[idEnd]) || ASCII.isDigit(s[idEnd]) { idEnd += 1 }
        return isSpecKitID(s, (k + dash)..<idEnd)
    }

    /// "does not depend on T004", "no longer depends on T002".
    private static func isNegated(_ s: UnsafeBufferPointer<UInt8>, phraseAt k: Int, start: Int) -> Bool {
        negations.contains { ASCII.hasWord($0, in: s, at: k - $0.count, end: k) && k - $0.count >= start }
    }

    private static func phraseEnd(_ s: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int? {
        var k = start
        // Most titles have no "depend": turned down at the first byte, without the table.
        while k + 9 <= end {
            if s[k] | 0x20 == UInt8(ascii: "d"), s[k + 1] == UInt8(ascii: "e"), s[k + 2] == UInt8(ascii: "p"),
               k == start || !ASCII.isLetter(s[k - 1]) {
                for phrase in phrases where ASCII.hasWord(phrase, in: s, at: k, end: end)
                    && (k + phrase.count == end || !ASCII.isLetter(s[k + phrase.count])) {
                    if isNegated(s, phraseAt: k, start: start) { break }
                    return k + phrase.count
                }
            }
            k += 1
        }
        return nil
    }
}
