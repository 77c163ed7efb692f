import PropertyBased
import SpecDispatchCore

/// A random task tree and the tasks.md text that expresses it, in one of the layouts real files
/// use (indented or column-0 subtasks, tabs, CRLF, BOM, `1.`/`1`/`1:` ids, heading parents).
public struct GeneratedSpec: Sendable, CustomStringConvertible {
    public struct Task: Sendable {
        public var id: String
        public var marker: Character  // " ", "x", "X", "-", "~"
        public var isOptional = false
        public var blockedReason: String?
        public var isHeading = false
        /// A heading parent under a higher heading claiming the same number (`## Phase 2: … (Tasks
        /// 2-3)` over `### Task 2: …`): the nearer one is the parent.
        public var hasRivalHeading = false
        /// A leaf written as a checkpoint heading over an id-less checkbox (`## 3. Checkpoint - …`).
        public var isCheckpointHeading = false
        public var dependsOn: [String] = []
        public var writes: [String] = []
        public var children: [Task] = []

        public init(id: String, marker: Character, isOptional: Bool = false, blockedReason: String? = nil,
                    isHeading: Bool = false, dependsOn: [String] = [], writes: [String] = [], children: [Task] = []) {
            self.id = id
            self.marker = marker
            self.isOptional = isOptional
            self.blockedReason = blockedReason
            self.isHeading = isHeading
            self.dependsOn = dependsOn
            self.writes = writes
            self.children = children
        }
    }

    public var units: [Task]
    public var lineEnding = "\n"
    public var indentUnit = "  "
    public var byteOrderMark = false
    public var finalNewline = true
    public var topLevelSuffix = "."

    public init(units: [Task]) {
        self.units = units
    }

    public var description: String { text }

    public var bytes: [UInt8] { Array(text.utf8) }

    public var text: String {
        var lines = ["# Implementation Plan", "", "Intro with a [link](x) and `code`.", ""]
        for unit in units {
            render(unit, depth: 0, into: &lines)
            lines.append("")
        }
        lines.append("## Notes")
        lines.append("- [ ] an acceptance checkbox without id")
        var text = lines.joined(separator: lineEnding)
        if finalNewline { text += lineEnding }
        return (byteOrderMark ? "\u{FEFF}" : "") + text
    }

    private func render(_ task: Task, depth: Int, into lines: inout [String]) {
        let indent = String(repeating: indentUnit, count: depth)
        let detail = indent + (indentUnit.isEmpty ? "  " : indentUnit)
        if task.isCheckpointHeading {
            lines.append("## \(task.id). Checkpoint - Ensure all tests pass")
            lines.append("")
            lines.append("- [\(task.marker)]\(task.isOptional ? "*" : "") Ensure all tests pass, ask the user if questions arise")
        } else if task.isHeading {
            if task.hasRivalHeading { lines.append("## Phase \(task.id): Group of \(task.id) (Tasks \(task.id)-\(task.id))") }
            lines.append("\(task.hasRivalHeading ? "###" : "##") \(task.id). Heading for \(task.id)")
        } else {
            let suffix = depth == 0 ? topLevelSuffix : ""
            lines.append("\(indent)- [\(task.marker)]\(task.isOptional ? "*" : "") \(task.id)\(suffix) Title of \(task.id) with ünïcødé")
            lines.append("\(detail)- Detail prose for \(task.id)")
            if let reason = task.blockedReason { lines.append("\(detail)- _Blocked: \(reason)_") }
            if !task.dependsOn.isEmpty { lines.append("\(detail)- depends on: \(task.dependsOn.joined(separator: ", "))") }
            if !task.writes.isEmpty { lines.append("\(detail)- _writes: \(task.writes.joined(separator: ", "))_") }
            lines.append("\(detail)- _Requirements: 1.\(task.id.count)_")
        }
        for child in task.children { render(child, depth: task.isHeading ? 0 : depth + 1, into: &lines) }
    }

    /// Every task, depth-first in file order.
    public var allTasks: [Task] {
        var result: [Task] = []
        func walk(_ t: Task) {
            result.append(t)
            t.children.forEach(walk)
        }
        units.forEach(walk)
        return result
    }

    public func task(_ id: String) -> Task? { allTasks.first { $0.id == id } }
}

extension GeneratedSpec {
    /// Status as docs/tasks-format.md ("Status") states it, computed on the model (not on parsed text).
    /// docs/tasks-format.md: a checkbox task whose subtasks are all optional carries its own work.
    public static func carriesOwnWork(_ task: Task) -> Bool {
        !task.children.isEmpty && !task.isHeading && task.children.allSatisfy(\.isOptional)
    }

    public static func expectedStatus(_ task: Task) -> TaskStatus {
        if carriesOwnWork(task), task.children.allSatisfy({ expectedStatus($0) == .completed }) { return .completed }
        if task.children.isEmpty || carriesOwnWork(task) {
            if task.marker == "x" || task.marker == "X" { return .completed }
            if task.blockedReason != nil { return .blocked }
            return task.marker == "-" ? .inProgress : .notStarted
        }
        if !task.isHeading, task.marker == "x" || task.marker == "X" { return .completed }
        let kids = task.children.map { (status: expectedStatus($0), optional: $0.isOptional) }
        let required = kids.contains { !$0.optional } ? kids.filter { !$0.optional } : kids
        if required.allSatisfy({ $0.status == .completed }) { return .completed }
        if kids.contains(where: { $0.status == .blocked }) { return .blocked }
        if kids.contains(where: { $0.status == .inProgress }) { return .inProgress }
        return .notStarted
    }
}

public enum SpecGen {
    /// The shapes the invariants are checked on, for `@Test(arguments:)`.
    public enum Layouts: String, CaseIterable, Sendable, CustomStringConvertible {
        case standard, realWorld
        public var shape: Shape { self == .standard ? Shape() : .realWorld }
        public var description: String { rawValue }
    }

    public struct Shape: Sendable {
        public var maxUnits = 8
        public var maxChildren = 12
        public var groupChance = 0.65
        public var grandchildChance = 0.15
        public var headingParentChance = 0.1
        public var dependencyChance = 0.25
        public var markers: [Character] = [" ", " ", "x", "X", "-", "~"]
        public var optionalChance = 0.2
        public var blockedChance = 0.1
        public var shuffleSiblings = true
        public var variedLayout = true
        public var writesChance = 0.0
        /// Shapes seen in the wild (docs/tasks-format.md): groups whose subtasks are all optional,
        /// heading parents under a rival heading, checkpoints written as headings.
        public var optionalOnlyGroupChance = 0.0
        public var rivalHeadingChance = 0.0
        public var checkpointHeadingChance = 0.0

        public init() {}

        /// The default shape plus the real-world ones above, each often enough to matter.
        public static var realWorld: Shape {
            var shape = Shape()
            shape.optionalOnlyGroupChance = 0.25
            shape.headingParentChance = 0.3
            shape.rivalHeadingChance = 0.5
            shape.checkpointHeadingChance = 0.15
            return shape
        }
    }

    public static func spec(_ shape: Shape = Shape()) -> Generator<GeneratedSpec, Shrink.None<GeneratedSpec>> {
        Generator { rng in make(shape, &rng) }
    }

    public static func flatSpec() -> Generator<GeneratedSpec, Shrink.None<GeneratedSpec>> {
        var shape = Shape()
        shape.groupChance = 0
        shape.maxUnits = 20
        return spec(shape)
    }

    private static func chance(_ p: Double, _ rng: inout any SeededRandomNumberGenerator) -> Bool {
        Double.random(in: 0..<1, using: &rng) < p
    }

    public static func make(_ shape: Shape, _ rng: inout any SeededRandomNumberGenerator) -> GeneratedSpec {
        let unitCount = Int.random(in: 1...shape.maxUnits, using: &rng)
        var units: [GeneratedSpec.Task] = []
        var earlier: [String] = []
        for u in 1...unitCount {
            var unit = leaf(String(u), shape, &rng)
            if chance(shape.groupChance, &rng) {
                let count = Int.random(in: 1...shape.maxChildren, using: &rng)
                var children = (1...count).map { leaf("\(u).\($0)", shape, &rng) }
                for c in children.indices where chance(shape.grandchildChance, &rng) {
                    children[c].children = (1...Int.random(in: 1...3, using: &rng)).map { leaf("\(children[c].id).\($0)", shape, &rng) }
                    children[c].blockedReason = nil
                }
                if chance(shape.optionalOnlyGroupChance, &rng) {
                    for c in children.indices { children[c].isOptional = true }
                }
                if shape.shuffleSiblings { children.shuffle(using: &rng) }
                unit.children = children
                unit.blockedReason = nil
                unit.isHeading = chance(shape.headingParentChance, &rng)
                if unit.isHeading {
                    unit.isOptional = false
                    unit.hasRivalHeading = chance(shape.rivalHeadingChance, &rng)
                }
            } else if chance(shape.checkpointHeadingChance, &rng) {
                unit.isCheckpointHeading = true
                unit.blockedReason = nil
            }
            if !earlier.isEmpty, chance(shape.dependencyChance, &rng) {
                unit.dependsOn = [earlier.randomElement(using: &rng)!]
                if unit.isHeading, !unit.children.isEmpty { unit.children[0].dependsOn = unit.dependsOn; unit.dependsOn = [] }
                if unit.isCheckpointHeading { unit.dependsOn = [] }
            }
            earlier += [unit.id] + unit.children.map(\.id)
            units.append(unit)
        }
        var spec = GeneratedSpec(units: units)
        if shape.variedLayout {
            spec.lineEnding = chance(0.3, &rng) ? "\r\n" : chance(0.15, &rng) ? "\r" : "\n"
            spec.indentUnit = ["  ", "    ", "\t", ""].randomElement(using: &rng)!
            spec.byteOrderMark = chance(0.15, &rng)
            spec.finalNewline = chance(0.8, &rng)
            spec.topLevelSuffix = [".", "", ":"].randomElement(using: &rng)!
        }
        return spec
    }

    private static func leaf(_ id: String, _ shape: Shape, _ rng: inout any SeededRandomNumberGenerator) -> GeneratedSpec.Task {
        var task = GeneratedSpec.Task(id: id, marker: shape.markers.randomElement(using: &rng)!)
        task.isOptional = chance(shape.optionalChance, &rng)
        if chance(shape.blockedChance, &rng), task.marker != "x", task.marker != "X" { task.blockedReason = "waiting on \(id)" }
        return task
    }
}
