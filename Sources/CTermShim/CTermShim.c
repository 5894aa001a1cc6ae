#include "CTermShim.h"
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

static volatile sig_atomic_t pfs_sigint_flag = 0;

static volatile sig_atomic_t pfs_termination_signo = 0;

static void pfs_on_sigint(int signo) { (void)signo; pfs_sigint_flag = 1; }

/* SIGTERM or SIGHUP: remember which, and raise the interrupt flag too so a long job stops. */
static void pfs_on_termination(int signo) {
    pfs_termination_signo = signo;
    pfs_sigint_flag = 1;
}

int pfs_install_sigint_handler(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = pfs_on_sigint;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: el_gets must return on ^C */
    if (sigaction(SIGINT, &sa, NULL) != 0) return -1;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    return sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int pfs_install_termination_handler(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = pfs_on_termination;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0; /* no SA_RESTART: el_gets returns so the session can end */
    if (sigaction(SIGTERM, &sa, NULL) != 0) return -1;
    if (sigaction(SIGHUP, &sa, NULL) != 0) return -1;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return sigprocmask(SIG_UNBLOCK, &set, NULL);
}

/* A termination keeps the flag raised: every later poll stops too, until the process ends. */
int pfs_take_interrupt(void) {
    int v = pfs_sigint_flag;
    pfs_sigint_flag = pfs_termination_signo != 0;
    return v || pfs_termination_signo != 0;
}
int pfs_interrupt_pending(void) { return pfs_sigint_flag || pfs_termination_signo != 0; }
int pfs_termination_signal(void) { return pfs_termination_signo; }

FILE *pfs_stdin(void) { return stdin; }
FILE *pfs_stdout(void) { return stdout; }
FILE *pfs_stderr(void) { return stderr; }

int pfs_terminal_size(int fd, int *rows, int *columns) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) != 0 || size.ws_row == 0) return 0;
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 1;
}
