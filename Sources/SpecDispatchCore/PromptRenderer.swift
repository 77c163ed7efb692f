import Mustache

/// Renders a unit's prompt from a Mustache template (docs/templates.md lists the variables).
/// Templates are logic-less, so a repository's override can change wording, never behaviour.
public enum PromptRenderer {
    public struct TemplateError: Error, CustomStringConvertible {
        public var description: String
    }

    public static func render(template: String, payload: DispatchPayload, extra: [String: Any] = [:]) throws -> String {
        try render(template: template, context: context(for: payload).merging(extra) { _, new in new })
    }

    /// Renders any context (review and fix prompts build their own).
    public static func render(template: String, context: [String: Any]) throws -> String {
        let parsed: MustacheTemplate
        do {
            parsed = try MustacheTemplate(string: template)
        } catch {
            throw TemplateError(description: "cannot read the template: \(error)")
        }
        return parsed.render(context)
    }

    private static func shortName(_ reference: String?) -> String? {
        reference.map(BranchName.short)
    }

    /// The template's variables, built from the payload.
    public static func context(for p: DispatchPayload) -> [String: Any] {
        let completed = Set(p.completedSteps)
        let steps: [[String: Any]] = p.steps.map { step in
            [
                "number": step.number, "id": step.id.text, "title": step.title,
                "details": step.details, "hasDetails": !step.details.isEmpty,
                "optional": step.isOptional, "status": step.status.rawValue,
                "done": completed.contains(step.id) || (step.isGroup && step.status == .completed),
                "current": step.id == p.currentStep, "group": step.isGroup,
                "blocked": step.blockedReason != nil, "blockedReason": step.blockedReason ?? "",
                "indent": String(repeating: "   ", count: max(0, step.depth - 1)),
                "requirements": step.requirements.joined(separator: ", "),
                "writes": step.writes.joined(separator: ", "),
                "parallel": step.isParallel, "story": step.story ?? "", "hasStory": step.story != nil,
            ]
        }
        let unit: [String: Any] = [
            "id": p.unitID.text, "title": p.title, "kind": p.kind.rawValue,
            "isStandalone": p.kind == .standalone, "details": p.details, "hasDetails": !p.details.isEmpty,
            "isHeading": p.unitIsHeading,
        ]
        let resume: [String: Any] = [
            "isResuming": !p.completedSteps.isEmpty, "completed": p.completedSteps.map(\.text).joined(separator: ", "),
            "completedPhrase": p.completedSteps.count == 1 ? "Step \(p.completedSteps[0]) is" : "Steps \(p.completedSteps.map(\.text).joined(separator: ", ")) are",
            "current": p.currentStep?.text ?? "", "hasCurrent": p.currentStep != nil,
        ]
        return [
            "unit": unit, "steps": steps, "hasParallelSteps": p.steps.contains { $0.isParallel }, "stepCount": p.steps.count, "stepsWord": p.steps.count == 1 ? "step" : "steps", "resume": resume,
            "spec": ["name": p.spec.name, "requirements": p.spec.requirements, "design": p.spec.design, "tasks": p.spec.tasks],
            "criticality": p.criticality.rawValue, "agent": p.agent ?? "", "boundary": p.boundary ?? "",
            "hasBoundary": p.boundary != nil,
            "writes": p.writes.joined(separator: ", "), "hasWrites": !p.writes.isEmpty,
            "reads": p.reads.joined(separator: ", "), "hasReads": !p.reads.isEmpty,
            "requirements": p.requirements.joined(separator: ", "), "hasRequirements": !p.requirements.isEmpty,
            "dependencies": p.dependencies.map(\.text).joined(separator: ", "), "hasDependencies": !p.dependencies.isEmpty,
            "coordinateWith": p.coordinateWith.map(\.text).joined(separator: ", "), "hasCoordinateWith": !p.coordinateWith.isEmpty,
            "branch": p.placement.branch, "base": shortName(p.placement.baseReference) ?? p.placement.baseCommit,
            "baseCommit": p.placement.baseCommit, "window": p.placement.window,
        ]
    }
}
