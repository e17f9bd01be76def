/* check_chan.c -- channels, select, race, with_timeout and defer
 * (LANGUAGE.md 3 and 8.3-8.5).
 *
 * - Channel<T>: its methods and `Channel.init` / `Channel.unbounded` are
 *   rows of compiler/builtins/channel.c (check_call.c checks them).
 * - select: each recv arm binds a local of type Option<T> (the written
 *   type must be that); send arms check the value against T; at most one
 *   timeout and one default (the parser reports duplicates too).  Its
 *   value is the join of its arms' values, as for `if`.
 * - race: a ConcInfo of its own makes each arm a legal spawn; the arms'
 *   task types must agree; the race has that type.
 * - with_timeout: the body is checked as a spawn body (it runs as a task,
 *   so captured locals are copies and may not be assigned); the type is
 *   Option<T>.
 * - defer: the body may read and assign every local in scope.  The
 *   emitter lifts it into a function reaching those locals by address,
 *   so every local used inside (and declared outside) the defer is
 *   recorded in DeferInfo.captures of each enclosing defer that does not
 *   declare it: the body is a SC_DEFER scope whose capture list is the
 *   DeferInfo's (scope.h records captures during lookup).  A defer body
 *   cannot leave: return, `?` and break/continue of an outer loop are
 *   errors.
 */
#include "check_int.h"

/* The element type of a channel operand, or NULL after an error. */
static Type *chan_elem(Node *ch, Type *t, const char *op) {
  if (t == ty_error) return NULL;
  if (!type_is_channel(t)) {
    diag_error(ch ? ch->span : (Span){0, 0}, "`%s` in a select arm needs a channel, found %s", op, t->str);
    return NULL;
  }
  return t->args[0];
}

static Type *join_arm(Type *acc, Type *t, Type *want, Span where) {
  if (!acc) return t;
  if (want && want == ty_unit) return acc == ty_never && t == ty_never ? ty_never : ty_unit;
  if (acc == ty_never) return t;
  if (t == ty_never) return acc;
  if ((acc == ty_unit || t == ty_unit) && !want) return ty_unit;
  return join_types(acc, t, where, "`select` arms");
}

static void check_select_arm(SelectArm *a, int *ntimeout, int *ndefault) {
  switch (a->kind) {
  case SEL_RECV: {
    Type *T = chan_elem(a->chan, check_expr(a->chan, NULL), "recv");
    Type *bt = a->bind_type ? resolve_type(a->bind_type) : ty_error;
    if (T && bt != ty_error && !type_fits(type_option(T), bt)) {
      diag_error_help(a->bind_span, arena_printf("write `%s: %s = ...`", a->bind_name, type_option(T)->str),
                      "type mismatch in select recv arm: `%s` is declared %s, but the channel gives %s",
                      a->bind_name, bt->str, type_option(T)->str);
      bt = ty_error;
    }
    check_snake(a->bind_name, a->bind_span, "variable");
    a->sym = declare_local(a->bind_name, a->bind_span, bt, false, SYM_LOCAL);
    break;
  }
  case SEL_SEND: {
    Type *T = chan_elem(a->chan, check_expr(a->chan, NULL), "send");
    Type *vt = check_expr(a->value, T);
    if (T) expect_type(a->value, vt, T, "select send arm");
    break;
  }
  case SEL_TIMEOUT: {
    if ((*ntimeout)++) diag_error(a->span, "a select has at most one `timeout` arm");
    Type *t = check_expr(a->value, NULL);
    if (t != ty_error && !type_is_int(t))
      diag_error(a->value ? a->value->span : a->span, "`timeout(ms =)` needs an integer, found %s", t->str);
    break;
  }
  case SEL_DEFAULT:
    if ((*ndefault)++) diag_error(a->span, "a select has at most one `default` arm");
    break;
  }
}

static Type *check_select(Node *n, Type *want) {
  if (!n->sel_arms.len) {
    diag_error_help(n->span, "add an arm: `x: Option<T> = ch.recv() -> { ... }`", "`select` needs at least one arm");
    return ty_unit;
  }
  int nt = 0, nd = 0;
  Type *acc = NULL;
  for (int i = 0; i < n->sel_arms.len; i++) {
    SelectArm *a = &n->sel_arms.items[i];
    push_scope(SC_BLOCK);
    check_select_arm(a, &nt, &nd);
    Type *bt = check_block(a->body, want);
    pop_scope();
    acc = join_arm(acc, bt, want, n->span);
  }
  return acc ? acc : ty_unit;
}

/* ---- race, with_timeout ---- */
static Type *check_race(Node *n, Type *want) {
  /* the expected type types each arm's literals, as for `if` and `match` */
  Type *arm_want = want && want != ty_error && want != ty_unit ? type_task(want) : NULL;
  ConcInfo *ci = arena_alloc(sizeof *ci);
  ci->id = ++C.next_id;
  n->sema = ci;
  if (!n->items.len) {
    diag_error(n->span, "`race` needs at least one `spawn { ... }` arm");
    return ty_error;
  }
  ConcInfo *saved = C.conc;
  C.conc = ci;
  Type *acc = NULL;
  bool bad = false;
  for (int i = 0; i < n->items.len; i++) {
    Node *s = n->items.items[i];
    Type *tt = check_expr(s, arm_want);
    SpawnInfo *si = s->sema;
    Type *r = tt == ty_error || !si ? ty_error : si->result;
    if (r == ty_error) { bad = true; continue; }
    if (r == ty_unit && s->body && s->body->ty && s->body->ty == ty_never) continue;   /* never finishes */
    if (!acc) acc = r;
    else if (r != acc) {
      diag_error_help(s->span, "every arm of a race must produce the same type",
                      "race arms have different types: %s and %s", acc->str, r->str);
      bad = true;
    }
  }
  C.conc = saved;
  return bad ? ty_error : acc ? acc : ty_never;
}

static Type *check_with_timeout(Node *n, Type *want) {
  Type *body_want = type_is_option(want) ? type_task(want->args[0]) : NULL;
  Type *mt = check_expr(n->lhs, NULL);
  if (mt != ty_error && !type_is_int(mt))
    diag_error(n->lhs ? n->lhs->span : n->span, "`with_timeout(ms =)` needs an integer, found %s", mt->str);
  ConcInfo tmp = {0};
  ConcInfo *saved = C.conc;
  C.conc = &tmp;                     /* the body runs as a task of a scope of its own */
  Type *tt = check_spawn(n, body_want);
  C.conc = saved;
  SpawnInfo *si = n->sema;
  if (si) si->conc = NULL;
  if (tt == ty_error || !si) return ty_error;
  return type_option(si->result);
}

/* ---- defer ---- */
/* Report the ways out of a defer body: return, `?`, and break/continue
 * not inside a loop of the body (*ctx counts those).  Outside any loop
 * the checker already reports break/continue. */
static void defer_exits(Node *n, void *ctx) {
  int loops = *(int *)ctx;
  switch (n->kind) {
  case N_SPAWN: case N_WITH_TIMEOUT: return;   /* bodies of their own */
  case N_RETURN: diag_error(n->span, "`return` cannot leave a `defer` block"); break;
  case N_TRY: diag_error(n->span, "`?` cannot leave a `defer` block"); break;
  case N_BREAK: case N_CONTINUE:
    if (loops == 0 && C.loop_depth)
      diag_error(n->span, "`%s` cannot leave a `defer` block", n->kind == N_BREAK ? "break" : "continue");
    break;
  default: break;
  }
  int inner = loops + (n->kind == N_WHILE || n->kind == N_LOOP || n->kind == N_FOR);
  ast_children(n, defer_exits, &inner);
}

static Type *check_defer(Node *n) {
  DeferInfo *di = arena_alloc(sizeof *di);
  di->id = ++C.next_id;
  n->sema = di;
  push_scope(SC_DEFER);
  C.scope->captures = &di->captures;
  LoopInfo *li = C.loops.len ? C.loops.items[C.loops.len - 1] : NULL;
  bool had_break = li && li->has_break;
  check_block(n->body, ty_unit);
  if (li) li->has_break = had_break;   /* a break in the body does not leave the loop */
  pop_scope();
  int loops = 0;
  if (n->body) defer_exits(n->body, &loops);
  return ty_unit;
}

Type *check_chan_node(Node *n, Type *want) {
  switch (n->kind) {
  case N_SELECT: return check_select(n, want);
  case N_RACE: return check_race(n, want);
  case N_WITH_TIMEOUT: return check_with_timeout(n, want);
  case N_DEFER: return check_defer(n);
  default: return ty_error;
  }
}
