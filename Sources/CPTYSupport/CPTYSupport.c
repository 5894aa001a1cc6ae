#define _GNU_SOURCE
#include "CPTYSupport.h"
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void pfs_reset_signals(void) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGINT, SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
}

pid_t pfs_pty_spawn(char *const argv[], char *const envp[], unsigned short rows,
                    unsigned short cols, int *master_fd) {
    struct winsize ws = {.ws_row = rows, .ws_col = cols};
    int master = -1;
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid < 0) return -1;
    if (pid == 0) {
        pfs_reset_signals();
        execve(argv[0], argv, envp ? envp : environ);
        _exit(127);
    }
    *master_fd = master;
    return pid;
}

int pfs_run_closing_fds(char *const argv[], const char *stdout_path) {
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        pfs_reset_signals();
        int devnull = open("/dev/null", O_RDWR);
        int out = stdout_path ? open(stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0600) : devnull;
        if (devnull < 0 || out < 0) _exit(126);
        dup2(devnull, 0);
        dup2(out, 1);
        dup2(devnull, 2);
        closefrom(3);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {}
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}
