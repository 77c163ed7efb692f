import GitKit
import SpecDispatchCore

/// The `dispatch.*` git config keys (per repo, per user, or an included file), with defaults
/// that need no configuring. docs/configuration.md lists them.
public struct DispatchSettings: Sendable {
    /// `dispatch.specsDir`: where spec folders live; unset, both default folders
    /// (`specsDirectories`).
    public var specsDirectory = ".kiro/specs"
    /// Whether `dispatch.specsDir` was set, rather than chosen by what the repository holds.
    public private(set) var specsDirectoryIsConfigured = false
    /// `dispatch.base`: the branch units are dispatched from and merged into; default: the branch
    /// checked out in the main working tree.
    public var baseBranch: String?
    /// `dispatch.tilde`: how `[~]` reads (queued or blocked).
    public var tilde: TildeMeaning = .queued
    /// `dispatch.maxWindows`: cap on open windows.
    public var maxWindows = 9
    /// `dispatch.worktreeDir`: where windows go; default `<repo-parent>/<repo-name>.dispatch`.
    public var worktreeDirectory: String?
    /// `dispatch.maxFixAttempts`: rejections before a unit is escalated to a person.
    public var maxFixAttempts = 3
    /// `dispatch.approvals.<criticality>`: approvals a unit needs (standard 1, complex 2, security-sensitive 2).
    public var approvals: [Criticality: Int] = [:]
    /// `dispatch.remote`: the shared remote claims go through (`next --remote` overrides).
    public var remote: String?
    /// `dispatch.pushProgress`: windows push their branch to the remote as commits land.
    public var pushProgress = false
    /// `dispatch.staleClaimDays`: how many days a claim on the remote may stay unmoved, with no
    /// window here, before `doctor --remote` and `gc --remote` take its machine for gone.
    public var staleClaimDays = 14
    /// `dispatch.transport`: how fetches and pushes reach the remote; nil chooses by its URL
    /// (RemoteTransport: the user's git for ssh, libgit2 otherwise).
    var transport: RemoteTransport.Kind?
    /// `dispatch.agent`: the agent to run when neither `--agent` nor the unit's `_agent:` names one.
    public var defaultAgent: String?
    /// `dispatch.agent.<name>.command`: how to start each agent (a shell command, run in the window).
    public var agentCommands: [String: String] = [:]
    /// `dispatch.reviewer.command`: what `run` starts to review a unit.
    public var reviewerCommand: String?
    /// `dispatch.tmux.session`: the tmux session `next --tmux` opens windows in.
    public var tmuxSession = "spec-dispatch"
    /// `dispatch.setup.copy` (several): patterns of git-ignored files to copy into each new window,
    /// beside those of `.worktreeinclude`.
    public var setupCopy: [String] = []
    /// `dispatch.setup.run`: a command run in each new window before its payload is written.
    public var setupRun: String?
    /// `dispatch.stopGrace`: seconds a stopped agent or reviewer gets between SIGTERM and SIGKILL.
    public var stopGrace: Double = 10

    public init() {}

    public init(config: Config) throws {
        do {
            if let value = try config.string("dispatch.specsDir") {
                specsDirectory = value.trimmingSlashes()
                specsDirectoryIsConfigured = true
            }
            baseBranch = try config.string("dispatch.base")
            if let value = try config.string("dispatch.tilde") {
                guard let meaning = TildeMeaning(rawValue: value.lowercased()) else {
                    throw DispatchError.invalidInput("bad value '\(value)' for dispatch.tilde (use queued or blocked)")
                }
                tilde = meaning
            }
            if let value = try config.int("dispatch.maxWindows") {
                guard value >= 1 else {
                    throw DispatchError.invalidInput("bad value '\(value)' for dispatch.maxWindows (use a number of at least 1)")
                }
                maxWindows = value
            }
            worktreeDirectory = try config.string("dispatch.worktreeDir")
            if let value = try config.int("dispatch.maxFixAttempts") {
                guard value >= 1 else {
                    throw DispatchError.invalidInput("bad value '\(value)' for dispatch.maxFixAttempts (use a number of at least 1)")
                }
                maxFixAttempts = value
            }
            remote = try config.string("dispatch.remote")
            pushProgress = try config.bool("dispatch.pushProgress") ?? false
            if let value = try config.int("dispatch.staleClaimDays") {
                guard value >= 0 else {
                    throw DispatchError.invalidInput("bad value '\(value)' for dispatch.staleClaimDays (use a number of days, 0 or more)")
                }
                staleClaimDays = value
            }
            if let value = try config.string("dispatch.transport"), value != "auto" {
                guard let kind = RemoteTransport.Kind(rawValue: value) else {
                    throw DispatchError.invalidInput("bad value '\(value)' for dispatch.transport (use auto, git or libgit2)")
                }
                transport = kind
            }
            defaultAgent = try config.string("dispatch.agent")
            for entry in try config.entries(matching: "^dispatch\\.agent\\..*\\.command$") {
                let name = entry.name.dropFirst("dispatch.agent.".count).dropLast(".command".count)
                agentCommands[String(name)] = entry.value
            }
            reviewerCommand = try config.string("dispatch.reviewer.command")
            if let session = try config.string("dispatch.tmux.session"), !session.isEmpty { tmuxSession = session }
            setupCopy = try config.strings("dispatch.setup.copy")
            setupRun = try config.string("dispatch.setup.run")
            if let value = try config.string("dispatch.stopGrace") {
                guard let seconds = Double(value), seconds >= 0, seconds.isFinite else {
                    throw DispatchError.invalidInput("bad value '\(value)' for dispatch.stopGrace (use a number of seconds, like 10 or 0.5)")
                }
                stopGrace = seconds
            }
            for level in Criticality.allCases {
                if let value = try config.int("dispatch.approvals.\(level.rawValue)") {
                    guard value >= 1 else {
                        throw DispatchError.invalidInput("bad value '\(value)' for dispatch.approvals.\(level.rawValue) (use a number of at least 1)")
                    }
                    approvals[level] = value
                }
            }
        } catch let error as GitError {
            throw DispatchError.invalidInput("bad configuration: \(error.message)")
        }
    }
}

extension String {
    func trimmingSlashes() -> String {
        var s = Substring(self)
        while s.hasSuffix("/") { s = s.dropLast() }
        while s.hasPrefix("./") { s = s.dropFirst(2) }
        return String(s)
    }
}

extension DispatchSettings {
    /// Kiro keeps its specs in `.kiro/specs`, Spec Kit in `specs`.
    static let defaultSpecsDirectories = [".kiro/specs", "specs"]

    /// Where spec folders are looked for: `dispatch.specsDir`, else both default folders.
    var specsDirectories: [String] { specsDirectoryIsConfigured ? [specsDirectory] : Self.defaultSpecsDirectories }

    /// Where specs were looked for, for messages.
    var specsDirectoryDescription: String {
        specsDirectories.map { $0.isEmpty ? "*/tasks.md" : "\($0)/*/tasks.md" }.joined(separator: " or ")
    }

    /// The spec `name` as `commit` holds it: in the specs folder with `<name>/tasks.md` there
    /// (the first folder when none has). Windows and hooks ask with their branch's tip, the board
    /// with the base: the same tree the command reads tasks.md from. A name in two folders is an
    /// error: a window finds its spec by name, and must never find the other one.
    func spec(named name: String, at commit: ObjectID, in repository: Repository) throws -> Spec {
        let candidates = candidates(named: name)
        guard candidates.count > 1 else { return candidates[0] }
        let present = candidates.filter { ((try? repository.blobID(atPath: $0.tasksPath, inCommit: commit)) ?? nil) != nil }
        if present.count > 1 { throw Self.ambiguous(name, present) }
        return present.first ?? candidates[0]
    }

    /// Where a spec of this name may be: one place per specs folder.
    func candidates(named name: String) -> [Spec] {
        specsDirectories.map { Spec(name: name, directory: $0.isEmpty ? name : "\($0)/\(name)") }
    }

    static func ambiguous(_ name: String, _ specs: [Spec]) -> DispatchError {
        .invalidInput("spec name '\(name)' is in \(specs.map(\.tasksPath).joined(separator: " and ")); windows find their spec by name",
                      details: ["hint: rename one of the folders, or set dispatch.specsDir to the one to use"])
    }
}
