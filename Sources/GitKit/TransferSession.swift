import CLibGit2

/// The state libgit2's network callbacks share during one fetch or push (passed to them as `payload`).
final class TransferSession {
    /// How many times libgit2 asked for credentials; capped because it asks again after every rejection.
    var credentialRequests = 0
    /// The status libgit2 reported per pushed reference (nil: updated).
    var pushStatuses: [String: String?] = [:]

    /// Callbacks wired to this session; valid while the session is alive.
    func callbacks() -> git_remote_callbacks {
        var callbacks = git_remote_callbacks()
        git_remote_init_callbacks(&callbacks, UInt32(GIT_REMOTE_CALLBACKS_VERSION))
        callbacks.credentials = acquireCredential
        callbacks.push_update_reference = recordPushStatus
        callbacks.payload = Unmanaged.passUnretained(self).toOpaque()
        return callbacks
    }
}

/// Credentials without prompting: ssh-agent for ssh, the platform default (e.g. Kerberos) otherwise.
private let acquireCredential: git_credential_acquire_cb = { credential, _, usernameFromURL, allowedTypes, payload in
    let session = Unmanaged<TransferSession>.fromOpaque(payload!).takeUnretainedValue()
    session.credentialRequests += 1
    if session.credentialRequests <= 3 {
        let result = if let usernameFromURL {
            credentialWithoutPrompt(credential, usernameFromURL, allowedTypes)
        } else {
            credentialWithoutPrompt(credential, "git", allowedTypes)
        }
        if let result { return result }
    }
    git_error_set_str(Int32(GIT_ERROR_NET.rawValue), "no usable credentials (ssh-agent or default); GitKit never prompts")
    return GIT_EAUTH.rawValue
}

private func credentialWithoutPrompt(
    _ credential: UnsafeMutablePointer<UnsafeMutablePointer<git_credential>?>?,
    _ username: UnsafePointer<CChar>,
    _ allowedTypes: UInt32
) -> Int32? {
    if allowedTypes & GIT_CREDENTIAL_SSH_KEY.rawValue != 0 {
        return git_credential_ssh_key_from_agent(credential, username)
    }
    if allowedTypes & GIT_CREDENTIAL_USERNAME.rawValue != 0 {
        return git_credential_username_new(credential, username)
    }
    if allowedTypes & GIT_CREDENTIAL_DEFAULT.rawValue != 0 {
        return git_credential_default_new(credential)
    }
    return nil
}

/// Records libgit2's per-reference push status.
private let recordPushStatus: git_push_update_reference_cb = { reference, status, payload in
    let session = Unmanaged<TransferSession>.fromOpaque(payload!).takeUnretainedValue()
    if let reference {
        session.pushStatuses[String(cString: reference)] = .some(status.map { String(cString: $0) })
    }
    return 0
}
