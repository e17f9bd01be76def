/* drv_front.c -- a compile session: the front end over one program, its
 * diagnostics, and the C it lowers to.
 *
 * A Session owns an arena (released by session_end), the program's file
 * set and its diagnostics, so a long-running user (a language server, a
 * test harness) can compile program after program; `plat` makes one.
 */
#include "driver.h"

#include "check.h"
#include "emit.h"
#include "parse.h"

int session_front(Session *s, const char *path, const char *src, size_t len, bool test_mode) {
  Arena *saved = arena_use(&s->arena);
  DiagList *saved_diags = diag_begin(&s->diags);
  s->prog = parse_program(&s->fset, path, src, len);
  if (s->diags.errors == 0) check_program(s->prog, test_mode);
  diag_begin(saved_diags);
  diag_sort(&s->diags, &s->fset);
  arena_use(saved);
  return s->diags.errors;
}

Buf session_emit(Session *s, bool test_mode) {
  Arena *saved = arena_use(&s->arena);
  Buf c = {0};
  EmitOptions opt = {.test_mode = test_mode};
  emit_program(s->prog, &c, &opt);
  arena_use(saved);
  return c;
}

void session_report(Session *s, const DriverOpts *o) {
  if (o && o->json) {
    diag_print_json(stdout, &s->diags, &s->fset);
    fflush(stdout);
    return;
  }
  diag_print_text(stderr, &s->diags, &s->fset, diag_use_color(o ? o->color : COLOR_AUTO, 2));
  if (s->diags.errors)
    fprintf(stderr, "plat: %d error%s in %s\n", s->diags.errors, s->diags.errors == 1 ? "" : "s",
            s->prog ? s->prog->path : "the program");
}

void session_end(Session *s) {
  diag_list_free(&s->diags);
  arena_release(&s->arena);
  memset(s, 0, sizeof *s);
}
