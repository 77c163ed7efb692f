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

    /// Words in a phase title that make it a user-story phase (Spec Kit writes `User Story 2 -
    /// …`), besides its tasks carrying `[USn]` tags. ASCII letters match in any case.
    static let storyWords: [String] = [
        "user story", "historia de usuario", "história de usuário", "user-story",
        "ユーザーストーリー", "用户故事", "使用者故事", "사용자 스토리", "пользовательская история",
    ]
    private static let encodedStoryWords: [[UInt8]] = storyWords.map { Array($0.utf8) }

    static func titleNamesStory(_ title: String) -> Bool {
        let bytes = Array(title.utf8)
        return encodedStoryWords.contains { word in
            guard bytes.count >= word.count else { return false }
            return (0...(bytes.count - word.count)).contains { k in
                word.indices.allSatisfy { ASCII.lowercased(bytes[k + $0]) == word[$0] }
            }
        }
    }
}
