/* check.c -- checker entry: declarations, type names, scopes, naming.
 *
 * Three passes over the declarations:
 *   1. declare every type (enums, classes) and function in the module
 *      scope, so declaration order never matters;
 *   2. resolve the types in enum variants, class fields and function
 *      signatures (FnInfo); a declaration's type parameters are declared
 *      in a scope of their own (they belong to it);
 *   3. check every function body (check_stmt.c and friends).
 * Errors are reported through diag.h and checking carries on; the tree
 * may be partial after parse errors, so every child may be NULL.
 */
#include "check_int.h"

#include <ctype.h>
#include <stdio.h>

Checker C;

/* ---- naming conventions ---- */
static bool is_snake(const char *s) {
  for (; *s; s++)
    if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_')) return false;
  return true;
}
static bool is_title(const char *s) {
  if (!isupper((unsigned char)s[0])) return false;
  for (; *s; s++)
    if (!isalnum((unsigned char)*s)) return false;
  return true;
}
void check_snake(Name n, Span s, const char *what) {
  if (!n || is_snake(n)) return;
  const char *fix = diag_snake_case(n);
  diag_error_help(s, arena_printf("rename it to `%s`", fix),
                  "%s name `%s` must be snake_case", what, n);
}
void check_title(Name n, Span s, const char *what) {
  if (!n || is_title(n)) return;
  const char *fix = diag_title_case(n);
  diag_error_help(s, arena_printf("rename it to `%s`", fix),
                  "%s name `%s` must be TitleCase", what, n);
}

const char *did_you_mean(Name name, const char *const *cands, int n) {
  const char *d = name ? diag_did_you_mean(name, cands, n) : NULL;
  return d ? arena_printf("did you mean `%s`?", d) : NULL;
}

/* Report a mismatch unless `have` fits `want`; returns the type to use. */
Type *expect_type(Node *n, Type *have, Type *want, const char *ctx) {
  if (!want || type_fits(have, want)) return have;
  Span sp = n ? n->span : (Span){0, 0};
  const char *help = NULL;
  if (type_is_numeric(have) && type_is_numeric(want))
    help = arena_printf("convert with `cast(value = ..., target = %s)`", want->str);
  else if (want == ty_string && type_has(have, TP_PRINT))
    help = "use string interpolation: \"${...}\"";
  else if ((type_is_option(have) || type_is_result(have)) && have->args[0] == want)
    help = "take the value out with `match`, `?`, `.unwrap_or(default = ...)` or `.unwrap()`";
  else if ((type_is_option(want) || type_is_result(want)) && want->args[0] == have)
    help = type_is_option(want) ? "wrap it: `Option::Some(value = ...)`" : "wrap it: `Result::Ok(value = ...)`";
  diag_error_help(sp, help, "type mismatch%s%s: expected %s, found %s", ctx ? " in " : "",
                  ctx ? ctx : "", want->str, have->str);
  return ty_error;
}

/* ---- scopes ---- */
void push_scope(ScopeKind k) { C.scope = scope_new(k, C.scope); }
void pop_scope(void) {
  if (C.scope && C.scope->up) C.scope = C.scope->up;
}

static Sym *new_sym(SymKind k, Name name, Span span) {
  Sym *s = arena_alloc(sizeof *s);
  s->kind = k;
  s->name = name ? name : intern_cstr("_");
  s->span = span;
  return s;
}

Sym *declare_local(Name name, Span span, Type *t, bool is_var, SymKind k) {
  Sym *s = new_sym(k, name, span);
  s->type = t ? t : ty_error;
  s->is_var = is_var;
  s->id = ++C.next_id;
  s->conc_level = C.conc_level;
  scope_declare(C.scope, s, 0);
  return s;
}

Sym *lookup_value(Name name) { return scope_lookup(C.scope, name, SM_VALUE); }
Sym *lookup_fn(Name n) { return scope_find(C.scope, n, SM_FN); }

TypeDecl *lookup_type(Name n) {
  Sym *s = scope_find(C.scope, n, SM_TYPE);
  return s ? s->tdecl : NULL;
}

/* ---- type expressions ---- */
static bool want_args(TypeExpr *te, int n) {
  if (te->args.len == n) return true;
  diag_error(te->span, "`%s` takes %d type argument%s, found %d", te->name, n, n == 1 ? "" : "s",
             te->args.len);
  return false;
}

static bool is_unit(TypeExpr *te) { return te && te->name && !strcmp(te->name, "Unit") && !te->args.len; }

Type *resolve_type(TypeExpr *te) {
  if (!te || !te->name) return ty_error;
  Name n = te->name;
  if (!strcmp(n, "Unit")) {
    diag_error_help(te->span, "a function that returns nothing has no `->`", "`Unit` can only be written as `Task<Unit>`");
    return ty_error;
  }
  if (!strcmp(n, "Dict") || !strcmp(n, "Set")) {
    diag_error(te->span, "`%s` is not supported yet", n);
    return ty_error;
  }
  TypeDecl *d = lookup_type(n);
  if (!d) {
    const char *dym = scope_suggest(C.scope, n, SM_TYPE);
    diag_error_help(te->span, dym ? arena_printf("did you mean `%s`?", dym) : NULL, "unknown type `%s`", n);
    return ty_error;
  }
  if (!d->ntparams) {
    if (te->args.len) {
      diag_error(te->span, "`%s` takes no type arguments", n);
      return ty_error;
    }
    return type_of(d);
  }
  if (!want_args(te, d->ntparams)) return ty_error;
  unsigned flags = d->bt ? d->bt->flags : 0;
  Type *small[8], **args = d->ntparams <= 8 ? small : arena_alloc(sizeof(Type *) * (size_t)d->ntparams);
  for (int i = 0; i < d->ntparams; i++) {
    TypeExpr *a = te->args.items[i];
    args[i] = (flags & BT_ARG_UNIT) && is_unit(a) ? ty_unit : resolve_type(a);
    if (args[i] == ty_error) return ty_error;
    if ((flags & BT_ARG_NO_TASK) && type_contains(args[i], td_task)) {   /* LANGUAGE.md 8.1 */
      diag_error_help(te->span, "await the task and send its value instead",
                      "a task cannot be sent over a channel (it must not leave its concurrent block)");
      return ty_error;
    }
  }
  return type_inst(d, args, d->ntparams);
}

/* Declare the type parameters of d (owned by `owner`) in a scope of their
 * own, entered now; the caller pops it. */
static void enter_tparams(Decl *d, const void *owner, TypeDecl *td) {
  push_scope(SC_DECL);
  for (int i = 0; i < d->type_params.len; i++) {
    TypeParam *tp = &d->type_params.items[i];
    Type *t = td ? td->tparams[i] : type_new_param(owner, i, tp->name);
    Sym *s = new_sym(SYM_TYPE, tp->name, tp->span);
    s->tdecl = t->decl;
    scope_declare(C.scope, s, 0);
  }
}

/* ---- pass 1: names ---- */
static Sym *declare_global(Scope *sc, SymKind k, Name name, Span span) {
  Sym *s = new_sym(k, name, span);
  Sym *old = scope_declare(sc, s, 1u << k);
  return old ? NULL : s;
}

static void register_type(Decl *d) {
  check_title(d->name, d->name_span, d->kind == D_ENUM ? "enum" : "class");
  if (scope_find(C.module, d->name, SM_TYPE)) {
    diag_error(d->name_span, "type `%s` is already defined", d->name);
    return;
  }
  Sym *s = declare_global(C.module, SYM_TYPE, d->name, d->name_span);
  TypeDecl *td = typedecl_new(d->kind == D_ENUM ? TD_ENUM : TD_CLASS, d->name);
  td->ast = d;
  td->props |= d->kind == D_CLASS ? TP_EQ : 0;   /* classes compare by identity */
  td->ctype = d->kind == D_ENUM ? "plat_enum *" : NULL;   /* classes: mangle_class() */
  s->tdecl = td;
  d->sema = td;
  if (d->kind == D_ENUM) {
    Name *names = arena_alloc(sizeof(Name) * (size_t)(d->type_params.len + 1));
    for (int i = 0; i < d->type_params.len; i++) {
      names[i] = d->type_params.items[i].name;
      check_title(names[i], d->type_params.items[i].span, "type parameter");
    }
    typedecl_set_params(td, d->type_params.len, names);
  } else {
    if (d->type_params.len) diag_error(d->name_span, "generic classes are not supported yet");
    if (d->parent) diag_error(d->name_span, "class inheritance is not supported yet");
  }
}

static void register_decl(Decl *d) {
  if (!d || !d->name) return;
  if (d->kind == D_ENUM || d->kind == D_CLASS) {
    register_type(d);
  } else if (d->kind == D_FN) {
    check_snake(d->name, d->name_span, "function");
    Sym *s = declare_global(C.module, SYM_FN, d->name, d->name_span);
    if (!s) {
      diag_error(d->name_span, "function `%s` is already defined", d->name);
      return;
    }
    s->decl = d;
  } else if (d->kind == D_TEST) {
    check_snake(d->name, d->name_span, "test block");
    for (int i = 0; i < C.prog->decls.len && C.prog->decls.items[i] != d; i++) {
      Decl *o = C.prog->decls.items[i];
      if (o && o->kind == D_TEST && o->name == d->name)
        diag_error(d->name_span, "test block `%s` is already defined", d->name);
    }
  }
}

/* ---- pass 2: signatures ---- */
static void resolve_enum(Decl *d, TypeDecl *en) {
  enter_tparams(d, en, en);
  en->nvariants = d->variants.len;
  en->variants = arena_alloc(sizeof(VariantInfo) * (size_t)(en->nvariants + 1));
  en->all_unit = true;
  for (int i = 0; i < d->variants.len; i++) {
    Variant *v = &d->variants.items[i];
    VariantInfo *vi = &en->variants[i];
    vi->name = v->name;
    vi->has_parens = v->has_parens;
    check_title(v->name, v->span, "variant");
    for (int j = 0; j < i; j++)
      if (en->variants[j].name == v->name) diag_error(v->span, "variant `%s` is declared twice", v->name);
    vi->nfields = v->fields.len;
    if (vi->nfields) en->all_unit = false;
    vi->fnames = arena_alloc(sizeof(Name) * (size_t)(vi->nfields + 1));
    vi->ftypes = arena_alloc(sizeof(Type *) * (size_t)(vi->nfields + 1));
    for (int j = 0; j < vi->nfields; j++) {
      Field *f = &v->fields.items[j];
      vi->fnames[j] = f->name ? f->name : intern_cstr(arena_printf("field%d", j));
      if (f->name && strncmp(f->name, "field", 5)) check_snake(f->name, f->name_span, "field");
      vi->ftypes[j] = resolve_type(f->type);
      if (type_contains(vi->ftypes[j], td_task))
        diag_error(f->span, "a task cannot be stored in an enum (it must not leave its concurrent block)");
    }
  }
  if (en->all_unit) en->props |= TP_EQ | TP_HASH;   /* payload-less enums compare by tag */
  pop_scope();
}

static FnInfo *resolve_fn(Decl *d, TypeDecl *cls, Decl *test) {
  FnInfo *fi = arena_alloc(sizeof *fi);
  fi->decl = d;
  fi->cls = cls;
  fi->test_block = test;
  d->sema = fi;
  fi->is_init = cls && d->name && !strcmp(d->name, "init");
  /* [later] in LANGUAGE.md 5: the parameters still resolve, so `T` does not cascade */
  if (d->type_params.len) diag_error(d->name_span, "generic functions are not supported yet");
  enter_tparams(d, fi, NULL);
  if (cls && !fi->is_init) check_snake(d->name, d->name_span, "method");   /* functions: in pass 1 */
  fi->ptypes = arena_alloc(sizeof(Type *) * (size_t)(d->params.len + 1));
  for (int i = 0; i < d->params.len; i++) {
    Param *p = &d->params.items[i];
    check_snake(p->name, p->name_span, "parameter");
    for (int j = 0; j < i; j++)
      if (d->params.items[j].name == p->name)
        diag_error(p->name_span, "parameter `%s` is declared twice", p->name);
    fi->ptypes[i] = resolve_type(p->type);
  }
  fi->ret = d->ret ? resolve_type(d->ret) : fi->is_init ? type_of(cls) : ty_unit;
  pop_scope();
  fi->implicit_self = fi->is_init && !d->ret;
  if (type_contains(fi->ret, td_task))
    diag_error(d->ret->span, "a function cannot return a task (a task must not leave its concurrent block)");
  if (fi->is_init && fi->ret != type_of(cls) && fi->ret != ty_error)
    diag_error_help(d->name_span, arena_printf("write `init(...) -> %s { ...; return self; }`", cls->name),
                    "`init` must return %s", cls->name);
  return fi;
}

static void resolve_class(Decl *d, TypeDecl *ci) {
  enter_tparams(d, ci, NULL);   /* already reported: keep `T` from cascading */
  ci->nfields = d->fields.len;
  ci->fields = arena_alloc(sizeof(FieldInfo) * (size_t)(ci->nfields + 1));
  for (int i = 0; i < d->fields.len; i++) {
    Field *f = &d->fields.items[i];
    FieldInfo *fi = &ci->fields[i];
    fi->name = f->name;
    fi->is_pub = f->is_pub;
    fi->is_var = f->is_var;
    fi->span = f->span;
    check_snake(f->name, f->name_span, "field");
    for (int j = 0; j < i; j++)
      if (ci->fields[j].name == f->name) diag_error(f->name_span, "field `%s` is declared twice", f->name);
    fi->type = resolve_type(f->type);
    if (type_contains(fi->type, td_task))
      diag_error(f->span, "a task cannot be stored in a class field (it must not leave its concurrent block)");
  }
  pop_scope();
  for (int i = 0; i < d->methods.len; i++) {
    Decl *m = d->methods.items[i];
    if (!m) continue;
    m->owner = d;
    FnInfo *fi = resolve_fn(m, ci, NULL);
    for (int j = 0; j < i; j++)
      if (d->methods.items[j] && d->methods.items[j]->name == m->name)
        diag_error(m->name_span, "method `%s` is declared twice", m->name);
    for (int j = 0; j < ci->nfields; j++)
      if (ci->fields[j].name == m->name)
        diag_error(m->name_span, "`%s` is both a field and a method", m->name);
    if (fi->is_init) ci->init = m;
    if (m->is_virtual || m->is_override)   /* LANGUAGE.md 10.5: until inheritance lands */
      diag_error_help(m->name_span, "a class cannot be inherited from yet; remove the keyword",
                      "`%s` methods are not supported yet", m->is_virtual ? "virtual" : "override");
    /* printable: a `to_string() -> String` method (LANGUAGE.md 1) */
    if (m->name && !strcmp(m->name, "to_string") && fi->ret == ty_string && !m->params.len)
      ci->props |= TP_PRINT;
  }
}

static void check_main(void) {
  Sym *s = scope_find(C.module, intern_cstr("main"), 1u << SYM_FN);
  Decl *m = s ? s->decl : NULL;
  if (!m) {
    if (!C.test_mode) diag_error(file_start(C.prog->file), "no `main` function: write `fn main() { ... }`");
    return;
  }
  FnInfo *fi = m->sema;
  if (m->params.len)
    diag_error_help(m->name_span, "use `args()` to read the command line", "`main` takes no parameters");
  if (fi->ret != ty_unit && fi->ret != ty_i32 && fi->ret != ty_error)
    diag_error_help(m->ret->span, "write `fn main() -> Int32` or `fn main()`",
                    "`main` must return Int32 or nothing, not %s", fi->ret->str);
}

/* The scope of a test block's functions (they see each other). */
static Scope *test_scope(Decl *d) {
  Scope *sc = scope_new(SC_TEST, C.module);
  for (int j = 0; j < d->fns.len; j++) {
    Decl *f = d->fns.items[j];
    if (!f || !f->name) continue;
    Sym *s = new_sym(SYM_FN, f->name, f->name_span);
    s->decl = f;
    scope_declare(sc, s, 0);
  }
  return sc;
}

static void check_decl_bodies(Decl *d) {
  if (!d) return;
  if (d->kind == D_FN && d->sema) {
    check_fn_body(d->sema);
  } else if (d->kind == D_CLASS) {
    for (int i = 0; i < d->methods.len; i++)
      if (d->methods.items[i] && d->methods.items[i]->sema) check_fn_body(d->methods.items[i]->sema);
  } else if (d->kind == D_TEST) {
    Scope *saved = C.scope;
    C.scope = test_scope(d);
    for (int i = 0; i < d->fns.len; i++) check_decl_bodies(d->fns.items[i]);
    C.scope = saved;
  }
}

static void resolve_test(Decl *d) {
  Scope *saved = C.scope;
  C.scope = test_scope(d);
  for (int j = 0; j < d->fns.len; j++) {
    Decl *f = d->fns.items[j];
    if (!f) continue;
    check_snake(f->name, f->name_span, "function");
    for (int k = 0; k < j; k++)
      if (d->fns.items[k] && d->fns.items[k]->name == f->name)
        diag_error(f->name_span, "function `%s` is already defined in this test block", f->name);
    resolve_fn(f, NULL, d);
    if (f->name && !strncmp(f->name, "test_", 5) && (f->params.len || f->ret))
      diag_error(f->name_span, "test function `%s` must take no parameters and return nothing", f->name);
  }
  C.scope = saved;
}

void check_reset(void) {
  memset(&C, 0, sizeof C);
  types_reset();
}

bool check_program(Program *p, bool test_mode) {
  int before = diag_error_count();
  check_reset();
  C.prog = p;
  C.test_mode = test_mode;
  C.module = scope_new(SC_MODULE, catalogue_universe());
  C.scope = C.module;
  for (int i = 0; i < p->decls.len; i++) register_decl(p->decls.items[i]);
  for (int i = 0; i < p->decls.len; i++) {
    Decl *d = p->decls.items[i];
    if (d && d->kind == D_ENUM && d->sema) resolve_enum(d, d->sema);
  }
  for (int i = 0; i < p->decls.len; i++) {
    Decl *d = p->decls.items[i];
    if (!d) continue;
    if (d->kind == D_CLASS && d->sema) resolve_class(d, d->sema);
    else if (d->kind == D_FN) resolve_fn(d, NULL, NULL);
    else if (d->kind == D_TEST) resolve_test(d);
  }
  check_main();
  for (int i = 0; i < p->decls.len; i++) check_decl_bodies(p->decls.items[i]);
  return diag_error_count() == before;
}
