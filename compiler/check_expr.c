/* check_expr.c -- expressions: literals, names, fields, operators, casts.
 *
 * Literal typing: an unsuffixed integer literal takes the expected type
 * when that is numeric (an integer literal where a float is expected
 * becomes that float), else Int32; a float literal takes an expected
 * float type, else Float64.  For a binary operator whose left operand is
 * a bare literal and whose right is not (`1 + x`), the right side is
 * checked first so the literal takes x's type.
 */
#include "check_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static Type *suffix_type(const char *s) {
  if (!s || !s[0]) return NULL;
  if (!strcmp(s, "i8")) return ty_i8;
  if (!strcmp(s, "i16")) return ty_i16;
  if (!strcmp(s, "i32")) return ty_i32;
  if (!strcmp(s, "i64")) return ty_i64;
  if (!strcmp(s, "f32")) return ty_f32;
  if (!strcmp(s, "f64")) return ty_f64;
  return NULL;
}

/* Type of an integer literal of magnitude v (negated if neg). */
static Type *check_int_lit(Node *n, Type *want, bool neg) {
  Type *t = suffix_type(n->suffix);
  if (!t) t = type_is_numeric(want) ? want : ty_i32;
  n->ty = t;
  if (type_is_int(t)) {
    int64_t lo;
    uint64_t hi;
    type_int_range(t, &lo, &hi);
    uint64_t lim = neg ? (uint64_t)(-(lo + 1)) + 1 : hi;
    if (n->int_val > lim) {
      diag_error(n->span, "literal %s%llu does not fit in %s", neg ? "-" : "",
                 (unsigned long long)n->int_val, t->str);
      n->ty = ty_error;
    }
  } else if (t == ty_f32 || t == ty_f64) {   /* an integer literal in a float context, rounded once */
    n->float_val = t == ty_f32 ? (double)(float)n->int_val : (double)n->int_val;
  }
  return n->ty;
}

/* The literal's digits as written (no `_`, no suffix), for strtof. */
static const char *float_text(Node *n, char *buf, size_t cap) {
  size_t k = 0;
  SrcFile *f = fset_file(C.prog->fset, n->span.lo);
  for (Pos i = n->span.lo; f && i < n->span.hi && k + 1 < cap; i++) {
    char c = f->src[i - f->base];
    if (c == 'f' || c == 'i') break;   /* the suffix */
    if (c != '_') buf[k++] = c;
  }
  buf[k] = 0;
  return buf;
}

/* A float literal fits its type when it rounds to a finite value of it;
 * a Float32 literal is rounded once, from its text (not through a
 * double), and its value is kept exactly in float_val.  Literals beyond
 * the double range were refused by the lexer. */
static Type *check_float_lit(Node *n, Type *want) {
  Type *t = suffix_type(n->suffix);
  if (!t) t = type_is_float(want) ? want : ty_f64;
  if (type_is_int(t)) {
    diag_error(n->span, "a float literal cannot have an integer suffix");
    t = ty_error;
  } else if (t == ty_f32) {
    char buf[512];
    float f = strtof(float_text(n, buf, sizeof buf), NULL);
    if (isinf(f)) {
      diag_error_help(n->span, "the largest Float32 is 3.4028235e38; use Float64 for larger values",
                      "literal %s does not fit in Float32: it rounds to infinity", buf);
      t = ty_error;
    } else {
      n->float_val = f;
    }
  }
  return n->ty = t;
}

/* Is n made only of unsuffixed literals (so its type comes from context)? */
static bool is_untyped_lit(Node *n) {
  if (!n) return false;
  if (n->kind == N_INT || n->kind == N_FLOAT) return !n->suffix[0];
  if (n->kind == N_UNARY && n->op == OP_NEG) return is_untyped_lit(n->lhs);
  if (n->kind == N_BINARY && op_is_arith(n->op)) return is_untyped_lit(n->lhs) && is_untyped_lit(n->rhs);
  return false;
}

FnInfo *class_method(TypeDecl *c, Name n) {
  if (!c || !c->ast) return NULL;
  for (int i = 0; i < c->ast->methods.len; i++) {
    Decl *m = c->ast->methods.items[i];
    if (m && m->name == n) return m->sema;
  }
  return NULL;
}

static Type *check_ident(Node *n) {
  Sym *s = lookup_value(n->name);   /* records the capture across spawn/defer bodies */
  if (s) {
    n->sym = s;
    return s->type;
  }
  if (n->name && scope_find(C.scope, n->name, 1u << SYM_FN)) {
    diag_error_help(n->span, arena_printf("call it: `%s(...)`", n->name),
                    "`%s` is a function, not a value", n->name);
    return ty_error;
  }
  if (n->name && lookup_type(n->name)) {
    diag_error(n->span, "`%s` is a type, not a value", n->name);
    return ty_error;
  }
  const char *dym = n->name ? scope_suggest(C.scope, n->name, SM_VALUE) : NULL;
  if (n->name && !strcmp(n->name, "self") && !C.cls)
    diag_error(n->span, "`self` is only available inside a class method");
  else if (n->name && !strcmp(n->name, "super"))   /* LANGUAGE.md 10.5: until inheritance lands */
    diag_error(n->span, "`super` is not supported yet");
  else
    diag_error_help(n->span, dym ? arena_printf("did you mean `%s`?", dym) : NULL,
                    "unknown name `%s`", n->name ? n->name : "?");
  return ty_error;
}

static Type *check_field(Node *n) {
  if (n->lhs && n->lhs->kind == N_IDENT && !scope_find(C.scope, n->lhs->name, SM_VALUE) && lookup_type(n->lhs->name)) {
    diag_error_help(n->span, "construct with `Type.init(...)`", "`%s` is a type; it has no field `%s`",
                    n->lhs->name, n->name ? n->name : "?");
    return ty_error;
  }
  Type *t = check_expr(n->lhs, NULL);
  if (t == ty_error) return ty_error;
  if (!type_is_class(t)) {
    const char *help = !type_is_enum(t) ? NULL
        : type_is_option(t) ? "read the value with `match` (`Option::Some(field0: T) -> ...`), `unwrap()` or `unwrap_or(...)`"
        : type_is_result(t) ? "read it with `match` (`Result::Ok(field0: T) -> ...`), `unwrap()` or `unwrap_or(...)`"
        : "read an enum's fields with `match`";
    diag_error_help(n->name_span.hi ? n->name_span : n->span, help, "%s has no field `%s`", t->str,
                    n->name ? n->name : "?");
    return ty_error;
  }
  TypeDecl *ci = t->decl;
  for (int i = 0; i < ci->nfields; i++) {
    FieldInfo *f = &ci->fields[i];
    if (f->name != n->name) continue;
    if (!f->is_pub && C.cls != ci)
      diag_error_help(n->span, "mark the field `pub` to use it outside the class",
                      "field `%s` of %s is private", f->name, ci->name);
    FieldSema *fs = arena_alloc(sizeof *fs);
    fs->cls = ci;
    fs->index = i;
    n->sema = fs;
    return f->type;
  }
  if (class_method(ci, n->name)) {
    diag_error_help(n->span, arena_printf("call it: `.%s(...)`", n->name),
                    "`%s` is a method of %s, not a field", n->name, ci->name);
    return ty_error;
  }
  VEC(const char *) cands = {0};
  for (int i = 0; i < ci->nfields; i++) vec_push(&cands, ci->fields[i].name);
  diag_error_help(n->name_span.hi ? n->name_span : n->span, did_you_mean(n->name, cands.items, cands.len),
                  "%s has no field `%s`", ci->name, n->name ? n->name : "?");
  return ty_error;
}

static Type *check_list_lit(Node *n, Type *want) {
  Type *elem = type_is_list(want) ? want->args[0] : NULL;
  if (!n->items.len && !elem) {
    diag_error_help(n->span, "annotate the variable: `let xs: List<Int32> = [];`",
                    "cannot infer the element type of `[]`");
    return ty_error;
  }
  for (int i = 0; i < n->items.len; i++) {
    Node *it = n->items.items[i];
    Type *t = check_expr(it, elem);
    if (!elem) {
      if (t == ty_unit || t == ty_never) {
        diag_error(it ? it->span : n->span, "a list element must have a value");
        return ty_error;
      }
      if (t == ty_error) return ty_error;
      elem = t;
    } else if (expect_type(it, t, elem, "list element") == ty_error) {
      return ty_error;
    }
  }
  return type_list(elem);
}

static Type *check_cast(Node *n) {
  Type *target = resolve_type(n->type);
  /* An unsuffixed literal keeps its default type (Int32, Float64; Int64 when
   * too big for Int32): `cast(value = 300, target = Int8)` wraps to 44. */
  Node *lit = n->lhs && n->lhs->kind == N_UNARY ? n->lhs->lhs : n->lhs;
  Type *lw = lit && lit->kind == N_INT && !lit->suffix[0] && lit->int_val > INT32_MAX ? ty_i64 : NULL;
  Type *t = check_expr(n->lhs, lw);
  if (t == ty_error || target == ty_error) return target;
  if (t == target) return target;
  if (!(type_is_numeric(t) && type_is_numeric(target))) {
    diag_error(n->span, "cannot cast %s to %s: `cast` converts between numeric types", t->str,
               target->str);
    return ty_error;
  }
  return target;
}

static Type *check_try(Node *n) {
  Type *t = check_expr(n->lhs, NULL);
  if (t == ty_error) return ty_error;
  if (!type_is_option(t) && !type_is_result(t)) {
    diag_error(n->span, "`?` needs a Result or an Option, found %s", t->str);
    return ty_error;
  }
  Type *r = C.ret;
  if (!r && C.spawn) {
    diag_error(n->span, "`?` inside a spawn body needs an explicit `return` of the Result/Option type first");
    return ty_error;
  }
  if (r && r == ty_error) return t->args[0];
  bool ok = r && r->decl == t->decl &&
            (type_is_option(t) || type_fits(t->args[1], r->args[1]));
  if (!ok) {
    const char *fname = C.fn && C.fn->decl->name ? C.fn->decl->name : "this function";
    if (type_is_option(t))
      diag_error_help(n->span, "make the function return an Option, or use `match` or `unwrap_or`",
                      "`?` on %s needs `%s` to return an Option, but it returns %s", t->str, fname,
                      r ? r->str : "?");
    else
      diag_error_help(n->span, "make the function return a Result with the same error type, or use `match`",
                      "`?` on %s needs `%s` to return Result<_, %s>, but it returns %s", t->str, fname,
                      t->args[1]->str, r ? r->str : "?");
  }
  return t->args[0];
}

static Type *check_unary(Node *n, Type *want) {
  if (n->op == OP_NOT) {
    Type *t = check_expr(n->lhs, ty_bool);
    expect_type(n->lhs, t, ty_bool, "`not`");
    return ty_bool;
  }
  Type *t;
  if (n->lhs && n->lhs->kind == N_INT) t = check_int_lit(n->lhs, want, true);
  else t = check_expr(n->lhs, want);
  if (t == ty_error) return t;
  if (!type_is_numeric(t)) {
    diag_error(n->span, "unary `-` needs a number, found %s", t->str);
    return ty_error;
  }
  return t;
}

static Type *check_binary(Node *n, Type *want) {
  Op op = n->op;
  if (op == OP_AND || op == OP_OR) {
    expect_type(n->lhs, check_expr(n->lhs, ty_bool), ty_bool, op_text(op));
    expect_type(n->rhs, check_expr(n->rhs, ty_bool), ty_bool, op_text(op));
    return ty_bool;
  }
  bool arith = op_is_arith(op);
  Type *down = arith && (type_is_numeric(want) || (want == ty_string && op == OP_ADD)) ? want : NULL;
  Type *lt, *rt;
  if (is_untyped_lit(n->lhs) && !is_untyped_lit(n->rhs)) {
    rt = check_expr(n->rhs, down);
    lt = check_expr(n->lhs, rt);
  } else {
    lt = check_expr(n->lhs, down);
    rt = check_expr(n->rhs, lt == ty_error ? NULL : lt);
  }
  if (lt == ty_error || rt == ty_error) return arith ? ty_error : ty_bool;
  if (lt != rt && lt != ty_never && rt != ty_never) {
    const char *help = type_is_numeric(lt) && type_is_numeric(rt)
        ? arena_printf("convert one side with `cast(value = ..., target = %s)`", lt->str) : NULL;
    diag_error_help(n->span, help, "operands of `%s` have different types: %s and %s", op_text(op),
                    lt->str, rt->str);
    return arith ? ty_error : ty_bool;
  }
  Type *t = lt == ty_never ? rt : lt;
  if (arith) {
    if (type_is_numeric(t) || (op == OP_ADD && t == ty_string)) return t;
    diag_error(n->span, "`%s` cannot be applied to %s", op_text(op), t->str);
    return ty_error;
  }
  if (op == OP_EQ || op == OP_NE) {
    if (!type_has(t, TP_EQ))
      diag_error_help(n->span, type_is_enum(t) ? "use `match` to inspect an enum" : NULL,
                      "values of type %s cannot be compared with `%s`", t->str, op_text(op));
    return ty_bool;
  }
  if (!type_is_numeric(t) && t != ty_string)
    diag_error(n->span, "values of type %s cannot be ordered with `%s`", t->str, op_text(op));
  return ty_bool;
}

static Type *check_interp(Node *n) {
  for (int i = 0; i < n->parts.len; i++) {
    Node *p = n->parts.items[i];
    if (!p) continue;
    Type *t = check_expr(p, NULL);
    if (!type_has(t, TP_PRINT))
      diag_error_help(p->span, "give the type a `to_string() -> String` method",
                      "a value of type %s cannot be interpolated", t->str);
  }
  return ty_string;
}

static Type *check_index(Node *n) {
  Type *t = check_expr(n->lhs, NULL);
  Type *it = check_expr(n->rhs, NULL);
  if (it != ty_error && !type_is_int(it))
    diag_error(n->rhs ? n->rhs->span : n->span, "a list index must be an integer, found %s", it->str);
  if (t == ty_error) return ty_error;
  if (!type_is_list(t)) {
    diag_error(n->span, "%s cannot be indexed", t->str);
    return ty_error;
  }
  return type_option(t->args[0]);
}

static Type *check_expr_kind(Node *n, Type *want) {
  switch (n->kind) {
  case N_INT: return check_int_lit(n, want, false);
  case N_FLOAT: return check_float_lit(n, want);
  case N_STRING: return ty_string;
  case N_INTERP: return check_interp(n);
  case N_BOOL: return ty_bool;
  case N_LIST: return check_list_lit(n, want);
  case N_IDENT: return check_ident(n);
  case N_PATH: return check_variant_path(n, want);
  case N_FIELD: return check_field(n);
  case N_INDEX: return check_index(n);
  case N_CALL: return check_call(n, want);
  case N_CAST: return check_cast(n);
  case N_TRY: return check_try(n);
  case N_UNARY: return check_unary(n, want);
  case N_BINARY: return check_binary(n, want);
  case N_MATCH: return check_match(n, want);
  case N_CONCURRENT: return check_concurrent(n, want);
  case N_SPAWN: return check_spawn(n, want);
  case N_RANGE:
    diag_error(n->span, "a range can only be used in a `for` loop");
    return ty_error;
  case N_DEFER: case N_RACE: case N_WITH_TIMEOUT: case N_SELECT:
    return check_chan_node(n, want);
  case N_BLOCK: case N_LET: case N_ASSIGN: case N_IF: case N_WHILE: case N_LOOP: case N_FOR:
  case N_BREAK: case N_CONTINUE: case N_RETURN:
    return check_stmt(n, want);
  }
  diag_ice("check_expr: unknown node kind %d", (int)n->kind);
}

Type *check_expr(Node *n, Type *want) {
  if (!n) return ty_error;
  Type *t = check_expr_kind(n, want);
  if (!t) t = ty_error;
  n->ty = t;
  return t;
}
