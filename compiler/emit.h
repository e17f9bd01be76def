/* emit.h -- lowering a checked program to C. */
#ifndef PLAT_EMIT_H
#define PLAT_EMIT_H

#include "ast.h"

typedef struct EmitOptions {
  bool test_mode;      /* main() runs the test_* functions (plat test) */
} EmitOptions;

/* Append a complete C translation unit for `p` to `out`.  The C includes
 * "plat_rt.h" and "plat_value.h" and carries #line directives that point
 * at the .plat source. */
void emit_program(Program *p, Buf *out, const EmitOptions *opt);

/* The runtime functions the emitter's own code calls (space-separated
 * lists; ends with NULL); tools/rt_contract.c checks them against the
 * runtime's headers.  The catalogue lists those of the built-ins. */
extern const char *const emit_runtime_uses[];

#endif
