import Foundation

/// The two system calls that put a file's bytes on disk, as values: the real ones, or (in tests) ones that
/// fail part-way the way a full disk does, since a test cannot mount a small file system.
/// ``FileSystemCalls/current`` is what every write of the shell goes through.
public struct FileSystemCalls: Sendable {
    /// Writes some of the bytes to a descriptor: how many, or `.failure(errno)`.
    public var write: @Sendable (_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> WriteResult
    /// Flushes a descriptor to the disk: 0 or an errno.
    public var sync: @Sendable (_ descriptor: Int32) -> Int32

    public enum WriteResult: Sendable, Equatable {
        case wrote(Int)
        case failure(Int32)
    }

    public init(write: @escaping @Sendable (Int32, UnsafeRawBufferPointer) -> WriteResult, sync: @escaping @Sendable (Int32) -> Int32) {
        self.write = write
        self.sync = sync
    }

    /// write(2) and fsync(2).
    public static let system = FileSystemCalls(
        write: { fd, bytes in
            let n = systemWrite(fd, bytes.baseAddress, bytes.count)
            return n < 0 ? .failure(errno) : .wrote(n)
        },
        sync: { fd in systemSync(fd) == 0 ? 0 : errno })

    /// Writes that succeed until `bytes` bytes in all have been written, then fail with `error` (ENOSPC:
    /// the disk is full); `sync` fails the same way once the limit is reached.
    public static func failing(after bytes: Int, error: Int32 = ENOSPC) -> FileSystemCalls {
        let budget = Budget(bytes)
        return FileSystemCalls(
            write: { fd, buffer in
                let allowed = budget.take(buffer.count)
                guard allowed > 0 else { return .failure(error) }
                let n = systemWrite(fd, buffer.baseAddress, allowed)
                return n < 0 ? .failure(errno) : .wrote(n)
            },
            sync: { fd in budget.isSpent ? error : (systemSync(fd) == 0 ? 0 : errno) })
    }

    /// The calls in effect: ``system`` unless a test binds others for what it runs.
    @TaskLocal public static var current = FileSystemCalls.system
}

/// What is left of a ``FileSystemCalls/failing(after:error:)`` budget (shared by the threads that write).
private final class Budget: @unchecked Sendable {
    private let lock = NSLock()
    private var left: Int
    init(_ bytes: Int) { left = bytes }

    func take(_ wanted: Int) -> Int {
        lock.lock()
        defer { lock.unlock() }
        let n = min(wanted, left)
        left -= n
        return n
    }

    var isSpent: Bool {
        lock.lock()
        defer { lock.unlock() }
        return left == 0
    }
}

private func systemWrite(_ fd: Int32, _ bytes: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, bytes, count) }
private func systemSync(_ fd: Int32) -> Int32 { fsync(fd) }
