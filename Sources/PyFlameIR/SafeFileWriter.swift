import Foundation

/// Why a file was not written, in the user's words: `cannot write out.npy: No space left on device`.
public struct FileWriteError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }

    /// `cannot write NAME: REASON`.
    static func cannotWrite(_ shown: String, _ reason: String) -> FileWriteError {
        FileWriteError("cannot write \(shown): \(reason)")
    }

    /// `cannot write NAME: <strerror>` (and a detail after it, if any).
    static func cannotWrite(_ shown: String, errno code: Int32, _ detail: String = "") -> FileWriteError {
        cannotWrite(shown, String(cString: strerror(code)) + detail)
    }
}

/// The one way the shell writes a file (`:save`, `:export`, `:trace`, the history, `:emit`'s files).
///
/// - A regular file (or a new one) is written to a temporary file beside it, flushed to the disk and renamed
///   over it, so a reader sees the old file or the new one, never half of one. An existing file keeps its
///   mode (and, when the shell may, its owner). A read-only file (no write bit in its mode, whoever runs the
///   shell, root included) is refused and left as it is.
/// - A symlink is followed: its target is written (renamed into the target's folder) and the link kept.
/// - A character device (`/dev/null`, `/dev/full`, a terminal) is written in place; its errors are reported
///   (`/dev/full`: No space left on device).
/// - A folder, a FIFO, a socket or a block device is refused without blocking: a FIFO is never opened.
///
/// Every message names the file as the user wrote it (`shown`) and says why (the system's `strerror`).
public enum SafeFileWriter {
    /// Writes `bytes` as the whole content of `path`.
    public static func write(_ bytes: [UInt8], to path: String, shown: String? = nil) throws(FileWriteError) {
        let stream = try open(path, shown: shown)
        try stream.write(bytes)
        try stream.commit()
    }

    public static func write(_ text: String, to path: String, shown: String? = nil) throws(FileWriteError) {
        try write(Array(text.utf8), to: path, shown: shown)
    }

    /// Starts writing `path` (see the type's rules): the bytes go in with ``FileWriteStream/write(_:)`` and
    /// take the file's place at ``FileWriteStream/commit()``; ``FileWriteStream/discard()`` leaves the
    /// target as it was.
    public static func open(_ path: String, shown: String? = nil) throws(FileWriteError) -> FileWriteStream {
        let shown = shown ?? path
        let calls = FileSystemCalls.current
        switch try resolve(path, shown: shown) {
        case .device(let device):
            let fd = Foundation.open(device, O_WRONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
            guard fd >= 0 else { throw .cannotWrite(shown, errno: errno) }
            var info = stat()
            guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFCHR else {
                close(fd)
                throw .cannotWrite(shown, "it changed while being opened and is no longer a device")
            }
            // Opened without blocking; written the ordinary way (a terminal may be slow, never stuck).
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            return FileWriteStream(shown: shown, descriptor: fd, target: device, temporary: nil, calls: calls)
        case .file(let target, let existing):
            let folder = (target as NSString).deletingLastPathComponent
            let name = (target as NSString).lastPathComponent
            removeStaleTemporaries(in: folder, name: name)
            let temporary = (folder.isEmpty ? "" : folder + "/") + temporaryPrefix(name) + "\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
            let fd = Foundation.open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            guard fd >= 0 else { throw .cannotWrite(shown, errno: errno) }
            if let existing {
                // The new file takes the old one's owner (when the shell may) and mode.
                if existing.st_uid != geteuid() || existing.st_gid != getegid() { _ = fchown(fd, existing.st_uid, existing.st_gid) }
                if fchmod(fd, existing.st_mode & 0o7777) != 0 {
                    let code = errno
                    close(fd)
                    unlink(temporary)
                    throw .cannotWrite(shown, errno: code)
                }
            }
            return FileWriteStream(shown: shown, descriptor: fd, target: target, temporary: temporary, calls: calls)
        }
    }

    /// Creates `path`, which must not exist yet (a file of a folder being built), with `mode` (else the
    /// usual 0666 less the umask), and writes it through to the disk.
    public static func writeNew(_ bytes: [UInt8], at path: String, mode: mode_t? = nil, shown: String? = nil) throws(FileWriteError) {
        let shown = shown ?? path
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard fd >= 0 else { throw .cannotWrite(shown, errno: errno) }
        if let mode, fchmod(fd, mode) != 0 {
            let code = errno
            close(fd)
            throw .cannotWrite(shown, errno: code)
        }
        let stream = FileWriteStream(shown: shown, descriptor: fd, target: path, temporary: nil, calls: FileSystemCalls.current, syncs: true)
        try stream.write(bytes)
        try stream.commit()
    }

    /// Temporary files of NAME are `.NAME.pfs-PID-RAND.tmp`, NAME cut to its first 200 bytes so that the
    /// temporary name stays within the system's 255.
    static func temporaryPrefix(_ name: String) -> String {
        var kept = ""
        var bytes = 0
        for c in name {
            bytes += c.utf8.count
            guard bytes <= 200 else { break }
            kept.append(c)
        }
        return ".\(kept).pfs-"
    }

    /// Removes the temporary files of NAME in `folder` that a shell killed while writing left behind: our
    /// name pattern, a regular file, and a PID that no longer runs. Everything else is left alone.
    static func removeStaleTemporaries(in folder: String, name: String) {
        let prefix = temporaryPrefix(name)
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.isEmpty ? "." : folder) else { return }
        for entry in entries where entry.hasPrefix(prefix) && entry.hasSuffix(".tmp") {
            let parts = entry.dropFirst(prefix.count).dropLast(4).split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let pid = pid_t(parts[0]), pid > 0, pid != getpid(), UInt32(parts[1]) != nil else { continue }
            guard kill(pid, 0) != 0 && errno == ESRCH else { continue }
            let path = (folder.isEmpty ? "" : folder + "/") + entry
            var info = stat()
            if lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFREG { unlink(path) }
        }
    }

    /// `path` with its symlinks followed (the last one may name a file that does not exist yet).
    public static func finalPath(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            guard let next = linkTarget(current) else { return current }
            current = next
        }
        return current
    }

    /// Where the symlink at `path` points (relative targets taken from the link's folder); nil for anything else.
    static func linkTarget(_ path: String) -> String? {
        var info = stat()
        guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFLNK else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let n = readlink(path, &buffer, Int(PATH_MAX))
        guard n > 0 else { return nil }
        let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if link.hasPrefix("/") { return link }
        let folder = (path as NSString).deletingLastPathComponent
        return folder.isEmpty ? link : folder + "/" + link
    }

    enum Target: Equatable {
        /// A regular file to replace by rename (with its stat), or a new one.
        case file(String, existing: stat?)
        case device(String)

        static func == (a: Target, b: Target) -> Bool {
            switch (a, b) {
            case (.device(let x), .device(let y)): x == y
            case (.file(let x, let s), .file(let y, let t)): x == y && (s == nil) == (t == nil)
            default: false
            }
        }
    }

    /// What `path` is, after its symlinks, and whether it may be written.
    static func resolve(_ path: String, shown: String) throws(FileWriteError) -> Target {
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0 else {
                let code = errno
                guard code == ENOENT else { throw .cannotWrite(shown, errno: code) }
                let folder = (current as NSString).deletingLastPathComponent
                var folderInfo = stat()
                if !folder.isEmpty {
                    guard stat(folder, &folderInfo) == 0 else { throw .cannotWrite(shown, "no such folder \(folder)") }
                    guard folderInfo.st_mode & S_IFMT == S_IFDIR else { throw .cannotWrite(shown, "\(folder) is not a folder") }
                }
                return .file(current, existing: nil)
            }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                guard let next = linkTarget(current) else { throw .cannotWrite(shown, "cannot read the symlink \(current)") }
                current = next
                continue
            case S_IFREG:
                try requireWritable(info, current, shown)
                return .file(current, existing: info)
            case S_IFCHR:
                try requireWritable(info, current, shown)
                return .device(current)
            case S_IFDIR: throw .cannotWrite(shown, "it is a folder")
            case S_IFIFO: throw .cannotWrite(shown, "it is a FIFO, not a regular file")
            case S_IFSOCK: throw .cannotWrite(shown, "it is a socket, not a regular file")
            case S_IFBLK: throw .cannotWrite(shown, "it is a block device, not a regular file")
            default: throw .cannotWrite(shown, "it is not a regular file")
            }
        }
        throw .cannotWrite(shown, errno: ELOOP)
    }

    /// Refuses an existing file or folder at `path` (symlinks followed) whose mode says it is read-only.
    public static func requireWritable(_ path: String, shown: String? = nil) throws(FileWriteError) {
        var info = stat()
        guard stat(path, &info) == 0 else { return }
        try requireWritable(info, path, shown ?? path)
    }

    /// Refuses a file whose mode says it is read-only. Root may write anything, so for root the mode bits
    /// alone decide (no write bit for anyone: read-only); for others the system's answer counts.
    static func requireWritable(_ info: stat, _ path: String, _ shown: String) throws(FileWriteError) {
        let mode = info.st_mode & 0o7777
        if mode & 0o222 == 0 {
            throw .cannotWrite(shown, errno: EACCES, " (it is read-only: mode \(String(mode, radix: 8).leftPadded(to: 4)))")
        }
        if geteuid() != 0 && access(path, W_OK) != 0 {
            throw .cannotWrite(shown, errno: errno, " (mode \(String(mode, radix: 8).leftPadded(to: 4)))")
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
