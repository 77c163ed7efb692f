/// Spec Kit's execution order between phases: Setup, then Foundational, then the user stories
/// (independent of each other), then Polish. In general: every phase waits for the phases before
/// it, except that user-story phases with no other phase between them do not wait for each other.
///
/// Only the nearest gates are listed (a story waits for the last phase before it that is not a
/// story; a phase after stories waits for those stories), which is the same order by
/// transitivity and reads better in "waits for …".
enum PhaseGates {
    /// For phases in file order, whether each is a user-story phase: the phases each waits for.
    static func waits(isStory: [Bool]) -> [[Int]] {
        var result: [[Int]] = []
        result.reserveCapacity(isStory.count)
        var lastGate: Int?
        var storiesSinceGate: [Int] = []
        for (i, story) in isStory.enumerated() {
            if story {
                result.append(lastGate.map { [$0] } ?? [])
                storiesSinceGate.append(i)
            } else {
                result.append(storiesSinceGate.isEmpty ? (lastGate.map { [$0] } ?? []) : storiesSinceGate)
                lastGate = i
                storiesSinceGate = []
            }
        }
        return result
    }

    /// How a phase title starts when the phase is a user story (Spec Kit writes `User Story 2 -
    /// …`). ASCII letters match in any case.
    static let storyWords: [String] = [
        "user story", "user-story", "story", "historia de usuario", "história de usuário",
        "ユーザーストーリー", "用户故事", "使用者故事", "사용자 스토리", "пользовательская история", "Пользовательская история",
    ]
    /// How the titles of Spec Kit's other phases start: these gate, whatever their tasks' tags say.
    static let gateWords: [String] = [
        "setup", "foundational", "foundation", "polish", "cross-cutting", "final", "handoff",
        "セットアップ", "基盤", "仕上げ", "准备", "基础", "完善", "설정", "기반", "마무리",
    ]
    private static let encodedStoryWords: [[UInt8]] = storyWords.map { Array($0.utf8) }
    private static let encodedGateWords: [[UInt8]] = gateWords.map { Array($0.utf8) }

    /// A user-story phase: its title starts with a story word, or, when it starts with none of
    /// the gate words either, every one of its tasks carries a `[USn]` tag. A tagged task in
    /// Setup or Polish does not make a story, nor does "… for every User Story" in a title.
    static func isStory(title: String, tags: [String?]) -> Bool {
        let bytes = Array(title.utf8.drop { $0 == UInt8(ascii: "*") || $0 == UInt8(ascii: "_") })
        // A whole word: "Story 2" and "Story:" are stories, "Storybook and design tokens" is not.
        let startsWith = { (words: [[UInt8]]) in
            bytes.withUnsafeBufferPointer { s in
                words.contains { word in
                    ASCII.hasWord(word, in: s, at: 0, end: s.count) && (s.count == word.count || !ASCII.isLetter(s[word.count]))
                }
            }
        }
        if startsWith(encodedStoryWords) { return true }
        if startsWith(encodedGateWords) { return false }
        return !tags.isEmpty && tags.allSatisfy { $0 != nil }
    }
}
