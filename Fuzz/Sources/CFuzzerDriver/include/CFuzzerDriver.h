#ifndef PALADIN_CFUZZERDRIVER_H
#define PALADIN_CFUZZERDRIVER_H

#include <stddef.h>
#include <stdint.h>

// libFuzzer's library entry point (compiler-rt FuzzerInterface.h): parses the libFuzzer
// command line and runs the fuzzing loop over `callback`. The fuzz executable calls it from
// its own `main`, because SwiftPM renames an executable's entry point and so libFuzzer's
// `main` cannot be the one that runs.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
