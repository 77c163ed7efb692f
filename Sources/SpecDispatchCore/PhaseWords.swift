/// The words that number a phase in a heading (`## Phase 2: …`), in the languages Spec Kit
/// plans are written in. A heading starting with one of them, then blanks, then an id, is a phase
/// heading. ASCII letters match in any case; other letters as written, so capitalised forms are
/// listed too. To add a language, add its word.
enum PhaseWords {
    static let words: [String] = [
        "phase",                 // English, German, French
        "fase",                  // Spanish, Portuguese, Italian, Dutch
        "étape", "Étape",        // French
        "этап", "Этап", "фаза", "Фаза",  // Russian
        "フェーズ",                // Japanese
        "阶段", "階段",            // Chinese
        "단계",                   // Korean
    ]

    private static let encoded: [[UInt8]] = words.map { Array($0.utf8) }

    /// Where the id after a phase word starts, or nil when the text at `start` is not a phase word.
    static func end(_ s: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int? {
        for word in encoded where ASCII.hasWord(word, in: s, at: start, end: end) {
            var k = start + word.count
            // CJK writes no space between the word and the number (`阶段1`); letters-based ones must.
            if word[0] < 0x80 || word[0] == 0xC3 || word[0] == 0xD0 || word[0] == 0xD1 {
                guard k < end, ASCII.isBlank(s[k]) else { continue }
            }
            while k < end, ASCII.isBlank(s[k]) { k += 1 }
            return k
        }
        return nil
    }
}
