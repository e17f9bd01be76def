/* catalogue.c -- loading the built-in catalogue (see builtins.h).
 *
 * catalogue_load() runs once per process, in the permanent arena:
 *   1. make the special types (<error>, Never, Unit) and, for every table
 *      with a name, a TypeDecl declared in the universe scope (with its
 *      aliases); tables are in catalogue_tables[] order;
 *   2. parse every table's variants and rows: types in signatures are
 *      looked up in a scope holding the table's own parameters (T, E),
 *      then AnyInt, Printable, Never and Unit, then the universe;
 *   3. freeze the types made so far (they outlive compile sessions).
 * A malformed row stops the load with a message naming the file, the row
 * and the column.
 */
#include "builtins.h"

#include <setjmp.h>
#include <stdio.h>

#include "scope.h"

/* Every table of compiler/builtins/ (the build checks that each file there
 * is named here).  The order is that of "did you mean" candidates; names
 * do not depend on it (every type is declared before any row is parsed). */
extern const BuiltinTypeDef bt_bool, bt_int8, bt_int16, bt_int32, bt_int64, bt_float32, bt_float64,
    bt_string, bt_list, bt_option, bt_result, bt_task, bt_channel, bt_fn_core, bt_fn_file, bt_fn_net;
const BuiltinTypeDef *const catalogue_tables[] = {
  &bt_bool, &bt_int8, &bt_int16, &bt_int32, &bt_int64, &bt_float32, &bt_float64, &bt_string,
  &bt_list, &bt_option, &bt_result, &bt_task, &bt_channel,
  &bt_fn_core, &bt_fn_file, &bt_fn_net,
  NULL,
};

Type *ty_anyint, *ty_printable;

static Scope *universe;     /* permanent; NULL until loaded */
static Scope *sig_scope;    /* constraints and Never/Unit, above the universe */
static const char *load_error;

/* ---- the signature scanner ---- */
typedef struct SigParser {
  const BuiltinTypeDef *def;
  const char *text, *p;
  Scope *scope;
  TypeDecl *decl;            /* the table's type, NULL for functions */
  jmp_buf fail;
  const char *err;
} SigParser;

/* Run fn under the parser's error handler: NULL, or the error. */
static const char *guarded(SigParser *S, void (*fn)(SigParser *S)) {
  if (setjmp(S->fail)) return S->err;
  fn(S);
  return NULL;
}

static void sig_fail(SigParser *S, const char *what) {
  S->err = arena_printf("%s: `%s`, column %d: %s", S->def->file ? S->def->file : "catalogue", S->text,
                        (int)(S->p - S->text) + 1, what);
  longjmp(S->fail, 1);
}

static void skip(SigParser *S) { while (*S->p == ' ') S->p++; }

static bool is_id(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static Name sig_name(SigParser *S, const char *what) {
  skip(S);
  const char *b = S->p;
  while (is_id(*S->p)) S->p++;
  if (S->p == b || (*b >= '0' && *b <= '9')) sig_fail(S, arena_printf("expected %s", what));
  return intern(b, (size_t)(S->p - b));
}

static bool sig_accept(SigParser *S, const char *tok) {
  skip(S);
  size_t n = strlen(tok);
  if (strncmp(S->p, tok, n)) return false;
  S->p += n;
  return true;
}

static void sig_expect(SigParser *S, const char *tok) {
  if (!sig_accept(S, tok)) sig_fail(S, arena_printf("expected `%s`", tok));
}

static Type *sig_type(SigParser *S) {
  const char *at = (skip(S), S->p);
  Name n = sig_name(S, "a type");
  Sym *s = scope_find(S->scope, n, SM_TYPE);
  if (!s) { S->p = at; sig_fail(S, arena_printf("unknown type `%s`", n)); }
  TypeDecl *d = s->tdecl;
  VEC(Type *) args = {0};
  if (sig_accept(S, "<")) {
    do vec_push(&args, sig_type(S)); while (sig_accept(S, ","));
    sig_expect(S, ">");
  }
  if (args.len != d->ntparams) {
    S->p = at;
    sig_fail(S, arena_printf("`%s` takes %d type argument%s", n, d->ntparams, d->ntparams == 1 ? "" : "s"));
  }
  return type_inst(d, args.items, args.len);
}

/* NAME(params) [-> type] */
static BuiltinFn *sig_row(SigParser *S, const BuiltinRow *row, TypeDecl *owner) {
  BuiltinFn *f = arena_alloc(sizeof *f);
  f->row = row;
  f->owner = owner;
  f->name = sig_name(S, "the built-in's name");
  sig_expect(S, "(");
  VEC(Name) pn = {0};
  VEC(Type *) pt = {0};
  VEC(bool) opt = {0};
  skip(S);
  if (*S->p != ')') {
    do {
      Name n = sig_name(S, "a parameter name");
      for (int i = 0; i < pn.len; i++)
        if (pn.items[i] == n) sig_fail(S, arena_printf("parameter `%s` is declared twice", n));
      sig_expect(S, ":");
      vec_push(&pn, n);
      vec_push(&pt, sig_type(S));
      bool o = sig_accept(S, "=");
      if (o) sig_expect(S, "...");
      vec_push(&opt, o);
    } while (sig_accept(S, ","));
  }
  sig_expect(S, ")");
  f->ret = sig_accept(S, "->") ? sig_type(S) : ty_unit;
  skip(S);
  if (*S->p) sig_fail(S, "unexpected text after the signature");
  f->nparams = pn.len;
  f->pnames = pn.items;
  f->ptypes = pt.items;
  f->optional = opt.items;
  if (!row->cfn && !row->emit) sig_fail(S, "the row has neither a runtime function nor an emit hook");
  return f;
}

/* Variants of a built-in enum: "Some(value: T), None". */
static void sig_variants(SigParser *S, TypeDecl *d) {
  VEC(VariantInfo) vs = {0};
  d->all_unit = true;
  do {
    VariantInfo v = {0};
    v.name = sig_name(S, "a variant name");
    if (sig_accept(S, "(")) {
      v.has_parens = true;
      VEC(Name) fn = {0};
      VEC(Type *) ft = {0};
      do {
        vec_push(&fn, sig_name(S, "a field name"));
        sig_expect(S, ":");
        vec_push(&ft, sig_type(S));
      } while (sig_accept(S, ","));
      sig_expect(S, ")");
      v.nfields = fn.len;
      v.fnames = fn.items;
      v.ftypes = ft.items;
      d->all_unit = false;
    }
    vec_push(&vs, v);
  } while (sig_accept(S, ","));
  skip(S);
  if (*S->p) sig_fail(S, "unexpected text after the variants");
  d->nvariants = vs.len;
  d->variants = vs.items;
}

static Sym *new_sym(SymKind k, Name n) {
  Sym *s = arena_alloc(sizeof *s);
  s->kind = k;
  s->name = n;
  return s;
}

static void declare_type(Scope *sc, Name n, TypeDecl *d) {
  Sym *s = new_sym(SYM_TYPE, n);
  s->tdecl = d;
  scope_declare(sc, s, 0);
}

/* Step 1 for one table: its declaration (parameters parsed here). */
static void make_decl_body(SigParser *S) {
  const BuiltinTypeDef *def = S->def;
  TypeDecl *d = typedecl_new(def->kind, intern_cstr(def->name));
  d->props = def->props;
  d->repr = def->repr;
  d->bits = def->bits;
  d->ctype = def->ctype;
  d->bt = def;
  VEC(Name) ps = {0};
  if (def->params) {
    do vec_push(&ps, sig_name(S, "a type parameter name")); while (sig_accept(S, ","));
    skip(S);
    if (*S->p) sig_fail(S, "unexpected text after the type parameters");
  }
  typedecl_set_params(d, ps.len, ps.items);
  declare_type(universe, d->name, d);
  for (const char *a = def->aliases; a && *a;) {     /* "Int" or "Int Float" */
    const char *e = a;
    while (*e && *e != ' ') e++;
    declare_type(universe, intern(a, (size_t)(e - a)), d);
    a = *e ? e + 1 : e;
  }
  if (def->gdecl) *def->gdecl = d;
  if (def->global) *def->global = type_of(d);
}

static const char *make_decl(const BuiltinTypeDef *def) {
  SigParser S = {.def = def, .text = def->params ? def->params : ""};
  S.p = S.text;
  return guarded(&S, make_decl_body);
}

/* Step 2 for one table: variants and rows. */
static void parse_table_body(SigParser *S) {
  const BuiltinTypeDef *def = S->def;
  TypeDecl *d = S->decl;
  if (def->variants) {
    S->text = S->p = def->variants;
    sig_variants(S, d);
  }
  for (const BuiltinRow *r = def->rows; r && r->sig; r++) {
    S->text = S->p = r->sig;
    BuiltinFn *f = sig_row(S, r, d);
    if (d) {
      if (catalogue_method(d, f->name, r->flags & BR_STATIC)) sig_fail(S, "a method of this name is already declared");
      vec_push(&d->methods, f);
    } else {
      Sym *s = new_sym(SYM_BUILTIN, f->name);
      s->builtin = f;
      if (scope_declare(universe, s, SM_FN)) sig_fail(S, "a function of this name is already declared");
    }
  }
}

const char *catalogue_parse_table(const BuiltinTypeDef *def) {
  SigParser S = {.def = def, .scope = sig_scope};
  if (def->name) {
    Sym *s = scope_find(universe, intern_cstr(def->name), SM_TYPE);
    if (!s || s->tdecl->bt != def) return arena_printf("%s: type `%s` is not declared", def->file, def->name);
    S.decl = s->tdecl;
    S.scope = scope_new(SC_DECL, sig_scope);
    for (int i = 0; i < S.decl->ntparams; i++)
      declare_type(S.scope, S.decl->tparams[i]->decl->name, S.decl->tparams[i]->decl);
  }
  return guarded(&S, parse_table_body);
}

static TypeDecl *special(const char *name, unsigned props, Type **global) {
  TypeDecl *d = typedecl_new(TD_SPECIAL, intern_cstr(name));
  d->props = props;
  *global = type_of(d);
  return d;
}

const char *catalogue_load(void) {
  if (universe || load_error) return load_error;
  Arena *saved = arena_use(&arena_permanent);
  types_reset();
  special("<error>", TP_EQ | TP_HASH | TP_ORD | TP_PRINT, &ty_error);
  special("Never", TP_PRINT, &ty_never);
  TypeDecl *unit = special("Unit", 0, &ty_unit);
  universe = scope_new(SC_UNIVERSE, NULL);
  sig_scope = scope_new(SC_DECL, universe);
  TypeDecl *anyint = typedecl_new(TD_CONSTRAINT, intern_cstr("AnyInt"));
  TypeDecl *printable = typedecl_new(TD_CONSTRAINT, intern_cstr("Printable"));
  ty_anyint = type_of(anyint);
  ty_printable = type_of(printable);
  declare_type(sig_scope, anyint->name, anyint);
  declare_type(sig_scope, printable->name, printable);
  declare_type(sig_scope, ty_never->decl->name, ty_never->decl);
  declare_type(sig_scope, unit->name, unit);
  for (int i = 0; catalogue_tables[i] && !load_error; i++)
    if (catalogue_tables[i]->name) load_error = make_decl(catalogue_tables[i]);
  for (int i = 0; catalogue_tables[i] && !load_error; i++) load_error = catalogue_parse_table(catalogue_tables[i]);
  types_freeze();
  arena_use(saved);
  return load_error;
}

Scope *catalogue_universe(void) { return universe; }

BuiltinFn *catalogue_method(const TypeDecl *d, Name name, bool is_static) {
  if (!d) return NULL;
  for (int i = 0; i < d->methods.len; i++) {
    BuiltinFn *f = d->methods.items[i];
    if (f->name == name && !(f->row->flags & BR_STATIC) == !is_static) return f;
  }
  return NULL;
}
