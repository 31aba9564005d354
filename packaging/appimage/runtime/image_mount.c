// squashfuse's config.h defines _POSIX_C_SOURCE and FUSE_USE_VERSION; included before any system
// header, it leaves glibc's features.h (under our _GNU_SOURCE) to settle the value.
#include <squashfuse.h>
#include <ll.h>

#include "image_mount.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

// The signal that tells the server to leave. The runtime sends it, and the kernel sends it when the
// runtime dies (PR_SET_PDEATHSIG), so that even a killed runtime leaves no mount behind.
enum { leave_signal = SIGUSR1 };

static struct fuse_session *served_session;

static void leave(int signal)
{
    (void)signal;
    if (served_session)
        fuse_session_exit(served_session);
}

static void set_signal_action(int signal, void (*handler)(int))
{
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    // No SA_RESTART: the signal must interrupt the server's read of /dev/fuse for it to see the exit.
    sigaction(signal, &action, NULL);
}

static void fill_operations(struct fuse_lowlevel_ops *operations)
{
    memset(operations, 0, sizeof *operations);
    operations->getattr = sqfs_ll_op_getattr;
    operations->opendir = sqfs_ll_op_opendir;
    operations->releasedir = sqfs_ll_op_releasedir;
    operations->readdir = sqfs_ll_op_readdir;
    operations->lookup = sqfs_ll_op_lookup;
    operations->open = sqfs_ll_op_open;
    operations->create = sqfs_ll_op_create;
    operations->release = sqfs_ll_op_release;
    operations->read = sqfs_ll_op_read;
    operations->readlink = sqfs_ll_op_readlink;
    operations->listxattr = sqfs_ll_op_listxattr;
    operations->getxattr = sqfs_ll_op_getxattr;
    operations->forget = sqfs_ll_op_forget;
    operations->statfs = stfs_ll_op_statfs;
}

// The server's whole life: mount, say so through `ready`, serve until told to leave, unmount.
static int serve(const char *image, uint64_t offset, const char *mount_point, int ready, pid_t runtime)
{
    prctl(PR_SET_PDEATHSIG, leave_signal);
    if (getppid() != runtime)
        return 1;
    // Ctrl+C reaches the whole process group: the mount must outlive AppRun's own handling of it.
    set_signal_action(SIGINT, SIG_IGN);
    set_signal_action(SIGTERM, SIG_IGN);
    set_signal_action(SIGHUP, SIG_IGN);
    set_signal_action(SIGPIPE, SIG_IGN);
    set_signal_action(leave_signal, leave);

    sqfs_ll *image_fs = sqfs_ll_open(image, (size_t)offset);
    if (!image_fs)
        return 1;
    char *fuse_argv[] = {"appimage-runtime", "-o", "ro", NULL};
    struct fuse_args fuse_arguments = FUSE_ARGS_INIT(3, fuse_argv);
    struct fuse_lowlevel_ops operations;
    fill_operations(&operations);
    sqfs_ll_chan channel;
    if (sqfs_ll_mount(&channel, mount_point, &fuse_arguments, &operations, sizeof operations, image_fs) != SQFS_OK)
        return 1;
    served_session = channel.session;
    const bool told = write(ready, "m", 1) == 1;
    close(ready);
    if (told)
        fuse_session_loop(channel.session);
    served_session = NULL;
    sqfs_ll_unmount(&channel, mount_point);
    sqfs_ll_destroy(image_fs);
    return 0;
}

pid_t start_mount(const char *image, uint64_t offset, const char *mount_point)
{
    int ready[2];
    if (pipe2(ready, O_CLOEXEC) != 0)
        return -1;
    const pid_t runtime = getpid();
    const pid_t server = fork();
    if (server == 0) {
        close(ready[0]);
        _exit(serve(image, offset, mount_point, ready[1], runtime));
    }
    close(ready[1]);
    char byte;
    ssize_t got;
    while ((got = read(ready[0], &byte, 1)) < 0 && errno == EINTR) {
    }
    close(ready[0]);
    if (server > 0 && got != 1) {
        waitpid(server, NULL, 0);
        return -1;
    }
    return server;
}

void stop_mount(pid_t server)
{
    // A signal that lands after the server checked for exit but before it blocks reading /dev/fuse
    // is not seen until the next request, so it is repeated until the server is gone.
    const struct timespec pause = {.tv_sec = 0, .tv_nsec = 20 * 1000 * 1000};
    for (;;) {
        kill(server, leave_signal);
        const pid_t done = waitpid(server, NULL, WNOHANG);
        if (done == server || (done < 0 && errno != EINTR))
            return;
        nanosleep(&pause, NULL);
    }
}
