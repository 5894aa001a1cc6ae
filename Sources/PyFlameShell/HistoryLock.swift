import Foundation

/// An exclusive `flock` on `FILE.lock` beside a history file, held by one shell from reading the file to
/// renaming the merged one over it. The lock file stays (removing it would let two shells lock two
/// different files); it is empty.
struct HistoryLock {
    let descriptor: Int32

    init(beside path: String, shown: String) throws(HistoryError) {
        let lockPath = path + ".lock"
        descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o666)
        guard descriptor >= 0 else {
            throw HistoryError("cannot lock \(shown) (\(lockPath)): \(String(cString: strerror(errno)))")
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(descriptor)
            throw HistoryError("cannot lock \(shown): \(lockPath) is not a regular file")
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw HistoryError("cannot lock \(shown) (\(lockPath)): \(reason)")
            }
        }
    }

    func release() {
        _ = flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
