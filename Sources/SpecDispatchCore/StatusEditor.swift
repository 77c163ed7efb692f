/// Edits that change a task's status in tasks.md by rewriting only what they must: the one
/// marker byte, or the one `_Blocked:_` line.
public enum StatusEditor {
    /// Sets a checkbox; nil when it already shows that status (`[X]` stays `[X]`, `[~]` stays
    /// `[~]` when queued means not started) or when the task is a heading, which has no checkbox.
    public static func setCheckbox(of task: TaskEntry, to status: CheckboxStatus, tilde: TildeMeaning) -> TextEdit? {
        guard case .checkbox(let marker, let offset) = task.origin else { return nil }
        if shows(marker, status, tilde: tilde) { return nil }
        return TextEdit(range: offset..<(offset + 1), replacement: [Marker.byte(for: status)])
    }

    private static func shows(_ marker: Marker, _ status: CheckboxStatus, tilde: TildeMeaning) -> Bool {
        switch (marker, status) {
        case (.completed, .completed), (.inProgress, .inProgress), (.notStarted, .notStarted): true
        case (.queued, .notStarted): tilde == .queued
        default: false
        }
    }

    /// Adds `_Blocked: reason_` as the task's first detail line, indented like its other detail
    /// lines (or two spaces deeper than the task), ending like the file's lines. When the task
    /// already has one, replaces that line's reason instead.
    public static func block(_ task: TaskEntry, reason: String, in document: TasksDocument) -> TextEdit {
        let text = Array(sanitized(reason).utf8)
        if let note = task.metadata.blocked {
            let line = document.lines[note.lineIndex]
            let prefix = linePrefix(document, line)
            return TextEdit(range: line.start..<line.end, replacement: prefix + Array("_Blocked: ".utf8) + text + [UInt8(ascii: "_")])
        }
        let taskLine = document.lines[task.lineIndex]
        var inserted = detailPrefix(for: task, in: document) + Array("_Blocked: ".utf8) + text + [UInt8(ascii: "_")]
        if taskLine.terminatorLength == 0 {
            // The task is the last line and has no newline: the new line goes after one we add.
            inserted = document.lineEnding.bytes + inserted
            return TextEdit(range: taskLine.end..<taskLine.end, replacement: inserted)
        }
        let ending = Array(document.bytes[taskLine.end..<taskLine.fullEnd])
        return TextEdit(range: taskLine.fullEnd..<taskLine.fullEnd, replacement: inserted + ending)
    }

    /// Removes the task's `_Blocked:_` line (and only that line); nil when it has none.
    public static func unblock(_ task: TaskEntry, in document: TasksDocument) -> TextEdit? {
        guard let note = task.metadata.blocked else { return nil }
        let line = document.lines[note.lineIndex]
        if line.terminatorLength == 0, note.lineIndex > 0 {
            // Last line without a newline: take the previous line's terminator with it.
            let previous = document.lines[note.lineIndex - 1]
            return TextEdit(range: previous.end..<line.end, replacement: [])
        }
        return TextEdit(range: line.start..<line.fullEnd, replacement: [])
    }

    /// One line only: newlines in a reason would break the file's structure; `_` would end the emphasis early.
    static func sanitized(_ reason: String) -> String {
        let flat = reason.split(whereSeparator: \.isNewline).map { $0.trimming([" ", "\t"]) }.joined(separator: " ")
        let trimmed = flat.trimming([" ", "\t", "_"])
        return trimmed.isEmpty ? "no reason given" : trimmed
    }

    /// Indentation and bullet of an existing detail line (everything before its text), as the parser reads it.
    private static func linePrefix(_ document: TasksDocument, _ line: SourceLine) -> [UInt8] {
        let start = document.bytes.withUnsafeBufferPointer { DetailMarkerParser.textStart($0, line, end: line.end) }
        return Array(document.bytes[line.start..<start])
    }

    /// The prefix a new detail line of `task` gets: copied from its first bulleted detail line,
    /// else the task's own indentation plus two spaces (a tab in tab-indented files) and `- `.
    private static func detailPrefix(for task: TaskEntry, in document: TasksDocument) -> [UInt8] {
        for index in task.detailLines {
            let prefix = linePrefix(document, document.lines[index])
            if let last = prefix.last, ASCII.isBlank(last), prefix.count >= 2 { return prefix }
        }
        let line = document.lines[task.lineIndex]
        var k = line.start
        while k < line.end, ASCII.isBlank(document.bytes[k]) { k += 1 }
        let indent = Array(document.bytes[line.start..<k])
        let step: [UInt8] = indent.last == ASCII.tab ? [ASCII.tab] : [ASCII.space, ASCII.space]
        return indent + step + [UInt8(ascii: "-"), ASCII.space]
    }
}
