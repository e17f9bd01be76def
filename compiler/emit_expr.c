/* emit_expr.c -- expressions: literals, names, operators, casts, `?`.
 *
 * Arithmetic wraps: every integer result is cast back to its type (the C
 * compiler runs with -fwrapv, and narrow types are promoted to int first).
 * Integer `/` and `%` go through plat_div_* / plat_rem_* (preamble): a
 * zero divisor panics with the source line and INT_MIN / -1 wraps.
 */
#include "emit_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

const char *expr_str(Node *n) {
  Buf b = {0};
  Buf *saved = E.out;
  E.out = &b;
  emit_expr(n);
  E.out = saved;
  const char *s = arena_strndup(b.data ? b.data : "", b.len);
  buf_free(&b);
  return s;
}

/* n as a value of C type ctype(t): an expression that never completes
 * (panic, exit) has C type void, so it is given a dummy value. */
const char *val_str(Node *n, Type *t) {
  if (!n || !n->ty || n->ty->kind != T_NEVER) return expr_str(n);
  bool real = t && t->kind != T_NEVER && t->kind != T_UNIT && t->kind != T_ERROR;
  return arena_printf("({ %s; (%s)0; })", expr_str(n), real ? ctype(t) : "int64_t");
}

bool class_has_to_string(ClassInfo *c) {
  for (int i = 0; c->decl && i < c->decl->methods.len; i++) {
    Decl *m = c->decl->methods.items[i];
    if (m && m->name && !strcmp(m->name, "to_string") && !m->params.len && m->sema &&
        ((FnInfo *)m->sema)->ret == ty_string) return true;
  }
  return false;
}

const char *to_string_code(const char *c, Type *t) {
  switch (t ? t->kind : T_ERROR) {
  case T_STRING: return c;
  case T_BOOL: return arena_printf("plat_fmt_bool(%s)", c);
  case T_I8: case T_I16: case T_I32: case T_I64: return arena_printf("plat_fmt_i64((int64_t)(%s))", c);
  case T_F64: return arena_printf("plat_fmt_f64(%s)", c);
  case T_F32: return arena_printf("plat_fmt_f32(%s)", c);
  case T_CLASS: return arena_printf("%s__to_string(%s)", t->cls->name, c);
  default: return arena_printf("((void)(%s), plat_str_cstr(\"\"))", c);
  }
}

static void emit_int(Node *n, bool neg) {
  Type *t = n->ty;
  if (type_is_float(t)) {
    out("((%s)%s%llu.0)", ctype(t), neg ? "-" : "", (unsigned long long)n->int_val);
    return;
  }
  if (neg && n->int_val == (uint64_t)INT64_MAX + 1) {
    out("((int64_t)(-9223372036854775807LL - 1))");
    return;
  }
  out("((%s)%s%lluLL)", ctype(t), neg ? "-" : "", (unsigned long long)n->int_val);
}

static void emit_float(Node *n) {
  double v = n->float_val;
  const char *suf = n->ty == ty_f32 ? "f" : "";
  if (isinf(v)) {
    out("((%s)__builtin_inf())", ctype(n->ty));
    return;
  }
  char b[64];
  for (int prec = 1; prec <= 17; prec++) {   /* the shortest text that reads back exactly */
    snprintf(b, sizeof b, "%.*g", prec, v);
    if (strtod(b, NULL) == v) break;
  }
  bool dot = strchr(b, '.') || strchr(b, 'e') || strchr(b, 'n');
  out("((%s)%s%s%s)", ctype(n->ty), b, dot ? "" : ".0", suf);
}

/* Segments in order (emit_seq.c); more than two are joined by one
 * plat_str_cat call, so the C stays flat and its size linear. */
static void emit_interp(Node *n) {
  int k = n->parts.len;
  unsigned *fx = arena_alloc(sizeof(unsigned) * (size_t)(k + 1));
  bool *hoist = arena_alloc(sizeof(bool) * (size_t)(k + 1));
  for (int i = 0; i < k; i++) {
    Node *p = n->parts.items[i];
    fx[i] = seq_fx(p);
    if (p && p->ty && p->ty->kind == T_CLASS) fx[i] |= FX_EFF;   /* its to_string() */
  }
  seq_plan(fx, k, hoist);
  Buf pre = {0}, list = {0};
  int count = 0;
  const char *last = NULL;
  for (int i = 0; i < k; i++) {
    Node *p = n->parts.items[i];
    if (!p) continue;
    const char *s = p->kind == N_STRING ? str_lit(p->str, p->str_len) : to_string_code(expr_str(p), p->ty);
    if (hoist[i]) s = seq_temp(&pre, s, ty_string);
    buf_printf(&list, "%s%s", count++ ? ", " : "", s);
    last = s;
  }
  const char *core = !count ? str_lit("", 0)
                   : count == 1 ? last
                   : count == 2 ? arena_printf("plat_str_concat(%.*s)", (int)list.len, list.data)
                   : arena_printf("plat_str_cat(%d, (plat_str *[]){%.*s})", count, (int)list.len, list.data);
  buf_free(&list);
  out("%s", seq_wrap(&pre, core));
}

static void emit_list(Node *n) {
  if (!n->items.len) {
    out("plat_list_new(0)");
    return;
  }
  Type *et = n->ty && n->ty->kind == T_LIST ? n->ty->args[0] : NULL;
  int k = n->items.len;
  const char **code = arena_alloc(sizeof(char *) * (size_t)k);
  Type **want = arena_alloc(sizeof(Type *) * (size_t)k);
  for (int i = 0; i < k; i++) want[i] = et;
  Buf pre = {0}, b = {0};
  seq_operands(&pre, n->items.items, want, k, code);
  for (int i = 0; i < k; i++) buf_printf(&b, "%s%s", i ? ", " : "", to_word(code[i], et));
  const char *core = arena_printf("plat_list_of(%d, (plat_word[]){%.*s})", k, (int)b.len, b.data);
  buf_free(&b);
  out("%s", seq_wrap(&pre, core));
}

static void emit_path(Node *n) {
  CallInfo *ci = n->sema;
  if (!ci || !ci->enum_type) {
    out("((plat_enum *)0)");
    return;
  }
  EnumInfo *en = ci->enum_type->en;
  if (en == enum_option) out("plat_none()");
  else out("(&plat_k_%s_%s)", en->name, en->variants[ci->variant].name);
}

static void emit_cast(Node *n) {
  Type *from = n->lhs ? n->lhs->ty : NULL, *to = n->ty;
  const char *v = expr_str(n->lhs);
  if (type_is_float(from) && type_is_int(to)) {
    int bits = to->kind == T_I8 ? 8 : to->kind == T_I16 ? 16 : to->kind == T_I32 ? 32 : 64;
    out("plat_f2i%d((double)(%s))", bits, v);
  } else {
    out("((%s)(%s))", ctype(to), v);
  }
}

static void emit_try(Node *n) {
  const char *t = new_tmp();
  Type *vt = n->ty;
  out("({ plat_enum *%s = %s; if (%s->tag != 0) { ", t, expr_str(n->lhs), t);
  emit_return_value(t, NULL);
  out(" } ");
  if (vt && vt->kind != T_UNIT) out("%s; })", from_word(arena_printf("%s->f[0]", t), vt));
  else out("(void)0; })");
}

static const char *cop(Op op) {
  static const char *s[] = {"+", "-", "*", "/", "%", "==", "!=", "<", "<=", ">", ">=", "&&", "||", "-", "!"};
  return op <= OP_NOT ? s[op] : "?";
}

static const char *binary_core(Node *n, Type *t, const char *a, const char *b) {
  Op op = n->op;
  if (t && t->kind == T_STRING) {
    if (op == OP_ADD) return arena_printf("plat_str_concat(%s, %s)", a, b);
    if (op == OP_EQ) return arena_printf("plat_str_eq(%s, %s)", a, b);
    if (op == OP_NE) return arena_printf("(!plat_str_eq(%s, %s))", a, b);
    return arena_printf("(plat_str_cmp(%s, %s) %s 0)", a, b, cop(op));
  }
  if (t && t->kind == T_ENUM)   /* payload-less enums compare by tag */
    return arena_printf("((%s)->tag %s (%s)->tag)", a, cop(op), b);
  if (type_is_int(t) && (op == OP_DIV || op == OP_REM))
    return arena_printf("plat_%s_%s(%s, %s, %d)", op == OP_DIV ? "div" : "rem",
                        t->kind == T_I8 ? "i8" : t->kind == T_I16 ? "i16" : t->kind == T_I32 ? "i32" : "i64", a, b,
                        line_of(n->span));
  if (type_is_float(t) && op == OP_REM) return arena_printf("%s(%s, %s)", t->kind == T_F32 ? "fmodf" : "fmod", a, b);
  if (op <= OP_REM) return arena_printf("((%s)((%s) %s (%s)))", ctype(t), a, cop(op), b);
  return arena_printf("((%s) %s (%s))", a, cop(op), b);
}

static void emit_binary(Node *n) {
  Type *t = n->lhs ? n->lhs->ty : NULL;
  if (t && t->kind == T_NEVER && n->rhs) t = n->rhs->ty;
  if (n->op == OP_AND || n->op == OP_OR) {   /* C's && and || are sequenced */
    out("((%s) %s (%s))", val_str(n->lhs, t), cop(n->op), val_str(n->rhs, t));
    return;
  }
  Node *ops[2] = {n->lhs, n->rhs};
  Type *want[2] = {t, t};
  const char *code[2];
  Buf pre = {0};
  seq_operands(&pre, ops, want, 2, code);
  out("%s", seq_wrap(&pre, binary_core(n, t, code[0], code[1])));
}

static void emit_unary(Node *n) {
  if (n->op == OP_NOT) {
    out("(!(%s))", val_str(n->lhs, ty_bool));
    return;
  }
  if (n->lhs && n->lhs->kind == N_INT) {
    emit_int(n->lhs, true);
    return;
  }
  if (type_is_int(n->ty)) out("((%s)(0 - (uint64_t)(int64_t)(%s)))", ctype(n->ty), val_str(n->lhs, n->ty));
  else out("(-(%s))", val_str(n->lhs, n->ty));
}

void emit_expr(Node *n) {
  if (!n) {
    out("0");
    return;
  }
  switch (n->kind) {
  case N_INT: emit_int(n, false); break;
  case N_FLOAT: emit_float(n); break;
  case N_STRING: out("%s", str_lit(n->str, n->str_len)); break;
  case N_INTERP: emit_interp(n); break;
  case N_BOOL: out(n->bool_val ? "true" : "false"); break;
  case N_LIST: emit_list(n); break;
  case N_IDENT: out("%s", sym_cname(n->sym)); break;
  case N_PATH: emit_path(n); break;
  case N_FIELD: {
    FieldSema *fs = n->sema;
    out("(%s)->f_%s", expr_str(n->lhs), fs ? fs->cls->fields[fs->index].name : n->name);
    break;
  }
  case N_INDEX: {
    Node *ops[2] = {n->lhs, n->rhs};
    Type *want[2] = {n->lhs ? n->lhs->ty : NULL, ty_i64};
    const char *code[2];
    Buf pre = {0};
    seq_operands(&pre, ops, want, 2, code);
    out("%s", seq_wrap(&pre, arena_printf("plat_list_get(%s, (int64_t)(%s))", code[0], code[1])));
    break;
  }
  case N_CALL: out("%s", call_str(n)); break;
  case N_CAST: emit_cast(n); break;
  case N_TRY: emit_try(n); break;
  case N_UNARY: emit_unary(n); break;
  case N_BINARY: emit_binary(n); break;
  case N_SPAWN: out("%s", spawn_str(n)); break;
  case N_RACE: case N_WITH_TIMEOUT: out("%s", chan_expr_str(n)); break;
  default: out("%s", valued_expr(n)); break;
  }
}
