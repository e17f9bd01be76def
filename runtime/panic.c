/* panic.c -- panics, unwinding, reports, plat_catch, plat_with_timeout.
 *
 * plat_panic records the panic (message copied to GC memory, location,
 * origin task) in the task and unwinds it: every record of its cleanup
 * chain is popped and run (defers, then open scopes cancel and join their
 * children), then the task finishes as PANICKED and never returns.  The
 * first panic of a task is the one reported; a panic inside a defer while
 * unwinding continues the unwinding with the remaining records.  The
 * awaiter or the scope re-raises the same record (plat__raise), so the
 * report shows the original location and the spawn chain of the task
 * that panicked first.
 *
 * Report (uncaught at the root, printed by plat_main after flushing
 * stdout, exit status 101):
 *   panic: MESSAGE
 *     at FILE:LINE
 *     in task spawned at FILE:LINE      (innermost task first)
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "rt_internal.h"

static char *gc_strdup(const char *s) {
  size_t n = strlen(s);
  char *p = plat_alloc_atomic(n + 1);
  memcpy(p, s, n + 1);
  return p;
}

void plat_report_panic(plat_panic_rec *p) {
  fprintf(stderr, "panic: %s\n", p->msg);
  if (p->file) fprintf(stderr, "  at %s:%d\n", p->file, p->line);
  for (plat_task *t = p->origin; t && t != plat_root; t = t->parent)
    if (t->file) fprintf(stderr, "  in task spawned at %s:%d\n", t->file, t->line);
  fflush(stderr);
}

void plat__raise(plat_panic_rec *p) {
  plat_task *t = plat_self();
  if (!t) {
    plat_flush_all();
    plat_report_panic(p);
    _exit(101);
  }
  if (!t->panic) t->panic = p;
  t->unwinding = true;
  plat_set_limit_for(t);
  plat__run_cleanups(t);
  plat_task_finish(t, PLAT_T_PANICKED);
}

void plat_panic(const char *msg, const char *file, int line) {
  plat_panic_rec *p = plat_alloc(sizeof *p);
  p->msg = gc_strdup(msg ? msg : "");
  p->file = file;
  p->line = line;
  p->origin = plat_self();
  plat__raise(p);
}

void plat_panicf(const char *file, int line, const char *fmt, ...) {
  char buf[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  plat_panic(buf, file, line);
}

void plat__unwind_cancel(plat_task *t) {
  t->unwinding = true;
  plat_set_limit_for(t);
  plat__run_cleanups(t);
  plat_task_finish(t, PLAT_T_CANCELLED);
}

const char *plat_catch(plat_task_fn fn, void *env) {
  plat_scope sc;
  plat_scope_enter(&sc, NULL, 0);
  plat_spawn(&sc, fn, env, NULL, 0);
  return plat_panic_text(plat_scope_exit_catch(&sc));
}

const char *plat_panic_text(plat_panic_rec *p) {
  if (!p) return NULL;
  const char *f = p->file ? p->file : "?";
  size_t n = strlen(p->msg) + strlen(f) + 40;
  char *s = plat_alloc_atomic(n);
  snprintf(s, n, "%s (at %s:%d)", p->msg, f, p->line);
  return s;
}

static void timeout_cancel(plat_timer *tm) { plat_cancel(tm->arg); }
static void timer_stop_defer(void *tm) { plat_timer_stop(tm); }

/* ms <= 0: the time is up before the body starts, so it does not run at
 * all (no task is spawned; the result is None), whatever the scheduling.
 * A deadline past the clock's range (ms near INT64_MAX) never fires. */
bool plat_with_timeout(int64_t ms, plat_task_fn fn, void *env, uint64_t *out, const char *file,
                       int line) {
  if (ms <= 0) return false;
  int64_t now = plat_now_ns();
  bool timed = ms <= (INT64_MAX - now) / 1000000;
  plat_timer tm = {.index = -1};
  plat_defer d;                       /* stops the timer if we unwind */
  plat_defer_push(&d, timer_stop_defer, &tm);
  plat_scope sc;
  plat_scope_enter(&sc, file, line);
  plat_task *t = plat_spawn(&sc, fn, env, file, line);
  if (timed) plat_timer_start(&tm, now + ms * 1000000, timeout_cancel, t);
  plat_panic_rec *p = plat_scope_exit_catch(&sc);
  plat_defer_pop(&d);
  plat_timer_stop(&tm);
  if (p) plat__raise(p);
  if (atomic_load(&t->state) == PLAT_T_DONE) {
    if (out) *out = t->result;
    return true;
  }
  return false;
}
