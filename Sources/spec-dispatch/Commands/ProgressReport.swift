import SpecDispatch
import SpecDispatchCore

extension Output {
    /// One line, like git's `[branch abc1234] message`; the rewritten prompt's path when there is one.
    static func report(_ outcome: ProgressCommands.Outcome) {
        var line = outcome.commit.map { "[\($0.short)] \(outcome.summary)" } ?? outcome.summary
        if let prompt = outcome.prompt { line += "\nprompt rewritten to resume: \(prompt)" }
        write(line + "\n")
    }
}
