/// The tool's version, printed by `--version`.
public enum SpecDispatchVersion {
    public static let current = "0.1.0"
}
