/* plat_rt.h -- the Plat runtime: M:N green threads with structured
 * concurrency, usable from plain C.
 *
 * STATUS: contract written before the implementation.  The scheduler
 * owner may change representations and add functions; renaming or
 * changing the meaning of a function below means updating its callers
 * (the compiler's emitter, runtime/chan.c, tests).
 *
 * Model
 *   - A program runs inside plat_main(): it starts PLAT_WORKERS worker
 *     threads and runs `entry` as the root task.
 *   - Tasks are stackful green threads.  Every task belongs to a scope; a
 *     scope joins all its tasks when it is exited (plat_scope_exit), and a
 *     panic in a task cancels its siblings and is re-raised in the parent
 *     at plat_await or at plat_scope_exit, whichever comes first.
 *   - A task result is one 8-byte word.
 *   - Blocking calls (await, scope exit, sleep, channel ops, I/O) park the
 *     task, never the worker thread, and are cancellation points.
 *   - Unwinding (panic or cancellation) runs the task's cleanup chain:
 *     registered defers and open scopes, innermost first.
 */
#ifndef PLAT_RT_H
#define PLAT_RT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct plat_task plat_task;
typedef uint64_t (*plat_task_fn)(void *env);

/* ---- program entry --------------------------------------------------- */
/* Initialise GC and scheduler, run `entry` as the root task, wait for it,
 * flush stdout and return its result as the exit status.  A panic that
 * reaches the root prints the message, location and spawn chain to stderr
 * and exits 101. */
int plat_main(int argc, char **argv, plat_task_fn entry, void *env);
int plat_argc(void);
char **plat_argv(void);

/* ---- cleanup chain: defers and scopes ---------------------------------- */
/* A cleanup record lives on the C stack of the task that pushed it. */
typedef struct plat_cleanup {
  struct plat_cleanup *next;
  void (*fn)(struct plat_cleanup *self);  /* run on unwinding */
} plat_cleanup;

/* `defer { ... }`: push before the block's body, pop on every normal way
 * out of the block (running the deferred code there itself).  On panic or
 * cancellation the runtime calls d->fn for every record still pushed. */
typedef struct plat_defer {
  plat_cleanup link;
  void (*run)(void *env);
  void *env;
} plat_defer;
void plat_defer_push(plat_defer *d, void (*run)(void *env), void *env);
void plat_defer_pop(plat_defer *d);       /* does not run it */

/* ---- scopes and tasks ---------------------------------------------------- */
typedef struct plat_scope plat_scope;     /* defined by the scheduler; callers
                                             allocate one on their stack */
struct plat_scope {
  plat_cleanup link;                      /* in the owning task's chain */
  plat_task *owner;
  plat_task *children;                    /* intrusive list */
  uint32_t live;                          /* children not yet finished */
  const char *file;                       /* where `concurrent` is */
  int line;
  void *impl[4];                          /* scheduler-private */
};
void plat_scope_enter(plat_scope *sc, const char *file, int line);
/* Wait for every child; re-raise the first child panic not yet observed. */
void plat_scope_exit(plat_scope *sc);

plat_task *plat_spawn(plat_scope *sc, plat_task_fn fn, void *env,
                      const char *file, int line);
/* The task's result; parks the caller until it is done; re-raises its panic. */
uint64_t plat_await(plat_task *t);
void plat_cancel(plat_task *t);
plat_task *plat_self(void);

/* ---- panics ---------------------------------------------------------------- */
__attribute__((noreturn)) void plat_panic(const char *msg, const char *file, int line);
__attribute__((noreturn)) void plat_panicf(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- checks inserted by generated code -------------------------------------- */
/* Function prologue: panics with "stack overflow" at file:line when the
 * stack pointer is below the current task's limit (limit includes headroom
 * for runtime and libc calls). */
void plat_stack_check_slow(const char *file, int line);
/* Loop back-edge: a cancellation point and a preemption point. */
void plat_loop_check_slow(const char *file, int line);

/* ---- time ------------------------------------------------------------------- */
void plat_sleep_ms(int64_t ms);           /* cancellation point */
void plat_yield(void);                    /* cancellation point */
int64_t plat_now_ms(void);                /* monotonic */

/* ---- parking: the primitive under channels, select, I/O --------------------- */
/* Park the calling task.  `commit(self, arg)` runs after the task's context
 * is saved (on the worker's scheduler stack); it usually releases the lock
 * that protected the wait queue.  If it returns false the task resumes at
 * once.  `what` is shown in deadlock reports ("channel recv").
 * Returns a reason: PLAT_WAKE_NORMAL, PLAT_WAKE_TIMEOUT or
 * PLAT_WAKE_CANCEL. */
enum { PLAT_WAKE_NORMAL = 0, PLAT_WAKE_TIMEOUT = 1, PLAT_WAKE_CANCEL = 2 };
int plat_park(bool (*commit)(plat_task *self, void *arg), void *arg, const char *what);
/* Make a parked task runnable (in the current worker's run-next slot). */
void plat_ready(plat_task *t);

#ifdef __cplusplus
}
#endif
#endif
