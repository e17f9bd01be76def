/* emit_chan.c -- lowering of channels, select, race, with_timeout and
 * defer (LANGUAGE.md 3, 8.3-8.5) onto plat_chan.h and plat_race.h.
 *
 * - Channel methods are rows of compiler/builtins/channel.c.
 * - select evaluates its channel operands, send values and timeout in
 *   source order into a plat_select_arm array (channel arms only, in
 *   order), calls plat_select and runs the chosen arm in an if/else chain
 *   (never a C switch, so break/continue in an arm reach the Plat loop).
 * - race lifts each arm like a spawn body and calls plat_race; with_timeout
 *   lifts its body and calls plat_with_timeout.
 * - defer lifts its body into `static void plat_defer_N(void *)` that
 *   reaches the captured locals through a struct of their addresses: it
 *   copies them into locals of the same C names, runs the body unchanged
 *   and copies them back (a defer body cannot leave early, and a Plat
 *   local has no other alias, so copy-in/copy-out equals by-reference).  At the defer statement a
 *   plat_defer record is pushed and declared with
 *   __attribute__((cleanup(plat_defer_cleanup))): every normal way out of
 *   the C block (end, return, break, continue, `?`) pops and runs it, in
 *   reverse order of the defers; on panic or cancellation the runtime runs
 *   the records still pushed.  The captured locals outlive the record (they
 *   are declared before it in the same or an enclosing block).
 */
#include "emit_int.h"

static bool no_value(Type *t) { return type_no_value(t); }

static const char *opt_of(const char *ok, const char *val) {
  return arena_printf("(%s ? plat_some(%s) : plat_none())", ok, val);
}

/* ---- select ---- */
void emit_select_into(Node *n, Dest d) {
  if (no_value(n->ty) && d.kind == DEST_VAR) d.kind = DEST_DISCARD;
  if (n->ty == ty_unit && d.kind == DEST_RETURN && !E.task_ret) d.kind = DEST_DISCARD;
  int nch = 0, has_default = 0;
  const char *arms = new_tmp(), *tm = NULL, *k = new_tmp();
  for (int i = 0; i < n->sel_arms.len; i++) {
    SelectKind sk = n->sel_arms.items[i].kind;
    nch += sk == SEL_RECV || sk == SEL_SEND;
    has_default |= sk == SEL_DEFAULT;
  }
  emit_line(n->span);
  out("{ plat_select_arm %s[%d];\n", arms, nch ? nch : 1);
  for (int i = 0, c = 0; i < n->sel_arms.len; i++) {
    SelectArm *a = &n->sel_arms.items[i];
    if (a->kind == SEL_RECV || a->kind == SEL_SEND) {
      Type *T = a->chan && a->chan->ty && a->chan->ty->nargs ? a->chan->ty->args[0] : NULL;
      out("%s[%d].ch = %s; %s[%d].kind = %s; %s[%d].ok = false; %s[%d].val = %s;\n", arms, c, expr_str(a->chan),
          arms, c, a->kind == SEL_RECV ? "PLAT_SEL_RECV" : "PLAT_SEL_SEND", arms, c, arms, c,
          a->kind == SEL_SEND ? to_word(expr_str(a->value), T) : "0");
      c++;
    } else if (a->kind == SEL_TIMEOUT) {
      tm = new_tmp();
      out("int64_t %s = (int64_t)(%s); if (%s < 0) %s = 0;\n", tm, expr_str(a->value), tm, tm);
    }
  }
  out("int %s = plat_select(%s, %d, %s, %s, plat_file, %d);\n", k, arms, nch, tm ? tm : "-1",
      has_default ? "true" : "false", line_of(n->span));
  for (int i = 0, c = 0; i < n->sel_arms.len; i++) {
    SelectArm *a = &n->sel_arms.items[i];
    const char *cond = a->kind == SEL_TIMEOUT ? "PLAT_SELECT_TIMEOUT" : a->kind == SEL_DEFAULT ? "PLAT_SELECT_DEFAULT"
                     : arena_printf("%d", c);
    bool last = i == n->sel_arms.len - 1;
    if (i) out(" else ");
    if (last) out("{\n");
    else out("if (%s == %s) {\n", k, cond);
    if (a->kind == SEL_RECV && a->sym)
      out("%s %s = %s;\n", ctype(a->sym->type), sym_cname(a->sym),
          opt_of(arena_printf("%s[%d].ok", arms, c), arena_printf("%s[%d].val", arms, c)));
    emit_into(a->body, d);
    out("\n}");
    if (a->kind == SEL_RECV || a->kind == SEL_SEND) c++;
  }
  out("\n}\n");
}

/* ---- race, with_timeout ---- */
static const char *race_str(Node *n) {
  int na = n->items.len;
  const char *F = new_tmp(), *V = new_tmp();
  Buf b = {0};
  buf_printf(&b, "({ plat_task_fn %s[%d]; void *%s[%d]; ", F, na, V, na);
  for (int i = 0; i < na; i++) {
    const char *fn = NULL;
    const char *env = spawn_env_str(n->items.items[i], &fn);
    buf_printf(&b, "%s[%d] = %s; %s[%d] = %s; ", F, i, fn, V, i, env);
  }
  const char *call = arena_printf("plat_race(%d, %s, %s, plat_file, %d)", na, F, V, line_of(n->span));
  buf_printf(&b, "%s; })", no_value(n->ty) ? arena_printf("(void)%s", call) : from_word(call, n->ty));
  const char *s = arena_strndup(b.data, b.len);
  buf_free(&b);
  return s;
}

static const char *with_timeout_str(Node *n) {
  const char *ms = new_tmp(), *w = new_tmp(), *ok = new_tmp(), *fn = NULL;
  const char *mcode = expr_str(n->lhs);
  const char *env = spawn_env_str(n, &fn);
  return arena_printf("({ int64_t %s = (int64_t)(%s); plat_word %s = 0; "
                      "bool %s = plat_with_timeout(%s, %s, %s, &%s, plat_file, %d); %s; })",
                      ms, mcode, w, ok, ms, fn, env, w, line_of(n->span), opt_of(ok, w));
}

const char *chan_expr_str(Node *n) {
  return n->kind == N_RACE ? race_str(n) : with_timeout_str(n);
}

/* ---- defer ---- */
static void lift_defer(Node *n, DeferInfo *di) {
  Buf b = {0};
  Buf *saved_out = E.out;
  Type *saved_ret = E.task_ret;
  int saved_line = E.last_line;
  E.out = &b;
  E.task_ret = NULL;
  E.last_line = 0;
  int nc = di->captures.len;
  if (nc) {
    out("struct %s {\n", mangle_numbered("plat_denv_", di->id));
    for (int i = 0; i < nc; i++) {
      Sym *s = di->captures.items[i];
      out("  %s *p_%s;\n", ctype(s->type), sym_cname(s));
    }
    out("};\n");
  }
  out("static void %s(void *plat_dvp) {\n", mangle_numbered("plat_defer_", di->id));
  if (nc) out("struct %s *plat_dv = plat_dvp;\n", mangle_numbered("plat_denv_", di->id));
  else out("(void)plat_dvp;\n");
  for (int i = 0; i < nc; i++) {
    Sym *s = di->captures.items[i];
    out("%s %s = *plat_dv->p_%s;\n", ctype(s->type), sym_cname(s), sym_cname(s));
  }
  emit_into(n->body, (Dest){DEST_DISCARD, NULL});
  for (int i = 0; i < nc; i++) {
    const char *c = sym_cname(di->captures.items[i]);
    out("*plat_dv->p_%s = %s;\n", c, c);
  }
  out("\n}\n");
  lift_chunk(&b);
  buf_free(&b);
  E.out = saved_out;
  E.task_ret = saved_ret;
  E.last_line = saved_line;
}

void emit_defer(Node *n) {
  DeferInfo *di = n->sema;
  if (!di) return;
  lift_defer(n, di);
  int id = di->id, nc = di->captures.len;
  if (nc) {
    out("struct %s %s = {", mangle_numbered("plat_denv_", id), mangle_numbered("plat_de_", id));
    for (int i = 0; i < nc; i++) out("%s&%s", i ? ", " : "", sym_cname(di->captures.items[i]));
    out("};\n");
  }
  out("plat_defer %s __attribute__((cleanup(plat_defer_cleanup)));\n", mangle_numbered("plat_d_", id));
  out("plat_defer_push(&%s, %s, %s);\n", mangle_numbered("plat_d_", id), mangle_numbered("plat_defer_", id),
      nc ? arena_printf("&%s", mangle_numbered("plat_de_", id)) : "NULL");
}
