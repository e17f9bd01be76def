/* testsched.c -- plat_test_run: how a test's process (testrun.c) runs
 * the test's body.
 *
 * Normally: the body runs as a task named by the test ("block::test_fn"
 * in dumps and traces) in a scope of its own; a panic becomes the
 * "MESSAGE (at FILE:LINE)" failure text, as with plat_catch.
 *
 * Under `plat test --schedules N [--seed S]` (testrun.c sets PLAT_SCHEDULES
 * and PLAT_SEED, so detsched.c is on in the test's process; the driver
 * sets PLAT_TEST_FILE for the replay command): the body runs N times, on the deterministic schedules of seeds S, S+1, ...; each
 * schedule starts afresh (detsched.c: generator seeded from the seed and
 * the test's name, virtual clock at 0, task ids from the same number), so
 * a test's schedule for a seed does not depend on the other tests, and
 *     plat test FILE --schedules 1 --seed X -f NAME
 * replays it exactly.  What a schedule prints is captured (print.c) and
 * shown only for the first schedule of a passing test, or for the failing
 * schedule, followed by its failure: the panic, or the deadlock report
 * (detsched.c cancels the test's task when every task is blocked), the
 * seed and the replay command.  The same text comes out of the replay.
 * A schedule that used sockets or files depends on the outside world:
 * a note says so.  The seed of the schedule under way is also written to
 * plat_test_progress (a page the supervisor shares), so a schedule that
 * hangs, crashes or exits gets its replay command from the supervisor.
 *
 * Owned globals: plat_test_progress (set by testrun.c before the fork).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rt_internal.h"

void plat_print_capture_begin(void);
char *plat_print_capture_end(size_t *len);
void plat_print_bytes(const char *p, size_t n);

volatile uint64_t *plat_test_progress;

/* The seed's replay command, as printed under a failure. */
void plat_test_replay_note(FILE *f, const char *name, uint64_t seed) {
  const char *file = getenv("PLAT_TEST_FILE");
  fprintf(f, "     failed on the schedule of seed %llu; replay it with:\n", (unsigned long long)seed);
  if (file && *file)
    fprintf(f, "     plat test %s --schedules 1 --seed %llu -f %s", file, (unsigned long long)seed, name);
  else
    fprintf(f, "     %s --schedules 1 --seed %llu -f %s", plat_argv() ? plat_argv()[0] : "PROGRAM",
            (unsigned long long)seed, name);
}

static const char *run_once(const char *name, plat_task_fn fn) {
  plat_scope sc;
  plat_scope_enter(&sc, NULL, 0);
  plat_task *t = plat_spawn(&sc, fn, NULL, name, 0);
  if (PLAT_DET()) plat_det_watch(t);
  return plat_panic_text(plat_scope_exit_catch(&sc));
}

/* The failure text: message, seed and replay command, then the rest of a
 * multi-line message (a deadlock's task list), in GC memory. */
static const char *failure(const char *name, const char *err, uint64_t seed, bool io) {
  char *buf = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&buf, &len);
  if (!f) plat_gc_oom(0);
  const char *nl = strchr(err, '\n');
  fprintf(f, "%.*s\n", nl ? (int)(nl - err) : (int)strlen(err), err);
  plat_test_replay_note(f, name, seed);
  if (io) fprintf(f, "\n     note: this schedule did real I/O (sockets or files): a replay may differ");
  if (nl && nl[1]) {
    size_t n = strlen(nl + 1);
    fprintf(f, "\n%.*s", (int)(nl[n] == '\n' ? n - 1 : n), nl + 1);
  }
  fclose(f);
  char *r = plat_alloc_atomic(len + 1);
  memcpy(r, buf, len + 1);
  free(buf);
  return r;
}

const char *plat_test_run(const char *name, plat_task_fn fn) {
  if (!PLAT_DET()) return run_once(name, fn);
  uint64_t n = (uint64_t)plat_env_int("PLAT_SCHEDULES", 1, 1, 1000000000);
  uint64_t seed0 = (uint64_t)plat_env_int("PLAT_SEED", 1, 0, INT64_MAX);
  char *shown = NULL;
  size_t shown_len = 0;
  bool any_io = false;
  for (uint64_t k = 0; k < n; k++) {
    uint64_t seed = seed0 + k;
    if (plat_test_progress) *plat_test_progress = seed + 1;   /* 0: none */
    plat_det_begin(seed, name);
    plat_print_capture_begin();
    const char *err = run_once(name, fn);
    char *dl = plat_det_take_deadlock();
    size_t len;
    char *outp = plat_print_capture_end(&len);
    bool io = plat_det_did_real_io();
    any_io |= io;
    if (err || dl) {
      if (outp) plat_print_bytes(outp, len);
      const char *r = failure(name, dl ? dl : err, seed, io);
      free(outp);
      free(dl);
      free(shown);
      return r;
    }
    if (k == 0) {
      shown = outp;
      shown_len = len;
    } else {
      free(outp);
    }
  }
  if (shown) plat_print_bytes(shown, shown_len);
  free(shown);
  if (any_io) {
    char note[512];
    int m = snprintf(note, sizeof note,
                     "note: %s did real I/O (sockets or files): its schedules may not replay exactly\n",
                     name);
    plat_print_bytes(note, (size_t)m < sizeof note ? (size_t)m : sizeof note - 1);
  }
  return NULL;
}
