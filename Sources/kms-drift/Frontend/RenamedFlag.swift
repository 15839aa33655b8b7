/// A flag renamed so that one name means one thing across commands, whose old spelling is still
/// accepted, hidden from help, for one release: using it works and says the new name on stderr.
enum RenamedFlag {
    /// `effective --env` and `render --env` ("use kms-drift's own environment") are now
    /// `--inherit-env`: `validate --env` names an environment's policy.
    case inheritEnvironment

    var oldName: String {
        switch self {
        case .inheritEnvironment: return "--env"
        }
    }

    var newName: String {
        switch self {
        case .inheritEnvironment: return "--inherit-env"
        }
    }

    /// `given`, after a note on stderr when the old spelling was used.
    func used(_ given: Bool) -> Bool {
        if given {
            Diagnostics.note(
                "\(oldName) is now \(newName); the old spelling will be removed in the next release")
        }
        return given
    }
}
