#pragma once

// Settings of this test only (QStandardPaths' test mode, the test's own organization), emptied,
// with the language English whatever the machine's locale. Call before anything reads settings.
void useTestSettings(const char* testName);
