import PropertyBased

/// A random Spec Kit plan (phases of `T001`-numbered tasks with `[P]`/`[USn]` tags and inline
/// `depends on` clauses, around the prose, legend and checklists Spec Kit writes) and its model.
public struct GeneratedSpecKit: Sendable, CustomStringConvertible {
    public struct Task: Sendable {
        public var id: String
        public var marker: Character  // " ", "x", "X", "-"
        public var parallel = false
        /// Written as `[USn]` when the phase is a story and the tag is not left out.
        public var story: String?
        public var dependsOn: [String] = []
    }

    public struct Phase: Sendable {
        public var number: Int
        public var isStory: Bool
        /// A story phase named only by its tasks' tags (its title does not say "User Story").
        public var storyByTagsOnly = false
        public var name: String
        public var tasks: [Task]
    }

    public var phases: [Phase]
    public var lineEnding = "\n"

    public var description: String { text }
    public var bytes: [UInt8] { Array(text.utf8) }

    public var text: String {
        var lines = ["# Tasks: Generated feature", "", "**Input**: Design documents from `/specs/001-generated/`", "",
                     "## Format: `[ID] [P?] [Story] Description`", "", "- **[P]**: Can run in parallel (different files, no dependencies)",
                     "- [P] tasks = different files, no dependencies", ""]
        for phase in phases {
            lines.append("## Phase \(phase.number): \(phase.name)")
            lines.append("")
            lines.append("**Purpose**: what phase \(phase.number) is for")
            lines.append("")
            if phase.isStory { lines += ["### Implementation for \(phase.name)", ""] }
            for task in phase.tasks {
                var line = "- [\(task.marker)] \(task.id)"
                if task.parallel { line += " [P]" }
                if let story = task.story { line += " [\(story)]" }
                line += " Build the part of \(task.id) in src/\(task.id.lowercased()).ts"
                if !task.dependsOn.isEmpty {
                    line += task.dependsOn.count == 1 && task.id.hasSuffix("1") ? " (depends on \(task.dependsOn[0]))"
                        : " — depends on \(task.dependsOn.joined(separator: ", "))"
                }
                lines.append(line)
            }
            lines += ["", "**Checkpoint**: phase \(phase.number) works on its own", "", "---", ""]
        }
        lines += ["## Dependencies & Execution Order", "", "### Phase Dependencies", "",
                  "- **Setup (Phase 1)**: No dependencies - can start immediately", "",
                  "## Checklist", "", "- [ ] All tests pass", "- [x] Lint is clean"]
        return lines.joined(separator: lineEnding) + lineEnding
    }

    public var allTasks: [Task] { phases.flatMap(\.tasks) }

    public func phase(of taskID: String) -> Phase? { phases.first { $0.tasks.contains { $0.id == taskID } } }

    /// Phase numbers each phase waits for, directly or not: every earlier phase except the stories
    /// of its own run of stories (no other phase between them), and the phases of the tasks its
    /// tasks depend on.
    public var expectedWaits: [Int: Set<Int>] {
        var direct: [Int: Set<Int>] = [:]
        for (i, phase) in phases.enumerated() {
            var waits = Set(phases.indices.filter { j in j < i && !(phase.isStory && phases[j...i].allSatisfy(\.isStory)) }
                .map { phases[$0].number })
            for task in phase.tasks {
                for dependency in task.dependsOn {
                    if let other = self.phase(of: dependency), other.number != phase.number { waits.insert(other.number) }
                }
            }
            direct[phase.number] = waits
        }
        var closure = direct
        var changed = true
        while changed {
            changed = false
            for (phase, waits) in closure {
                let grown = waits.union(waits.flatMap { closure[$0] ?? [] })
                if grown != waits { closure[phase] = grown; changed = true }
            }
        }
        return closure
    }
}

public enum SpecKitGen {
    public static func plan() -> Generator<GeneratedSpecKit, Shrink.None<GeneratedSpecKit>> {
        Generator { rng in make(&rng) }
    }

    private static func chance(_ p: Double, _ rng: inout any SeededRandomNumberGenerator) -> Bool {
        Double.random(in: 0..<1, using: &rng) < p
    }

    public static func make(_ rng: inout any SeededRandomNumberGenerator) -> GeneratedSpecKit {
        let count = Int.random(in: 1...7, using: &rng)
        var phases: [GeneratedSpecKit.Phase] = []
        var number = 0
        var stories = 0
        var earlier: [String] = []
        for p in 1...count {
            let isStory = chance(0.5, &rng)
            if isStory { stories += 1 }
            let name = isStory ? "User Story \(stories) - Story number \(stories) (Priority: P\(stories))"
                : ["Setup (Shared Infrastructure)", "Foundational (Blocking Prerequisites)", "Polish & Cross-Cutting Concerns",
                   "Integration"].randomElement(using: &rng)!
            var phase = GeneratedSpecKit.Phase(number: p, isStory: isStory, name: name, tasks: [])
            if isStory, chance(0.3, &rng) {
                phase.storyByTagsOnly = true
                phase.name = "Sign-in flow number \(stories) (Priority: P\(stories))"
            }
            var inPhase: [String] = []
            for _ in 1...Int.random(in: 1...6, using: &rng) {
                number += 1
                let id = "T" + String(repeating: "0", count: max(0, 3 - String(number).count)) + String(number)
                    + (chance(0.1, &rng) ? "a" : "")
                var task = GeneratedSpecKit.Task(id: id, marker: [" ", " ", "x", "X", "-"].randomElement(using: &rng)!)
                task.parallel = chance(0.4, &rng)
                if isStory, phase.storyByTagsOnly || chance(0.8, &rng) { task.story = "US\(stories)" }
                let pool = inPhase + (chance(0.3, &rng) ? earlier : [])
                if !pool.isEmpty, chance(0.35, &rng) {
                    task.dependsOn = Array(Set((0..<Int.random(in: 1...2, using: &rng)).map { _ in pool.randomElement(using: &rng)! })).sorted()
                }
                inPhase.append(id)
                phase.tasks.append(task)
            }
            // A phase named by tags alone needs a tag on every task, so it reads as a story.
            earlier += inPhase
            phases.append(phase)
        }
        var plan = GeneratedSpecKit(phases: phases)
        plan.lineEnding = chance(0.2, &rng) ? "\r\n" : "\n"
        return plan
    }
}
