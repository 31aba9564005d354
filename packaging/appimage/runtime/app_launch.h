// Running AppRun with the environment the AppImage format promises it, and ending the runtime the
// way AppRun ended.
#pragma once

#include <stdnoreturn.h>

// Runs `app_dir`/AppRun with `arguments` (argument_count of them) and APPIMAGE (`image`), APPDIR
// (`app_dir`), ARGV0 (`argv0`, how the AppImage was called) and OWD (the working directory) set, and
// waits for it. SIGINT, SIGTERM and SIGHUP sent to the runtime alone are passed on to AppRun.
// Returns AppRun's wait status.
int run_app_run(const char *app_dir, const char *image, const char *argv0, int argument_count, char **arguments);

// Exits with AppRun's exit code, or dies of the signal that ended it.
noreturn void exit_like(int wait_status);
