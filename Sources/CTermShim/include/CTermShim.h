#ifndef PFS_CTERMSHIM_H
#define PFS_CTERMSHIM_H
#include <stdio.h>

/// Installs a SIGINT handler without SA_RESTART, so libedit's blocking read fails with EINTR
/// (the line is discarded) and a long job can poll `pfs_interrupt_pending()`. Also unblocks SIGINT.
int pfs_install_sigint_handler(void);
/// Installs a SIGTERM and SIGHUP handler (no SA_RESTART) that raises the interrupt flag for good and
/// remembers the signal, so the shell stops what it runs and ends its session (a trace is closed).
int pfs_install_termination_handler(void);
/// The SIGTERM or SIGHUP that asked the process to end, or 0.
int pfs_termination_signal(void);
/// Returns 1 (and clears the flag; never after a termination signal) if SIGINT arrived since the last call.
int pfs_take_interrupt(void);
/// Non-consuming peek, for inner loops.
int pfs_interrupt_pending(void);

/// stdin/stdout/stderr are mutable C globals that Swift 6 rejects in release builds: go through functions.
FILE *pfs_stdin(void);
FILE *pfs_stdout(void);
FILE *pfs_stderr(void);

/// The window size of the terminal on `fd` (rows and columns); returns 0 when `fd` is not a terminal.
int pfs_terminal_size(int fd, int *rows, int *columns);
#endif
