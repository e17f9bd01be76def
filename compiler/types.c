/* types.c -- interned semantic types (see types.h).
 *
 * The intern table is a plain list searched linearly: a program has a few
 * dozen distinct types.  It is owned by the checker run (one per process).
 */
#include "types.h"

#include <stdio.h>

Type *ty_error, *ty_never, *ty_unit, *ty_bool, *ty_i8, *ty_i16, *ty_i32,
    *ty_i64, *ty_f32, *ty_f64, *ty_string;
EnumInfo *enum_option, *enum_result;

static VEC(Type *) interned;   /* every composite type made so far */

static Type *prim(TypeKind k, const char *s) {
  Type *t = arena_alloc(sizeof *t);
  t->kind = k;
  t->str = s;
  return t;
}

static EnumInfo *make_builtin_enum(const char *name, int kind) {
  EnumInfo *en = arena_alloc(sizeof *en);
  en->name = intern_cstr(name);
  en->builtin = kind;
  en->ntparams = kind == ENUM_OPTION ? 1 : 2;
  en->tparams = arena_alloc(sizeof(Name) * 2);
  en->tparams[0] = intern_cstr("T");
  en->tparams[1] = intern_cstr("E");
  en->nvariants = 2;
  en->variants = arena_alloc(sizeof(VariantInfo) * 2);
  VariantInfo *v = en->variants;
  v[0].name = intern_cstr(kind == ENUM_OPTION ? "Some" : "Ok");
  v[0].nfields = 1;
  v[0].has_parens = true;
  v[0].fnames = arena_alloc(sizeof(Name));
  v[0].fnames[0] = intern_cstr("value");
  v[0].ftypes = arena_alloc(sizeof(Type *));
  v[0].ftypes[0] = type_param(0, en->tparams[0]);
  v[1].name = intern_cstr(kind == ENUM_OPTION ? "None" : "Err");
  if (kind == ENUM_RESULT) {
    v[1].nfields = 1;
    v[1].has_parens = true;
    v[1].fnames = arena_alloc(sizeof(Name));
    v[1].fnames[0] = intern_cstr("error");
    v[1].ftypes = arena_alloc(sizeof(Type *));
    v[1].ftypes[0] = type_param(1, en->tparams[1]);
  }
  return en;
}

void types_init(void) {
  memset(&interned, 0, sizeof interned);   /* a fresh run: arena may have been reset */
  ty_error = prim(T_ERROR, "<error>");
  ty_never = prim(T_NEVER, "Never");
  ty_unit = prim(T_UNIT, "Unit");
  ty_bool = prim(T_BOOL, "Bool");
  ty_i8 = prim(T_I8, "Int8");
  ty_i16 = prim(T_I16, "Int16");
  ty_i32 = prim(T_I32, "Int32");
  ty_i64 = prim(T_I64, "Int64");
  ty_f32 = prim(T_F32, "Float32");
  ty_f64 = prim(T_F64, "Float64");
  ty_string = prim(T_STRING, "String");
  enum_option = make_builtin_enum("Option", ENUM_OPTION);
  enum_result = make_builtin_enum("Result", ENUM_RESULT);
}

static const char *spell(const char *base, Type **args, int n) {
  Buf b = {0};
  buf_puts(&b, base);
  if (n) {
    buf_puts(&b, "<");
    for (int i = 0; i < n; i++) {
      if (i) buf_puts(&b, ", ");
      buf_puts(&b, args[i] ? args[i]->str : "?");
    }
    buf_puts(&b, ">");
  }
  const char *s = arena_strndup(b.data ? b.data : "", b.len);
  buf_free(&b);
  return s;
}

/* Find or make the composite type (kind, en, cls, args). */
static Type *mk(TypeKind k, EnumInfo *en, ClassInfo *cls, Type **args, int n) {
  for (int i = 0; i < interned.len; i++) {
    Type *t = interned.items[i];
    if (t->kind != k || t->en != en || t->cls != cls || t->nargs != n) continue;
    int j = 0;
    while (j < n && t->args[j] == args[j]) j++;
    if (j == n) return t;
  }
  Type *t = arena_alloc(sizeof *t);
  t->kind = k;
  t->en = en;
  t->cls = cls;
  t->nargs = n;
  if (n) {
    t->args = arena_alloc(sizeof(Type *) * (size_t)n);
    memcpy(t->args, args, sizeof(Type *) * (size_t)n);
  }
  const char *base = k == T_LIST ? "List" : k == T_TASK ? "Task" : k == T_CHANNEL ? "Channel"
                   : k == T_ENUM ? en->name : cls->name;
  t->str = spell(base, t->args, n);
  vec_push(&interned, t);
  return t;
}

Type *type_list(Type *e) { return mk(T_LIST, NULL, NULL, &e, 1); }
Type *type_task(Type *e) { return mk(T_TASK, NULL, NULL, &e, 1); }
Type *type_channel(Type *e) { return mk(T_CHANNEL, NULL, NULL, &e, 1); }
Type *type_enum(EnumInfo *en, Type **args) { return mk(T_ENUM, en, NULL, args, en->ntparams); }
Type *type_class(ClassInfo *c) { return mk(T_CLASS, NULL, c, NULL, 0); }
Type *type_option(Type *t) { return type_enum(enum_option, &t); }
Type *type_result(Type *t, Type *e) {
  Type *a[2] = {t, e};
  return type_enum(enum_result, a);
}

Type *type_param(int index, Name name) {
  for (int i = 0; i < interned.len; i++) {
    Type *t = interned.items[i];
    if (t->kind == T_PARAM && t->param == index && t->pname == name) return t;
  }
  Type *t = arena_alloc(sizeof *t);
  t->kind = T_PARAM;
  t->param = index;
  t->pname = name;
  t->str = name;
  vec_push(&interned, t);
  return t;
}

Type *type_subst(Type *t, Type **args, int nargs) {
  if (!t) return ty_error;
  if (t->kind == T_PARAM) return t->param < nargs && args[t->param] ? args[t->param] : ty_error;
  if (!t->nargs) return t;
  Type *na[8];
  int n = t->nargs > 8 ? 8 : t->nargs;
  bool same = true;
  for (int i = 0; i < n; i++) {
    na[i] = type_subst(t->args[i], args, nargs);
    if (na[i] != t->args[i]) same = false;
  }
  if (same) return t;
  return mk(t->kind, t->en, t->cls, na, n);
}

Type *type_variant_field(Type *t, int v, int f) {
  if (!t || t->kind != T_ENUM || v < 0 || v >= t->en->nvariants) return ty_error;
  VariantInfo *vi = &t->en->variants[v];
  if (f < 0 || f >= vi->nfields) return ty_error;
  return type_subst(vi->ftypes[f], t->args, t->nargs);
}

bool type_is_int(Type *t) { return t && t->kind >= T_I8 && t->kind <= T_I64; }
bool type_is_float(Type *t) { return t && (t->kind == T_F32 || t->kind == T_F64); }
bool type_is_numeric(Type *t) { return type_is_int(t) || type_is_float(t); }
bool type_is_ref(Type *t) { return t && t->kind >= T_STRING && t->kind <= T_CHANNEL; }
bool type_is_option(Type *t) { return t && t->kind == T_ENUM && t->en == enum_option; }
bool type_is_result(Type *t) { return t && t->kind == T_ENUM && t->en == enum_result; }

bool type_contains(Type *t, TypeKind k) {
  if (!t) return false;
  if (t->kind == k) return true;
  for (int i = 0; i < t->nargs; i++)
    if (type_contains(t->args[i], k)) return true;
  return false;
}

bool type_fits(Type *have, Type *want) {
  if (!have || !want) return true;
  if (have == want) return true;
  if (have->kind == T_ERROR || want->kind == T_ERROR || have->kind == T_NEVER) return true;
  /* error placeholders nested inside (e.g. Option<error>) */
  if (have->kind == want->kind && have->en == want->en && have->cls == want->cls &&
      have->nargs == want->nargs && have->nargs) {
    for (int i = 0; i < have->nargs; i++)
      if (!type_fits(have->args[i], want->args[i])) return false;
    return type_contains(have, T_ERROR) || type_contains(want, T_ERROR) ||
           type_contains(have, T_NEVER);
  }
  return false;
}

void type_int_range(Type *t, int64_t *lo, uint64_t *hi) {
  switch (t->kind) {
  case T_I8: *lo = INT8_MIN; *hi = INT8_MAX; break;
  case T_I16: *lo = INT16_MIN; *hi = INT16_MAX; break;
  case T_I32: *lo = INT32_MIN; *hi = INT32_MAX; break;
  default: *lo = INT64_MIN; *hi = INT64_MAX; break;
  }
}
