/// `payload.json`: schema `spec-dispatch.payload/1` (docs/json.md).
public enum PayloadJSON {
    public static let schema = "spec-dispatch.payload/1"

    public static func render(_ p: DispatchPayload) -> [UInt8] {
        var w = JSONWriter(pretty: true)
        w.object { w in
            w.string("schema", schema)
            w.key("unit")
            w.object { w in
                w.string("id", p.unitID.text)
                w.string("title", p.title)
                w.string("kind", p.kind.rawValue)
                w.strings("details", p.details)
            }
            w.key("steps")
            w.array { w in
                for step in p.steps { write(step, into: &w) }
            }
            w.key("resume")
            w.object { w in
                w.strings("completed", p.completedSteps.map(\.text))
                w.string("current", p.currentStep?.text)
            }
            w.key("spec")
            w.object { w in
                w.string("name", p.spec.name)
                w.string("requirements", p.spec.requirements)
                w.string("design", p.spec.design)
                w.string("tasks", p.spec.tasks)
            }
            w.key("metadata")
            w.object { w in
                w.string("criticality", p.criticality.rawValue)
                w.string("agent", p.agent)
                w.string("boundary", p.boundary)
                w.strings("writes", p.writes)
                w.strings("reads", p.reads)
                w.strings("requirements", p.requirements)
                w.strings("dependencies", p.dependencies.map(\.text))
                w.strings("coordinate_with", p.coordinateWith.map(\.text))
            }
            w.string("branch", p.placement.branch)
            w.string("start_commit", p.placement.startCommit)
            w.key("base")
            w.object { w in
                w.string("ref", p.placement.baseReference)
                w.string("commit", p.placement.baseCommit)
            }
            w.string("window", p.placement.window)
            w.string("agent", p.placement.agent)
            w.string("dispatched_at", p.placement.dispatchedAt)
        }
        return w.bytes + [0x0A]
    }

    private static func write(_ step: DispatchPayload.Step, into w: inout JSONWriter) {
        w.object { w in
            w.int("number", step.number)
            w.string("id", step.id.text)
            w.string("title", step.title)
            w.strings("details", step.details)
            w.bool("optional", step.isOptional)
            w.string("status", step.status.rawValue)
            w.int("depth", step.depth)
            w.bool("group", step.isGroup)
            w.strings("requirements", step.requirements)
            w.strings("writes", step.writes)
            w.strings("reads", step.reads)
            w.string("blocked_reason", step.blockedReason)
            w.bool("parallel", step.isParallel)
            w.string("story", step.story)
        }
    }
}
