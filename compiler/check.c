/* check.c -- checker entry: declarations, type names, scopes, naming.
 *
 * Three passes over the declarations:
 *   1. register every type name (enums, classes) and function name, so
 *      declaration order never matters;
 *   2. resolve the types in enum variants, class fields and function
 *      signatures (FnInfo);
 *   3. check every function body (check_stmt.c and friends).
 * Errors are reported through diag.h and checking carries on; the tree
 * may be partial after parse errors, so every child may be NULL.
 */
#include "check_int.h"

#include <ctype.h>
#include <stdio.h>

Checker C;

/* Set by check_conc.c once channels are implemented. */
bool channels_supported = true;

static Name *cur_tparams;   /* the enum whose fields are being resolved */
static int cur_ntparams;

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

const char *type_name(Type *t) { return t ? t->str : "?"; }

/* Report a mismatch unless `have` fits `want`; returns the type to use. */
Type *expect_type(Node *n, Type *have, Type *want, const char *ctx) {
  if (!want || type_fits(have, want)) return have;
  Span sp = n ? n->span : (Span){0, 0};
  const char *help = NULL;
  if (type_is_numeric(have) && type_is_numeric(want))
    help = arena_printf("convert with `cast(value = ..., target = %s)`", want->str);
  else if (want->kind == T_STRING && is_printable(have))
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
void push_frame(void) {
  Frame *f = arena_alloc(sizeof *f);
  f->up = C.frame;
  C.frame = f;
}
void pop_frame(void) {
  if (C.frame) C.frame = C.frame->up;
}
Sym *declare_local(Name name, Span span, Type *t, bool is_var, SymKind k) {
  Sym *s = arena_alloc(sizeof *s);
  s->kind = k;
  s->name = name ? name : intern_cstr("_");
  s->span = span;
  s->type = t ? t : ty_error;
  s->is_var = is_var;
  s->id = ++C.next_id;
  s->owner = C.spawn;
  s->conc_level = C.conc_level;
  if (C.frame) vec_push(&C.frame->syms, s);
  return s;
}
Sym *lookup_local(Name name) {
  for (Frame *f = C.frame; f; f = f->up)
    for (int i = f->syms.len - 1; i >= 0; i--)
      if (f->syms.items[i]->name == name) return f->syms.items[i];
  return NULL;
}

TypeEntry *lookup_type(Name n) {
  for (int i = 0; i < C.types.len; i++)
    if (C.types.items[i].name == n) return &C.types.items[i];
  return NULL;
}
Decl *lookup_fn(Name n) {
  if (C.test_block)
    for (int i = 0; i < C.test_block->fns.len; i++)
      if (C.test_block->fns.items[i] && C.test_block->fns.items[i]->name == n)
        return C.test_block->fns.items[i];
  for (int i = 0; i < C.fns.len; i++)
    if (C.fns.items[i]->name == n) return C.fns.items[i];
  return NULL;
}

static void add_type(Name n, Type *t, EnumInfo *g) {
  TypeEntry e = {n, t, g};
  vec_push(&C.types, e);
}

/* ---- type expressions ---- */
static const char *type_candidates[64];
static int ncands(void) {
  int n = 0;
  for (int i = 0; i < C.types.len && n < 60; i++) type_candidates[n++] = C.types.items[i].name;
  const char *extra[] = {"List", "Option", "Result", "Task", "Channel"};
  for (int i = 0; i < 5; i++) type_candidates[n++] = extra[i];
  return n;
}

static Type *generic_arg(TypeExpr *te, int i) {
  return i < te->args.len ? resolve_type(te->args.items[i]) : ty_error;
}

static bool want_args(TypeExpr *te, int n) {
  if (te->args.len == n) return true;
  diag_error(te->span, "`%s` takes %d type argument%s, found %d", te->name, n, n == 1 ? "" : "s",
             te->args.len);
  return false;
}

Type *resolve_type(TypeExpr *te) {
  if (!te || !te->name) return ty_error;
  Name n = te->name;
  for (int i = 0; i < cur_ntparams; i++)
    if (cur_tparams[i] == n) return type_param(i, n);
  if (!strcmp(n, "Channel") && !channels_supported) {
    diag_error(te->span, "`Channel` is not supported yet");
    return ty_error;
  }
  if (!strcmp(n, "Unit")) {
    diag_error_help(te->span, "a function that returns nothing has no `->`", "`Unit` can only be written as `Task<Unit>`");
    return ty_error;
  }
  if (!strcmp(n, "Task") && te->args.len == 1 && te->args.items[0] && te->args.items[0]->name &&
      !strcmp(te->args.items[0]->name, "Unit") && !te->args.items[0]->args.len)
    return type_task(ty_unit);
  if (!strcmp(n, "List") || !strcmp(n, "Task") || !strcmp(n, "Channel") || !strcmp(n, "Option")) {
    if (!want_args(te, 1)) return ty_error;
    Type *a = generic_arg(te, 0);
    if (a->kind == T_ERROR) return ty_error;
    if (n[0] == 'C' && type_contains(a, T_TASK)) {   /* LANGUAGE.md 8.1 */
      diag_error_help(te->span, "await the task and send its value instead",
                      "a task cannot be sent over a channel (it must not leave its concurrent block)");
      return ty_error;
    }
    return n[0] == 'L' ? type_list(a) : n[0] == 'T' ? type_task(a)
         : n[0] == 'C' ? type_channel(a) : type_option(a);
  }
  if (!strcmp(n, "Result")) {
    if (!want_args(te, 2)) return ty_error;
    Type *a = generic_arg(te, 0), *b = generic_arg(te, 1);
    if (a->kind == T_ERROR || b->kind == T_ERROR) return ty_error;
    return type_result(a, b);
  }
  if (!strcmp(n, "Dict") || !strcmp(n, "Set")) {
    diag_error(te->span, "`%s` is not supported yet", n);
    return ty_error;
  }
  TypeEntry *e = lookup_type(n);
  if (!e) {
    const char *dym = diag_did_you_mean(n, type_candidates, ncands());
    diag_error_help(te->span, dym ? arena_printf("did you mean `%s`?", dym) : NULL,
                    "unknown type `%s`", n);
    return ty_error;
  }
  if (e->generic) {
    EnumInfo *en = e->generic;
    if (!want_args(te, en->ntparams)) return ty_error;
    Type *args[16];
    for (int i = 0; i < en->ntparams && i < 16; i++) {
      args[i] = generic_arg(te, i);
      if (args[i]->kind == T_ERROR) return ty_error;
    }
    return type_enum(en, args);
  }
  if (te->args.len) {
    diag_error(te->span, "`%s` takes no type arguments", n);
    return ty_error;
  }
  return e->type;
}

/* ---- pass 1: names ---- */
static void register_decl(Decl *d) {
  if (!d || !d->name) return;
  if (d->kind == D_ENUM || d->kind == D_CLASS) {
    check_title(d->name, d->name_span, d->kind == D_ENUM ? "enum" : "class");
    if (lookup_type(d->name) || !strcmp(d->name, "List") || !strcmp(d->name, "Option") ||
        !strcmp(d->name, "Result") || !strcmp(d->name, "Task") || !strcmp(d->name, "Channel")) {
      diag_error(d->name_span, "type `%s` is already defined", d->name);
      return;
    }
    if (d->kind == D_ENUM) {
      EnumInfo *en = arena_alloc(sizeof *en);
      en->name = d->name;
      en->decl = d;
      en->ntparams = d->type_params.len;
      en->tparams = arena_alloc(sizeof(Name) * (size_t)(en->ntparams + 1));
      for (int i = 0; i < en->ntparams; i++) {
        en->tparams[i] = d->type_params.items[i].name;
        check_title(en->tparams[i], d->type_params.items[i].span, "type parameter");
      }
      d->sema = en;
      add_type(d->name, en->ntparams ? NULL : type_enum(en, NULL), en->ntparams ? en : NULL);
    } else {
      ClassInfo *ci = arena_alloc(sizeof *ci);
      ci->name = d->name;
      ci->decl = d;
      d->sema = ci;
      if (d->type_params.len) diag_error(d->name_span, "generic classes are not supported yet");
      if (d->parent) diag_error(d->name_span, "class inheritance is not supported yet");
      add_type(d->name, type_class(ci), NULL);
    }
  } else if (d->kind == D_FN) {
    check_snake(d->name, d->name_span, "function");
    if (lookup_fn(d->name)) {
      diag_error(d->name_span, "function `%s` is already defined", d->name);
      return;
    }
    vec_push(&C.fns, d);
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
static void resolve_enum(Decl *d, EnumInfo *en) {
  cur_tparams = en->tparams;
  cur_ntparams = en->ntparams;
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
      if (type_contains(vi->ftypes[j], T_TASK))
        diag_error(f->span, "a task cannot be stored in an enum (it must not leave its concurrent block)");
    }
  }
  cur_tparams = NULL;
  cur_ntparams = 0;
}

static FnInfo *resolve_fn(Decl *d, ClassInfo *cls, Decl *test) {
  FnInfo *fi = arena_alloc(sizeof *fi);
  fi->decl = d;
  fi->cls = cls;
  fi->test_block = test;
  d->sema = fi;
  fi->is_init = cls && d->name && !strcmp(d->name, "init");
  if (d->type_params.len) {   /* [later] in LANGUAGE.md 5: name it instead of failing on `T` */
    diag_error(d->name_span, "generic functions are not supported yet");
    cur_tparams = arena_alloc(sizeof(Name) * (size_t)d->type_params.len);
    for (int i = 0; i < d->type_params.len; i++) cur_tparams[i] = d->type_params.items[i].name;
    cur_ntparams = d->type_params.len;
  }
  if (!fi->is_init) check_snake(d->name, d->name_span, cls ? "method" : "function");
  fi->ptypes = arena_alloc(sizeof(Type *) * (size_t)(d->params.len + 1));
  for (int i = 0; i < d->params.len; i++) {
    Param *p = &d->params.items[i];
    check_snake(p->name, p->name_span, "parameter");
    for (int j = 0; j < i; j++)
      if (d->params.items[j].name == p->name)
        diag_error(p->name_span, "parameter `%s` is declared twice", p->name);
    fi->ptypes[i] = resolve_type(p->type);
  }
  fi->ret = d->ret ? resolve_type(d->ret) : fi->is_init ? type_class(cls) : ty_unit;
  cur_tparams = NULL;
  cur_ntparams = 0;
  fi->implicit_self = fi->is_init && !d->ret;
  if (type_contains(fi->ret, T_TASK))
    diag_error(d->ret->span, "a function cannot return a task (a task must not leave its concurrent block)");
  if (cls)
    fi->cname = arena_printf("%s__%s", cls->name, d->name ? d->name : "anon");
  else if (test)
    fi->cname = arena_printf("plat_t_%s__%s", test->name ? test->name : "anon", d->name ? d->name : "anon");
  else
    fi->cname = arena_printf("plat_u_%s", d->name ? d->name : "anon");
  if (fi->is_init && fi->ret != type_class(cls) && fi->ret->kind != T_ERROR)
    diag_error_help(d->name_span, arena_printf("write `init(...) -> %s { ...; return self; }`", cls->name),
                    "`init` must return %s", cls->name);
  return fi;
}

static void resolve_class(Decl *d, ClassInfo *ci) {
  if (d->type_params.len) {   /* already reported: keep `T` from cascading */
    cur_tparams = arena_alloc(sizeof(Name) * (size_t)d->type_params.len);
    for (int i = 0; i < d->type_params.len; i++) cur_tparams[i] = d->type_params.items[i].name;
    cur_ntparams = d->type_params.len;
  }
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
    if (type_contains(fi->type, T_TASK))
      diag_error(f->span, "a task cannot be stored in a class field (it must not leave its concurrent block)");
  }
  cur_tparams = NULL;
  cur_ntparams = 0;
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
  }
}

static void check_main(void) {
  Decl *m = NULL;
  for (int i = 0; i < C.fns.len; i++)
    if (!strcmp(C.fns.items[i]->name, "main")) m = C.fns.items[i];
  if (!m) {
    if (!C.test_mode) diag_error(file_start(C.prog->file), "no `main` function: write `fn main() { ... }`");
    return;
  }
  FnInfo *fi = m->sema;
  if (m->params.len)
    diag_error_help(m->name_span, "use `args()` to read the command line", "`main` takes no parameters");
  if (fi->ret != ty_unit && fi->ret != ty_i32 && fi->ret->kind != T_ERROR)
    diag_error_help(m->ret->span, "write `fn main() -> Int32` or `fn main()`",
                    "`main` must return Int32 or nothing, not %s", fi->ret->str);
}

static void check_decl_bodies(Decl *d, Decl *test) {
  if (!d) return;
  if (d->kind == D_FN && d->sema) {
    C.test_block = test;
    check_fn_body(d->sema);
  } else if (d->kind == D_CLASS) {
    for (int i = 0; i < d->methods.len; i++)
      if (d->methods.items[i] && d->methods.items[i]->sema) check_fn_body(d->methods.items[i]->sema);
  } else if (d->kind == D_TEST) {
    for (int i = 0; i < d->fns.len; i++) check_decl_bodies(d->fns.items[i], d);
  }
  C.test_block = NULL;
}

void check_reset(void) {
  memset(&C, 0, sizeof C);
  cur_tparams = NULL;
  cur_ntparams = 0;
  types_init();
}

bool check_program(Program *p, bool test_mode) {
  int before = diag_error_count();
  memset(&C, 0, sizeof C);
  C.prog = p;
  C.test_mode = test_mode;
  types_init();
  const char *prims[] = {"Bool", "Int8", "Int16", "Int32", "Int64", "Float32", "Float64", "String", "Int", "Float"};
  Type *pt[] = {ty_bool, ty_i8, ty_i16, ty_i32, ty_i64, ty_f32, ty_f64, ty_string, ty_i64, ty_f64};
  for (int i = 0; i < 10; i++) add_type(intern_cstr(prims[i]), pt[i], NULL);
  add_type(intern_cstr("Option"), NULL, enum_option);
  add_type(intern_cstr("Result"), NULL, enum_result);

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
    else if (d->kind == D_TEST) {
      for (int j = 0; j < d->fns.len; j++) {
        Decl *f = d->fns.items[j];
        if (!f) continue;
        for (int k = 0; k < j; k++)
          if (d->fns.items[k] && d->fns.items[k]->name == f->name)
            diag_error(f->name_span, "function `%s` is already defined in this test block", f->name);
        resolve_fn(f, NULL, d);
        if (f->name && !strncmp(f->name, "test_", 5) && (f->params.len || f->ret))
          diag_error(f->name_span, "test function `%s` must take no parameters and return nothing", f->name);
      }
    }
  }
  check_main();
  for (int i = 0; i < p->decls.len; i++) check_decl_bodies(p->decls.items[i], NULL);
  return diag_error_count() == before;
}
