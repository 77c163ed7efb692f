/// What an agent, a setup command or a reviewer learns about its unit: environment variables
/// only. Nothing from tasks.md is ever put into a command line.
public enum AgentEnvironment {
    public static func variables(spec: String, unit: String, window: String, branch: String) -> [String: String] {
        let folder = "\(window)/\(IgnoreRule.folder)"
        return [
            "DISPATCH_SPEC": spec,
            "DISPATCH_UNIT": unit,
            "DISPATCH_BRANCH": branch,
            "DISPATCH_WORKTREE": window,
            "DISPATCH_PAYLOAD": "\(folder)/\(WindowFiles.payloadName)",
            "DISPATCH_PROMPT": "\(folder)/\(WindowFiles.promptName)",
        ]
    }

    public static func variables(for unit: DispatchedUnit) -> [String: String] {
        variables(spec: unit.spec, unit: unit.unit.text, window: unit.window, branch: unit.branch)
    }
}
