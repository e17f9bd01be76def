/* fuzz_front.c -- libFuzzer target for the front end: parser and checker.
 *
 * Feeds each input to parse_program and, when the parse had no error, to
 * check_program in test mode.  Run with `make fuzz` (FUZZ_SECONDS,
 * default 60); crashing inputs land in tests/fuzz/regress/.
 *
 * Memory: each input is compiled in an arena of its own (util.h), released
 * afterwards, so a long run stays bounded and ASan sees any pointer kept
 * across inputs.  Under ASan every arena allocation is a block of its own,
 * so an overrun of a single node is caught.  The built-in catalogue and
 * interned names live in the permanent arena (loaded once); the checker
 * resets its own state at the start of each run.
 */
#include <stdio.h>
#include <stdlib.h>

#include "../../compiler/builtins.h"
#include "../../compiler/check.h"
#include "../../compiler/diag.h"
#include "../../compiler/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bool loaded;
  if (!loaded) {
    const char *err = catalogue_load();
    if (err) { fprintf(stderr, "fuzz_front: %s\n", err); abort(); }
    loaded = true;
  }
  char *src = malloc(size + 1);
  if (!src) return 0;
  memcpy(src, data, size);
  src[size] = 0;
  Arena arena = {0};
  Arena *saved = arena_use(&arena);
  FileSet *fs = arena_alloc(sizeof *fs);
  DiagList diags = {0};
  diag_begin(&diags);
  Program *p = parse_program(fs, "fuzz.plat", src, size);
  if (diags.errors == 0) check_program(p, true);
  diag_begin(NULL);
  if (getenv("FUZZ_VERBOSE")) {
    diag_sort(&diags, fs);
    diag_print_text(stderr, &diags, fs, false);
  }
  diag_list_free(&diags);
  arena_use(saved);
  arena_release(&arena);
  free(src);
  return 0;
}
