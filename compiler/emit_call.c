/* emit_call.c -- calls: functions, methods, constructors, variants and
 * built-ins.
 *
 * Arguments are passed in parameter order, but Plat evaluates the
 * receiver, then the arguments in the written order, then the omitted
 * defaults (the declaration's expressions) in parameter order: operands
 * whose order matters are first stored in temporaries inside a statement
 * expression (lower_args, emit_seq.c).  assert's message, which the C
 * evaluates only on failure, is evaluated eagerly when that shows.
 * A built-in that may wait (await, recv, sleep, socket and file calls)
 * records its .plat line first (PLAT_AT), after its arguments, whose
 * effects are hoisted for that.  Built-ins with id BI_PLAIN (and the rows
 * whose id has no special case below) are lowered from builtins.c alone.
 */
#include "emit_int.h"

static bool is_printable_type(Type *t) {
  if (!t) return false;
  if (t->kind == T_CLASS) return t->cls->decl && class_has_to_string(t->cls);
  return t->kind >= T_BOOL && t->kind <= T_STRING;
}

typedef struct Lowered {
  const char **arg;          /* per parameter: C code, NULL if absent */
  const char *recv;
  Buf pre;                   /* hoisted temporaries */
} Lowered;

/* Does this built-in call park the task (or may it)? */
static bool builtin_waits(const Builtin *b) {
  if (!b) return false;
  switch (b->id) {
  case BI_T_AWAIT: case BI_C_RECV: case BI_C_RECV_TIMEOUT: case BI_SLEEP: case BI_YIELD_NOW:
  case BI_FILE_OPEN: case BI_FILE_READ: case BI_FILE_READ_ALL: case BI_FILE_WRITE:
  case BI_FILE_CLOSE: case BI_FILE_SIZE: case BI_FILE_DELETE: case BI_DIR_LIST:
    return true;
  default:
    return b->cfn && !strncmp(b->cfn, "plat_tcp_", 9);
  }
}

const char *at_site(int line, const char *call) {
  return arena_printf("({ PLAT_AT(plat_file, %d); %s; })", line, call);
}

/* The receiver, the written arguments in written order, then the omitted
 * defaults in parameter order: that is Plat's evaluation order, kept by
 * seq_plan's temporaries (emit_seq.c).  assert's message is lowered to C
 * that evaluates it only when the condition fails: when evaluating it can
 * be observed, it goes to a temporary like any argument. */
static void lower_args(CallInfo *ci, Lowered *L) {
  int np = ci->nparams, n = 0;
  int eager = ci->builtin && ci->builtin->id == BI_ASSERT ? 1 : -1;   /* the message's parameter */
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
    if (eager >= 0 && param[k] == eager && (fx[k] & (FX_EFF | FX_ASSIGN))) hoist[k] = true;
  }
  seq_plan(fx, n, hoist);
  if (builtin_waits(ci->builtin))     /* PLAT_AT comes after every effect */
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
  EnumInfo *en = ci->enum_type->en;
  VariantInfo *v = &en->variants[ci->variant];
  if (!v->nfields) return en == enum_option ? "plat_none()" : arena_printf("(&plat_k_%s_%s)", en->name, v->name);
  if (en->builtin) {
    const char *f = en == enum_option ? "plat_some" : ci->variant == 0 ? "plat_ok" : "plat_err";
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

/* Is parameter i of builtin b written with type T? */
static bool param_is_T(const Builtin *b, int i) {
  const char *s = b->params;
  for (int k = 0; k < i && s; k++) {
    s = strchr(s, ',');
    if (s) s++;
  }
  if (!s) return false;
  const char *c = strchr(s, ':');
  return c && c[1] == 'T' && (c[2] == ',' || c[2] == 0 || c[2] == '=');
}

static int eq_kind(Type *t) {
  if (!t) return 0;
  if (t->kind == T_F64) return 1;
  if (t->kind == T_F32) return 2;
  if (t->kind == T_STRING) return 3;
  return 0;
}

static const char *builtin_str(Node *n, CallInfo *ci, Lowered *L) {
  const Builtin *b = ci->builtin;
  int line = line_of(n->span);
  const char *r = L->recv, **a = (const char **)L->arg;
  Type *rt = ci->recv ? ci->recv->ty : NULL;
  Type *T = rt && rt->nargs ? rt->args[0] : NULL;
  if (b->id >= BI_C_NEW && b->id <= BI_C_IS_CLOSED) return chan_call_str(n, ci, r, a);
  switch (b->id) {
  case BI_PRINT: return arena_printf("plat_print(%s)", to_string_code(a[0], ci->ptypes[0]));
  case BI_ASSERT:
    return arena_printf("((%s) ? (void)0 : plat_assert_fail(%s, %d))", a[0], a[1] ? a[1] : "NULL", line);
  case BI_PANIC: return arena_printf("plat_panic((%s)->data, plat_file, %d)", a[0], line);
  case BI_O_IS_SOME: case BI_R_IS_OK: return arena_printf("((%s)->tag == 0)", r);
  case BI_O_IS_NONE: case BI_R_IS_ERR: return arena_printf("((%s)->tag != 0)", r);
  case BI_O_UNWRAP: return from_word(arena_printf("plat_unwrap_opt(%s, %d)", r, line), T);
  case BI_R_UNWRAP: {   /* the panic message shows the error when it is printable */
    Type *et = rt->args[1];
    const char *t = new_tmp();
    const char *why = is_printable_type(et)
        ? arena_printf("plat_panicf(plat_file, %d, \"called unwrap() on Err: %%s\", %s->data)", line,
                       to_string_code(from_word(arena_printf("%s->f[0]", t), et), et))
        : arena_printf("plat_panic(\"called unwrap() on an Err value\", plat_file, %d)", line);
    return arena_printf("({ plat_enum *%s = %s; if (%s->tag != 0) %s; %s; })", t, r, t, why,
                        from_word(arena_printf("%s->f[0]", t), T));
  }
  case BI_O_EXPECT: case BI_R_EXPECT:
    return from_word(arena_printf("plat_expect(%s, %s, %d)", r, a[0], line), T);
  case BI_O_UNWRAP_OR: case BI_R_UNWRAP_OR: {
    const char *t = new_tmp(), *d = new_tmp();
    return arena_printf("({ plat_enum *%s = %s; %s %s = %s; %s->tag == 0 ? %s : %s; })", t, r, ctype(T), d, a[0],
                        t, from_word(arena_printf("%s->f[0]", t), T), d);
  }
  case BI_S_TO_STRING: return r;
  case BI_P_TO_STRING: return to_string_code(r, rt);
  case BI_L_CONTAINS: case BI_L_INDEX_OF:
    return arena_printf("plat_list_%s(%s, %s, %d)", b->id == BI_L_CONTAINS ? "contains" : "index_of", r,
                        to_word(a[0], T), eq_kind(T));
  case BI_T_AWAIT: return from_word(arena_printf("plat_await(%s)", r), T);
  default: break;
  }
  if (!b->cfn) return "0";
  Buf args = {0};
  int k = 0;
  if (r) {
    buf_puts(&args, r);
    k++;
  }
  for (int i = 0; i < ci->nparams; i++) {
    if (k++) buf_puts(&args, ", ");
    const char *v = a[i] ? a[i] : "0";
    buf_puts(&args, param_is_T(b, i) ? to_word(v, T) : v);
  }
  const char *call = arena_printf("%s(%.*s)", b->cfn, (int)args.len, args.data ? args.data : "");
  buf_free(&args);
  if (!strcmp(b->ret, "T")) return from_word(call, T);
  return call;
}

/* `ch.recv().unwrap()` (or try_recv) with no Option allocation, or NULL. */
static const char *direct_unwrap(Node *n, CallInfo *ci) {
  if (!ci->builtin || ci->builtin->id != BI_O_UNWRAP || !ci->recv || ci->recv->kind != N_CALL) return NULL;
  CallInfo *rc = ci->recv->sema;
  if (!rc || !rc->builtin || !rc->recv || (rc->builtin->id != BI_C_RECV && rc->builtin->id != BI_C_TRY_RECV))
    return NULL;
  Type *T = ci->recv->ty && ci->recv->ty->nargs ? ci->recv->ty->args[0] : NULL;
  const char *w = new_tmp();
  return arena_printf("({ plat_word %s = 0; if (!%s) plat_panic(\"called unwrap() on None\", "
                      "plat_file, %d); %s; })", w,
                      at_site(line_of(n->span), arena_printf("plat_chan_%s(%s, &%s)",
                              rc->builtin->id == BI_C_RECV ? "recv" : "try_recv", expr_str(rc->recv), w)),
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
  case CALL_FN: core = arena_printf("%s(%s)", ci->fn->cname, arglist(&L, ci->nparams, NULL)); break;
  case CALL_METHOD: core = arena_printf("%s(%s)", ci->fn->cname, arglist(&L, ci->nparams, L.recv)); break;
  case CALL_CTOR: core = arena_printf("%s__init(%s)", ci->cls->name, arglist(&L, ci->nparams, NULL)); break;
  case CALL_VARIANT: core = variant_str(ci, &L); break;
  case CALL_BUILTIN: case CALL_BMETHOD: case CALL_SPECIAL:
    core = builtin_str(n, ci, &L);
    if (builtin_waits(ci->builtin)) core = at_site(line_of(n->span), core);
    break;
  }
  return finish(&L, core);
}
