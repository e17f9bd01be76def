/* emit_call.c -- calls: functions, methods, constructors, variants and
 * built-ins.
 *
 * Arguments are passed in parameter order, but Plat evaluates the
 * receiver, then the arguments in the written order, then the omitted
 * defaults (the declaration's expressions) in parameter order: operands
 * whose order matters are first stored in temporaries inside a statement
 * expression (lower_args, emit_seq.c).  An optional argument that a
 * built-in's hook evaluates only on some paths (assert's message,
 * BR_LAZY_ARGS) is evaluated eagerly when that shows.  Built-ins are
 * lowered by their catalogue row: its emit hook, or the plain call
 * cfn(receiver, arguments) (builtins.h).  A built-in that may wait (row
 * flag BR_WAITS: await, recv, sleep, socket and file calls) records its
 * .plat line first (PLAT_AT), after its arguments, whose effects are
 * hoisted for that.
 */
#include "emit_int.h"

typedef struct Lowered {
  const char **arg;          /* per parameter: C code, NULL if absent */
  const char *recv;
  Buf pre;                   /* hoisted temporaries */
} Lowered;

/* Does this call park the task (or may it)? */
static bool call_waits(const CallInfo *ci) { return ci->bf && (ci->bf->row->flags & BR_WAITS); }

const char *at_site(int line, const char *call) {
  return arena_printf("({ PLAT_AT(plat_file, %d); %s; })", line, call);
}

/* The receiver, the written arguments in written order, then the omitted
 * defaults in parameter order: that is Plat's evaluation order, kept by
 * seq_plan's temporaries (emit_seq.c).  A built-in's lazy optional
 * argument (BR_LAZY_ARGS: assert's message, evaluated only when the
 * condition fails) goes to a temporary like any argument when evaluating
 * it can be observed. */
static void lower_args(CallInfo *ci, Lowered *L) {
  int np = ci->nparams, n = 0;
  bool lazy = ci->bf && (ci->bf->row->flags & BR_LAZY_ARGS);
  L->arg = arena_alloc(sizeof(char *) * (size_t)(np + 1));
  Node **ops = arena_alloc(sizeof(Node *) * (size_t)(np + 2));
  Type **want = arena_alloc(sizeof(Type *) * (size_t)(np + 2));
  int *param = arena_alloc(sizeof(int) * (size_t)(np + 2));
  if (ci->recv) {
    ops[n] = ci->recv; want[n] = ci->recv->ty; param[n++] = -1;
  }
  for (int w = 0; w < ci->nwritten; w++) {
    int i = ci->order[w];
    if (!ci->args[i]) continue;
    ops[n] = ci->args[i]; want[n] = ci->ptypes[i]; param[n++] = i;
  }
  for (int i = 0; i < np; i++)
    if (!ci->args[i] && ci->defaults && ci->defaults[i]) {
      ops[n] = ci->defaults[i]; want[n] = ci->ptypes[i]; param[n++] = i;
    }
  unsigned *fx = arena_alloc(sizeof(unsigned) * (size_t)(n + 1));
  bool *hoist = arena_alloc(sizeof(bool) * (size_t)(n + 1));
  for (int k = 0; k < n; k++) {
    fx[k] = seq_fx(ops[k]);
    if (lazy && param[k] >= 0 && ci->bf->optional[param[k]] && (fx[k] & (FX_EFF | FX_ASSIGN))) hoist[k] = true;
  }
  seq_plan(fx, n, hoist);
  if (call_waits(ci))                 /* PLAT_AT comes after every effect */
    for (int k = 0; k < n; k++) hoist[k] |= (fx[k] & FX_EFF) != 0;
  for (int k = 0; k < n; k++) {
    const char *c = seq_operand(&L->pre, ops[k], want[k], hoist[k]);
    if (param[k] < 0) L->recv = c;
    else L->arg[param[k]] = c;
  }
}

static const char *finish(Lowered *L, const char *core) {
  if (!L->pre.len) return core;
  const char *s = arena_printf("({ %.*s%s; })", (int)L->pre.len, L->pre.data, core);
  buf_free(&L->pre);
  return s;
}

static const char *arglist(Lowered *L, int np, const char *first) {
  Buf b = {0};
  int k = 0;
  if (first) {
    buf_puts(&b, first);
    k++;
  }
  for (int i = 0; i < np; i++) {
    if (k++) buf_puts(&b, ", ");
    buf_puts(&b, L->arg[i] ? L->arg[i] : "0");
  }
  const char *s = arena_strndup(b.data ? b.data : "", b.len);
  buf_free(&b);
  return s;
}

static const char *variant_str(CallInfo *ci, Lowered *L) {
  TypeDecl *en = ci->enum_type->decl;
  VariantInfo *v = &en->variants[ci->variant];
  if (!v->nfields) return en == td_option ? "plat_none()" : arena_printf("(&%s)", mangle_variant_const(en, ci->variant));
  if (en == td_option || en == td_result) {
    const char *f = en == td_option ? "plat_some" : ci->variant == 0 ? "plat_ok" : "plat_err";
    return arena_printf("%s(%s)", f, to_word(L->arg[0] ? L->arg[0] : "0", ci->ptypes[0]));
  }
  Buf b = {0};
  for (int i = 0; i < v->nfields; i++)
    buf_printf(&b, "%s%s", i ? ", " : "", to_word(L->arg[i] ? L->arg[i] : "0", ci->ptypes[i]));
  const char *s = arena_printf("plat_enum_make(%d, %d, (plat_word[]){%.*s})", ci->variant, v->nfields,
                               (int)b.len, b.data);
  buf_free(&b);
  return s;
}

const char *emit_prim_to_string(const EmitCall *c) { return to_string_code(c->recv, c->recv_type); }

/* A built-in call: its row's emit hook, or the plain call cfn(receiver,
 * arguments in parameter order); an argument or result whose declared
 * type is a type parameter travels as a plat_word. */
static const char *builtin_str(Node *n, CallInfo *ci, Lowered *L) {
  const BuiltinFn *bf = ci->bf;
  Type *st = ety(ci->self_type);
  EmitCall c = {n, ci, L->recv, (const char **)L->arg, st, st && st->nargs > 0 ? st->args[0] : NULL,
                st && st->nargs > 1 ? st->args[1] : NULL, line_of(n->span)};
  if (bf->row->emit) return bf->row->emit(&c);
  Buf args = {0};
  int k = 0;
  if (c.recv) {
    buf_puts(&args, c.recv);
    k++;
  }
  for (int i = 0; i < ci->nparams; i++) {
    if (k++) buf_puts(&args, ", ");
    const char *v = c.args[i] ? c.args[i] : "0";
    buf_puts(&args, type_is_param(bf->ptypes[i]) ? to_word(v, ci->ptypes[i]) : v);
  }
  const char *call = arena_printf("%s(%.*s)", bf->row->cfn, (int)args.len, args.data ? args.data : "");
  buf_free(&args);
  Type *rt = n->ty;
  if (type_is_param(bf->ret)) return from_word(call, rt);
  if (type_no_value(rt)) return call;
  return arena_printf("((%s)%s)", ctype(rt), call);
}

static int row_tag(const CallInfo *ci) { return ci && ci->bf ? ci->bf->row->tag : TAG_NONE; }

/* `ch.recv().unwrap()` (or try_recv) with no Option allocation, or NULL. */
static const char *direct_unwrap(Node *n, CallInfo *ci) {
  if (row_tag(ci) != TAG_OPT_UNWRAP || !ci->recv || ci->recv->kind != N_CALL) return NULL;
  CallInfo *rc = ci->recv->sema;
  int tag = row_tag(rc);
  if (!rc->recv || (tag != TAG_CHAN_RECV && tag != TAG_CHAN_TRY_RECV)) return NULL;
  Type *T = ci->recv->ty && ci->recv->ty->nargs ? ci->recv->ty->args[0] : NULL;
  const char *w = new_tmp();
  return arena_printf("({ plat_word %s = 0; if (!%s) plat_panic(\"called unwrap() on None\", "
                      "plat_file, %d); %s; })", w,
                      at_site(line_of(n->span), arena_printf("plat_chan_%s(%s, &%s)",
                              tag == TAG_CHAN_RECV ? "recv" : "try_recv", expr_str(rc->recv), w)),
                      line_of(n->span), from_word(w, T));
}

const char *call_str(Node *n) {
  CallInfo *ci = n->sema;
  if (!ci) return "0";
  const char *direct = direct_unwrap(n, ci);
  if (direct) return direct;
  Lowered L = {0};
  lower_args(ci, &L);
  const char *core = "0";
  switch (ci->kind) {
  case CALL_FN: core = arena_printf("%s(%s)", mangle_fn(ci->fn), arglist(&L, ci->nparams, NULL)); break;
  case CALL_METHOD: core = arena_printf("%s(%s)", mangle_fn(ci->fn), arglist(&L, ci->nparams, L.recv)); break;
  case CALL_CTOR: core = arena_printf("%s(%s)", mangle_ctor(ci->cls), arglist(&L, ci->nparams, NULL)); break;
  case CALL_VARIANT: core = variant_str(ci, &L); break;
  case CALL_BUILTIN: case CALL_BMETHOD:
    core = builtin_str(n, ci, &L);
    if (call_waits(ci)) core = at_site(line_of(n->span), core);
    break;
  }
  return finish(&L, core);
}
