/* check_conc.c -- concurrency checks (LANGUAGE.md 8.1-8.2).
 *
 * - `spawn` must be lexically inside a `concurrent` block (LANGUAGE.md
 *   8.1).  A spawn directly in a spawn body (with no concurrent block of
 *   that body around it) joins an implicit scope of that body: the outer
 *   task waits for it before it finishes (SpawnInfo.body_scope).
 * - A spawn body is checked like a function whose result type is
 *   inferred: the first `return e` (or the final expression) fixes T of
 *   Task<T>.  break/continue cannot leave the body.
 * - Captures: a spawn body is a SC_SPAWN scope whose capture list is the
 *   SpawnInfo's; lookup records a local used inside but declared outside
 *   in every spawn between the use and the declaration (nested spawns
 *   copy it along, scope.h); assigning it is an error.
 * - Escape: a value whose type contains Task may not be the value of a
 *   concurrent block, be assigned to (or pushed into) a variable declared
 *   outside the innermost concurrent block, be stored in a class field or
 *   enum payload, or be returned from a function or a task.
 *
 * Channels, select, race, with_timeout and defer live in check_chan.c.
 */
#include "check_int.h"

Type *check_concurrent(Node *n, Type *want) {
  ConcInfo *ci = arena_alloc(sizeof *ci);
  ci->id = ++C.next_id;
  n->sema = ci;
  ConcInfo *saved = C.conc;
  C.conc = ci;
  C.conc_level++;
  Type *t = check_block(n->body, want);
  C.conc_level--;
  C.conc = saved;
  if (type_contains(t, td_task)) {
    diag_error_help(n->span, "await the task inside the block and use its value",
                    "a task cannot leave its concurrent block (the block's value is %s)", t->str);
    return ty_error;
  }
  return t;
}

/* The final value item of a block, or NULL. */
static Node *final_value(Node *b) {
  if (!b || b->kind != N_BLOCK || !b->items.len) return NULL;
  Node *it = b->items.items[b->items.len - 1];
  return it && !it->semi ? it : NULL;
}

Type *check_spawn(Node *n, Type *want) {
  ConcInfo *scope = C.conc;
  if (!scope && C.spawn) {            /* directly in a spawn body */
    if (!C.spawn->body_scope) {
      C.spawn->body_scope = arena_alloc(sizeof(ConcInfo));
      C.spawn->body_scope->id = ++C.next_id;
    }
    scope = C.spawn->body_scope;
  }
  if (!scope)
    diag_error_help(n->span, "put it in a block: `concurrent { let t: Task<T> = spawn { ... }; ... }`",
                    "`spawn` is only allowed inside a `concurrent` block");
  SpawnInfo *si = arena_alloc(sizeof *si);
  si->id = ++C.next_id;
  si->parent = C.spawn;
  si->conc = scope;
  n->sema = si;

  Type *saved_ret = C.ret;
  int saved_depth = C.loop_depth;
  __typeof__(C.loops) saved_loops = C.loops;
  ConcInfo *saved_conc = C.conc;
  SpawnInfo *saved_spawn = C.spawn;
  /* An expected Task<T> (annotation, parameter) fixes T up front. */
  C.ret = type_is_task(want) ? want->args[0] : NULL;
  C.loop_depth = 0;
  memset(&C.loops, 0, sizeof C.loops);
  C.conc = NULL;
  C.spawn = si;
  push_scope(SC_SPAWN);
  C.scope->captures = &si->captures;

  Type *bt = check_block(n->body, C.ret);
  pop_scope();
  Type *r = C.ret;
  if (!r) {
    Node *fv = final_value(n->body);
    if (bt == ty_never)   /* `spawn { panic(...); 0 }`: the final value still decides */
      r = fv && fv->ty && fv->ty != ty_never ? fv->ty : ty_unit;
    else
      r = bt;
  } else if (bt != ty_never && bt != ty_error) {
    if (bt == ty_unit && r != ty_unit)
      diag_error(n->span, "spawn body must return %s on every path", r->str);
    else if (bt != ty_unit)
      expect_type(n->body, bt, r, "the spawn body's final expression");
  }
  if (type_contains(r, td_task)) {
    diag_error(n->span, "a task cannot return a task (it must not leave its concurrent block)");
    r = ty_error;
  }
  si->result = r;

  C.ret = saved_ret;
  C.loop_depth = saved_depth;
  C.loops = saved_loops;
  C.conc = saved_conc;
  C.spawn = saved_spawn;
  return r == ty_error ? ty_error : type_task(r);
}

void note_assign_capture(Sym *s, Span use) {
  if (s && scope_captured_by_value(C.scope, s))
    diag_error_help(use, "tasks get a copy of each variable; send results back through the task's value",
                    "cannot assign to `%s` inside a spawn body: it is captured", s->name);
}

bool check_task_escape(Node *target, Type *vt, Span where) {
  if (!target || !type_contains(vt, td_task)) return false;
  Node *base = target->kind == N_INDEX ? target->lhs : target;
  if (base && base->kind == N_IDENT && base->sym && base->sym->conc_level < C.conc_level) {
    diag_error(where, "a task cannot leave its concurrent block: `%s` is declared outside it", base->sym->name);
    return true;
  }
  if (base && base->kind == N_FIELD) {
    diag_error(where, "a task cannot be stored in a class field");
    return true;
  }
  return false;
}
