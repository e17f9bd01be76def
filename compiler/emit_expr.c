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
  if (!n || !n->ty || n->ty != ty_never) return expr_str(n);
  bool real = !type_no_value(t);
  return arena_printf("({ %s; (%s)0; })", expr_str(n), real ? ctype(t) : "int64_t");
}

/* A printable value as a plat_str: a primitive through its catalogue
 * formatter, a class through its to_string() method. */
const char *to_string_code(const char *c, Type *t) {
  t = ety(t);
  if (t == ty_string) return c;
  if (t && t->decl->bt && t->decl->bt->fmt) return arena_printf("%s(%s)", t->decl->bt->fmt, c);
  if (type_is_class(t)) return arena_printf("%s(%s)", mangle_method(t->decl, intern_cstr("to_string")), c);
  return arena_printf("((void)(%s), plat_str_cstr(\"\"))", c);
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
    if (p && type_is_class(p->ty)) fx[i] |= FX_EFF;   /* its to_string() */
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
  Type *et = type_is_list(n->ty) ? n->ty->args[0] : NULL;
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
  TypeDecl *en = ci->enum_type->decl;
  if (en == td_option) out("plat_none()");
  else out("(&%s)", mangle_variant_const(en, ci->variant));
}

static void emit_cast(Node *n) {
  Type *from = n->lhs ? n->lhs->ty : NULL, *to = n->ty;
  const char *v = expr_str(n->lhs);
  if (type_is_float(from) && type_is_int(to)) {
    out("plat_f2i%d((double)(%s))", to->decl->bits, v);
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
  if (vt && vt != ty_unit) out("%s; })", from_word(arena_printf("%s->f[0]", t), vt));
  else out("(void)0; })");
}

/* The C spelling of an operator. */
static const char *cop(Op op) {
  switch (op) {
  case OP_AND: return "&&";
  case OP_OR: return "||";
  case OP_NOT: return "!";
  default: return op_text(op);
  }
}

static const char *binary_core(Node *n, Type *t, const char *a, const char *b) {
  Op op = n->op;
  if (t == ty_string) {
    if (op == OP_ADD) return arena_printf("plat_str_concat(%s, %s)", a, b);
    if (op == OP_EQ) return arena_printf("plat_str_eq(%s, %s)", a, b);
    if (op == OP_NE) return arena_printf("(!plat_str_eq(%s, %s))", a, b);
    return arena_printf("(plat_str_cmp(%s, %s) %s 0)", a, b, cop(op));
  }
  if (type_is_enum(t))   /* payload-less enums compare by tag */
    return arena_printf("((%s)->tag %s (%s)->tag)", a, cop(op), b);
  if (type_is_int(t) && (op == OP_DIV || op == OP_REM))
    return arena_printf("plat_%s_i%d(%s, %s, %d)", op == OP_DIV ? "div" : "rem", t->decl->bits, a, b,
                        line_of(n->span));
  if (type_is_float(t) && op == OP_REM) return arena_printf("%s(%s, %s)", t == ty_f32 ? "fmodf" : "fmod", a, b);
  if (op_is_arith(op)) return arena_printf("((%s)((%s) %s (%s)))", ctype(t), a, cop(op), b);
  return arena_printf("((%s) %s (%s))", a, cop(op), b);
}

static void emit_binary(Node *n) {
  Type *t = n->lhs ? n->lhs->ty : NULL;
  if (t == ty_never && n->rhs) t = n->rhs->ty;
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
  case N_INT: emit_int(n, false); return;
  case N_FLOAT: emit_float(n); return;
  case N_STRING: out("%s", str_lit(n->str, n->str_len)); return;
  case N_INTERP: emit_interp(n); return;
  case N_BOOL: out(n->bool_val ? "true" : "false"); return;
  case N_LIST: emit_list(n); return;
  case N_IDENT: out("%s", sym_cname(n->sym)); return;
  case N_PATH: emit_path(n); return;
  case N_FIELD: {
    FieldSema *fs = n->sema;
    out("(%s)->%s", expr_str(n->lhs), mangle_field(fs ? fs->cls->fields[fs->index].name : n->name));
    return;
  }
  case N_INDEX: {
    Node *ops[2] = {n->lhs, n->rhs};
    Type *want[2] = {n->lhs ? n->lhs->ty : NULL, ty_i64};
    const char *code[2];
    Buf pre = {0};
    seq_operands(&pre, ops, want, 2, code);
    out("%s", seq_wrap(&pre, arena_printf("plat_list_get(%s, (int64_t)(%s))", code[0], code[1])));
    return;
  }
  case N_CALL: out("%s", call_str(n)); return;
  case N_CAST: emit_cast(n); return;
  case N_TRY: emit_try(n); return;
  case N_UNARY: emit_unary(n); return;
  case N_BINARY: emit_binary(n); return;
  case N_SPAWN: out("%s", spawn_str(n)); return;
  case N_RACE: case N_WITH_TIMEOUT: out("%s", chan_expr_str(n)); return;
  case N_BLOCK: case N_IF: case N_MATCH: case N_CONCURRENT: case N_SELECT: case N_LET: case N_ASSIGN:
  case N_WHILE: case N_LOOP: case N_FOR: case N_BREAK: case N_CONTINUE: case N_RETURN: case N_DEFER:
    out("%s", valued_expr(n));
    return;
  case N_RANGE: diag_ice("emit_expr: a range outside a `for` loop");
  }
  diag_ice("emit_expr: unknown node kind %d", (int)n->kind);   /* every case returns */
}
