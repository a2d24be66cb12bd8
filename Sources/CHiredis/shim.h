/* One set of feature macros for every C shim, so the system headers they share (sys/select.h) agree. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE 1
#endif
#include <hiredis/hiredis.h>
