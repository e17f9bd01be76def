/* fuzz_front.c -- libFuzzer target for the front end (and the checker).
 *
 * Feeds each input to parse_program and, when built with FUZZ_CHECK (the
 * Makefile sets it once compiler/check.c exists) and the parse had no
 * error, to check_program.  Run with `make fuzz` (FUZZ_SECONDS, default
 * 60); crashing inputs land in tests/fuzz/regress/.
 *
 * Memory: the compiler's arena is never freed in a normal run.  Here the
 * Makefile compiles util.c with its arena functions renamed, and this file
 * supplies arena_alloc/arena_strndup/arena_printf backed by a block list
 * that is freed after every input, so a long run stays bounded and ASan
 * sees any pointer kept across inputs.  Interned names still live in
 * util.c's own arena (they are meant to live forever).  The checker keeps
 * arena pointers in statics, so it is fuzzed only if it provides
 * check_reset() to forget them; otherwise only the parser is, unless
 * built with -DFUZZ_KEEP_ARENA (never frees: for short runs only, e.g.
 * make fuzz FUZZ_FLAGS_EXTRA=-DFUZZ_KEEP_ARENA FUZZ_SECONDS=60).
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../compiler/diag.h"
#include "../../compiler/parse.h"
#ifdef FUZZ_CHECK
#include "../../compiler/check.h"
/* Provided by the checker when it keeps statics between runs: forget them
 * so the arena can be freed after each input.  Without it nothing is freed
 * (the checker's caches point into the arena). */
void check_reset(void) __attribute__((weak));
#endif

/* A per-input arena in place of util.c's chunked one, on purpose: every
 * allocation is its own calloc block, so ASan catches an overrun of any
 * single node (inside a 1 MiB chunk it would go unseen), and freeing the
 * blocks after each input keeps a long run's memory flat. */
typedef struct Block { struct Block *next; _Alignas(16) char mem[]; } Block;
static Block *blocks;   /* owned by the current input; freed after it */

void *arena_alloc(size_t n) {
  Block *b = calloc(1, sizeof(Block) + n);
  if (!b) abort();
  b->next = blocks;
  blocks = b;
  return b->mem;
}

char *arena_strndup(const char *s, size_t n) {
  char *p = arena_alloc(n + 1);
  memcpy(p, s, n);
  return p;
}

char *arena_printf(const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = arena_alloc((size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, aq);
  va_end(aq);
  return p;
}

static void free_blocks(void) {
  while (blocks) { Block *b = blocks; blocks = b->next; free(b); }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *src = malloc(size + 1);
  if (!src) return 0;
  memcpy(src, data, size);
  src[size] = 0;
  FileSet *fs = arena_alloc(sizeof *fs);
  DiagList diags = {0};
  diag_begin(&diags);
  Program *p = parse_program(fs, "fuzz.plat", src, size);
#ifdef FUZZ_CHECK
#ifdef FUZZ_KEEP_ARENA   /* short runs without check_reset(): nothing is freed */
  if (diag_error_count() == 0) check_program(p, true);
  return 0;
#endif
  if (check_reset) {
    if (diag_error_count() == 0) check_program(p, true);
    check_reset();
  } else {
    static bool warned;
    if (!warned) fputs("fuzz_front: the checker has no check_reset(); fuzzing the parser only\n", stderr);
    warned = true;
  }
#else
  (void)p;
#endif
  diag_begin(NULL);
  if (getenv("FUZZ_VERBOSE")) {
    diag_sort(&diags, fs);
    diag_print_text(stderr, &diags, fs, false);
  }
  diag_list_free(&diags);
  free_blocks();
  free(src);
  return 0;
}
