/* plat_race.h -- `race` and the `defer` cleanup helper, usable from C
 * (LANGUAGE.md 3 and 8.3).  Built only on the public API of plat_rt.h.
 *
 * plat_race runs fns[i](envs[i]) for i in [0, n) as tasks of a fresh
 * scope and returns the result of the first one to return.  The others
 * are cancelled, and every task has finished unwinding before plat_race
 * returns.  A panic in an arm (before any arm returned) cancels the
 * other arms and is re-raised in the caller.  A cancellation point.
 *
 * plat_defer_cleanup is the __attribute__((cleanup)) function the emitter
 * puts on each `defer` record: on a normal way out of the block it pops
 * the record and runs the deferred code; on panic or cancellation the
 * runtime runs the records still pushed instead (plat_rt.h).
 */
#ifndef PLAT_RACE_H
#define PLAT_RACE_H

#include "plat_rt.h"

uint64_t plat_race(int n, plat_task_fn *fns, void **envs, const char *file, int line);

static inline void plat_defer_cleanup(plat_defer *d) {
  plat_defer_pop(d);
  d->run(d->env);
}

#endif
