import Foundation

/// Scripts standing in for coding agents and reviewers in tests: real processes that only use
/// what a real agent gets (the `DISPATCH_*` environment, git, spec-dispatch on PATH).
public enum FakeAgents {
    /// Commits every step of its unit not yet completed, one commit each with a `Completes:` trailer.
    public static let agent = """
        #!/bin/sh
        set -e
        echo "unit=$DISPATCH_UNIT spec=$DISPATCH_SPEC worktree=$DISPATCH_WORKTREE prompt=$DISPATCH_PROMPT" > .dispatch/agent-env
        test -f "$DISPATCH_PROMPT"
        for step in $(python3 -c "import json,os; p=json.load(open(os.environ['DISPATCH_PAYLOAD'])); print(' '.join(s['id'] for s in p['steps'] if not s['group'] and s['status']!='completed'))"); do
          echo "$step" >> "work-$DISPATCH_UNIT.txt"
          git add "work-$DISPATCH_UNIT.txt"
          git commit -q -m "Work on $step" --trailer "Completes: $step"
        done

        """

    /// Approves the unit under review, as two reviewers when it needs two; `run` merges it.
    public static let approver = """
        #!/bin/sh
        for reviewer in ann bob; do
          spec-dispatch approve "$DISPATCH_SPEC/$DISPATCH_UNIT" --reviewer "$reviewer" --no-merge >/dev/null 2>&1 || break
        done

        """

    /// Writes `script` as an executable file in `folder` and returns its path.
    public static func install(_ script: String, named name: String, in folder: String) throws -> String {
        let path = "\(folder)/\(name)"
        try write(script, to: name, in: folder)
        chmod(path, 0o755)
        return path
    }

    /// PATH with the built binary's folder first, so scripts can call `spec-dispatch`.
    public static var path: String {
        ((SpecDispatchCLI.path as NSString).deletingLastPathComponent) + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")
    }
}
