/* check_stmt.c -- blocks, statements, control flow and function bodies.
 *
 * Return checking uses the Never type: return, break, continue, panic,
 * exit and a loop without break have type Never; a block containing a
 * Never item is Never; an if/match is Never when every branch is.  A
 * function with a result type must have a Never body or a body whose
 * final expression has that type.
 */
#include "check_int.h"

static bool is_stmt_kind(NodeKind k) {
  return k == N_LET || k == N_WHILE || k == N_FOR || k == N_LOOP || k == N_BREAK ||
         k == N_CONTINUE || k == N_RETURN || k == N_DEFER || k == N_ASSIGN;
}

Type *join_types(Type *a, Type *b, Span where, const char *what) {
  if (a == ty_never) return b;
  if (b == ty_never) return a;
  if (a == ty_error || b == ty_error) return ty_error;
  if (type_fits(b, a)) return a;
  if (type_fits(a, b)) return b;
  diag_error(where, "%s have different types: %s and %s", what, a->str, b->str);
  return ty_error;
}

Type *check_block(Node *n, Type *want) {
  if (!n) return ty_unit;
  if (n->kind != N_BLOCK) return check_expr(n, want);
  push_scope(SC_BLOCK);
  bool never = false;
  Type *val = ty_unit;
  for (int i = 0; i < n->items.len; i++) {
    Node *it = n->items.items[i];
    if (!it) continue;
    bool last = i == n->items.len - 1;
    Type *t;
    if (last && !it->semi && !is_stmt_kind(it->kind)) {
      t = check_expr(it, want);
      val = t;
    } else {
      t = check_expr(it, ty_unit);   /* a statement: its value is discarded */
    }
    if (t == ty_never) never = true;
  }
  pop_scope();
  return n->ty = never ? ty_never : val;
}

static Type *check_let(Node *n) {
  check_snake(n->name, n->name_span, "variable");
  Type *t = n->type ? resolve_type(n->type) : NULL;
  Type *vt = ty_error;
  if (!n->rhs) {
    diag_error(n->span, "`%s` needs an initial value", n->name ? n->name : "?");
  } else {
    vt = check_expr(n->rhs, t);
    if (t) expect_type(n->rhs, vt, t, arena_printf("`%s %s`", n->is_var ? "var" : "let", n->name));
    if (vt == ty_unit) diag_error(n->rhs->span, "this expression has no value");
  }
  if (!t) {
    t = vt;
    diag_error_help(n->name_span, vt != ty_error ? arena_printf("write `%s: %s`", n->name, vt->str) : NULL,
                    "`%s` needs a type annotation", n->name ? n->name : "?");
  }
  n->sym = declare_local(n->name, n->name_span, t, n->is_var, SYM_LOCAL);
  return ty_unit;
}

static Type *check_assign(Node *n) {
  Node *l = n->lhs;
  if (!l) return ty_unit;
  Type *lt = ty_error;
  if (l->kind == N_IDENT) {
    lt = check_expr(l, NULL);
    Sym *s = l->sym;
    if (s) {
      if (s->kind == SYM_SELF)
        diag_error(l->span, "cannot assign to `self`");
      else if (!s->is_var)
        diag_error_help(l->span, arena_printf("declare it with `var %s: %s`", s->name, s->type->str),
                        "cannot assign to `%s`: it is a `let`", s->name);
      note_assign_capture(s, l->span);
    }
  } else if (l->kind == N_FIELD) {
    lt = check_expr(l, NULL);
    FieldSema *fs = l->sema;
    if (fs) {
      FieldInfo *f = &fs->cls->fields[fs->index];
      bool in_init = C.fn && C.fn->is_init && C.cls == fs->cls;
      if (!f->is_var && !in_init)
        diag_error_help(l->span, "`let` fields are assigned only in `init`; declare it `var` to change it",
                        "cannot assign to field `%s`: it is a `let` field", f->name);
    }
  } else if (l->kind == N_INDEX) {
    Type *t = check_expr(l->lhs, NULL);
    Type *it = check_expr(l->rhs, NULL);
    if (it != ty_error && !type_is_int(it))
      diag_error(l->rhs ? l->rhs->span : l->span, "a list index must be an integer, found %s", it->str);
    if (type_is_list(t)) lt = t->args[0];
    else if (t != ty_error) diag_error(l->span, "%s cannot be indexed", t->str);
    l->ty = lt;
  } else {
    check_expr(l, NULL);
    diag_error(l->span, "cannot assign to this expression");
  }
  Type *vt = check_expr(n->rhs, lt == ty_error ? NULL : lt);
  expect_type(n->rhs, vt, lt, "assignment");
  check_task_escape(l, vt, n->span);
  return ty_unit;
}

static LoopInfo *enter_loop(Node *n) {
  LoopInfo *li = arena_alloc(sizeof *li);
  li->id = ++C.next_id;
  n->sema = li;
  vec_push(&C.loops, li);
  C.loop_depth++;
  return li;
}
static void leave_loop(void) {
  C.loops.len--;
  C.loop_depth--;
}

static Type *check_if(Node *n, Type *want) {
  Type *ct = check_expr(n->cond, ty_bool);
  expect_type(n->cond, ct, ty_bool, "`if` condition");
  Type *a = check_block(n->then, n->els ? want : ty_unit);
  if (!n->els) return ty_unit;
  Type *b = n->els->kind == N_IF ? check_expr(n->els, want) : check_block(n->els, want);
  if (n->els->kind == N_BLOCK) n->els->ty = b;
  if (want && want == ty_unit) return (a == ty_never && b == ty_never) ? ty_never : ty_unit;
  if (a == ty_unit || b == ty_unit)
    return (a == ty_never || b == ty_never || (a == ty_unit && b == ty_unit)) ? ty_unit
         : (want ? join_types(a, b, n->span, "`if` branches") : ty_unit);
  return join_types(a, b, n->span, "`if` branches");
}

static Type *check_for(Node *n) {
  Type *vt = n->type ? resolve_type(n->type) : NULL;
  check_snake(n->name, n->name_span, "variable");
  Node *it = n->iter;
  if (it && it->kind == N_RANGE) {
    Type *lo = check_expr(it->lhs, vt);
    Type *hi = check_expr(it->rhs, vt ? vt : lo);
    if (!vt) vt = lo;
    expect_type(it->lhs, lo, vt, "range start");
    expect_type(it->rhs, hi, vt, "range end");
    if (vt != ty_error && !type_is_int(vt)) diag_error(it->span, "a range needs integers, found %s", vt->str);
    it->ty = vt;
  } else {
    Type *lt = check_expr(it, NULL);
    if (type_is_list(lt)) {
      if (!vt) vt = lt->args[0];
      else if (vt != lt->args[0] && vt != ty_error)
        diag_error(n->type ? n->type->span : n->span, "loop variable has type %s but the list holds %s",
                   vt->str, lt->args[0]->str);
    } else if (lt != ty_error) {
      diag_error(it ? it->span : n->span, "cannot iterate over %s: expected a range or a List", lt->str);
    }
  }
  if (!vt) vt = ty_error;
  push_scope(SC_BLOCK);
  n->sym = declare_local(n->name, n->name_span, vt, false, SYM_LOCAL);
  enter_loop(n);
  check_block(n->body, ty_unit);
  leave_loop();
  pop_scope();
  return ty_unit;
}

static Type *check_return(Node *n) {
  if (!C.ret) {   /* spawn body: the first return decides the task's type */
    Type *t = n->lhs ? check_expr(n->lhs, NULL) : ty_unit;
    if (t != ty_never) C.ret = t;
    return ty_never;
  }
  if (n->lhs) {
    Type *t = check_expr(n->lhs, C.ret == ty_unit ? NULL : C.ret);
    if (C.ret == ty_unit && t != ty_error && t != ty_never && t != ty_unit) {
      diag_error_help(n->lhs->span, C.spawn ? NULL : "declare a result type: `fn f(...) -> T`",
                      "this %s returns nothing, but a value is returned", C.spawn ? "task" : "function");
    } else if (C.ret != ty_unit) {
      expect_type(n->lhs, t, C.ret, "return value");
    }
  } else if (C.ret != ty_unit && C.ret != ty_error) {
    diag_error(n->span, "missing return value: expected %s", C.ret->str);
  }
  return ty_never;
}

static Type *check_jump(Node *n) {
  const char *w = n->kind == N_BREAK ? "break" : "continue";
  if (!C.loop_depth) {
    diag_error(n->span, C.spawn ? "`%s` inside a spawn body cannot leave a loop outside it"
                                : "`%s` outside of a loop", w);
  } else if (n->kind == N_BREAK) {
    C.loops.items[C.loops.len - 1]->has_break = true;
  }
  return ty_never;
}

Type *check_stmt(Node *n, Type *want) {
  if (!n) return ty_unit;
  switch (n->kind) {
  case N_BLOCK: return check_block(n, want);
  case N_LET: return check_let(n);
  case N_ASSIGN: return check_assign(n);
  case N_IF: return check_if(n, want);
  case N_WHILE: {
    Type *ct = check_expr(n->cond, ty_bool);
    expect_type(n->cond, ct, ty_bool, "`while` condition");
    LoopInfo *li = enter_loop(n);
    check_block(n->body, ty_unit);
    leave_loop();
    bool forever = n->cond && n->cond->kind == N_BOOL && n->cond->bool_val;
    return forever && !li->has_break ? ty_never : ty_unit;
  }
  case N_LOOP: {
    LoopInfo *li = enter_loop(n);
    check_block(n->body, ty_unit);
    leave_loop();
    return li->has_break ? ty_unit : ty_never;
  }
  case N_FOR: return check_for(n);
  case N_BREAK: case N_CONTINUE: return check_jump(n);
  case N_RETURN: return check_return(n);
  default: break;
  }
  diag_ice("check_stmt: %s is not a statement", ast_kind_name(n->kind));
}

/* Defaults see no parameters: they are evaluated at the call.  C.scope
 * is the module (or test block) scope here. */
static void check_defaults(FnInfo *fi) {
  Decl *d = fi->decl;
  push_scope(SC_BLOCK);
  for (int i = 0; i < d->params.len; i++) {
    Param *p = &d->params.items[i];
    if (p->default_value) expect_type(p->default_value, check_expr(p->default_value, fi->ptypes[i]),
                                 fi->ptypes[i], "default value");
  }
  pop_scope();
}

/* Mark the fields of `self` assigned anywhere under n (init checking). */
typedef struct AssignScan { TypeDecl *cls; bool *seen; } AssignScan;

static void mark_assigned(Node *n, void *ctx) {
  AssignScan *a = ctx;
  if (n->kind == N_ASSIGN && n->lhs && n->lhs->kind == N_FIELD && n->lhs->lhs &&
      n->lhs->lhs->kind == N_IDENT && n->lhs->lhs->sym && n->lhs->lhs->sym->kind == SYM_SELF)
    for (int i = 0; i < a->cls->nfields; i++)
      if (a->cls->fields[i].name == n->lhs->name) a->seen[i] = true;
  ast_children(n, mark_assigned, ctx);
}

/* An explicit init must assign every field: an unassigned String, List or
 * class field would be a null reference at run time. */
static void check_init_assigns(FnInfo *fi) {
  TypeDecl *ci = fi->cls;
  AssignScan scan = {ci, arena_alloc(sizeof(bool) * (size_t)(ci->nfields + 1))};
  bool *seen = scan.seen;
  if (fi->decl->body) mark_assigned(fi->decl->body, &scan);
  for (int i = 0; i < ci->nfields; i++)
    if (!seen[i])
      diag_error_help(fi->decl->name_span, arena_printf("add `self.%s = ...;`", ci->fields[i].name),
                      "`init` of %s does not assign field `%s`", ci->name, ci->fields[i].name);
}

void check_fn_body(FnInfo *fi) {
  Decl *d = fi->decl;
  C.fn = fi;
  C.cls = fi->cls;
  C.ret = fi->ret;
  C.loop_depth = 0;
  C.loops.len = 0;
  C.conc_level = 0;
  C.conc = NULL;
  C.spawn = NULL;
  Scope *outer = C.scope;   /* the module, or the test block's scope */
  check_defaults(fi);
  push_scope(SC_FUNCTION);
  if (fi->cls) fi->self = declare_local(intern_cstr("self"), d->name_span, type_of(fi->cls), false, SYM_SELF);
  for (int i = 0; i < d->params.len; i++) {
    Param *p = &d->params.items[i];
    p->sym = declare_local(p->name, p->name_span, fi->ptypes[i], false, SYM_PARAM);
  }
  if (d->body) {
    Type *bt = check_block(d->body, fi->implicit_self ? ty_unit : fi->ret);
    if (fi->ret != ty_unit && !fi->implicit_self && fi->ret != ty_error && bt != ty_never && bt != ty_error) {
      if (bt == ty_unit)
        diag_error_help(d->name_span, "add a `return` at the end",
                        "function `%s` must return %s on every path", d->name ? d->name : "?", fi->ret->str);
      else
        expect_type(d->body->items.len ? d->body->items.items[d->body->items.len - 1] : d->body, bt, fi->ret,
               "the function's final expression");
    }
  }
  if (fi->is_init && d->body) check_init_assigns(fi);
  C.scope = outer;
  C.fn = NULL;
  C.cls = NULL;
}
