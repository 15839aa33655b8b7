import CProcessShims

/// Hooks never inherit the daemon's capabilities. The unit grants kms-drift
/// `CAP_DAC_READ_SEARCH` (read every watched file, write none) as an ambient capability, which
/// a program started with `posix_spawn` would inherit; clearing the ambient set keeps the
/// capability in kms-drift itself and out of every hook. Safe to call more than once.
enum HookCapabilities {
    static func withholdFromChildren() {
        _ = kms_drift_clear_ambient_capabilities()
    }
}
