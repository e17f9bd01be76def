/* emit_stmt.c -- blocks, statements, control flow and match.
 *
 * emit_into(n, dest) writes n as C statements whose final value goes to
 * dest (a variable, a `return`, or nowhere).  Match lowers to an if/else
 * chain (never a C `switch`, so a Plat `break` inside an arm still leaves
 * the loop); the last arm is unconditional because the checker proved the
 * match exhaustive.  Loops put PLAT_LOOP_CHECK at the top of each
 * iteration (the back-edge check: preemption and cancellation).
 */
#include "emit_int.h"

static bool is_flow(Node *n) {
  return n && (n->kind == N_BLOCK || n->kind == N_IF || n->kind == N_MATCH || n->kind == N_CONCURRENT);
}
static bool is_stmt_kind(NodeKind k) {
  return k == N_LET || k == N_WHILE || k == N_FOR || k == N_LOOP || k == N_BREAK ||
         k == N_CONTINUE || k == N_RETURN || k == N_DEFER || k == N_ASSIGN;
}
static bool no_value(Type *t) { return type_no_value(t); }

void emit_return_value(const char *code, Type *t) {
  if (code && t == ty_never) {   /* panic(...), exit(...): no return needed */
    out("%s;", code);
    return;
  }
  bool unit = !code || t == ty_unit || t == ty_never;
  if (E.task_ret) {
    if (unit) out("%s%sreturn 0;", code ? code : "", code ? "; " : "");
    else out("return %s;", to_word(code, E.task_ret));
  } else {
    if (unit) out("%s%sreturn;", code ? code : "", code ? "; " : "");
    else out("return %s;", code);
  }
}

/* An expression with control flow, in expression position. */
const char *valued_expr(Node *n) {
  Buf b = {0};
  Buf *saved = E.out;
  int line = E.last_line;     /* the rest of the enclosing statement */
  E.out = &b;
  if (no_value(n->ty)) {
    out("({ ");
    emit_into(n, (Dest){DEST_DISCARD, NULL});
    out(" })");
  } else {
    const char *t = new_tmp();
    out("({ %s %s; ", ctype(n->ty), t);
    emit_into(n, (Dest){DEST_VAR, t});
    out(" %s; })", t);
  }
  if (line && E.last_line != line) emit_line_no(line);
  E.out = saved;
  const char *s = arena_strndup(b.data ? b.data : "", b.len);
  buf_free(&b);
  return s;
}

void emit_block_body(Node *blk, Dest d) {
  if (!blk) return;
  if (blk->kind != N_BLOCK) {
    emit_into(blk, d);
    return;
  }
  for (int i = 0; i < blk->items.len; i++) {
    Node *it = blk->items.items[i];
    if (!it) continue;
    bool last = i == blk->items.len - 1;
    if (last && !it->semi && !is_stmt_kind(it->kind)) emit_into(it, d);
    else emit_stmt(it);
  }
}

static void emit_if_into(Node *n, Dest d) {
  if (no_value(n->ty) && d.kind == DEST_VAR) d.kind = DEST_DISCARD;
  if (n->ty == ty_unit && d.kind == DEST_RETURN && !E.task_ret) d.kind = DEST_DISCARD;
  emit_line(n->span);
  out("if (%s) {\n", val_str(n->cond, ty_bool));
  emit_into(n->then, d);
  out("\n}");
  if (n->els) {
    out(" else {\n");
    emit_into(n->els, d);
    out("\n}");
  }
  out("\n");
}

/* A channel receive matched at once: `match ch.recv() { ... }` needs no
 * Option allocation (plat_chan_recv reports found + value).  Returns the
 * receive call's CallInfo, or NULL. */
static CallInfo *direct_recv(Node *scrut) {
  if (!scrut || scrut->kind != N_CALL || !scrut->sema) return NULL;
  CallInfo *ci = scrut->sema;
  int tag = ci->bf && ci->recv ? ci->bf->row->tag : TAG_NONE;
  return tag == TAG_CHAN_RECV || tag == TAG_CHAN_TRY_RECV ? ci : NULL;
}

static const char *pattern_cond(Pattern *p, const char *m, bool split) {
  if (!p) return "1";
  if (p->kind == PAT_WILDCARD) return NULL;
  if (p->kind == PAT_VARIANT) return arena_printf(split ? "%s_tag == %d" : "%s->tag == %d", m, p->variant_index);
  Node *l = p->lit;
  if (l && l->ty == ty_string) return arena_printf("plat_str_eq(%s, %s)", m, expr_str(l));
  return arena_printf("%s == %s", m, expr_str(l));
}

static void emit_match_into(Node *n, Dest d) {
  if (no_value(n->ty) && d.kind == DEST_VAR) d.kind = DEST_DISCARD;
  Type *st = n->lhs ? n->lhs->ty : NULL;
  const char *m = new_tmp();
  CallInfo *rc = direct_recv(n->lhs);
  emit_line(n->span);
  if (rc)   /* m_tag / m_f0 stand for the Option's tag and payload */
    out("{ plat_word %s_f0 = 0; int64_t %s_tag = %s ? 0 : 1;\n", m, m,
        at_site(line_of(n->lhs->span), arena_printf("plat_chan_%s(%s, &%s_f0)",
                rc->bf->row->tag == TAG_CHAN_RECV ? "recv" : "try_recv", expr_str(rc->recv), m)));
  else
    out("{ %s %s = %s;\n", st && st != ty_unit && st != ty_never ? ctype(st) : "int64_t", m,
        val_str(n->lhs, st));
  for (int i = 0; i < n->arms.len; i++) {
    MatchArm *a = &n->arms.items[i];
    const char *cond = pattern_cond(a->pat, m, rc != NULL);
    bool last = i == n->arms.len - 1 || !cond;
    if (i) out(" else ");
    if (last) out("{\n");
    else out("if (%s) {\n", cond);
    if (a->pat && a->pat->kind == PAT_VARIANT) {
      for (int j = 0; j < a->pat->bindings.len; j++) {
        PatBinding *b = &a->pat->bindings.items[j];
        if (!b->sym || b->field_index < 0) continue;
        out("%s %s = %s;\n", ctype(b->sym->type), sym_cname(b->sym),
            from_word(arena_printf(rc ? "%s_f%d" : "%s->f[%d]", m, b->field_index), b->sym->type));
      }
    }
    emit_into(a->body, d);
    out("\n}");
    if (last) break;
  }
  out("\n}\n");
}

void emit_into(Node *n, Dest d) {
  if (!n) return;
  switch (n->kind) {
  case N_BLOCK:
    out("{\n");
    emit_block_body(n, d);
    out("\n}\n");
    return;
  case N_IF: emit_if_into(n, d); return;
  case N_MATCH: emit_match_into(n, d); return;
  case N_CONCURRENT: emit_concurrent_into(n, d); return;
  case N_SELECT: emit_select_into(n, d); return;
  default: break;
  }
  if (is_stmt_kind(n->kind)) {
    emit_stmt(n);
    if (d.kind == DEST_RETURN && E.task_ret && n->kind != N_RETURN) out("return 0;\n");
    return;
  }
  emit_line(n->span);
  const char *c = expr_str(n);
  switch (d.kind) {
  case DEST_DISCARD: out("(void)(%s);\n", c); break;
  case DEST_VAR:
    if (no_value(n->ty)) out("(void)(%s);\n", c);
    else out("%s = %s;\n", d.var, c);
    break;
  case DEST_RETURN:
    emit_return_value(c, n->ty);
    out("\n");
    break;
  }
}

static void emit_let(Node *n) {
  Sym *s = n->sym;
  if (!s) return;
  const char *name = sym_cname(s);
  if (no_value(s->type)) {
    emit_into(n->rhs, (Dest){DEST_DISCARD, NULL});
    return;
  }
  if (is_flow(n->rhs)) {
    out("%s %s;\n", ctype(s->type), name);
    emit_into(n->rhs, (Dest){DEST_VAR, name});
  } else {
    out("%s %s = %s;\n", ctype(s->type), name, val_str(n->rhs, s->type));
  }
}

/* `xs[i] = v` evaluates xs, i, v; `o.f = v` evaluates o, v (emit_seq.c). */
static void emit_assign(Node *n) {
  Node *l = n->lhs;
  if (!l) return;
  Buf pre = {0};
  const char *core;
  if (l->kind == N_INDEX) {
    Type *et = l->lhs && type_is_list(l->lhs->ty) ? l->lhs->ty->args[0] : NULL;
    Node *ops[3] = {l->lhs, l->rhs, n->rhs};
    Type *want[3] = {l->lhs ? l->lhs->ty : NULL, ty_i64, l->ty};
    const char *c[3];
    seq_operands(&pre, ops, want, 3, c);
    core = arena_printf("plat_list_store(%s, (int64_t)(%s), %s, %d)", c[0], c[1], to_word(c[2], et), line_of(n->span));
  } else if (l->kind == N_FIELD) {
    FieldSema *fs = l->sema;
    Node *ops[2] = {l->lhs, n->rhs};
    Type *want[2] = {l->lhs ? l->lhs->ty : NULL, l->ty};
    const char *c[2];
    seq_operands(&pre, ops, want, 2, c);
    core = arena_printf("(%s)->%s = %s", c[0], mangle_field(fs ? fs->cls->fields[fs->index].name : l->name), c[1]);
  } else {
    core = arena_printf("%s = %s", expr_str(l), val_str(n->rhs, l->ty));
  }
  if (pre.len) {
    out("{ %.*s%s; }\n", (int)pre.len, pre.data, core);
    buf_free(&pre);
  } else {
    out("%s;\n", core);
  }
}

static void loop_body(Node *n) {
  out("PLAT_LOOP_CHECK(plat_file, %d);\n", line_of(n->span));
  emit_into(n->body, (Dest){DEST_DISCARD, NULL});
}

static void emit_for(Node *n) {
  Sym *s = n->sym;
  Type *vt = s ? s->type : ty_i32;
  Node *it = n->iter;
  if (it && it->kind == N_RANGE) {
    const char *T = ctype(vt), *lo = new_tmp(), *hi = new_tmp(), *k = new_tmp();
    out("{ %s %s = %s; %s %s = %s;\n", T, lo, val_str(it->lhs, vt), T, hi, val_str(it->rhs, vt));
    if (it->inclusive) {
      const char *done = new_tmp();
      out("bool %s = %s > %s;\nfor (%s %s = %s; !%s; %s++) {\n%s = %s == %s;\n", done, lo, hi, T, k, lo, done, k,
          done, k, hi);
    } else {
      out("for (%s %s = %s; %s < %s; %s++) {\n", T, k, lo, k, hi, k);
    }
    out("%s %s = %s;\n", T, sym_cname(s), k);
  } else {
    const char *l = new_tmp(), *k = new_tmp();
    out("{ plat_list *%s = %s;\nfor (int64_t %s = 0; %s < %s->len; %s++) {\n", l, expr_str(it), k, k, l, k);
    out("%s %s = %s;\n", ctype(vt), sym_cname(s), from_word(arena_printf("%s->items[%s]", l, k), vt));
  }
  loop_body(n);
  out("}\n}\n");
}

void emit_stmt(Node *n) {
  if (!n) return;
  emit_line(n->span);
  switch (n->kind) {
  case N_LET: emit_let(n); break;
  case N_ASSIGN: emit_assign(n); break;
  case N_WHILE:
    out("while (%s) {\n", val_str(n->cond, ty_bool));
    loop_body(n);
    out("}\n");
    break;
  case N_LOOP:
    out("for (;;) {\n");
    loop_body(n);
    out("}\n");
    break;
  case N_FOR: emit_for(n); break;
  case N_DEFER: emit_defer(n); break;
  case N_BREAK: out("break;\n"); break;
  case N_CONTINUE: out("continue;\n"); break;
  case N_RETURN:
    if (!n->lhs) {
      emit_return_value(NULL, ty_unit);
      out("\n");
    } else if (is_flow(n->lhs) && !no_value(n->lhs->ty)) {
      emit_into(n->lhs, (Dest){DEST_RETURN, NULL});
    } else {
      emit_return_value(expr_str(n->lhs), n->lhs->ty);
      out("\n");
    }
    break;
  default:
    emit_into(n, (Dest){DEST_DISCARD, NULL});
    break;
  }
}
