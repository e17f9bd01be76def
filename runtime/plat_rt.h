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
/* A scope lives on the stack of the task that enters it (callers allocate
 * it); plat_spawn may be called on it by that task or by any task spawned
 * inside it while it is open.  A plat_task * is valid until its scope has
 * been exited. */
typedef struct plat_scope plat_scope;
#define PLAT_SCOPE_INLINE_KIDS 16
struct plat_scope {
  /* written by spawners (mostly the owner) */
  plat_cleanup link;                      /* in the owning task's chain */
  plat_task *owner;
  plat_task **kids;                       /* children the owner spawned and that
                                             may still run (scope.c); finished
                                             ones are pruned */
  uint32_t nkids;                         /* entries in kids (read by failing children) */
  uint32_t kids_cap;
  plat_task *children;                    /* children spawned by other tasks:
                                             intrusive list, newest first */
  uint64_t owner_spawns;                  /* children the owner spawned */
  struct plat_panic_rec *failed;          /* first child panic */
  const char *file;                       /* where `concurrent` is */
  int line;
  int joining;                            /* owner started joining (owner) */
  plat_task *kids_inline[PLAT_SCOPE_INLINE_KIDS];   /* kids until it grows */
  /* written by finishing children: a cache line of its own (scope.c) */
  _Alignas(64) int64_t done;
  int lock;                               /* scheduler-private spin lock */
  plat_task *waiter;                      /* owner parked in plat_scope_exit */
};
void plat_scope_enter(plat_scope *sc, const char *file, int line);
/* Wait for every child; re-raise the first child panic not yet observed
 * (observed = already re-raised by plat_await).  A cancellation point: if
 * the caller is cancelled while waiting, the children are cancelled, still
 * joined, and then the caller unwinds. */
void plat_scope_exit(plat_scope *sc);

plat_task *plat_spawn(plat_scope *sc, plat_task_fn fn, void *env,
                      const char *file, int line);
/* The task's result; parks the caller until it is done; re-raises its panic.
 * Awaiting a task cancelled because a sibling panicked re-raises that panic;
 * awaiting a task cancelled by plat_cancel returns 0.  Any task may await
 * any task of a scope it can see, any number of times. */
uint64_t plat_await(plat_task *t);
/* Request cancellation: the task stops at its next cancellation point,
 * runs its defers, cancels and joins its children.  No-op once finished. */
void plat_cancel(plat_task *t);
bool plat_is_cancelled(void);             /* cancellation requested for self */
/* Unwind the calling task as cancelled (after plat_park returned
 * PLAT_WAKE_CANCEL and the caller withdrew its waiter). */
__attribute__((noreturn)) void plat_cancel_unwind(void);
plat_task *plat_self(void);               /* NULL outside tasks */

/* Run fn(env) as a task in its own scope and wait for it.  Returns NULL if
 * it finished, or "MESSAGE (at FILE:LINE)" (GC memory) if it panicked.
 * Must be called from a task (e.g. the root). */
const char *plat_catch(plat_task_fn fn, void *env);
/* Run fn(env) as a task in its own scope; if it has not finished after ms,
 * cancel it (and wait for its unwinding).  Returns true and stores the
 * result in *out if it finished in time.  A panic in it is re-raised.
 * ms <= 0: fn does not run at all and the result is false. */
bool plat_with_timeout(int64_t ms, plat_task_fn fn, void *env, uint64_t *out,
                       const char *file, int line);

/* ---- panics ---------------------------------------------------------------- */
/* Unwind the current task: its defers run, its open scopes cancel and join
 * their children, and the panic goes to the awaiter / scope of the task.
 * Outside any task (plain C thread): prints the report and exits 101. */
__attribute__((noreturn)) void plat_panic(const char *msg, const char *file, int line);
__attribute__((noreturn)) void plat_panicf(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* ---- checks inserted by generated code -------------------------------------- */
/* plat_tls_stack_limit is the running task's stack limit (its lowest usable
 * address plus headroom for runtime and libc calls), 0 outside tasks, and
 * UINTPTR_MAX when the task is asked to yield or has been cancelled: one
 * compare serves the stack check, the preemption check and the
 * cancellation check.  It is read with an asm statement on x86-64 so the
 * compiler cannot keep the TLS address across a call that resumed the task
 * on another OS thread (docs/RUNTIME.md, "TLS"). */
extern __thread uintptr_t plat_tls_stack_limit;
uintptr_t plat_stack_limit_read(void);    /* out-of-line read (other arches) */
static inline __attribute__((always_inline)) uintptr_t plat__limit(void) {
#if defined(__x86_64__) && !defined(PLAT_NO_TLS_ASM)
  uintptr_t v;
  __asm__ volatile("movq %%fs:plat_tls_stack_limit@tpoff, %0" : "=r"(v));
  return v;
#else
  return plat_stack_limit_read();
#endif
}
static inline __attribute__((always_inline)) uintptr_t plat__sp(void) {
#if defined(__x86_64__)
  uintptr_t sp;
  __asm__ volatile("movq %%rsp, %0" : "=r"(sp));
  return sp;
#else
  return (uintptr_t)__builtin_frame_address(0);
#endif
}
/* Function prologue: "stack overflow" panic at file:line when the stack is
 * exhausted; also a preemption and cancellation point. */
#define PLAT_STACK_CHECK(file, line)                                  \
  do {                                                                \
    if (__builtin_expect(plat__sp() < plat__limit(), 0))              \
      plat_stack_check_slow((file), (line));                          \
  } while (0)
/* Loop back-edge: a cancellation point and a preemption point. */
#define PLAT_LOOP_CHECK(file, line)                                   \
  do {                                                                \
    if (__builtin_expect(plat__sp() < plat__limit(), 0))              \
      plat_loop_check_slow((file), (line));                           \
  } while (0)
void plat_stack_check_slow(const char *file, int line);
void plat_loop_check_slow(const char *file, int line);

/* ---- wait sites ----------------------------------------------------------------
 * Generated code records the .plat location of a call that may wait (await,
 * recv, sleep, socket and file built-ins) just before making it:
 *     ({ PLAT_AT(plat_file, 12); plat_await(t); })
 * A static record per call site, one store into a thread-local word.  A
 * park takes it into the task's wait record (dumps, deadlock reports,
 * traces); a task switch saves and restores it, so it follows the task.
 * Runtime calls that receive file and line (send, select, scopes) do not
 * need it. */
typedef struct plat_site {
  const char *file;
  int line;
} plat_site;
extern __thread const plat_site *plat_tls_site;
void plat_site_set(const plat_site *s);   /* out-of-line store (other arches) */
static inline __attribute__((always_inline)) void plat__site(const plat_site *s) {
#if defined(__x86_64__) && !defined(PLAT_NO_TLS_ASM)
  __asm__ volatile("movq %0, %%fs:plat_tls_site@tpoff" : : "r"(s) : "memory");
#else
  plat_site_set(s);
#endif
}
#define PLAT_AT(file, line)                                           \
  do {                                                                \
    static const plat_site plat__s = {(file), (line)};                \
    plat__site(&plat__s);                                             \
  } while (0)

/* ---- seeing and testing concurrency (docs/GUIDE.md, docs/RUNTIME.md) ------- */
/* Print every live task to stderr -- id, state, the .plat line where it
 * waits and on what, its chain of spawn locations -- in the format of the
 * SIGQUIT dump and the deadlock report.  Callable from any thread, inside
 * or outside a task; the program goes on running. */
void plat_dump_tasks(void);
/* Run one test body (in a test's process, runtime/testrun.c).  Normally
 * plat_catch; under `plat test --schedules N` (PLAT_SCHEDULES, PLAT_SEED)
 * it runs the body on N seeded deterministic schedules and returns the
 * failure of the first failing one, with its seed and the command that
 * replays it (runtime/testsched.c). */
const char *plat_test_run(const char *name, plat_task_fn fn);

/* ---- time ------------------------------------------------------------------- */
void plat_sleep_ms(int64_t ms);           /* cancellation point; ms <= 0 yields */
void plat_yield(void);                    /* cancellation point */
int64_t plat_now_ms(void);                /* monotonic */
int64_t plat_now_ns(void);                /* monotonic */
/* The deadline ms milliseconds after now (ns), saturating at INT64_MAX (a
 * time too large for the clock never expires).  ms > 0. */
static inline int64_t plat_deadline_after_ms(int64_t now, int64_t ms) {
  return ms > (INT64_MAX - now) / 1000000 ? INT64_MAX : now + ms * 1000000;
}

/* Timers: a min-heap served by the monitor thread.  `fire(tm)` runs on the
 * monitor thread with the timer lock held: it must be short, must not block
 * and must not start or stop timers; it may call plat_wake.  A timer record
 * is owned by the caller (e.g. on a task stack) and must stay valid until it
 * fired or plat_timer_stop returned. */
typedef struct plat_timer {
  int64_t when_ns;                        /* plat_now_ns() clock */
  int32_t index;                          /* heap position, -1 if not queued */
  void (*fire)(struct plat_timer *tm);
  void *arg;
} plat_timer;
void plat_timer_start(plat_timer *tm, int64_t when_ns, void (*fire)(plat_timer *), void *arg);
/* True if the timer was removed before firing.  After return, fire is not
 * running and will not run. */
bool plat_timer_stop(plat_timer *tm);

/* ---- parking: the primitive under channels, select, I/O --------------------- */
/* Protocol (what a channel, select or poller implementer must follow):
 *
 *  1. Under your lock L, link a waiter record (usually on your stack) that
 *     names plat_self() into your wait queue, then call
 *     plat_park(commit, arg, what) where commit releases L.
 *  2. commit(self, arg) runs after the task's context is saved, on another
 *     stack, before any other worker can resume the task.  Return true to
 *     sleep; false to resume at once (reason NORMAL unless a timeout or
 *     cancellation already claimed the park).  commit must not block.
 *  3. A waker, holding L, unlinks a waiter, stores what it hands over in the
 *     waiter record (value, which arm fired, ...) and calls
 *     plat_wake(task, PLAT_WAKE_NORMAL, token).  plat_wake returns false if
 *     the park was already claimed (timeout or cancellation won the race):
 *     then the task will ignore the record; keep your value and try the next
 *     waiter.  The park state is "waiting" from before commit runs, so a
 *     plat_wake right after commit released L is fine.
 *  4. Exactly one of {plat_wake, timeout, cancellation} wins a park.  The
 *     parked task returns the winner's reason.  On TIMEOUT or CANCEL it must
 *     take L again and unlink its waiter if still linked; it must read the
 *     record only on NORMAL.  On CANCEL it then calls plat_cancel_unwind()
 *     (after releasing L).
 *  5. No stale wake-ups: wake only waiters found linked under L; a woken task
 *     unlinks (or has been unlinked) before it can park again.  Then a
 *     plat_wake can never hit a later park of the same task.
 *  6. plat_wake may be called from any thread (worker, monitor, helper
 *     threads, the poller) with L held; it never blocks.
 *  7. `what` is shown in deadlock reports ("channel recv").
 * A task that is already cancelled when it parks returns CANCEL at once
 * (after commit). */
enum { PLAT_WAKE_NORMAL = 0, PLAT_WAKE_TIMEOUT = 1, PLAT_WAKE_CANCEL = 2 };
int plat_park(bool (*commit)(plat_task *self, void *arg), void *arg, const char *what);
/* Same with a deadline on the plat_now_ns() clock (< 0: none): returns
 * PLAT_WAKE_TIMEOUT when it passes first. */
int plat_park_until(bool (*commit)(plat_task *self, void *arg), void *arg,
                    const char *what, int64_t deadline_ns);
/* Claim the current park of t with `reason` (normally PLAT_WAKE_NORMAL)
 * and make t runnable (in the calling worker's run-next slot, or the
 * injection queue from a non-worker thread).  False if t's park was
 * already claimed.  `token` is returned to t by plat_wake_token(). */
bool plat_wake(plat_task *t, int reason, void *token);
void *plat_wake_token(void);              /* token of the last wake of self */
/* plat_wake(t, PLAT_WAKE_NORMAL, NULL), ignoring the result. */
void plat_ready(plat_task *t);

/* Something outside the tasks (helper thread, poller, foreign thread) may
 * still wake a task: hold this while it may, so that "all tasks blocked"
 * is not reported as a deadlock. */
void plat_external_hold(void);
void plat_external_release(void);

#ifdef __cplusplus
}
#endif
#endif
