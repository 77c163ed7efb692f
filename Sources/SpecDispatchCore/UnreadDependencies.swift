/// Detail lines that name other tasks of the file without a dependency label (`1.1に依存`,
/// "after 2.3 is merged"): not read as dependencies, which is right for prose, but a person may
/// have meant one. `validate --verbose` lists them so that what was not read can be seen.
public enum UnreadDependencies {
    public struct Mention: Sendable, Equatable {
        public var line: Int
        public var task: TaskID
        public var mentioned: [TaskID]
    }

    public static func find(in tree: TaskTree) -> [Mention] {
        let document = tree.document
        return document.bytes.withUnsafeBufferPointer { s in
            var mentions: [Mention] = []
            for node in tree.nodes {
                let known = Set(node.dependencies.map { tree.nodes[$0].id })
                for index in node.entry.detailLines where index < document.lines.count {
                    let line = document.lines[index]
                    // Lines read as markers (requirements, dependencies, …) said what they mean.
                    guard DetailMarkerParser.parse(s, line) == nil, !namesRequirements(s, line) else { continue }
                    let named = ids(in: s, line).filter { $0 != node.id && !known.contains($0) && tree.index(of: $0) != nil }
                    if !named.isEmpty { mentions.append(Mention(line: index + 1, task: node.id, mentioned: named)) }
                }
            }
            return mentions
        }
    }

    /// Dotted ids (`1.1`, `T1.2`) and letter-prefixed ones (`T001`) in a line; a bare number is
    /// too often a count to be taken for a task.
    private static func ids(in s: UnsafeBufferPointer<UInt8>, _ line: SourceLine) -> [TaskID] {
        var found: [TaskID] = []
        var k = line.start
        while k < line.end {
            guard isIDByte(s[k]) else { k += 1; continue }
            let start = k
            while k < line.end, isIDByte(s[k]) { k += 1 }
            var end = k
            while end > start, s[end - 1] == UInt8(ascii: ".") || s[end - 1] == UInt8(ascii: "-") { end -= 1 }
            let token = String(decoding: UnsafeBufferPointer(rebasing: s[start..<end]), as: UTF8.self)
            let hasDigit = token.contains { $0.isASCII && $0.isNumber }
            let shaped = token.contains(".") || (token.first?.isLetter == true)
            if hasDigit, shaped, let id = TaskID(token), !found.contains(id) { found.append(id) }
        }
        return found
    }

    /// Requirement numbers look like task ids; a line about requirements is not about tasks.
    private static let requirementWords = ["requirement", "需求", "要件", "要求", "요구사항", "требовани", "requisito", "anforderung", "exigence"]

    private static func namesRequirements(_ s: UnsafeBufferPointer<UInt8>, _ line: SourceLine) -> Bool {
        let text = String(decoding: UnsafeBufferPointer(rebasing: s[line.start..<line.end]), as: UTF8.self).lowercased()
        return requirementWords.contains { text.contains($0) }
    }

    private static func isIDByte(_ b: UInt8) -> Bool {
        ASCII.isLetter(b) || (b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")) || b == UInt8(ascii: ".") || b == UInt8(ascii: "-")
    }
}
