/*
 * MagickWand for Swift. SwiftPM drops pkg-config -D flags, so the MAGICKCORE_* macros are set here.
 *
 * Feature macros: Foundation's CDispatch module is built WITHOUT _GNU_SOURCE, so its fd_set has
 * `__fds_bits`; with _GNU_SOURCE glibc names the field `fds_bits` and clang refuses to merge the two
 * definitions ("'__fds_bits' from module 'CDispatch' is not present in definition of 'fd_set' in
 * module 'CMagickWand'") in any Swift file set that imports both Foundation and this module.
 * magick-baseconfig.h defines _GNU_SOURCE itself, so the libc headers are included first, before it
 * can take effect, and _GNU_SOURCE is not defined here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/types.h>
#include <sys/time.h>
#include <sys/select.h>
#include <time.h>
#include <pthread.h>
#ifndef MAGICKCORE_HDRI_ENABLE
#define MAGICKCORE_HDRI_ENABLE 0
#endif
#ifndef MAGICKCORE_QUANTUM_DEPTH
#define MAGICKCORE_QUANTUM_DEPTH 16
#endif
#include <wand/MagickWand.h>
