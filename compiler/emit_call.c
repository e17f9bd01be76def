/* emit_call.c -- calls: functions, methods, constructors, variants and
 * built-ins.
 *
 * Arguments are passed in parameter order, but Plat evaluates them in
 * the written order (receiver first): when two or more of them have side
 * effects they are first stored in temporaries, in written order, inside
 * a statement expression.  Omitted arguments take the default expression
 * from the declaration.  Built-ins are lowered by their catalogue row:
 * its emit hook, or the plain call cfn(receiver, arguments) (builtins.h).
 */
#include "emit_int.h"

typedef struct Lowered {
  const char **arg;          /* per parameter: C code, NULL if absent */
  const char *recv;
  Buf pre;                   /* hoisted temporaries */
} Lowered;

static void lower_args(CallInfo *ci, Lowered *L) {
  int np = ci->nparams;
  L->arg = arena_alloc(sizeof(char *) * (size_t)(np + 1));
  int impure = ci->recv && !is_simple(ci->recv);
  for (int i = 0; i < np; i++)
    if (ci->args[i] && !is_simple(ci->args[i])) impure++;
  bool hoist = impure >= 2;
  if (ci->recv) {
    L->recv = expr_str(ci->recv);
    if (hoist && !is_simple(ci->recv)) {
      const char *t = new_tmp();
      buf_printf(&L->pre, "%s %s = %s; ", ctype(ci->recv->ty), t, L->recv);
      L->recv = t;
    }
  }
  for (int w = 0; w < ci->nwritten; w++) {
    int i = ci->order[w];
    Node *a = ci->args[i];
    if (!a) continue;
    L->arg[i] = val_str(a, ci->ptypes[i]);
    if (hoist && !is_simple(a) && a->ty && a->ty != ty_unit && a->ty != ty_never) {
      const char *t = new_tmp();
      buf_printf(&L->pre, "%s %s = %s; ", ctype(a->ty), t, L->arg[i]);
      L->arg[i] = t;
    }
  }
  for (int i = 0; i < np; i++)
    if (!L->arg[i] && ci->defaults && ci->defaults[i]) L->arg[i] = expr_str(ci->defaults[i]);
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

const char *call_str(Node *n) {
  CallInfo *ci = n->sema;
  if (!ci) return "0";
  Lowered L = {0};
  lower_args(ci, &L);
  const char *core = "0";
  switch (ci->kind) {
  case CALL_FN: core = arena_printf("%s(%s)", mangle_fn(ci->fn), arglist(&L, ci->nparams, NULL)); break;
  case CALL_METHOD: core = arena_printf("%s(%s)", mangle_fn(ci->fn), arglist(&L, ci->nparams, L.recv)); break;
  case CALL_CTOR: core = arena_printf("%s(%s)", mangle_ctor(ci->cls), arglist(&L, ci->nparams, NULL)); break;
  case CALL_VARIANT: core = variant_str(ci, &L); break;
  case CALL_BUILTIN: case CALL_BMETHOD: core = builtin_str(n, ci, &L); break;
  }
  return finish(&L, core);
}
