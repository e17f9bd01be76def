/* rt_internal.h -- private declarations shared by the runtime's files.
 * Not part of the public contract (plat_rt.h is). */
#ifndef PLAT_RT_INTERNAL_H
#define PLAT_RT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plat_rt.h"

/* ---- gc.c ---- */
extern bool plat_gc_torture_on;
void plat_gc_init(void);              /* idempotent; before any allocation */
void plat_gc_torture_point(void);     /* called at task switches */
__attribute__((noreturn)) void plat_gc_oom(size_t n);

#endif
