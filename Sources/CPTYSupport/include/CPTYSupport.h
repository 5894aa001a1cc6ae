#ifndef PFS_CPTYSUPPORT_H
#define PFS_CPTYSUPPORT_H
#include <sys/types.h>

/// Starts argv[0] (a path) on a new pseudo-terminal of the given size, as session leader with the
/// pty as its controlling terminal. envp may be NULL to inherit. Returns the pid (master fd in
/// *master_fd), or -1. The child's signal mask is cleared (test threads block signals).
pid_t pfs_pty_spawn(char *const argv[], char *const envp[], unsigned short rows,
                    unsigned short cols, int *master_fd);

/// Runs argv (argv[0] looked up in PATH) with stdin and stderr on /dev/null and stdout to
/// `stdout_path` (or /dev/null), every other descriptor closed, and waits. For tmux, whose server
/// would otherwise inherit Foundation.Process's socketpair and hang the caller. Returns the exit status.
int pfs_run_closing_fds(char *const argv[], const char *stdout_path);
#endif
