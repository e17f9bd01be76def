/* check_chan.c -- channels, select, race, with_timeout and defer
 * (LANGUAGE.md 3 and 8.3-8.5).
 *
 * - Channel<T>: `Channel.init(capacity =)` / `Channel.unbounded()` take T
 *   from `Channel<T>.init` or from the expected type (the annotation of
 *   the `let`, the parameter, ...); without either it is an error.  The
 *   methods are rows of builtins.c with receiver T_CHANNEL.  A channel
 *   type whose element contains Task is rejected in resolve_type (a task
 *   cannot leave its concurrent block, 8.1).
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
 *   declare it (note_defer_use, called for every resolved name).  A defer
 *   body cannot leave: return, `?` and break/continue of an outer loop
 *   are errors.
 *
 * State: defer_top is the stack of defer bodies being checked (their
 * records live on the C stack of check_defer); it is empty between runs.
 */
#include "check_int.h"

typedef struct DeferCtx {
  DeferInfo *di;
  int first_id;              /* syms with a larger id are declared inside */
  struct DeferCtx *up;
} DeferCtx;
static DeferCtx *defer_top;

void note_defer_use(Sym *s) {
  if (!s) return;
  for (DeferCtx *d = defer_top; d && s->id < d->first_id; d = d->up) {
    bool have = false;
    for (int i = 0; i < d->di->captures.len; i++)
      if (d->di->captures.items[i] == s) have = true;
    if (!have) vec_push(&d->di->captures, s);
  }
}

/* ---- channels ---- */
static const Builtin chan_new_row = {"init", "capacity:AnyInt=", "Channel<T>", 0, BI_C_NEW, NULL};
static const Builtin chan_unbounded_row = {"unbounded", "", "Channel<T>", 0, BI_C_UNBOUNDED, NULL};

Type *check_channel_static(Node *n, Node *callee, Type *want) {
  Node *lhs = callee->lhs;
  Type *et = NULL;
  if (lhs->type) {
    Type *t = resolve_type(lhs->type);
    if (t->kind == T_ERROR) return ty_error;
    if (t->kind == T_CHANNEL) et = t->args[0];
  }
  if (!et && want && want->kind == T_CHANNEL) et = want->args[0];
  const Builtin *row = NULL;
  CallInfo *ci;
  if (callee->name && !strcmp(callee->name, "init")) {
    row = &chan_new_row;
    Name pn[1] = {intern_cstr("capacity")};
    Type *pt[1] = {&ty_anyint_s};
    static Node marker;
    Node *df[1] = {&marker};
    ci = match_args(n, &n->args, 1, pn, pt, df, "`Channel.init`");
    ci->defaults[0] = NULL;
  } else if (callee->name && !strcmp(callee->name, "unbounded")) {
    row = &chan_unbounded_row;
    ci = match_args(n, &n->args, 0, NULL, NULL, NULL, "`Channel.unbounded`");
  } else {
    const char *cands[] = {"init", "unbounded"};
    const char *dym = callee->name ? diag_did_you_mean(callee->name, cands, 2) : NULL;
    diag_error_help(callee->span, dym ? arena_printf("did you mean `Channel.%s`?", dym)
                                      : "create a channel with `Channel.init(capacity = n)` or `Channel.unbounded()`",
                    "`Channel` has no constructor `%s`", callee->name ? callee->name : "?");
    for (int i = 0; i < n->args.len; i++) check_expr(n->args.items[i].value, NULL);
    return ty_error;
  }
  if (!et && want && want->kind == T_ERROR) return ty_error;   /* already reported */
  if (!et) {
    diag_error_help(n->span, "annotate it: `let c: Channel<Int32> = Channel.init(capacity = 8);`",
                    "cannot infer the element type of this channel");
    return ty_error;
  }
  ci->kind = CALL_SPECIAL;
  ci->builtin = row;
  ci->bname = row->name;
  n->sema = ci;
  return type_channel(et);
}

/* The element type of a channel operand, or NULL after an error. */
static Type *chan_elem(Node *ch, Type *t, const char *op) {
  if (t->kind == T_ERROR) return NULL;
  if (t->kind != T_CHANNEL) {
    diag_error(ch ? ch->span : (Span){0, 0}, "`%s` in a select arm needs a channel, found %s", op, t->str);
    return NULL;
  }
  return t->args[0];
}

/* ---- select ---- */
static Type *join_arm(Type *acc, Type *t, Type *want, Span where) {
  if (!acc) return t;
  if (want && want->kind == T_UNIT) return acc->kind == T_NEVER && t->kind == T_NEVER ? ty_never : ty_unit;
  if (acc->kind == T_NEVER) return t;
  if (t->kind == T_NEVER) return acc;
  if ((acc->kind == T_UNIT || t->kind == T_UNIT) && !want) return ty_unit;
  return join_types(acc, t, where, "`select` arms");
}

static void check_select_arm(SelectArm *a, int *ntimeout, int *ndefault) {
  switch (a->kind) {
  case SEL_RECV: {
    Type *T = chan_elem(a->chan, check_expr(a->chan, NULL), "recv");
    Type *bt = a->bind_type ? resolve_type(a->bind_type) : ty_error;
    if (T && bt->kind != T_ERROR && !type_fits(type_option(T), bt)) {
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
    if (t->kind != T_ERROR && !type_is_int(t))
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
    push_frame();
    check_select_arm(a, &nt, &nd);
    Type *bt = check_block(a->body, want);
    pop_frame();
    acc = join_arm(acc, bt, want, n->span);
  }
  return acc ? acc : ty_unit;
}

/* ---- race, with_timeout ---- */
static Type *check_race(Node *n, Type *want) {
  /* the expected type types each arm's literals, as for `if` and `match` */
  Type *arm_want = want && want->kind != T_ERROR && want->kind != T_UNIT ? type_task(want) : NULL;
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
    Type *r = tt->kind == T_ERROR || !si ? ty_error : si->result;
    if (r->kind == T_ERROR) { bad = true; continue; }
    if (r == ty_unit && s->body && s->body->ty && s->body->ty->kind == T_NEVER) continue;   /* never finishes */
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
  Type *body_want = want && want->kind == T_ENUM && want->nargs == 1 && want == type_option(want->args[0])
                        ? type_task(want->args[0]) : NULL;
  Type *mt = check_expr(n->lhs, NULL);
  if (mt->kind != T_ERROR && !type_is_int(mt))
    diag_error(n->lhs ? n->lhs->span : n->span, "`with_timeout(ms =)` needs an integer, found %s", mt->str);
  ConcInfo tmp = {0};
  ConcInfo *saved = C.conc;
  C.conc = &tmp;                     /* the body runs as a task of a scope of its own */
  Type *tt = check_spawn(n, body_want);
  C.conc = saved;
  SpawnInfo *si = n->sema;
  if (si) si->conc = NULL;
  if (tt->kind == T_ERROR || !si) return ty_error;
  return type_option(si->result);
}

/* ---- defer ---- */
/* Report the ways out of a defer body: return, `?`, and break/continue
 * not inside a loop of the body (`loops` counts those).  Outside any loop
 * the checker already reports break/continue. */
static void defer_exits(Node *n, int loops) {
  if (!n) return;
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
  bool loop = n->kind == N_WHILE || n->kind == N_LOOP || n->kind == N_FOR;
  defer_exits(n->lhs, loops);
  defer_exits(n->rhs, loops);
  defer_exits(n->cond, loops);
  defer_exits(n->then, loops);
  defer_exits(n->els, loops);
  defer_exits(n->iter, loops);
  defer_exits(n->body, loop ? loops + 1 : loops);
  for (int i = 0; i < n->items.len; i++) defer_exits(n->items.items[i], loops);
  for (int i = 0; i < n->parts.len; i++) defer_exits(n->parts.items[i], loops);
  for (int i = 0; i < n->args.len; i++) defer_exits(n->args.items[i].value, loops);
  for (int i = 0; i < n->arms.len; i++) defer_exits(n->arms.items[i].body, loops);
  for (int i = 0; i < n->sel_arms.len; i++) {
    defer_exits(n->sel_arms.items[i].chan, loops);
    defer_exits(n->sel_arms.items[i].value, loops);
    defer_exits(n->sel_arms.items[i].body, loops);
  }
}

static Type *check_defer(Node *n) {
  DeferInfo *di = arena_alloc(sizeof *di);
  di->id = ++C.next_id;
  n->sema = di;
  DeferCtx ctx = {di, C.next_id + 1, defer_top};
  defer_top = &ctx;
  LoopInfo *li = C.loops.len ? C.loops.items[C.loops.len - 1] : NULL;
  bool had_break = li && li->has_break;
  check_block(n->body, ty_unit);
  if (li) li->has_break = had_break;   /* a break in the body does not leave the loop */
  defer_top = ctx.up;
  defer_exits(n->body, 0);
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
