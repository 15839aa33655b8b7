import Glibc

extension ErrnoCode {
    /// `ENOENT` or `ENOTDIR`: the path, or one of its directories, is gone.
    package var meansVanished: Bool { value == ENOENT || value == ENOTDIR }

    /// `EEXIST`: something is already at the path.
    package var isAlreadyExists: Bool { value == EEXIST }

    /// `EAGAIN`: what a read of a file that changed under it is reported with.
    package static let tryAgain = ErrnoCode(EAGAIN)

    /// `ENOSPC` or `EDQUOT`: no space left for this user on the file system.
    package var meansDiskFull: Bool { value == ENOSPC || value == EDQUOT }
}
