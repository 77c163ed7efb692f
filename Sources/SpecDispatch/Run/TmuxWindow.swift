import Foundation
#if canImport(Glibc)
import Glibc
#endif
import SpecDispatchCore

/// A unit's tmux window, recorded in its `.dispatch/tmux` (the server's socket and the window's
/// id) when spec-dispatch opens it, so that it closes with the unit (DispatchState.remove), and
/// `open --tmux` and `resume --tmux` find it again. The window carries the worktree's path in
/// its `@spec-dispatch-window` option: a window id the server has since given to another
/// window is never taken for it.
///
/// An agent's pane stays after the agent exits (`remain-on-exit`), and its output is appended
/// to `.dispatch/agent.log` (`pipe-pane`) as well. The agent waits on a tmux channel until
/// both are set, so none of its output comes before the log does.
struct TmuxWindow: Sendable {
    var socket: String
    /// The window id, `@3`.
    var id: String
    var session: String

    static let fileName = "tmux"
    static let marker = "@spec-dispatch-window"

    /// For `tmux attach -t`: the session, and the window to show.
    var target: String { "\(session):\(id)" }

    static func recorded(in window: String) -> TmuxWindow? {
        guard let bytes = FileTree.contents("\(window)/\(IgnoreRule.folder)/\(fileName)") else { return nil }
        let fields = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        guard fields.count >= 3, fields[1].hasPrefix("@") else { return nil }
        return TmuxWindow(socket: fields[0], id: fields[1], session: fields[2])
    }

    private func record(in window: String) throws {
        try FileTree.writeAtomically(Array("\(socket)\n\(id)\n\(session)\n".utf8), to: "\(window)/\(IgnoreRule.folder)/\(Self.fileName)")
    }

    /// Opens a window `task-<id>` in `session` (created when absent) at the unit's worktree, with
    /// its `DISPATCH_*` variables: running `command` (an agent; `log` gets its output too), or a
    /// shell. `starting` gets the pid of the pane's process before the agent is let start.
    static func open(_ unit: RunUnit, session: String, command: String?, extra: [String: String], log: String?,
                     starting: (Int32) throws -> Void) throws -> TmuxWindow {
        let name = "task-\(unit.naming.unit)"
        let channel = "spec-dispatch-\(UUID().uuidString)"
        let exists = try tmux(["has-session", "-t", "=\(session)"]) == 0
        let creation = exists ? ["new-window", "-d", "-t", "=\(session):", "-n", name] : ["new-session", "-d", "-s", session, "-n", name]
        let output = "\(unit.window)/\(IgnoreRule.folder)/tmux.out"
        defer { try? FileTree.remove(output) }
        let arguments = creation + ["-P", "-F", "#{socket_path}\t#{window_id}\t#{pane_pid}\t#{session_name}", "-c", unit.window]
            + environment(unit, extra) + (command.map { gated($0, channel: channel) } ?? [])
        guard try tmux(arguments, output: output) == 0,
              let fields = FileTree.contents(output).map({ String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .newlines).components(separatedBy: "\t") }),
              fields.count == 4, let pid = Int32(fields[2]) else {
            throw DispatchError.failure("tmux could not open window \(name) in session \(session)")
        }
        let window = TmuxWindow(socket: fields[0], id: fields[1], session: fields[3])
        do {
            try window.record(in: unit.window)
            if command != nil { try starting(pid) }
        } catch {
            window.close(showing: nil)
            throw error
        }
        try window.prepare(unit.window, log: command == nil ? nil : log, release: command == nil ? nil : channel)
        return window
    }

    /// Runs `command` (an agent) again in this window's pane, in place of what it shows;
    /// `starting` gets the pid of the pane's process before the agent is let start.
    func respawn(_ unit: RunUnit, command: String, extra: [String: String], log: String, starting: (Int32) throws -> Void) throws {
        let channel = "spec-dispatch-\(UUID().uuidString)"
        guard try Self.tmux(["-S", socket, "respawn-pane", "-k", "-t", id, "-c", unit.window] + Self.environment(unit, extra)
                                + Self.gated(command, channel: channel)) == 0 else {
            throw DispatchError.failure("tmux could not start the agent again in window \(id)")
        }
        let output = "\(unit.window)/\(IgnoreRule.folder)/tmux.out"
        defer { try? FileTree.remove(output) }
        guard try Self.tmux(["-S", socket, "display-message", "-p", "-t", id, "#{pane_pid}"], output: output) == 0,
              let text = FileTree.contents(output), let pid = Int32(String(decoding: text, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            _ = try? Self.tmux(["-S", socket, "respawn-pane", "-k", "-t", id, "-c", unit.window])
            throw DispatchError.failure("tmux did not say which process runs in window \(id)")
        }
        do {
            try starting(pid)
        } catch {
            _ = try? Self.tmux(["-S", socket, "respawn-pane", "-k", "-t", id, "-c", unit.window])
            throw error
        }
        try prepare(unit.window, log: log, release: channel)
    }

    /// Marks the window as the unit's; for an agent, keeps its pane after it exits and copies its
    /// output to `log`, then lets it start.
    private func prepare(_ window: String, log: String?, release channel: String?) throws {
        var arguments = ["-S", socket, "set-option", "-w", "-t", id, Self.marker, window]
        if let log {
            arguments += [";", "set-option", "-w", "-t", id, "remain-on-exit", "on",
                          ";", "pipe-pane", "-t", id, "cat >> \(ShellWord.quoted(log))"]
        }
        if let channel { arguments += [";", "wait-for", "-S", channel] }
        guard try Self.tmux(arguments) == 0 else {
            // The agent waits for a go that does not come: the window goes.
            close(showing: nil)
            throw DispatchError.failure("tmux could not prepare window \(id)")
        }
    }

    /// The window still exists and still shows this worktree.
    func isShowing(_ window: String) -> Bool {
        let output = "\(window)/\(IgnoreRule.folder)/tmux.out"
        defer { try? FileTree.remove(output) }
        guard (try? Self.tmux(["-S", socket, "display-message", "-p", "-t", id, "#{\(Self.marker)}"], output: output)) == 0,
              let text = FileTree.contents(output) else { return false }
        return String(decoding: text, as: UTF8.self).trimmingCharacters(in: .newlines) == window
    }

    /// Closes the window if it still shows this worktree (any window with that id, when nil);
    /// best-effort, silent.
    func close(showing window: String?) {
        if let window {
            let probe = NSTemporaryDirectory() + "spec-dispatch-tmux-\(getpid())-\(UUID().uuidString)"
            defer { try? FileTree.remove(probe) }
            guard (try? Self.tmux(["-S", socket, "display-message", "-p", "-t", id, "#{\(Self.marker)}"], output: probe)) == 0,
                  let text = FileTree.contents(probe), String(decoding: text, as: UTF8.self).trimmingCharacters(in: .newlines) == window else { return }
        }
        _ = try? Self.tmux(["-S", socket, "kill-window", "-t", id])
    }

    /// How a person outside tmux attaches to it (`-S` when its server is not the one `tmux` finds).
    var attachCommand: String {
        let folder = ProcessInfo.processInfo.environment["TMUX_TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        let usual = "\(folder)/tmux-\(getuid())/default"
        return "tmux " + (FileTree.canonical(socket) == FileTree.canonical(usual) ? "" : "-S \(ShellWord.minimal(socket)) ")
            + "attach -t \(ShellWord.minimal(target))"
    }

    private static func environment(_ unit: RunUnit, _ extra: [String: String]) -> [String] {
        unit.environment.merging(extra) { _, new in new }.sorted { $0.key < $1.key }.flatMap { ["-e", "\($0.key)=\($0.value)"] }
    }

    /// `command` held until the channel is signalled: by then its pane is kept and logged.
    private static func gated(_ command: String, channel: String) -> [String] {
        ["/bin/sh", "-c", "tmux wait-for \(channel); exec /bin/sh -c \"$0\"", command]
    }

    @discardableResult
    static func tmux(_ arguments: [String], output: String? = nil) throws -> Int32 {
        guard let status = Spawn.run(["tmux"] + arguments, output: output) else {
            throw DispatchError.notFound("cannot run tmux", details: ["hint: install tmux"])
        }
        return status
    }
}
