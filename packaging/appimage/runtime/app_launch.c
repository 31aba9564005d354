#include "app_launch.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t app_pid;

// A signal from the terminal (si_code SI_KERNEL) already reached AppRun, which shares our process
// group; one sent to the runtime alone by another process (si_code <= 0: kill, sigqueue) did not.
static void pass_on(int signal, siginfo_t *info, void *context)
{
    (void)context;
    if (info->si_code <= 0 && app_pid > 0)
        kill((pid_t)app_pid, signal);
}

static void watch_signals(void)
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = pass_on;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    const int passed[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof passed / sizeof passed[0]; ++i)
        sigaction(passed[i], &action, NULL);
}

static void set_environment(const char *app_dir, const char *image, const char *argv0)
{
    char working_dir[PATH_MAX];
    setenv("APPIMAGE", image, 1);
    setenv("APPDIR", app_dir, 1);
    setenv("ARGV0", argv0, 1);
    if (getcwd(working_dir, sizeof working_dir))
        setenv("OWD", working_dir, 1);
}

int run_app_run(const char *app_dir, const char *image, const char *argv0, int argument_count, char **arguments)
{
    char app_run[PATH_MAX];
    snprintf(app_run, sizeof app_run, "%s/AppRun", app_dir);
    set_environment(app_dir, image, argv0);
    watch_signals();

    const pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "Cannot start %s: %s\n", app_run, strerror(errno));
        return 127 << 8;
    }
    if (child == 0) {
        char **child_argv = calloc((size_t)argument_count + 2, sizeof *child_argv);
        if (child_argv) {
            child_argv[0] = app_run;
            memcpy(child_argv + 1, arguments, (size_t)argument_count * sizeof *child_argv);
            execv(app_run, child_argv);
        }
        fprintf(stderr, "Cannot run %s: %s\n", app_run, strerror(errno));
        _exit(127);
    }
    app_pid = child;
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
    }
    app_pid = 0;
    return status;
}

noreturn void exit_like(int wait_status)
{
    if (WIFSIGNALED(wait_status)) {
        const int signal_number = WTERMSIG(wait_status);
        signal(signal_number, SIG_DFL);
        raise(signal_number);
        exit(128 + signal_number);
    }
    exit(WEXITSTATUS(wait_status));
}
