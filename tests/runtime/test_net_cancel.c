/* test_net_cancel.c -- accept, read and write parked on the poller are
 * cancellation points: a cancelled task stops there (its slot on the fd is
 * withdrawn, so the socket stays usable), plat_with_timeout (the
 * runtime side of `with_timeout`) behaves the same, and closing a socket
 * wakes the task parked on it with an Err. */
#include "net_test.h"

typedef struct op {
  int kind;                 /* 'a' accept, 'r' read, 'w' write */
  int32_t sock;
  atomic_int after;         /* 1 if the call returned (no unwinding) */
  plat_enum *result;
} op;

static uint64_t do_op(void *env) {
  op *o = env;
  if (o->kind == 'a') o->result = plat_tcp_accept(o->sock);
  else if (o->kind == 'r') o->result = plat_tcp_read(o->sock, 100);
  else {
    /* More than the socket buffers of both ends hold: parks on write. */
    plat_str *big = nt_zeros(64 << 20);
    o->result = plat_tcp_write(o->sock, big);
  }
  atomic_store(&o->after, 1);
  return 0;
}

typedef struct deadline { plat_task *victim; int64_t ms; } deadline;

static uint64_t cancel_after(void *env) {
  deadline *d = env;
  plat_sleep_ms(d->ms);
  plat_cancel(d->victim);
  return 0;
}

/* Run op o in a task, cancel it after ms, wait for both. */
static void run_cancelled(op *o, int64_t ms) {
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  deadline *d = plat_alloc(sizeof *d);
  d->victim = plat_spawn(&sc, do_op, o, __FILE__, __LINE__);
  d->ms = ms;
  plat_spawn(&sc, cancel_after, d, __FILE__, __LINE__);
  plat_scope_exit(&sc);
  /* The task unwound at the call: the code after it never ran. */
  CHECK(!atomic_load(&o->after), "op %c returned: %s", o->kind,
        o->result && o->result->tag == PLAT_ERR ? err_text(o->result) : "Ok");
}

/* The same through plat_with_timeout (what `with_timeout` compiles to). */
static void run_timed_out(op *o, int64_t ms) {
  uint64_t out;
  bool finished = plat_with_timeout(ms, do_op, o, &out, __FILE__, __LINE__);
  CHECK(!finished && !atomic_load(&o->after), "op %c under with_timeout", o->kind);
}

static void pair(int32_t l, int32_t port, int32_t *c, int32_t *a) {
  *c = OK_I32(plat_tcp_connect(S("127.0.0.1"), port));
  *a = OK_I32(plat_tcp_accept(l));
}

static void cancel_each(void) {
  int32_t port, c, a;
  int32_t l = nt_listen(&port);

  op acc = { .kind = 'a', .sock = l };
  run_cancelled(&acc, 30);
  pair(l, port, &c, &a);                   /* the listener still works */

  op rd = { .kind = 'r', .sock = a };
  run_cancelled(&rd, 30);
  CHECK(OK_I32(plat_tcp_write(c, S("ping"))) == 4, "write after cancelled read");
  char buf[4];
  CHECK(nt_read_exact(a, buf, 4) && memcmp(buf, "ping", 4) == 0, "read after cancelled read");

  op wr = { .kind = 'w', .sock = c };
  run_cancelled(&wr, 50);

  op acc2 = { .kind = 'a', .sock = l }, rd2 = { .kind = 'r', .sock = c }, wr2 = { .kind = 'w', .sock = a };
  run_timed_out(&acc2, 20);
  run_timed_out(&rd2, 20);
  run_timed_out(&wr2, 20);
  OK_I32(plat_tcp_close(c));
  OK_I32(plat_tcp_close(a));
  OK_I32(plat_tcp_close(l));
  CHECK(plat_poller_pending() == 0, "%lld tasks still parked", (long long)plat_poller_pending());
}

typedef struct closer { int32_t sock; op *r1, *r2; } closer;
/* Closes once one reader was refused and the other is parked. */
static uint64_t close_later(void *env) {
  closer *cl = env;
  while (!(atomic_load(&cl->r1->after) || atomic_load(&cl->r2->after)) || plat_poller_pending() < 1)
    plat_sleep_ms(1);
  OK_I32(plat_tcp_close(cl->sock));
  return 0;
}

/* Closing a socket another task is parked on wakes it with an Err;
 * a second concurrent reader is refused. */
static void close_while_parked(void) {
  int32_t port, c, a;
  int32_t l = nt_listen(&port);
  pair(l, port, &c, &a);
  op rd = { .kind = 'r', .sock = a }, rd2 = { .kind = 'r', .sock = a };
  closer *cl = plat_alloc(sizeof *cl);
  cl->sock = a;
  cl->r1 = &rd;
  cl->r2 = &rd2;
  plat_scope sc;
  plat_scope_enter(&sc, __FILE__, __LINE__);
  plat_spawn(&sc, do_op, &rd, __FILE__, __LINE__);
  plat_spawn(&sc, do_op, &rd2, __FILE__, __LINE__);
  plat_spawn(&sc, close_later, cl, __FILE__, __LINE__);
  plat_scope_exit(&sc);
  /* Whichever parked first was woken by the close; the other was refused. */
  op *first = rd2.result && strstr(err_text(rd2.result), "socket closed") ? &rd2 : &rd;
  op *second = first == &rd ? &rd2 : &rd;
  CHECK(first->result && first->result->tag == PLAT_ERR &&
        strstr(err_text(first->result), "socket closed"),
        "parked reader: %s", first->result ? err_text(first->result) : "no result");
  CHECK(second->result && second->result->tag == PLAT_ERR &&
        strstr(err_text(second->result), "another task is already reading"),
        "second reader: %s", second->result ? err_text(second->result) : "no result");
  /* The peer sees end of stream. */
  plat_enum *r = plat_tcp_read(c, 10);
  CHECK(r->tag == PLAT_OK && ((plat_str *)plat_ptr_w(r->f[0]))->len == 0, "peer end of stream");
  OK_I32(plat_tcp_close(c));
  OK_I32(plat_tcp_close(l));
}

static uint64_t root(void *env) {
  (void)env;
  cancel_each();
  close_while_parked();
  return 0;
}

int main(int argc, char **argv) {
  plat_main(argc, argv, root, NULL);
  return nt_result("test_net_cancel");
}
