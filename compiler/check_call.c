/* check_call.c -- calls: named arguments, functions, methods, constructors,
 * enum variants and the built-ins of the catalogue (builtins.h).
 *
 * match_args() is the one place that pairs written arguments with
 * parameters: it reports unknown names (with "did you mean"), duplicates,
 * missing required arguments and unnamed arguments, checks each value
 * against its parameter type and records the evaluation order (the
 * written order) for the emitter.
 *
 * A built-in's parameter and result types come from its parsed signature
 * with the receiver's type arguments substituted for the parameters of
 * the receiver's declaration (T of List<T>, T and E of Result<T, E>).
 * AnyInt accepts any integer type, Printable any printable value.
 */
#include "check_int.h"

#include <stdio.h>

/* ---- named arguments ---- */
static bool allow_positional;   /* set for single-field variant constructors */
static bool allow_field0;       /* set for Some/Ok/Err: `field0` names their field */

CallInfo *match_args(Node *call, ArgVec *args, int np, const Name *pnames, Type **ptypes,
                     Node **defaults, const char *what) {
  CallInfo *ci = arena_alloc(sizeof *ci);
  ci->nparams = np;
  ci->args = arena_alloc(sizeof(Node *) * (size_t)(np + 1));
  ci->defaults = arena_alloc(sizeof(Node *) * (size_t)(np + 1));
  ci->ptypes = arena_alloc(sizeof(Type *) * (size_t)(np + 1));
  ci->order = arena_alloc(sizeof(int) * (size_t)(args->len + 1));
  for (int i = 0; i < np; i++) {
    ci->ptypes[i] = ptypes ? ptypes[i] : NULL;
    ci->defaults[i] = defaults ? defaults[i] : NULL;
  }
  bool pos_ok = allow_positional && np == 1 && args->len == 1;
  bool field0_ok = allow_field0 && np == 1;
  bool *meant = arena_alloc(sizeof(bool) * (size_t)(np + 1));   /* suggested for a misspelt one */
  Name *given_as = arena_alloc(sizeof(Name) * (size_t)(np + 1));   /* per parameter: the name written */
  allow_positional = allow_field0 = false;
  /* "did you mean" offers only the parameters no argument names */
  const char **free_names = arena_alloc(sizeof(char *) * (size_t)(np + 1));
  for (int i = 0; i < np; i++) {
    free_names[i] = pnames[i];
    for (int a = 0; a < args->len; a++)
      if (args->items[a].name == pnames[i] || (field0_ok && args->items[a].name == intern_cstr("field0")))
        free_names[i] = NULL;
  }
  for (int a = 0; a < args->len; a++) {
    Arg *arg = &args->items[a];
    int k = -1;
    if (!arg->name) {
      if (pos_ok) k = 0;
      else
        diag_error_help(arg->span, np ? arena_printf("name it: `%s = ...`", pnames[a < np ? a : 0]) : NULL,
                        "arguments must be named");
    } else {
      for (int i = 0; i < np; i++)
        if (pnames[i] == arg->name) k = i;
      if (k < 0 && field0_ok && arg->name == intern_cstr("field0")) k = 0;
      if (k < 0) {
        const char *dym = diag_did_you_mean(arg->name, free_names, np);
        for (int i = 0; i < np; i++)
          if (dym && pnames[i] == dym) meant[i] = true;
        diag_error_help(arg->name_span.hi ? arg->name_span : arg->span,
                        dym ? arena_printf("did you mean `%s`?", dym)
                            : field0_ok ? arena_printf("its field is `%s` (also `field0`)", pnames[0])
                            : np ? NULL : arena_printf("%s takes no arguments", what),
                        "%s has no parameter `%s`", what, arg->name);
      } else if (ci->args[k]) {
        if (given_as[k] && given_as[k] != arg->name)
          diag_error(arg->name_span.hi ? arg->name_span : arg->span, "`%s` and `%s` name the same field of %s",
                     given_as[k], arg->name, what);
        else
          diag_error(arg->name_span.hi ? arg->name_span : arg->span, "argument `%s` is given twice", arg->name);
        k = -1;
      } else {
        given_as[k] = arg->name;
      }
    }
    Type *want = k >= 0 ? ci->ptypes[k] : NULL;
    bool anyint = want == ty_anyint, printable = want == ty_printable;
    if (anyint || printable) want = NULL;
    Type *t = check_expr(arg->value, want);
    if (k < 0) continue;
    ci->args[k] = arg->value;
    ci->order[ci->nwritten++] = k;
    if (anyint) {
      if (t != ty_error && !type_is_int(t))
        diag_error(arg->value ? arg->value->span : arg->span, "argument `%s` must be an integer, found %s",
                   pnames[k], t->str);
      ci->ptypes[k] = t;
    } else if (printable) {
      if (!type_has(t, TP_PRINT))
        diag_error_help(arg->value ? arg->value->span : arg->span,
                        "print a String, a number, a Bool, or a value with a `to_string()` method",
                        "a value of type %s cannot be printed", t->str);
      ci->ptypes[k] = t;
    } else if (want) {
      expect_type(arg->value, t, want, arena_printf("argument `%s`", arg->name ? arg->name : pnames[k]));
    }
    if (t == ty_unit && want && want != ty_unit)
      diag_error(arg->value ? arg->value->span : arg->span, "this expression has no value");
  }
  Buf missing = {0};
  int nmiss = 0;
  for (int i = 0; i < np; i++) {
    if (ci->args[i] || ci->defaults[i] || meant[i]) continue;
    buf_printf(&missing, "%s`%s`", nmiss ? ", " : "", pnames[i]);
    nmiss++;
  }
  /* every missing one is named in one report, except a parameter offered
   * for a misspelt argument (that one is reported there) */
  if (nmiss) {
    diag_error_help(call->span, arena_printf("add %s", missing.data), "missing argument%s %s in call to %s",
                    nmiss > 1 ? "s" : "", missing.data, what);
  }
  buf_free(&missing);
  return ci;
}

/* ---- user functions, methods, constructors ---- */
static CallInfo *call_decl(Node *n, FnInfo *fi, const char *what) {
  Decl *d = fi->decl;
  int np = d->params.len;
  Name *pn = arena_alloc(sizeof(Name) * (size_t)(np + 1));
  Node **df = arena_alloc(sizeof(Node *) * (size_t)(np + 1));
  for (int i = 0; i < np; i++) {
    pn[i] = d->params.items[i].name;
    df[i] = d->params.items[i].default_value;
  }
  CallInfo *ci = match_args(n, &n->args, np, pn, fi->ptypes, df, what);
  ci->fn = fi;
  return ci;
}

static Type *check_ctor(Node *n, TypeDecl *cls) {
  CallInfo *ci;
  if (cls->init) {
    FnInfo *fi = cls->init->sema;
    ci = call_decl(n, fi, arena_printf("`%s.init`", cls->name));
  } else {
    Name *pn = arena_alloc(sizeof(Name) * (size_t)(cls->nfields + 1));
    Type **pt = arena_alloc(sizeof(Type *) * (size_t)(cls->nfields + 1));
    for (int i = 0; i < cls->nfields; i++) {
      pn[i] = cls->fields[i].name;
      pt[i] = cls->fields[i].type;
    }
    ci = match_args(n, &n->args, cls->nfields, pn, pt, NULL, arena_printf("`%s.init`", cls->name));
  }
  ci->kind = CALL_CTOR;
  ci->cls = cls;
  n->sema = ci;
  return type_of(cls);
}

static void check_args_alone(Node *n) {
  for (int i = 0; i < n->args.len; i++) check_expr(n->args.items[i].value, NULL);
}

/* ---- built-ins ---- */
/* self_type: the receiver's type (methods) or the type a static method is
 * called on; its arguments replace its declaration's parameters. */
static Type *check_builtin_call(Node *n, const BuiltinFn *bf, Node *recv, Type *self_type) {
  Subst s = {self_type ? self_type->decl : NULL, self_type ? self_type->args : NULL,
             self_type ? self_type->nargs : 0, NULL};
  const Subst *env = self_type ? &s : NULL;
  int np = bf->nparams;
  Type **pt = arena_alloc(sizeof(Type *) * (size_t)(np + 1));
  Node **df = arena_alloc(sizeof(Node *) * (size_t)(np + 1));
  static Node optional_marker;   /* "may be omitted": the emit hook supplies it */
  for (int i = 0; i < np; i++) {
    pt[i] = type_subst(bf->ptypes[i], env);
    df[i] = bf->optional[i] ? &optional_marker : NULL;
  }
  CallInfo *ci = match_args(n, &n->args, np, bf->pnames, pt, df, arena_printf("`%s`", bf->name));
  for (int i = 0; i < np; i++)
    if (ci->defaults[i] == &optional_marker) ci->defaults[i] = NULL;
  ci->kind = recv ? CALL_BMETHOD : CALL_BUILTIN;
  ci->bf = bf;
  ci->self_type = self_type;
  ci->recv = recv;
  n->sema = ci;
  return type_subst(bf->ret, env);
}

/* `Type.name(...)` where Type is a built-in type with static methods
 * (`Channel.init`, `Channel.unbounded`): the type's arguments come from
 * `Channel<T>.init` or from the expected type. */
static const char *lower_name(const TypeDecl *d) {
  char *s = arena_printf("%s", d->name);
  for (char *c = s; *c; c++) *c = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
  return s;
}

/* "`Channel.init(capacity = ...)` or `Channel.unbounded()`" */
static const char *statics_list(const TypeDecl *d) {
  Buf b = {0};
  for (int i = 0; i < d->methods.len; i++) {
    const BuiltinFn *f = d->methods.items[i];
    if (!(f->row->flags & BR_STATIC)) continue;
    buf_printf(&b, "%s`%s.%s(", b.len ? " or " : "", d->name, f->name);
    for (int k = 0; k < f->nparams; k++) buf_printf(&b, "%s%s = ...", k ? ", " : "", f->pnames[k]);
    buf_puts(&b, ")`");
  }
  const char *s = arena_strndup(b.data ? b.data : "", b.len);
  buf_free(&b);
  return s;
}

static Type *check_static_call(Node *n, Node *callee, TypeDecl *d, Type *want) {
  Node *lhs = callee->lhs;
  BuiltinFn *bf = callee->name ? catalogue_method(d, callee->name, true) : NULL;
  if (!bf) {
    VEC(const char *) cands = {0};
    for (int i = 0; i < d->methods.len; i++)
      if (d->methods.items[i]->row->flags & BR_STATIC) vec_push(&cands, d->methods.items[i]->name);
    const char *dym = callee->name ? diag_did_you_mean(callee->name, cands.items, cands.len) : NULL;
    diag_error_help(callee->span, dym ? arena_printf("did you mean `%s.%s`?", d->name, dym)
                                      : arena_printf("create a %s with %s", lower_name(d), statics_list(d)),
                    "`%s` has no constructor `%s`", d->name, callee->name ? callee->name : "?");
    check_args_alone(n);
    return ty_error;
  }
  Type *self = NULL;
  if (lhs->type) {
    Type *t = resolve_type(lhs->type);
    if (t == ty_error) return ty_error;
    if (t->decl == d) self = t;
  }
  if (!self && want && want->decl == d) self = want;
  if (!self && d->ntparams) {
    check_args_alone(n);
    if (want == ty_error) return ty_error;   /* already reported */
    const char *ex = d->bt && d->bt->example ? d->bt->example
                     : arena_printf("let x: %s<...> = %s.%s(...);", d->name, d->name, bf->name);
    diag_error_help(n->span, arena_printf("annotate it: `%s`", ex), "cannot infer the element type of this %s",
                    lower_name(d));
    return ty_error;
  }
  return check_builtin_call(n, bf, NULL, self ? self : type_of(d));
}

/* Requirements a row puts on the receiver's element type. */
static bool row_requirements(const BuiltinFn *bf, Node *callee, Type *t) {
  Type *T = t->nargs ? t->args[0] : NULL;
  unsigned f = bf->row->flags;
  if ((f & BR_ELEM_STRING) && T != ty_string) {
    diag_error(callee->span, "`%s` needs a List<String>, found %s", bf->name, t->str);
    return false;
  }
  if ((f & BR_ELEM_EQ) && T && !type_has(T, TP_EQ)) {
    diag_error(callee->span, "`%s` needs elements that can be compared with `==`, found %s", bf->name, T->str);
    return false;
  }
  return true;
}

static Type *check_fn_call(Node *n, Node *callee) {
  Name name = callee->name;
  if (!name) return ty_error;
  Sym *s = scope_find(C.scope, name, SM_VALUE | SM_FN);
  if (s && (SM_VALUE & 1u << s->kind)) {
    check_expr(callee, NULL);
    diag_error(callee->span, "`%s` is a variable of type %s, not a function", name, s->type->str);
    return ty_error;
  }
  if (s && s->kind == SYM_FN && s->decl->sema) {
    FnInfo *fi = s->decl->sema;
    CallInfo *ci = call_decl(n, fi, arena_printf("`%s`", name));
    ci->kind = CALL_FN;
    n->sema = ci;
    return fi->ret;
  }
  if (s && s->kind == SYM_BUILTIN) return check_builtin_call(n, s->builtin, NULL, NULL);
  const char *dym = scope_suggest(C.scope, name, SM_FN);
  diag_error_help(callee->span, dym ? arena_printf("did you mean `%s`?", dym) : NULL,
                  "unknown function `%s`", name);
  check_args_alone(n);
  return ty_error;
}

static Type *check_method_call(Node *n, Node *callee, Type *want) {
  Node *lhs = callee->lhs;
  Name name = callee->name;
  if (lhs && lhs->kind == N_IDENT && lhs->name && !scope_find(C.scope, lhs->name, SM_VALUE)) {
    TypeDecl *d = lookup_type(lhs->name);
    if (d && d->kind == TD_CLASS) {
      if (name && !strcmp(name, "init")) return check_ctor(n, d);
      diag_error_help(callee->span, arena_printf("construct with `%s.init(...)`", lhs->name),
                      "`%s` is a class; `%s.%s` is not a constructor", lhs->name, lhs->name,
                      name ? name : "?");
      return ty_error;
    }
    for (int i = 0; d && i < d->methods.len; i++)
      if (d->methods.items[i]->row->flags & BR_STATIC) return check_static_call(n, callee, d, want);
    if (d) {
      diag_error(callee->span, "`%s` is a type; it has no method `%s`", lhs->name, name ? name : "?");
      return ty_error;
    }
  }
  Type *t = check_expr(lhs, NULL);
  if (t == ty_error || !name) {
    check_args_alone(n);
    return ty_error;
  }
  if (type_is_class(t)) {
    FnInfo *fi = class_method(t->decl, name);
    if (!fi || fi->is_init) {
      VEC(const char *) cands = {0};
      Decl *cd = t->decl->ast;
      for (int i = 0; i < cd->methods.len; i++)
        if (cd->methods.items[i]) vec_push(&cands, cd->methods.items[i]->name);
      diag_error_help(callee->span, did_you_mean(name, cands.items, cands.len), "%s has no method `%s`", t->str,
                      name);
      return ty_error;
    }
    if (!fi->decl->is_pub && C.cls != t->decl)
      diag_error_help(callee->span, "mark the method `pub` to call it outside the class",
                      "method `%s` of %s is private", name, t->decl->name);
    CallInfo *ci = call_decl(n, fi, arena_printf("`%s.%s`", t->decl->name, name));
    ci->kind = CALL_METHOD;
    ci->recv = lhs;
    n->sema = ci;
    return fi->ret;
  }
  BuiltinFn *bf = catalogue_method(t->decl, name, false);
  if (bf) {
    if (!row_requirements(bf, callee, t)) return ty_error;
    Type *r = check_builtin_call(n, bf, lhs, t);
    Type *T = t->nargs ? t->args[0] : NULL;
    if ((bf->row->flags & BR_STORES_ELEM) && T && type_contains(T, td_task)) check_task_escape(lhs, T, n->span);
    return r;
  }
  VEC(const char *) cands = {0};
  for (int i = 0; i < t->decl->methods.len; i++)
    if (!(t->decl->methods.items[i]->row->flags & BR_STATIC)) vec_push(&cands, t->decl->methods.items[i]->name);
  diag_error_help(callee->span, did_you_mean(name, cands.items, cands.len), "%s has no method `%s`", t->str, name);
  check_args_alone(n);
  return ty_error;
}

/* ---- enum variants ---- */
/* Bind the parameters of `en` in `pat` to the matching parts of t. */
static void unify(TypeDecl *en, Type *pat, Type *t, Type **bind) {
  if (!pat || !t) return;
  if (type_is_param(pat)) {
    int i = pat->decl->index;
    if (pat->decl->owner == en && !bind[i] && t != ty_error && t != ty_never) bind[i] = t;
    return;
  }
  if (pat->nargs && pat->decl == t->decl && pat->nargs == t->nargs)
    for (int i = 0; i < pat->nargs; i++) unify(en, pat->args[i], t->args[i], bind);
}

/* Resolve `Enum::Variant` of n (N_PATH) to an enum and a variant index. */
static TypeDecl *path_enum(Node *path, int *vi, Type **explicit_t) {
  *explicit_t = NULL;
  TypeExpr *te = path->path_type;
  if (!te || !te->name) return NULL;
  TypeDecl *d = lookup_type(te->name);
  if (!d || d->kind != TD_ENUM) {
    diag_error(te->span, d ? "`%s` is not an enum" : "unknown enum `%s`", te->name);
    return NULL;
  }
  if (te->args.len || !d->ntparams) *explicit_t = resolve_type(te);
  for (int i = 0; i < d->nvariants; i++)
    if (d->variants[i].name == path->name) {
      *vi = i;
      return d;
    }
  VEC(const char *) cands = {0};
  for (int i = 0; i < d->nvariants; i++) vec_push(&cands, d->variants[i].name);
  const char *dym = path->name ? diag_did_you_mean(path->name, cands.items, cands.len) : NULL;
  diag_error_help(path->name_span.hi ? path->name_span : path->span,
                  dym ? arena_printf("did you mean `%s::%s`?", d->name, dym) : NULL,
                  "enum %s has no variant `%s`", d->name, path->name ? path->name : "?");
  return NULL;
}

static Type *check_variant(Node *n, Node *path, bool has_call, Type *want) {
  int v = 0;
  Type *et;
  TypeDecl *en = path_enum(path, &v, &et);
  if (!en) {
    if (has_call) check_args_alone(n);
    return ty_error;
  }
  if (et == ty_error) return ty_error;
  if (!et && want && want->decl == en) et = want;
  VariantInfo *var = &en->variants[v];
  const char *what = arena_printf("`%s::%s`", en->name, var->name);
  if (!has_call && var->nfields) {
    diag_error_help(path->span, arena_printf("write `%s::%s(%s = ...)`", en->name, var->name, var->fnames[0]),
                    "variant %s needs arguments", what);
    return ty_error;
  }
  if (has_call && !var->nfields) {
    diag_error_help(n->span, arena_printf("write `%s::%s`", en->name, var->name),
                    "variant %s takes no arguments", what);
  }
  Type **pt = arena_alloc(sizeof(Type *) * (size_t)(var->nfields + 1));
  for (int i = 0; i < var->nfields; i++)
    pt[i] = et ? type_variant_field(et, v, i) : type_contains_param(var->ftypes[i]) ? NULL : var->ftypes[i];
  CallInfo *ci;
  if (has_call) {
    allow_positional = true;
    allow_field0 = en == td_option || en == td_result;
    ci = match_args(n, &n->args, var->nfields, var->fnames, pt, NULL, what);
  } else {
    ci = arena_alloc(sizeof *ci);
  }
  if (!et) {   /* infer the generic arguments from the payload */
    Type **bind = arena_alloc(sizeof(Type *) * (size_t)(en->ntparams + 1));
    for (int i = 0; i < var->nfields; i++)
      if (ci->args[i] && ci->args[i]->ty) unify(en, var->ftypes[i], ci->args[i]->ty, bind);
    for (int i = 0; i < en->ntparams; i++)
      if (!bind[i]) {
        diag_error_help(n->span, arena_printf("annotate the expected type, e.g. `let x: %s<...> = ...`", en->name),
                        "cannot infer type parameter %s of %s", en->tparams[i]->str, what);
        return ty_error;
      }
    et = type_inst(en, bind, en->ntparams);
    for (int i = 0; i < var->nfields; i++)
      if (ci->args[i]) expect_type(ci->args[i], ci->args[i]->ty, type_variant_field(et, v, i), "variant field");
  }
  for (int i = 0; i < var->nfields; i++) ci->ptypes[i] = type_variant_field(et, v, i);
  ci->kind = CALL_VARIANT;
  ci->enum_type = et;
  ci->variant = v;
  n->sema = ci;
  return et;
}

Type *check_variant_path(Node *n, Type *want) { return check_variant(n, n, false, want); }

Type *check_call(Node *n, Type *want) {
  Node *callee = n->lhs;
  if (!callee) {
    check_args_alone(n);
    return ty_error;
  }
  switch (callee->kind) {
  case N_IDENT: return check_fn_call(n, callee);
  case N_FIELD: return check_method_call(n, callee, want);
  case N_PATH: return check_variant(n, callee, true, want);
  default:
    check_expr(callee, NULL);
    diag_error(callee->span, "this expression cannot be called");
    return ty_error;
  }
}
