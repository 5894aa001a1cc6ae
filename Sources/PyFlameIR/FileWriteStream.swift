import Foundation

/// A file being written by ``SafeFileWriter``: bytes go to a temporary file beside the target (or straight
/// to a device), and ``commit()`` puts the finished file in the target's place. A stream that is neither
/// committed nor discarded when it goes away is discarded: its temporary file never stays behind.
public final class FileWriteStream {
    /// The file as the user named it, for messages.
    public let shown: String
    /// The file written (symlinks followed).
    public let target: String
    let descriptor: Int32
    let temporary: String?
    let calls: FileSystemCalls
    let syncs: Bool
    public private(set) var isOpen = true
    /// Bytes written so far.
    public private(set) var count = 0

    init(shown: String, descriptor: Int32, target: String, temporary: String?, calls: FileSystemCalls, syncs: Bool? = nil) {
        self.shown = shown
        self.descriptor = descriptor
        self.target = target
        self.temporary = temporary
        self.calls = calls
        self.syncs = syncs ?? (temporary != nil)
    }

    deinit { discard() }

    /// Writes all of `bytes` (a failure discards the stream).
    public func write(_ bytes: [UInt8]) throws(FileWriteError) {
        guard isOpen else { throw .cannotWrite(shown, "the file is already closed") }
        var failure: Int32?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                switch calls.write(descriptor, UnsafeRawBufferPointer(rebasing: buffer[offset...])) {
                case .wrote(let n) where n > 0: offset += n
                case .wrote: failure = EIO; return
                case .failure(EINTR): continue
                case .failure(let code): failure = code; return
                }
            }
        }
        if let failure {
            discard()
            throw .cannotWrite(shown, errno: failure)
        }
        count += bytes.count
    }

    public func write(_ text: String) throws(FileWriteError) { try write(Array(text.utf8)) }

    /// Flushes the file to the disk, closes it and (for a regular file) renames it over the target.
    public func commit() throws(FileWriteError) {
        guard isOpen else { throw .cannotWrite(shown, "the file is already closed") }
        if syncs {
            let code = calls.sync(descriptor)
            if code != 0 {
                discard()
                throw .cannotWrite(shown, errno: code)
            }
        }
        isOpen = false
        if close(descriptor) != 0 && errno != EINTR {
            let code = errno
            if let temporary { unlink(temporary) }
            throw .cannotWrite(shown, errno: code)
        }
        guard let temporary else { return }
        guard rename(temporary, target) == 0 else {
            let code = errno
            unlink(temporary)
            throw .cannotWrite(shown, errno: code)
        }
        // The rename itself reaches the disk with the folder.
        let folder = (target as NSString).deletingLastPathComponent
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 {
            _ = fsync(fd)
            close(fd)
        }
    }

    /// Closes without replacing the target; the temporary file is removed.
    public func discard() {
        guard isOpen else { return }
        isOpen = false
        close(descriptor)
        if let temporary { unlink(temporary) }
    }
}
