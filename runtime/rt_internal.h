/* rt_internal.h -- private declarations shared by the runtime's files.
 * Not part of the public contract (plat_rt.h is).
 *
 * Lock order (outer first; never take an outer lock while holding an inner):
 *   scope lock / task lock / channel locks (object locks, never nested with
 *   each other except channel locks in address order inside select)
 *     -> timer lock (monitor.c)
 *       -> sched lock (global injection queue, idle list)
 *         -> stack pool lock
 * Worker inbox locks are leaves (nothing is taken while one is held).
 * plat_wake may be called with any object lock or the timer lock held.
 * No GC allocation is made with any of these locks held (a collection
 * would stop the world with the lock held; chan.c and select.c allocate
 * before locking or drop their locks to allocate).
 * Every spin wait pauses, then yields the thread (sched_yield): the
 * generic plat_spin after 64 pauses, the channel lock once its backoff
 * is saturated; a plain channel operation moves its task instead
 * (contention migration).
 */
#ifndef PLAT_RT_INTERNAL_H
#define PLAT_RT_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "plat_rt.h"

#define PLAT_LIKELY(x) __builtin_expect(!!(x), 1)
#define PLAT_UNLIKELY(x) __builtin_expect(!!(x), 0)

struct plat_worker;

/* Fences.  GCC rejects atomic_thread_fence under -fsanitize=thread; there
 * a seq_cst read-modify-write of a dummy word (a locked instruction, a
 * full barrier on x86-64) stands in for it. */
#ifdef PLAT_TSAN
extern atomic_int plat_fence_word;
#define plat_fence() ((void)atomic_fetch_add_explicit(&plat_fence_word, 0, memory_order_seq_cst))
#define plat_fence_release() plat_fence()
#else
#define plat_fence() atomic_thread_fence(memory_order_seq_cst)
#define plat_fence_release() atomic_thread_fence(memory_order_release)
#endif

/* TSan defers asynchronous signals (Boehm's stop-the-world signal) to the
 * next intercepted call of the running fiber; loops that may wait for a
 * stopped thread must make one.  No-op in other builds. */
#ifdef PLAT_TSAN
int64_t plat_now_ns(void);
#define plat_tsan_poll() ((void)plat_now_ns())
#else
#define plat_tsan_poll() ((void)0)
#endif

#if defined(__x86_64__) || defined(__i386__)
#define plat_cpu_relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define plat_cpu_relax() __asm__ volatile("yield")
#else
#define plat_cpu_relax() ((void)0)
#endif

/* ---- spin lock (short critical sections only) ---- */
typedef struct { atomic_int v; } plat_spin;
void plat_spin_lock_slow(plat_spin *l);
static inline void plat_spin_lock(plat_spin *l) {
  int z = 0;
  if (PLAT_LIKELY(atomic_compare_exchange_weak_explicit(&l->v, &z, 1, memory_order_acquire,
                                                        memory_order_relaxed)))
    return;
  plat_spin_lock_slow(l);
}
static inline void plat_spin_unlock(plat_spin *l) {
  atomic_store_explicit(&l->v, 0, memory_order_release);
}

/* ---- futex ---- */
void plat_futex_wait(atomic_uint *addr, unsigned val, int64_t timeout_ns);
void plat_futex_wake(atomic_uint *addr, int n);

/* ---- gc.c ---- */
void *plat_alloc(size_t n);           /* also in plat_value.h */
void *plat_alloc_atomic(size_t n);
void *plat_alloc_task(void);          /* a zeroed plat_task (its own GC kind) */
extern bool plat_gc_torture_on;
void plat_gc_init(void);              /* idempotent; before any allocation */
void plat_gc_torture_point(void);     /* called at task switches */
void plat_gc_register_worker(void);   /* on a worker thread, at start */
__attribute__((noreturn)) void plat_gc_oom(size_t n);

/* ---- stack.c ---- */
typedef struct plat_stack {
  char *lo, *hi;                      /* usable range; hi is the cold end */
  uint32_t region, slot;
  struct plat_stack *next;            /* pool link; while owned: the cached spare */
  struct plat_stack *prev;            /* older segment of the same task (growth) */
  char *scan_sp;                      /* sp at the split off this segment, or NULL */
  size_t total;                       /* bytes of this segment and all older ones */
} plat_stack;
/* Growing stacks (segments linked by __morestack) on x86-64 outside the
 * sanitizer variants; elsewhere a task keeps one fixed slot. */
#if defined(__x86_64__) && defined(__GLIBC__) && !defined(PLAT_ASAN) && !defined(PLAT_TSAN)
#define PLAT_STACK_GROWS 1
#else
#define PLAT_STACK_GROWS 0
#endif
void plat_stack_release_all(struct plat_worker *w, plat_stack *s);   /* a task's chain */
plat_stack *plat_stack_get(struct plat_worker *w);
void plat_stack_put(struct plat_worker *w, plat_stack *s);
plat_stack *plat_stack_root(size_t size);
void plat_stack_set_owner(plat_stack *s, plat_task *t);
/* Cold end of the task stack containing addr, or NULL. */
char *plat_stack_top_of(const void *addr);
/* Calls fn for every stack with an owner (world stopped, or for reports). */
void plat_stack_each(void (*fn)(plat_stack *s, plat_task *owner, void *arg), void *arg);
extern size_t plat_stack_size;        /* bytes of a task stack slot */
void plat_morestack(uintptr_t sp0, uintptr_t frame);   /* from __morestack */
void *plat_stack_split(uintptr_t frame, const void *args, uintptr_t nargs, char *sp);
void plat_stack_unsplit(void);                         /* from __morestack */
extern size_t plat_stack_max;         /* growth: total bytes of a task's segments */
void plat_stack_config(void);         /* reads PLAT_STACK_KB (plat_main, first) */

/* ---- config.c: PLAT_* environment variables ---- */
/* The value of variable `name` (default if unset or empty); any other
 * text than an integer in [min, max] stops the program with a message
 * naming the variable and exit status 2.  plat_env_flag: "0" or "1". */
int64_t plat_env_int(const char *name, int64_t def, int64_t min, int64_t max);
bool plat_env_flag(const char *name);
void plat_config_check(void);         /* every variable, at start-up */
#define PLAT_MAX_WORKERS 1024
#define PLAT_MAX_IO_THREADS 4096
#define PLAT_IO_THREADS_DEFAULT 64

/* ---- switch_*.S ---- */
void plat_switch(void **save_sp, void *to_sp);
void plat_task_trampoline(void);      /* first "return address" of a task */

/* ---- deque.c (Chase-Lev) ---- */
typedef struct plat_deque_buf plat_deque_buf;
typedef struct {
  _Alignas(64) atomic_long top;
  _Alignas(64) atomic_long bottom;
  _Atomic(plat_deque_buf *) buf;
  plat_deque_buf *retired;            /* old buffers, freed at exit only */
} plat_deque;
void plat_deque_init(plat_deque *d);
void plat_deque_push(plat_deque *d, void *x);     /* owner */
void *plat_deque_pop(plat_deque *d);              /* owner, LIFO */
void *plat_deque_steal(plat_deque *d);            /* anyone, FIFO; NULL if empty/lost */
bool plat_deque_empty(plat_deque *d);
void plat_deque_destroy(plat_deque *d);          /* no concurrent users left */

/* ---- tasks ---- */
enum {
  PLAT_T_NEW, PLAT_T_RUNNABLE, PLAT_T_RUNNING, PLAT_T_PARKED,
  PLAT_T_DONE, PLAT_T_PANICKED, PLAT_T_CANCELLED
};

typedef struct plat_panic_rec {
  const char *msg;
  const char *file;
  int line;
  plat_task *origin;                  /* task that panicked first */
} plat_panic_rec;

typedef struct plat_awaiter {
  plat_task *task;
  struct plat_awaiter *next;
  bool linked;
} plat_awaiter;

struct plat_task {                    /* 144 bytes: keep it small (GC heap per task) */
  /* Traced words (gc.c: task records are a GC kind of their own whose
   * descriptor marks only the first PLAT_TASK_TRACED words): every field
   * that may hold the only reference to GC memory goes here.  Word 0 is
   * also the link of gc.c's per-worker record caches. */
  plat_task *sib_next;                /* scope's list of non-owner children */
  union {                             /* env until started, then result */
    void *env;
    uint64_t result;                  /* may be a GC pointer */
  };
  plat_panic_rec *panic;              /* its panic, if it panicked */
  plat_task *parent;                  /* walked by panic reports */
  void *wake_token;
#define PLAT_TASK_TRACED 5
  /* Untraced: stack, non-GC or static memory, or GC memory reachable
   * elsewhere (a queued task is reachable from its scope). */
  void *sp;                           /* saved context while not running */
  plat_stack *stack;                  /* NULL until first run, after exit */
  /* state in the first cache line, with sib_next: the owner's prune
   * (task.c) reads both of every child it walks */
  atomic_uchar state;                 /* PLAT_T_* */
  uint8_t wake_reason;
  atomic_uint pstate;                 /* park protocol, park.c */
  uintptr_t limit;                    /* stack->lo + headroom */
  union {                             /* fn until started */
    plat_task_fn fn;
    const struct plat_wait *wait;     /* while parked: why and where (park.c) */
  };
  plat_cleanup *cleanup;              /* innermost first */
  plat_scope *scope;                  /* scope it was spawned in (NULL: root) */
  plat_task *qnext;                   /* injection queue link */
  struct plat_worker *worker;         /* worker running it (valid while running) */
  const char *file;                   /* spawn location */
  plat_awaiter *awaiters;
  int line;
  uint32_t id;                        /* task number, for dumps and traces */
  plat_spin lk;                       /* guards awaiters, state changes at exit */
  atomic_bool cancel_req;
  atomic_bool interrupt;              /* a child of an open scope panicked */
  bool unwinding;                     /* running its cleanup chain */
  bool panic_observed;
#ifdef PLAT_TSAN
  void *san_fiber;                    /* TSan fiber */
#endif
};

/* ---- workers (sched.c) ---- */
typedef enum { POST_NONE, POST_PARK, POST_YIELD, POST_EXIT, POST_MIGRATE } plat_post_kind;

typedef struct plat_worker {
  int id;
  plat_task *cur;                     /* running task, NULL in scheduler ctx */
  void *sched_sp;                     /* scheduler context (pthread stack) */
  char *os_lo, *os_hi;                /* pthread stack bounds */
  plat_task *_Atomic runnext;
  plat_deque dq;
  /* post-switch action, run by whoever runs next on this worker */
  plat_post_kind post;
  plat_task *post_task;
  bool (*post_commit)(plat_task *, void *);
  void *post_arg;
  /* idle */
  atomic_uint futex;
  struct plat_worker *idle_next;
  bool idle;
  atomic_bool in_poller;              /* idle and (about to be) in epoll_wait */
  bool polling;                       /* own: inside plat_poller_poll */
  /* preemption: monitor reads these */
  atomic_ulong ticks;                 /* task resumes */
  atomic_ulong slices;                /* time slices started (not moved by run-next switches) */
  atomic_bool in_task;
  atomic_bool preempt;                /* please yield */
  atomic_bool long_task;              /* monitor: no switch for >= one tick */
  atomic_bool fair_due;               /* monitor: next schedule takes the deque's oldest */
  uintptr_t *_Atomic limit_addr;      /* &plat_tls_stack_limit of the thread */
  void *gc_handle;
  void *san_sched_fiber;
  uint32_t rng;
  uint32_t schedtick;
  /* stealing a run-next task (find_steal): the victim and its `ticks` when
   * we first saw that slot full, and when */
  /* inbox: tasks other workers moved here (plat_sched_migrate), FIFO */
  plat_spin inbox_lk;
  plat_task *inbox_head, *inbox_tail;  /* inbox_lk */
  atomic_int inbox_n;
  int64_t nap_until_ns;               /* moved a task away: no stealing before */
  atomic_bool runnext_wanted;         /* a thief asks: move run-next to the deque */
  struct plat_worker *rn_victim;
  unsigned long rn_ticks;
  int64_t rn_seen_ns;
  int64_t stack_pool_n;
  plat_stack *stack_pool;
  uint32_t id_next, id_end;           /* block of task ids (task.c) */
  struct plat_tbuf *tbuf;             /* trace buffer (trace.c), NULL if not tracing */
} plat_worker;

extern int plat_nworkers;
extern plat_worker **plat_workers;
plat_worker *plat_cur_worker(void);   /* noinline TLS read, see DESIGN 4 */
void plat_make_runnable(plat_task *t);   /* from anywhere */
void plat_sched_park_switch(plat_task *t);   /* switch away; post already set */
void plat_sched_exit_switch(plat_task *t) __attribute__((noreturn));
void plat_after_switch(void);         /* run by the resumed context */
bool plat_sched_has_other_work(plat_worker *w);
void plat_sched_yield_now(plat_task *t);
/* Move the running task t to worker `to` (its inbox) and run something
 * else here; this worker then naps instead of stealing for a while.  For
 * a task that keeps losing a lock to code running on `to` (chan.c). */
void plat_sched_migrate(plat_task *t, plat_worker *to);
extern atomic_long plat_sched_migrations;   /* how many so far */
/* Monitor: w's task runs long; move w's inbox to the injection queue. */
void plat_sched_rescue_inbox(plat_worker *w);
/* From the check slow path: if a thief asked for this worker's run-next
 * task, move it to the deque where thieves can take it. */
void plat_sched_release_runnext(void);
void plat_set_limit_for(plat_task *t);
extern atomic_long plat_external_holds;
__attribute__((noreturn)) void plat_stack_overflow(plat_task *t, const char *msg, const char *file,
                                                   int line);   /* task.c */

/* The split-stack limit word (%fs:0x70, a glibc TCB field reserved for
 * split stacks): the running task's limit, 0 outside tasks.  Generated
 * code, compiled with -fsplit-stack, compares "sp - frame size" with it
 * before allocating a frame (morestack_x86_64.S, stack.c). */
#define PLAT_SPLIT_SLACK 4096          /* split word above the check limit */
static inline void plat_split_limit_set(uintptr_t v) {
#if defined(__x86_64__) && defined(__GLIBC__)
  /* growth: frames stay above the split word, so PLAT_STACK_CHECK (limit
   * below it by the slack, > gcc's 256-byte small-frame allowance and the
   * red zone) never fires for generated code */
  if (PLAT_STACK_GROWS && v) v += PLAT_SPLIT_SLACK;
  __asm__ volatile("movq %0, %%fs:0x70" : : "r"(v) : "memory");
#else
  (void)v;
#endif
}

/* ---- park.c ---- */
/* Why and where a parked task waits: a record on its stack, pointed to by
 * task->wait while it is parked (read by dump.c, deadlock.c, trace.c). */
typedef struct plat_wait {
  const char *what;                   /* "channel recv", "await", ... (static) */
  const char *file;                   /* .plat location, NULL if unknown */
  int line;
  plat_task *awaited;                 /* await: the task waited for */
  uint64_t flow;                      /* trace.c: the wake's flow arrow, 0 if none */
} plat_wait;
/* Park with an explicit record; a NULL file takes the location the
 * generated code recorded (PLAT_AT, plat_site_get). */
int plat__park_w(plat_task *t, bool (*commit)(plat_task *, void *), void *arg, plat_wait *w,
                 int64_t deadline_ns, bool cancellable);
int plat__park(plat_task *t, bool (*commit)(plat_task *, void *), void *arg,
               const char *what, int64_t deadline_ns, bool cancellable);
void plat_park_finish(plat_task *t, bool commit_ok);  /* post-switch half */
bool plat_park_claimed(plat_task *t);  /* t resumes from a park (t->wait valid) */

#define PLAT_STACK_HEADROOM (64 * 1024)   /* below the limit: libc, runtime, signals */
#define PLAT_STACK_MIN_ROOM (40 * 1024)   /* no frame reaches below lo + this (stack.c) */
#define PLAT_STACK_MIN_KB 128             /* slot: headroom + as much usable stack */
#define PLAT_STACK_EMERGENCY (24 * 1024)  /* limit while unwinding an overflow */

void plat_make_runnable_spawn(plat_task *t);
void plat_root_finished(void);
bool plat_sched_root_done(void);      /* the program is ending */
bool plat_sched_all_idle_and_empty(void);   /* timer lock held */
void plat_flush_all(void);            /* plat_flush_stdout (if linked) + stdio */

/* sc->done (scope.c): before the join, finished children minus children
 * spawned by non-owners; from the join on, PLAT_SCOPE_JOIN minus the
 * children still running. */
#define PLAT_SCOPE_JOIN ((int64_t)1 << 62)

/* ---- task.c ---- */
plat_task *plat_task_new(plat_task_fn fn, void *env, const char *file, int line);
uint32_t plat_task_next_id(plat_worker *w);   /* w: the caller's worker, or NULL */
__attribute__((noreturn)) void plat_task_finish(plat_task *t, int state);
void plat_task_main(plat_task *t) __attribute__((noreturn));
extern plat_task *plat_root;          /* root task (global: GC root) */

/* ---- scope.c: the children registry ---- */
void plat__scope_add_kid(plat_scope *sc, plat_task *t);    /* owner only */
/* Cancel every child but `except`: by the owner, or with the scope lock held. */
void plat__scope_cancel_kids(plat_scope *sc, plat_task *except);

/* ---- panic.c / scope.c ---- */
__attribute__((noreturn)) void plat__raise(plat_panic_rec *p);
__attribute__((noreturn)) void plat__unwind_cancel(plat_task *t);
void plat__run_cleanups(plat_task *t);
void plat__scope_cleanup_fn(plat_cleanup *c);
void plat_report_panic(plat_panic_rec *p);
plat_panic_rec *plat_scope_exit_catch(plat_scope *sc);
/* "MESSAGE (at FILE:LINE)" in GC memory, NULL for NULL (plat_catch's form) */
const char *plat_panic_text(plat_panic_rec *p);

/* ---- monitor.c / timer.c ---- */
void plat_monitor_start(void);
bool plat_timers_pending(void);
void plat_timer_lock(void);
bool plat_timer_fire_one(int64_t *now, uint64_t (*pick)(void));   /* detsched.c */
int64_t plat_timer_next(void);
void plat_timer_unlock(void);

/* ---- deadlock.c ---- */
void plat_deadlock_check(void);       /* called by the last worker to go idle */

/* ---- wait sites (sched.c): the .plat location of the current wait ---- */
const plat_site *plat_site_get(void); /* this thread's PLAT_AT record */

/* ---- hooks: tracing (trace.c) and deterministic schedules (detsched.c).
 * plat_hooks is set once in plat_main before any worker starts and only
 * read afterwards; with both features off every hook costs one
 * predictable branch on it. */
extern uint8_t plat_hooks;
enum { PLAT_HOOK_TRACE = 1, PLAT_HOOK_DET = 2 };
#define PLAT_TRACING() PLAT_UNLIKELY(plat_hooks & PLAT_HOOK_TRACE)
#define PLAT_DET() PLAT_UNLIKELY(plat_hooks & PLAT_HOOK_DET)

/* trace.c */
enum { PLAT_TR_YIELD, PLAT_TR_PREEMPT };
void plat_trace_init(void);           /* reads PLAT_TRACE; sets the hook bit */
void plat_trace_worker(plat_worker *w);
void plat_trace_run(plat_worker *w, plat_task *t, bool first);   /* t starts a run on w */
void plat_trace_stop(plat_worker *w, plat_task *t);        /* t leaves w (w->post says why) */
void plat_trace_exit(plat_task *t, int state);             /* t finishes */
void plat_trace_spawn(plat_task *child);
void plat_trace_wake(plat_task *t);
void plat_trace_yield_why(plat_worker *w, int why, const char *file, int line);
void plat_trace_gc(int gc_event);
void plat_trace_finish(void);         /* write the rest and close; idempotent */

/* detsched.c */
void plat_det_init(void);             /* reads PLAT_SEED; sets the hook bit */
void plat_det_ready(plat_task *t);    /* t became runnable */
plat_task *plat_det_pick(void);       /* a seeded random runnable task, or NULL */
bool plat_det_has_ready(void);
bool plat_det_should_switch(void);    /* at a scheduling point: give up the CPU? */
plat_task *plat_det_idle(plat_worker *w);  /* nothing runnable: time, I/O, deadlock */
uint64_t plat_det_rand(void);
int64_t plat_det_now_ns(void);        /* the virtual clock */
void plat_det_real_io(void);          /* this schedule did real I/O */
uint32_t plat_det_next_id(void);
extern uint32_t plat_det_schedule;    /* 1, 2, ... per schedule of a test; 0 outside */
/* for testrun.c: one schedule of a test */
void plat_det_begin(uint64_t seed, const char *name);  /* fresh generator, clock, ids */
void plat_det_watch(plat_task *t);    /* a deadlock cancels t and is kept */
char *plat_det_take_deadlock(void);   /* that report (malloc'd) or NULL */
bool plat_det_did_real_io(void);
/* sched.c: a scheduling point of a deterministic schedule (no-op otherwise) */
void plat_sched_det_point(plat_task *t);
#define PLAT_DET_POINT() do { if (PLAT_DET()) plat_sched_det_point(plat_self()); } while (0)

/* dump.c */
void plat_dump_init(void);            /* SIGQUIT prints the live tasks */
/* The live tasks in the dump format, to fd or (fd < 0) appended to *buf
 * (malloc'd, *len bytes).  The caller makes sure the tasks hold still. */
void plat_dump_write(int fd, char **buf, size_t *len, const char *header);


/* ---- sanitizers ---- */
#if defined(PLAT_ASAN) || defined(PLAT_TSAN)
#define PLAT_SANITIZE 1
#endif

#endif
