// Declarations only (include/CFuzzerDriver.h); the definitions are in libFuzzer's runtime,
// linked by -sanitize=fuzzer.
#include "CFuzzerDriver.h"
