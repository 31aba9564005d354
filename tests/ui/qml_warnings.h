#pragma once

#include <QStringList>

// Collects the warnings QML prints (bindings, imports, types, JavaScript) while still printing
// them, so that a test can fail listing them. The offscreen platform's own notices (such as "does
// not support propagateSizeHints") are not ours to fix and are not collected.
void collectQmlWarnings();
QStringList takeQmlWarnings(); // those since the last call
