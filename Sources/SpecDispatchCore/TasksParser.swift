/// What one parse finds: the document, its checkbox tasks as unlinked tree nodes (file order,
/// duplicates included), the numbered headings that may stand in as parents, and diagnostics.
struct ParsedTasks {
    var document: TasksDocument
    var tasks: [TaskNode]
    var headings: [NumberedHeading]
    /// Phase headings in file order, with the Spec Kit tasks under each.
    var phases: [PhaseHeading]
    /// `_Blocked: …_` lines between a numbered heading and its first task, by the heading's line:
    /// where a unit whose parent is a heading is blocked (escalated, or `block <unit>`).
    var headingBlocks: [Int: BlockedNote]
    var diagnostics: [Diagnostic]
}

/// `## Phase 2: Foundational`: in a Spec Kit plan, the parent of the tasks under it.
struct PhaseHeading {
    var entry: TaskEntry
    var level: Int
    /// Lines of the checkbox tasks with Spec Kit ids under it (lines, not indices: duplicates and
    /// undone checkpoints leave the task list after the parse).
    var members: [Int] = []
    /// Lines of Spec Kit tasks written as headings under it (`### T001 …`), which have no checkbox.
    var headingTasks: [Int] = []
}

/// A heading with a task id, which stands in for that task when it has no checkbox.
struct NumberedHeading {
    var entry: TaskEntry
    /// 2 for `##`, 3 for `###`…
    var level: Int
}

/// One pass over the lines: tracks fences and the detail region of the current task, and
/// collects tasks, numbered headings, detail markers (as each detail line comes) and the
/// dependency-graph block.
struct TasksParser {
    let s: UnsafeBufferPointer<UInt8>
    let options: TasksDocument.Options

    /// Tasks are built as tree nodes straight away, so the tree links them in place, uncopied.
    private var tasks: [TaskNode] = []
    private var headings: [NumberedHeading] = []
    private var phases: [PhaseHeading] = []
    private var headingBlocks: [Int: BlockedNote] = [:]
    /// Id-less checkboxes outside any phase: a Spec Kit file's checklists, not forgotten ids.
    private var checklistLines: Set<Int> = []
    /// Checkpoint headings whose id-less checkbox became their task, with the checkbox's line index.
    private var headingCheckpoints: [(heading: NumberedHeading, line: Int)] = []
    private var diagnostics: [Diagnostic] = []
    private var graphBlocks: [(line: Int, text: String)] = []

    init(buffer: UnsafeBufferPointer<UInt8>, options: TasksDocument.Options) {
        self.s = buffer
        self.options = options
    }

    static func parse(_ bytes: [UInt8], options: TasksDocument.Options) -> ParsedTasks {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = TasksParser(buffer: buffer, options: options)
            return parser.parse(bytes)
        }
    }

    private mutating func parse(_ bytes: [UInt8]) -> ParsedTasks {
        let bom = s.count >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF
        let (lines, ending) = LineSplitter.split(s, from: bom ? 3 : 0)
        if let bad = UTF8Validation.firstInvalidOffset(s) {
            let index = lines.firstIndex(where: { $0.fullEnd > bad }) ?? max(lines.count - 1, 0)
            let column = bad - (lines.isEmpty ? 0 : lines[index].start) + 1
            diagnostics.append(Diagnostic(.error, line: index + 1, code: "not-utf8",
                "file is not valid UTF-8 (byte 0x\(String(s[bad], radix: 16, uppercase: true)) at column \(column))"))
            let document = TasksDocument(bytes: bytes, lines: lines, hasByteOrderMark: bom, lineEnding: ending,
                                         waves: [:], options: options)
            return ParsedTasks(document: document, tasks: [], headings: [], phases: [], headingBlocks: [:], diagnostics: diagnostics)
        }
        scan(lines)
        let waves = WaveGraph.read(graphBlocks, diagnostics: &diagnostics)
        let document = TasksDocument(bytes: bytes, lines: lines, hasByteOrderMark: bom, lineEnding: ending,
                                     waves: waves, options: options)
        return ParsedTasks(document: document, tasks: tasks, headings: headings, phases: phases, headingBlocks: headingBlocks,
                           diagnostics: diagnostics)
    }

    /// The task whose detail lines are being collected.
    private struct OpenTask {
        var index: Int
        var indent: Int
        var lastDetail: Int?
    }

    private struct OpenFence {
        var fence: FenceLine
        var isGraph: Bool
        var firstLine: Int
    }

    private mutating func scan(_ lines: [SourceLine]) {
        // Address space is cheap and untouched capacity costs no page faults; regrowing copies.
        tasks.reserveCapacity(lines.count / 2 + 16)
        var open: OpenTask?
        var fence: OpenFence?
        var inGraphSection = false
        // `## 2. Checkpoint - …` whose completion marker may be the id-less checkbox below it.
        var checkpointHeading: Int?
        var currentPhase: Int?
        // The numbered heading whose text (before any task) may hold its `_Blocked:_` line.
        var blockableHeading: Int?
        for (index, line) in lines.enumerated() {
            if let current = fence {
                if case .fence(let f) = LineClassifier.classify(s, line), f.character == current.fence.character,
                   f.length >= current.fence.length, f.isBare {
                    if current.isGraph { graphBlocks.append((current.firstLine + 2, text(lines[(current.firstLine + 1)..<index]))) }
                    fence = nil
                }
                if open != nil { open!.lastDetail = index }
                continue
            }
            let shape = LineClassifier.classify(s, line)
            switch shape {
            case .blank:
                continue
            case .fence(let f):
                checkpointHeading = nil
                blockableHeading = nil
                if let o = open, LineClassifier.indentation(s, line).width > o.indent {
                    open!.lastDetail = index
                } else {
                    close(&open)
                }
                let info = String(decoding: UnsafeBufferPointer(rebasing: s[f.infoString]), as: UTF8.self).lowercased()
                fence = OpenFence(fence: f, isGraph: inGraphSection && (info.isEmpty || info == "json"), firstLine: index)
            case .heading(let h):
                close(&open)
                let title = string(h.title)
                inGraphSection = title.lowercased().contains("dependency graph")
                checkpointHeading = nil
                blockableHeading = h.id == nil ? nil : index + 1
                if let p = currentPhase, h.level <= phases[p].level { currentPhase = nil }
                if h.isPhase, let id = h.id {
                    phases.append(PhaseHeading(entry: headingEntry(id: id, title: title, index: index, checkpoint: false), level: h.level))
                    currentPhase = phases.count - 1
                } else if let id = h.id, let p = currentPhase, SpecKitTaskLine.isSpecKitID(s, id) {
                    phases[p].headingTasks.append(index + 1)
                }
                if let id = h.id {
                    let checkpoint = Self.isCheckpoint(s, h.title)
                    headings.append(NumberedHeading(entry: headingEntry(id: id, title: title, index: index, checkpoint: checkpoint),
                                                    level: h.level))
                    if checkpoint { checkpointHeading = headings.count - 1 }
                }
            case .checkbox(let box) where box.hasBullet && box.id != nil:
                checkpointHeading = nil
                blockableHeading = nil
                close(&open)
                if let entry = checkboxEntry(box, index: index, line: line) {
                    tasks.append(TaskNode(entry: entry, parent: nil, children: [], unit: -1, dependencies: []))
                    open = OpenTask(index: tasks.count - 1, indent: box.indent, lastDetail: nil)
                    if let p = currentPhase, SpecKitTaskLine.isSpecKitID(s, box.id!) {
                        phases[p].members.append(index + 1)
                        // Phases already order a Spec Kit plan; a "Checkpoint: …" task in a story
                        // must not hold back the other stories.
                        tasks[tasks.count - 1].entry.metadata.isCheckpoint = false
                    }
                }
            case .checkbox(let box) where checkpointHeading != nil && box.hasBullet && box.marker.count == 1
                                        && Marker(byte: s[box.marker.lowerBound]) != nil:
                close(&open)
                let heading = headings.remove(at: checkpointHeading!)
                tasks.append(TaskNode(entry: checkpointEntry(heading.entry, box: box, index: index),
                                      parent: nil, children: [], unit: -1, dependencies: []))
                headingCheckpoints.append((heading, index))
                open = OpenTask(index: tasks.count - 1, indent: box.indent, lastDetail: nil)
                checkpointHeading = nil
            case .checkbox(let box):
                noteIdlessCheckbox(box, index: index)
                if currentPhase == nil { checklistLines.insert(index + 1) }
                continueOrClose(&open, indent: box.indent, index: index, line: line)
            case .text(let indent):
                // Only blank lines may stand between a checkpoint heading and its checkbox.
                checkpointHeading = nil
                if let heading = blockableHeading, open == nil, case .blocked(let reason)? = DetailMarkerParser.parse(s, line) {
                    headingBlocks[heading] = BlockedNote(reason: reason, lineIndex: index)
                }
                continueOrClose(&open, indent: indent, index: index, line: line)
            }
        }
        if let current = fence, current.isGraph {
            graphBlocks.append((current.firstLine + 2, text(lines[(current.firstLine + 1)...])))
        }
        close(&open)
        dropChecklistWarnings()
        undoHeadingCheckpoints()
    }

    /// In a Spec Kit plan (tasks numbered `T001` under phase headings), a checkbox without an id
    /// outside the phases is a checklist item (quality gates, success criteria), not a task
    /// whose id was forgotten.
    private mutating func dropChecklistWarnings() {
        guard !checklistLines.isEmpty, phases.contains(where: { !$0.members.isEmpty || !$0.headingTasks.isEmpty }) else { return }
        diagnostics.removeAll { $0.code == "checkbox-without-id" && checklistLines.contains($0.line ?? 0) }
    }

    /// A checkpoint heading whose id a written task has, or whose subtasks exist, keeps them:
    /// its checkbox goes back to being an id-less checkbox.
    private mutating func undoHeadingCheckpoints() {
        guard !headingCheckpoints.isEmpty else { return }
        let converted = Set(headingCheckpoints.map(\.heading.entry.id))
        var written: [TaskID: Int] = [:]
        var parents = Set<TaskID>()
        for task in tasks {
            if converted.contains(task.id), task.entry.origin != .heading { written[task.id, default: 0] += 1 }
            if let parent = task.id.parent { parents.insert(parent) }
        }
        for (heading, index) in headingCheckpoints.reversed() where written[heading.entry.id, default: 0] > 1 || parents.contains(heading.entry.id) {
            tasks.removeAll { $0.entry.line == index + 1 && $0.id == heading.entry.id }
            headings.insert(heading, at: headings.firstIndex { $0.entry.line > heading.entry.line } ?? headings.endIndex)
            diagnostics.append(Diagnostic(.warning, line: index + 1, code: "checkbox-without-id", "checkbox without a task id is not a task"))
        }
    }

    /// A line deeper than the open task is one of its detail lines, read for markers as it
    /// comes (lines inside a fence never reach here); any other line ends the task's details.
    private mutating func continueOrClose(_ open: inout OpenTask?, indent: Int, index: Int, line: SourceLine) {
        guard let o = open, indent > o.indent else { return close(&open) }
        open!.lastDetail = index
        if let marker = DetailMarkerParser.parse(s, line) { apply(marker, to: o.index, lineIndex: index) }
    }

    private mutating func close(_ open: inout OpenTask?) {
        guard let o = open else { return }
        let first = tasks[o.index].entry.lineIndex + 1
        tasks[o.index].entry.detailLines = first..<((o.lastDetail ?? first - 1) + 1)
        open = nil
    }

    private func text(_ lines: ArraySlice<SourceLine>) -> String {
        guard let first = lines.first, let last = lines.last else { return "" }
        return String(decoding: UnsafeBufferPointer(rebasing: s[first.start..<last.fullEnd]), as: UTF8.self)
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: s[range]), as: UTF8.self)
    }

    private func headingEntry(id: Range<Int>, title: String, index: Int, checkpoint: Bool) -> TaskEntry {
        var entry = TaskEntry(id: TaskID(validated: string(id)), title: title, line: index + 1, origin: .heading,
                              isOptional: false, indent: 0, detailLines: (index + 1)..<(index + 1),
                              metadata: TaskMetadata())
        entry.metadata.isCheckpoint = checkpoint
        return entry
    }

    /// A checkpoint written as a heading with an id-less checkbox under it: the heading gives
    /// the id and title, the checkbox the status, and the task's line is the checkbox's, where
    /// its marker and any `_Blocked:_` line are written.
    private func checkpointEntry(_ heading: TaskEntry, box: CheckboxLine, index: Int) -> TaskEntry {
        var entry = heading
        entry.line = index + 1
        entry.origin = .checkbox(marker: Marker(byte: s[box.marker.lowerBound])!, markerOffset: box.marker.lowerBound)
        entry.indent = box.indent
        entry.isOptional = box.isOptional
        entry.detailLines = (index + 1)..<(index + 1)
        return entry
    }

    private mutating func checkboxEntry(_ box: CheckboxLine, index: Int, line: SourceLine) -> TaskEntry? {
        guard let idRange = box.id else { return nil }
        let id = TaskID(validated: string(idRange))
        guard box.marker.count == 1, let marker = Marker(byte: s[box.marker.lowerBound]) else {
            diagnostics.append(Diagnostic(.error, line: index + 1, code: "unknown-marker",
                "task \(id) has an unknown status marker '[\(string(box.marker))]' (use [ ], [x], [-] or [~])"))
            return nil
        }
        var titleRange = box.title
        var metadata = TaskMetadata()
        metadata.isParallel = box.title.count >= 3 && s[box.title.upperBound - 3] == UInt8(ascii: "(")
            && s[box.title.upperBound - 2] == UInt8(ascii: "P") && s[box.title.upperBound - 1] == UInt8(ascii: ")")
        if SpecKitTaskLine.isSpecKitID(s, idRange) {
            let tags = SpecKitTaskLine.tags(s, title: box.title)
            titleRange = tags.titleStart..<box.title.upperBound
            metadata.isParallel = metadata.isParallel || tags.parallel
            metadata.story = tags.story
            let dependencies = SpecKitTaskLine.inlineDependencies(s, title: titleRange)
            if !dependencies.isEmpty { metadata.dependencies = dependencies.map { DependencyReference(target: $0, line: index + 1) } }
        }
        let title = string(titleRange)
        noteControlCharacter(in: titleRange, of: id, index: index)
        metadata.isCheckpoint = Self.isCheckpoint(s, titleRange)
        return TaskEntry(id: id, title: title, line: index + 1,
                         origin: .checkbox(marker: marker, markerOffset: box.marker.lowerBound),
                         isOptional: box.isOptional, indent: box.indent, detailLines: (index + 1)..<(index + 1),
                         metadata: metadata)
    }

    /// A control character in a title is shown escaped everywhere (and written so into commits):
    /// worth a warning, as the user most likely did not mean it.
    private mutating func noteControlCharacter(in title: Range<Int>, of id: TaskID, index: Int) {
        guard let at = title.first(where: { ControlCharacters.controlLength(s, at: $0, end: title.upperBound) > 0 }) else { return }
        let scalar = Unicode.Scalar(ControlCharacters.scalarValue(s, at: at, length: ControlCharacters.controlLength(s, at: at, end: title.upperBound)))!
        let position = s[title.lowerBound...at].filter { $0 & 0xC0 != 0x80 }.count
        diagnostics.append(Diagnostic(.warning, line: index + 1, code: "control-character",
            "task \(id)'s title holds a control character (\(ControlCharacters.name(scalar)) at position \(position)); it is shown escaped"))
    }

    private mutating func noteIdlessCheckbox(_ box: CheckboxLine, index: Int) {
        if !box.hasBullet {
            if let id = box.id {
                diagnostics.append(Diagnostic(.warning, line: index + 1, code: "not-a-list-item",
                    "'[\(string(box.marker))] \(string(id))' is not a list item, so it is not a task (start the line with '- ')"))
            }
        } else if box.marker.count == 1, Marker(byte: s[box.marker.lowerBound]) != nil {
            diagnostics.append(Diagnostic(.warning, line: index + 1, code: "checkbox-without-id",
                "checkbox without a task id is not a task"))
        }
    }

    static func isCheckpoint(_ s: UnsafeBufferPointer<UInt8>, _ title: Range<Int>) -> Bool {
        CheckpointTitles.matches(s, title)
    }

    private mutating func apply(_ marker: DetailMarker, to i: Int, lineIndex: Int) {
        let line = lineIndex + 1
        switch marker {
        case .requirements(let items): tasks[i].entry.metadata.requirements += items
        case .writes(let items):
            for item in items {
                switch WritePath.normalize(item) {
                case .success(let path):
                    if !tasks[i].entry.metadata.writes.contains(path) { tasks[i].entry.metadata.writes.append(path) }
                case .failure(.outsideRepository):
                    diagnostics.append(Diagnostic(.error, line: line, code: "writes-outside-repository",
                        "task \(tasks[i].entry.id) writes '\(item)', which is outside the repository (name files relative to its root)"))
                case .failure(.empty): break
                }
            }
        case .reads(let items): tasks[i].entry.metadata.reads += items
        case .blocked(let reason): tasks[i].entry.metadata.blocked = BlockedNote(reason: reason, lineIndex: lineIndex)
        case .boundary(let text): tasks[i].entry.metadata.boundary = text
        case .agent(let name): tasks[i].entry.metadata.agent = name
        case .criticality(let value):
            if let level = Criticality(rawValue: value.lowercased()) {
                tasks[i].entry.metadata.criticality = level
            } else {
                diagnostics.append(Diagnostic(.error, line: line, code: "invalid-criticality",
                    "unknown criticality '\(value)' for task \(tasks[i].entry.id) (use standard, complex or security-sensitive)"))
            }
        case .dependencies(let items):
            // `Dependency: current_superuser: CurrentSuperuser` is prose under a look-alike label:
            // a line is a dependency list only when something in it reads as a task id.
            guard items.contains(where: { DependencyText.target($0) != nil }) else { return }
            for item in items {
                if let target = DependencyText.target(item) {
                    tasks[i].entry.metadata.dependencies.append(DependencyReference(target: target, line: line))
                } else {
                    diagnostics.append(Diagnostic(.warning, line: line, code: "unreadable-dependency",
                        "cannot read dependency '\(item)' of task \(tasks[i].entry.id) as a task id; ignored"))
                }
            }
        }
    }
}

enum DependencyText {
    /// `2.1`, `Task 3`, `#4`, `2.1 (data model)`: the id a dependency item names, if any.
    static func target(_ item: String) -> TaskID? {
        var text = Substring(item.trimming(["[", "]", " "]))
        for prefix in ["task ", "tasks ", "#"] where text.lowercased().hasPrefix(prefix) {
            text = text.dropFirst(prefix.count)
        }
        let token = text.prefix(while: { $0 != " " && $0 != "\t" && $0 != "(" })
        let rest = text.dropFirst(token.count).drop(while: { $0 == " " || $0 == "\t" })
        guard rest.isEmpty || rest.first == "(" else { return nil }
        return TaskID(token)
    }
}
