/// The titles that make a task a checkpoint (a barrier, CheckpointBarriers), in the languages
/// plans are written in. A title is one when it starts with one of these words, whole
/// ("Checkpointing the cache" is an ordinary task), after any `**` or `_` emphasis. ASCII letters
/// match in any case; other letters as written here, so a capitalised form is listed too.
/// To add a language, add its words (and its "final checkpoint" form when that comes first).
enum CheckpointTitles {
    static let words: [String] = [
        // English
        "checkpoint", "final checkpoint",
        // Chinese (simplified and traditional)
        "检查点", "最终检查点", "檢查點", "最終檢查點",
        // Japanese
        "チェックポイント", "最終チェックポイント",
        // Korean
        "체크포인트", "최종 체크포인트",
        // Spanish, Portuguese
        "punto de control", "ponto de verificação", "ponto de controle",
        // German
        "kontrollpunkt", "finaler kontrollpunkt",
        // French
        "point de contrôle", "point de contrôle final",
        // Russian
        "контрольная точка", "Контрольная точка", "финальная контрольная точка", "Финальная контрольная точка",
        "итоговая контрольная точка", "Итоговая контрольная точка",
    ]

    private static let encoded: [[UInt8]] = words.map { Array($0.utf8) }
    /// The first bytes the words start with, so most titles are turned down by one lookup.
    private static let firstBytes: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for word in encoded { table[Int(word[0])] = true }
        return table
    }()
    /// What may follow the word besides the title's end or ASCII punctuation and blanks: CJK has
    /// no spaces between words, so `检查点保存与恢复功能` ("checkpoint save and restore") is a task.
    private static let separators: [[UInt8]] = ["：", "，", "、", "（", "—", "–", "－", "　", "・", "·", "。"].map { Array($0.utf8) }

    static func matches(_ s: UnsafeBufferPointer<UInt8>, _ title: Range<Int>) -> Bool {
        var k = title.lowerBound
        while k < title.upperBound, s[k] == UInt8(ascii: "*") || s[k] == UInt8(ascii: "_") { k += 1 }
        guard k < title.upperBound, firstBytes[Int(ASCII.lowercased(s[k]))] else { return false }
        return encoded.contains { word in
            ASCII.hasWord(word, in: s, at: k, end: title.upperBound) && endsWord(s, at: k + word.count, limit: title.upperBound)
        }
    }

    private static func endsWord(_ s: UnsafeBufferPointer<UInt8>, at k: Int, limit: Int) -> Bool {
        guard k < limit else { return true }
        if s[k] < 0x80 { return !ASCII.isLetter(s[k]) }
        return separators.contains { sep in k + sep.count <= limit && sep.indices.allSatisfy { s[k + $0] == sep[$0] } }
    }
}
