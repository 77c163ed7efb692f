/// Text made into one word for `sh`, for the commands spec-dispatch writes into hooks, git
/// config and messages (never for running task text: that goes through the environment).
public enum ShellWord {
    /// In single quotes, each `'` written as `'\''`.
    public static func quoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// As it is when it holds only characters the shell takes literally, else `quoted`.
    public static func minimal(_ text: String) -> String {
        !text.isEmpty && text.unicodeScalars.allSatisfy(literal.contains) ? text : quoted(text)
    }

    private static let literal = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/._-+:@%,=".unicodeScalars)
}
