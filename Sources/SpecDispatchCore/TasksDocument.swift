/// tasks.md as a lossless document: the exact bytes and the line table over them. Writing it
/// back gives the same bytes; edits change only the bytes they mean to. The tasks found in it
/// live in `TaskTree`.
public struct TasksDocument: Sendable {
    public let bytes: [UInt8]
    public let lines: [SourceLine]
    public let hasByteOrderMark: Bool
    /// The ending of the first terminated line; LF for files with one line or none.
    public let lineEnding: LineEnding
    /// Wave rank per task id from a `## Task Dependency Graph` block, when one could be read.
    public let waves: [TaskID: Int]

    public struct Options: Sendable {
        public var tilde: TildeMeaning

        public init(tilde: TildeMeaning = .queued) {
            self.tilde = tilde
        }
    }

    public let options: Options

    /// Parses bytes; never fails (see `TaskTree` for the tasks and the diagnostics).
    public init(bytes: [UInt8], options: Options = Options()) {
        self = TasksParser.parse(bytes, options: options).document
    }

    init(bytes: [UInt8], lines: [SourceLine], hasByteOrderMark: Bool, lineEnding: LineEnding,
         waves: [TaskID: Int], options: Options) {
        self.bytes = bytes
        self.lines = lines
        self.hasByteOrderMark = hasByteOrderMark
        self.lineEnding = lineEnding
        self.waves = waves
        self.options = options
    }

    /// The file rebuilt from the line table: byte-identical to `bytes` (the round-trip property).
    public func serialized() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        if hasByteOrderMark { out.append(contentsOf: bytes[0..<3]) }
        for line in lines { out.append(contentsOf: bytes[line.start..<line.fullEnd]) }
        return out
    }

    /// The text of line `index` (0-based) without its terminator.
    public func text(ofLine index: Int) -> String {
        String(decoding: bytes[lines[index].contentRange], as: UTF8.self)
    }

    /// The detail lines of a task with the task's detail indentation removed, for payloads.
    public func detailText(of task: TaskEntry) -> [String] {
        let texts = task.detailLines.map { text(ofLine: $0) }
        let indents = texts.filter { !$0.allSatisfy(\.isWhitespace) }.map { $0.prefix(while: { $0 == " " || $0 == "\t" }).count }
        let common = indents.min() ?? 0
        var result = texts.map { String($0.dropFirst(min(common, $0.prefix(while: { $0 == " " || $0 == "\t" }).count))) }
        while result.last?.allSatisfy(\.isWhitespace) == true { result.removeLast() }
        return result
    }
}
