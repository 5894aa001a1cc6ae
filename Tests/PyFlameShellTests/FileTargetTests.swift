import Foundation
@testable import PyFlameShell
import PyFlameIR
import Testing

/// What `:export`, `:save` and the other writers do with each kind of target: a full device, a read-only
/// file, a private (0600) file, a symlink, a FIFO and a device written in place. The tests run as root in
/// CI, where `access(W_OK)` always passes: a read-only file must still be refused, by its mode bits.
@Suite struct FileTargetTests {
    /// A shell in `folder` with a small tensor `x` to export.
    static func shell(in folder: String) -> Shell {
        let shell = Shell(baseDirectory: folder)
        run(shell, "x = arange(4)")
        return shell
    }

    static func mode(_ path: String) -> mode_t? {
        var info = stat()
        return lstat(path, &info) == 0 ? info.st_mode : nil
    }

    static func leftovers(_ folder: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasPrefix(".") }
    }

    @Test func aFullDeviceIsACleanErrorNamingTheReason() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = Self.shell(in: folder)
        let export = shell.execute(":export x /dev/full")
        #expect(export.failed)
        #expect(export.text.contains("cannot write /dev/full: No space left on device"), "\(export.text)")
        let save = shell.execute(":save /dev/full")
        #expect(save.failed)
        #expect(save.text.contains("cannot write /dev/full: No space left on device"), "\(save.text)")
        #expect(Self.mode(("/dev/full")).map { $0 & S_IFMT } == S_IFCHR, "the device node is still a device")
    }

    @Test func aDeviceIsWrittenInPlace() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = Self.shell(in: folder)
        let export = shell.execute(":export x /dev/null")
        #expect(!export.failed, "\(export.text)")
        #expect(!shell.execute(":save /dev/null").failed)
        #expect(Self.mode("/dev/null").map { $0 & S_IFMT } == S_IFCHR)
    }

    @Test func aReadOnlyFileIsRefusedAndKept() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = Self.shell(in: folder)
        for (command, file) in [(":export x ro.npy", "ro.npy"), (":save ro.pfs", "ro.pfs")] {
            let path = folder + "/" + file
            try Data("keep me\n".utf8).write(to: URL(fileURLWithPath: path))
            #expect(chmod(path, 0o444) == 0)
            let result = shell.execute(command)
            #expect(result.failed, "\(command) replaced a read-only file")
            #expect(result.text.contains("cannot write \(file): Permission denied"), "\(result.text)")
            #expect(FileManager.default.contents(atPath: path) == Data("keep me\n".utf8))
            #expect(Self.mode(path).map { $0 & 0o7777 } == 0o444)
        }
        #expect(Self.leftovers(folder).isEmpty, "temporary files left: \(Self.leftovers(folder))")
    }

    @Test func anExistingFileKeepsItsMode() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let shell = Self.shell(in: folder)
        for (command, file, mode) in [(":export x private.npy", "private.npy", mode_t(0o600)), (":save run.pfs", "run.pfs", mode_t(0o750))] {
            let path = folder + "/" + file
            try Data("old".utf8).write(to: URL(fileURLWithPath: path))
            #expect(chmod(path, mode) == 0)
            let result = shell.execute(command)
            #expect(!result.failed, "\(result.text)")
            #expect(Self.mode(path).map { $0 & 0o7777 } == mode, "\(file) lost its mode")
            #expect(FileManager.default.contents(atPath: path) != Data("old".utf8))
        }
    }

    @Test func aSymlinkIsWrittenThroughAndKept() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/data", withIntermediateDirectories: true)
        try Data("old".utf8).write(to: URL(fileURLWithPath: folder + "/data/real.npy"))
        #expect(symlink("data/real.npy", folder + "/link.npy") == 0)
        // A dangling link: the file it names is created.
        #expect(symlink("data/new.pfs", folder + "/script.pfs") == 0)
        let shell = Self.shell(in: folder)
        #expect(!shell.execute(":export x link.npy").failed)
        #expect(!shell.execute(":save script.pfs").failed)
        #expect(Self.mode(folder + "/link.npy").map { $0 & S_IFMT } == S_IFLNK, "the link was replaced by a file")
        #expect(Self.mode(folder + "/script.pfs").map { $0 & S_IFMT } == S_IFLNK)
        let value = try NPY.decode(Array(try #require(FileManager.default.contents(atPath: folder + "/data/real.npy"))))
        #expect(value.elements == [0, 1, 2, 3])
        let script = try String(contentsOfFile: folder + "/data/new.pfs", encoding: .utf8)
        #expect(script.contains("x = arange(4)"))
        #expect(Self.leftovers(folder).isEmpty && Self.leftovers(folder + "/data").isEmpty)
    }

    @Test func aFolderIsRefused() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/sub", withIntermediateDirectories: true)
        let result = Self.shell(in: folder).execute(":export x sub")
        #expect(result.failed)
        #expect(result.text.contains("cannot write sub: it is a folder"), "\(result.text)")
    }

    @Test func aFIFOIsRefusedPromptly() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let fifo = folder + "/pipe.npy"
        #expect(mkfifo(fifo, 0o644) == 0)
        let shell = Self.shell(in: folder)
        // The export runs on a thread of its own: if it blocks in open() (nothing reads), the guard
        // fails the test and opens the FIFO for reading so the writer and the suite can go on.
        final class Box: @unchecked Sendable {
            let shell: Shell
            var result: StatementResult?
            init(_ shell: Shell) { self.shell = shell }
        }
        let box = Box(shell)
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            box.result = box.shell.execute(":export x pipe.npy")
            done.signal()
        }
        thread.start()
        if done.wait(timeout: .now() + 20) == .timedOut {
            Issue.record(":export to a FIFO blocked")
            let reader = open(fifo, O_RDONLY | O_NONBLOCK)
            done.wait()
            close(reader)
        }
        let result = try #require(box.result)
        #expect(result.failed)
        #expect(result.text.contains("cannot write pipe.npy: it is a FIFO, not a regular file"), "\(result.text)")
        #expect(Self.mode(fifo).map { $0 & S_IFMT } == S_IFIFO)
    }

    /// A shell killed while writing leaves `.NAME.pfs-PID-RAND.tmp` beside NAME; the next write of NAME removes
    /// those of shells that no longer run, and nothing else.
    @Test func theNextWriteRemovesTemporaryFilesOfKilledShells() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/true")
        try child.run()
        child.waitUntilExit()
        let dead = child.processIdentifier
        let names = [".x.npy.pfs-\(dead)-17.tmp", ".x.npy.pfs-\(getpid())-18.tmp", ".x.npy.notes.tmp", ".y.npy.pfs-\(dead)-19.tmp"]
        for name in names { #expect(FileManager.default.createFile(atPath: folder + "/" + name, contents: Data("half".utf8))) }
        #expect(!Self.shell(in: folder).execute(":export x x.npy").failed)
        let left = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(left == [".x.npy.notes.tmp", ".x.npy.pfs-\(getpid())-18.tmp", ".y.npy.pfs-\(dead)-19.tmp", "x.npy"].sorted())
    }

    /// A file name near the system's 255-byte limit is written too: its temporary name stays within it.
    @Test func aLongFileNameIsWritten() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let name = String(repeating: "é", count: 120) + ".npy"  // 244 bytes
        let result = Self.shell(in: folder).execute(":export x \(name)")
        #expect(!result.failed, "\(result.text)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == [name])
    }
}
