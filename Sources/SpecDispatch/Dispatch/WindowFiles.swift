import GitKit
import SpecDispatchCore

/// The files `next` writes into a window's ignored `.dispatch/` folder: the prompt, then the
/// payload. The payload goes last: its presence means the window is complete.
enum WindowFiles {
    static let payloadName = "payload.json"
    static let promptName = "prompt.md"

    struct Written {
        var payload: String
        var prompt: String
    }

    /// Renders the unit's payload and its prompt (the template read at `templatesAt`, the base)
    /// and writes both into `window`.
    static func write(unit: DispatchUnit, of tree: TaskTree, spec: Spec, placement: DispatchPayload.Placement,
                      repository: Repository, templatesAt base: ObjectID, into window: String, fault: FaultInjection) throws -> Written {
        let documents = spec.documents(at: base, in: repository)
        let payload = DispatchPayload(
            unit: unit, tree: tree,
            spec: .init(name: spec.name, requirements: documents.requirements, design: documents.design, tasks: spec.tasksPath),
            placement: placement)
        let prompt = try PromptTemplates(repository: repository, base: base).render("unit", payload: payload)
        return try write(payload, prompt: prompt, into: window, fault: fault)
    }

    private static func write(_ payload: DispatchPayload, prompt: String, into window: String, fault: FaultInjection) throws -> Written {
        let folder = "\(window)/\(IgnoreRule.folder)"
        let written = Written(payload: "\(folder)/\(payloadName)", prompt: "\(folder)/\(promptName)")
        try FileTree.writeAtomically(Array(prompt.utf8), to: written.prompt)
        fault.checkpoint(.promptWritten)
        try FileTree.writeAtomically(PayloadJSON.render(payload), to: written.payload)
        fault.checkpoint(.payloadWritten)
        return written
    }
}

/// Prompt templates: a repository's override in `.spec-dispatch/templates/<name>.md.mustache`
/// (read from the base commit, like the spec), else the one shipped in `Templates/prompts/`.
struct PromptTemplates {
    let repository: Repository
    let base: ObjectID

    static let overrideFolder = ".spec-dispatch/templates"

    func text(named name: String) throws -> String {
        let file = "\(name).md.mustache"
        if let bytes = try git({ try repository.blob(atPath: "\(Self.overrideFolder)/\(file)", inCommit: base) })?.bytes {
            return String(decoding: bytes, as: UTF8.self)
        }
        return String(decoding: try TemplateLibrary.locate().prompt(file), as: UTF8.self)
    }

    func render(_ name: String, payload: DispatchPayload) throws -> String {
        try render(name, context: PromptRenderer.context(for: payload))
    }

    func render(_ name: String, context: [String: Any]) throws -> String {
        do {
            return try PromptRenderer.render(template: try text(named: name), context: context)
        } catch let error as PromptRenderer.TemplateError {
            throw DispatchError.invalidInput("template \(name).md.mustache: \(error.description)")
        }
    }
}
