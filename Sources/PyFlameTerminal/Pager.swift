import CTermShim
import Foundation
import Glibc

/// Runs a pager (`less -R`, or `$PAGER`) on a statement's output, as git does: the text goes to its
/// standard input, the terminal stays its output. `LESS=FRX` unless set, so less returns at once when
/// the text fits after all and leaves it on the screen.
public enum Pager {
    /// Shows `text` through `command` (run by /bin/sh); false when the pager could not start. Spawned
    /// directly (not with Foundation's Process, which starts a new session: less then has no terminal to
    /// read keys from).
    public static func show(_ text: String, command: String) -> Bool {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return false }
        let (readEnd, writeEnd) = (fds[0], fds[1])
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, readEnd, STDIN_FILENO)
        posix_spawn_file_actions_addclose(&actions, readEnd)
        posix_spawn_file_actions_addclose(&actions, writeEnd)
        var environment = ProcessInfo.processInfo.environment
        if environment["LESS"] == nil { environment["LESS"] = "FRX" }
        let arguments = ["/bin/sh", "-c", command]
        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, nil, argv, envp)
        close(readEnd)
        guard spawned == 0 else {
            close(writeEnd)
            return false
        }
        // A pager quit before reading everything closes the pipe: that must end the write, not the shell.
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeMutableBytes { write(writeEnd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 && errno == EINTR && Interrupts.terminationSignal == nil { continue }
            if written <= 0 { break }
            offset += written
        }
        close(writeEnd)
        var status: Int32 = 0
        // SIGTERM for the shell ends the pager too (SIGHUP reaches it from the terminal by itself).
        var pagerTold = false
        let tellPager = {
            if Interrupts.terminationSignal != nil && !pagerTold {
                kill(pid, SIGTERM)
                pagerTold = true
            }
        }
        tellPager()
        while waitpid(pid, &status, 0) < 0 && errno == EINTR { tellPager() }
        // Ctrl-C in the pager reached the shell too: it was for the pager.
        Interrupts.take()
        bytes.removeAll()
        return true
    }

    /// The terminal's rows on stdout, or nil when stdout is not a terminal.
    /// The size of the terminal standard output writes to (columns, rows), or nil when it is none.
    public static var terminalSize: (columns: Int, rows: Int)? {
        var rows: Int32 = 0, columns: Int32 = 0
        return pfs_terminal_size(STDOUT_FILENO, &rows, &columns) != 0 && columns > 0 ? (Int(columns), Int(rows)) : nil
    }

    public static var terminalRows: Int? {
        var rows: Int32 = 0, columns: Int32 = 0
        return pfs_terminal_size(STDOUT_FILENO, &rows, &columns) != 0 ? Int(rows) : nil
    }
}
