/* One set of feature macros for every C shim, so the system headers they share (sys/select.h) agree. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#ifndef MAGICKCORE_HDRI_ENABLE
#define MAGICKCORE_HDRI_ENABLE 0
#endif
#ifndef MAGICKCORE_QUANTUM_DEPTH
#define MAGICKCORE_QUANTUM_DEPTH 16
#endif
#include <wand/MagickWand.h>
