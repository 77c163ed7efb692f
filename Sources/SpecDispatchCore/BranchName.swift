/// Branch references as people write them.
public enum BranchName {
    /// `refs/heads/main` as `main`; any other reference as it is.
    public static func short(_ reference: String) -> String {
        reference.hasPrefix("refs/heads/") ? String(reference.dropFirst("refs/heads/".count)) : reference
    }
}
