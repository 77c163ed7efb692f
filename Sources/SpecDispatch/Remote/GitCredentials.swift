import Foundation
import GitKit

/// Passwords and tokens for http(s) remotes from the credential helpers configured in git
/// (`credential.helper`: store, cache, libsecret, osxkeychain, `gh auth git-credential`, …),
/// asked with `git credential fill` and told the outcome with `approve` or `reject`: the
/// protocol git itself speaks with them, so every helper and `credential.*` setting works as
/// it does for git. Never a prompt: without a helper that answers, there is no password.
enum GitCredentials {
    /// Credentials for fetches and pushes of the repository at `directory`: its helpers for
    /// passwords, ssh-agent and then `~/.ssh`'s key files over ssh.
    static func forRemotes(in directory: String) -> RemoteCredentials {
        RemoteCredentials(
            password: { url, username in fill(url: url, username: username, in: directory) },
            verdict: { url, credential, accepted in
                _ = run(accepted ? "approve" : "reject", description(url, credential.username, credential.password), in: directory)
            },
            passwordSource: "git's credential helpers")
    }

    static func fill(url: String, username: String?, in directory: String) -> RemoteCredentials.Password? {
        guard let output = run("fill", description(url, username, nil), in: directory) else { return nil }
        var fields: [Substring: String] = [:]
        for line in output.split(separator: "\n") {
            guard let equals = line.firstIndex(of: "=") else { continue }
            fields[line[..<equals]] = String(line[line.index(after: equals)...])
        }
        guard let user = fields["username"], let password = fields["password"] else { return nil }
        return RemoteCredentials.Password(username: user, password: password)
    }

    /// What git reads on standard input: `url=` (which it splits into protocol, host and path,
    /// as it does for its own requests), then what is known.
    static func description(_ url: String, _ username: String?, _ password: String?) -> String? {
        let values = [url, username, password].compactMap { $0 }
        // A line break would let a value forge another attribute.
        guard !values.contains(where: { $0.contains("\n") || $0.contains("\r") || $0.contains("\0") }) else { return nil }
        var lines = ["url=\(url)"]
        if let username { lines.append("username=\(username)") }
        if let password { lines.append("password=\(password)") }
        return lines.joined(separator: "\n") + "\n\n"
    }

    /// `git credential <action>` in `directory` (the repository's own settings count), prompts
    /// off (an empty GIT_ASKPASS skips every askpass program too); its output, nil when it failed.
    private static func run(_ action: String, _ input: String?, in directory: String) -> String? {
        guard let input else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "credential", action]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        // Run from a hook, git's own variables would name the hook's repository over `directory`.
        var environment = ProcessInfo.processInfo.environment.filter { !GitCommand.repositoryVariables.contains($0.key) }
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["GIT_ASKPASS"] = ""
        process.environment = environment
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        // A helper may start a daemon (credential-cache) that keeps its standard error open.
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return process.terminationStatus == 0 ? String(decoding: output, as: UTF8.self) : nil
    }
}
