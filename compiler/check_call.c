/* check_call.c -- calls: named arguments, functions, methods, constructors,
 * enum variants and the built-ins of LANGUAGE.md section 6.
 *
 * match_args() is the one place that pairs written arguments with
 * parameters: it reports unknown names (with "did you mean"), duplicates,
 * missing required arguments and unnamed arguments, checks each value
 * against its parameter type and records the evaluation order (the
 * written order) for the emitter.
 *
 * Built-in signatures are written as small strings ("index:AnyInt,
 * value:T") parsed on use; T and E stand for the receiver's element /
 * error type.  AnyInt accepts any integer type, `*` any printable value.
 */
#include "check_int.h"

#include <stdio.h>

Type ty_anyint_s = {.kind = T_I32, .str = "an integer"};
Type ty_printable_s = {.kind = T_STRING, .str = "a printable value"};

#define builtins plat_builtins

/* ---- signature strings ---- */
static Type *sig_type(const char **s, Type *T, Type *E) {
  const char *p = *s;
  while (*p == ' ') p++;
  const char *b = p;
  while ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '*') p++;
  Name n = intern(b, (size_t)(p - b));
  Type *args[2] = {NULL, NULL};
  int na = 0;
  if (*p == '<') {
    p++;
    while (na < 2) {
      args[na++] = sig_type(&p, T, E);
      if (*p == ',') { p++; continue; }
      break;
    }
    if (*p == '>') p++;
  }
  *s = p;
  if (!strcmp(n, "T")) return T ? T : ty_error;
  if (!strcmp(n, "E")) return E ? E : ty_error;
  if (!strcmp(n, "AnyInt")) return &ty_anyint_s;
  if (!strcmp(n, "*")) return &ty_printable_s;
  if (!strcmp(n, "Unit")) return ty_unit;
  if (!strcmp(n, "Never")) return ty_never;
  if (!strcmp(n, "List")) return type_list(args[0]);
  if (!strcmp(n, "Option")) return type_option(args[0]);
  if (!strcmp(n, "Result")) return type_result(args[0], args[1]);
  TypeEntry *e = lookup_type(n);
  return e && e->type ? e->type : ty_error;
}

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
  bool unknown = false;   /* a misspelt name: do not also report it missing */
  Name *given_as = arena_alloc(sizeof(Name) * (size_t)(np + 1));   /* per parameter: the name written */
  allow_positional = allow_field0 = false;
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
        unknown = true;
        const char *dym = diag_did_you_mean(arg->name, pnames, np);
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
    bool anyint = want == &ty_anyint_s, printable = want == &ty_printable_s;
    if (anyint || printable) want = NULL;
    Type *t = check_expr(arg->value, want);
    if (k < 0) continue;
    ci->args[k] = arg->value;
    ci->order[ci->nwritten++] = k;
    if (anyint) {
      if (t->kind != T_ERROR && !type_is_int(t))
        diag_error(arg->value ? arg->value->span : arg->span, "argument `%s` must be an integer, found %s",
                   pnames[k], t->str);
      ci->ptypes[k] = t;
    } else if (printable) {
      if (!is_printable(t))
        diag_error_help(arg->value ? arg->value->span : arg->span,
                        "print a String, a number, a Bool, or a value with a `to_string()` method",
                        "a value of type %s cannot be printed", t->str);
      ci->ptypes[k] = t;
    } else if (want) {
      expect_type(arg->value, t, want, arena_printf("argument `%s`", arg->name ? arg->name : pnames[k]));
    }
    if (t->kind == T_UNIT && want && want->kind != T_UNIT)
      diag_error(arg->value ? arg->value->span : arg->span, "this expression has no value");
  }
  Buf missing = {0};
  int nmiss = 0;
  for (int i = 0; i < np; i++) {
    if (ci->args[i] || ci->defaults[i]) continue;
    buf_printf(&missing, "%s`%s`", nmiss ? ", " : "", pnames[i]);
    nmiss++;
  }
  if (nmiss && !unknown) {
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

static Type *check_ctor(Node *n, ClassInfo *cls) {
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
  return type_class(cls);
}

static const char *builtin_fn_names(const char **out) {
  int k = 0;
  for (const Builtin *b = builtins; b->name; b++)
    if (!b->recv) out[k++] = b->name;
  out[k] = NULL;
  return NULL;
}

static Type *check_builtin_call(Node *n, const Builtin *b, Node *recv, Type *T, Type *E) {
  Name pn[4];
  Type *pt[4];
  Node *df[4] = {0};
  int np = 0;
  const char *s = b->params;
  static Node default_marker;   /* "has a default": the emitter supplies it */
  while (*s && np < 4) {
    const char *c = strchr(s, ':');
    if (!c) break;
    pn[np] = intern(s, (size_t)(c - s));
    s = c + 1;
    pt[np] = sig_type(&s, T, E);
    if (*s == '=') {
      df[np] = &default_marker;
      s++;
    }
    np++;
    if (*s == ',') s++;
  }
  const char *what = recv ? arena_printf("`%s`", b->name) : arena_printf("`%s`", b->name);
  CallInfo *ci = match_args(n, &n->args, np, pn, pt, df, what);
  for (int i = 0; i < np; i++)
    if (ci->defaults[i] == &default_marker) ci->defaults[i] = NULL;
  ci->kind = recv ? CALL_BMETHOD : CALL_BUILTIN;
  if (b->id == BI_T_AWAIT) ci->kind = CALL_SPECIAL;
  ci->builtin = b;
  ci->bname = b->name;
  ci->recv = recv;
  n->sema = ci;
  const char *r = b->ret;
  return sig_type(&r, T, E);
}

static Type *check_fn_call(Node *n, Node *callee) {
  Name name = callee->name;
  if (!name) return ty_error;
  Sym *s = lookup_local(name);
  if (s) {
    check_expr(callee, NULL);
    diag_error(callee->span, "`%s` is a variable of type %s, not a function", name, s->type->str);
    return ty_error;
  }
  Decl *d = lookup_fn(name);
  if (d && d->sema) {
    FnInfo *fi = d->sema;
    CallInfo *ci = call_decl(n, fi, arena_printf("`%s`", name));
    ci->kind = CALL_FN;
    n->sema = ci;
    return fi->ret;
  }
  for (const Builtin *b = builtins; b->name; b++)
    if (!b->recv && !strcmp(b->name, name)) return check_builtin_call(n, b, NULL, NULL, NULL);
  const char *cands[256];
  int nc = 0;
  for (int i = 0; i < C.fns.len && nc < 200; i++) cands[nc++] = C.fns.items[i]->name;
  builtin_fn_names(cands + nc);
  while (cands[nc]) nc++;
  const char *dym = diag_did_you_mean(name, cands, nc);
  diag_error_help(callee->span, dym ? arena_printf("did you mean `%s`?", dym) : NULL,
                  "unknown function `%s`", name);
  for (int i = 0; i < n->args.len; i++) check_expr(n->args.items[i].value, NULL);
  return ty_error;
}

static int recv_code(Type *t) {
  if (type_is_option(t)) return RECV_OPTION;
  if (type_is_result(t)) return RECV_RESULT;
  if (t->kind == T_TASK) return RECV_TASK;
  if (t->kind == T_LIST || t->kind == T_STRING || t->kind == T_CHANNEL) return t->kind;
  if (t->kind == T_BOOL || type_is_numeric(t)) return RECV_PRIM;
  return -1;
}

static Type *check_method_call(Node *n, Node *callee, Type *want) {
  Node *lhs = callee->lhs;
  Name name = callee->name;
  if (lhs && lhs->kind == N_IDENT && !lookup_local(lhs->name) && lhs->name) {
    TypeEntry *e = lookup_type(lhs->name);
    if (!strcmp(lhs->name, "Channel")) return check_channel_static(n, callee, want);
    if (e && e->type && e->type->kind == T_CLASS) {
      if (name && !strcmp(name, "init")) return check_ctor(n, e->type->cls);
      diag_error_help(callee->span, arena_printf("construct with `%s.init(...)`", lhs->name),
                      "`%s` is a class; `%s.%s` is not a constructor", lhs->name, lhs->name,
                      name ? name : "?");
      return ty_error;
    }
    if (e) {
      diag_error(callee->span, "`%s` is a type; it has no method `%s`", lhs->name, name ? name : "?");
      return ty_error;
    }
  }
  Type *t = check_expr(lhs, NULL);
  if (t->kind == T_ERROR || !name) {
    for (int i = 0; i < n->args.len; i++) check_expr(n->args.items[i].value, NULL);
    return ty_error;
  }
  if (t->kind == T_CLASS) {
    FnInfo *fi = class_method(t->cls, name);
    if (!fi || fi->is_init) {
      const char *cands[64];
      int nc = 0;
      Decl *cd = t->cls->decl;
      for (int i = 0; i < cd->methods.len && nc < 64; i++)
        if (cd->methods.items[i]) cands[nc++] = cd->methods.items[i]->name;
      const char *dym = diag_did_you_mean(name, cands, nc);
      diag_error_help(callee->span, dym ? arena_printf("did you mean `%s`?", dym) : NULL,
                      "%s has no method `%s`", t->str, name);
      return ty_error;
    }
    if (!fi->decl->is_pub && C.cls != t->cls)
      diag_error_help(callee->span, "mark the method `pub` to call it outside the class",
                      "method `%s` of %s is private", name, t->cls->name);
    CallInfo *ci = call_decl(n, fi, arena_printf("`%s.%s`", t->cls->name, name));
    ci->kind = CALL_METHOD;
    ci->recv = lhs;
    n->sema = ci;
    return fi->ret;
  }
  int rc = recv_code(t);
  for (const Builtin *b = builtins; b->name; b++) {
    if (b->recv != rc || strcmp(b->name, name)) continue;
    Type *T = t->nargs ? t->args[0] : NULL, *E = t->nargs > 1 ? t->args[1] : NULL;
    if (b->id == BI_L_JOIN && T != ty_string) {
      diag_error(callee->span, "`join` needs a List<String>, found %s", t->str);
      return ty_error;
    }
    if ((b->id == BI_L_CONTAINS || b->id == BI_L_INDEX_OF) && T &&
        !(T->kind <= T_STRING || T->kind == T_CLASS || (T->kind == T_ENUM && T->en->all_unit))) {
      diag_error(callee->span, "`%s` needs elements that can be compared with `==`, found %s", name, T->str);
      return ty_error;
    }
    Type *r = check_builtin_call(n, b, lhs, T, E);
    if ((b->id == BI_L_PUSH || b->id == BI_L_SET || b->id == BI_L_INSERT_AT) && T &&
        type_contains(T, T_TASK))
      check_task_escape(lhs, T, n->span);
    return r;
  }
  const char *cands[32];
  int nc = 0;
  for (const Builtin *b = builtins; b->name && nc < 32; b++)
    if (b->recv == rc) cands[nc++] = b->name;
  const char *dym = diag_did_you_mean(name, cands, nc);
  diag_error_help(callee->span, dym ? arena_printf("did you mean `%s`?", dym) : NULL,
                  "%s has no method `%s`", t->str, name);
  for (int i = 0; i < n->args.len; i++) check_expr(n->args.items[i].value, NULL);
  return ty_error;
}

/* ---- enum variants ---- */
static bool unify(Type *pat, Type *t, Type **bind, int nb) {
  if (!pat || !t) return true;
  if (pat->kind == T_PARAM) {
    if (pat->param < nb && !bind[pat->param] && t->kind != T_ERROR && t->kind != T_NEVER) bind[pat->param] = t;
    return true;
  }
  if (pat->nargs && pat->kind == t->kind && pat->en == t->en && pat->nargs == t->nargs)
    for (int i = 0; i < pat->nargs; i++) unify(pat->args[i], t->args[i], bind, nb);
  return true;
}

/* Resolve `Enum::Variant` of n (N_PATH) to an enum and a variant index. */
static EnumInfo *path_enum(Node *path, int *vi, Type **explicit_t) {
  *explicit_t = NULL;
  TypeExpr *te = path->path_type;
  if (!te || !te->name) return NULL;
  TypeEntry *e = lookup_type(te->name);
  EnumInfo *en = e ? (e->generic ? e->generic : e->type && e->type->kind == T_ENUM ? e->type->en : NULL) : NULL;
  if (!en) {
    diag_error(te->span, e ? "`%s` is not an enum" : "unknown enum `%s`", te->name);
    return NULL;
  }
  if (te->args.len || !en->ntparams) *explicit_t = resolve_type(te);
  for (int i = 0; i < en->nvariants; i++)
    if (en->variants[i].name == path->name) {
      *vi = i;
      return en;
    }
  const char *cands[64];
  int nc = 0;
  for (int i = 0; i < en->nvariants && nc < 64; i++) cands[nc++] = en->variants[i].name;
  const char *dym = path->name ? diag_did_you_mean(path->name, cands, nc) : NULL;
  diag_error_help(path->name_span.hi ? path->name_span : path->span,
                  dym ? arena_printf("did you mean `%s::%s`?", en->name, dym) : NULL,
                  "enum %s has no variant `%s`", en->name, path->name ? path->name : "?");
  return NULL;
}

static Type *check_variant(Node *n, Node *path, bool has_call, Type *want) {
  int v = 0;
  Type *et;
  EnumInfo *en = path_enum(path, &v, &et);
  if (!en) {
    if (has_call)
      for (int i = 0; i < n->args.len; i++) check_expr(n->args.items[i].value, NULL);
    return ty_error;
  }
  if (et && et->kind == T_ERROR) return ty_error;
  if (!et && want && want->kind == T_ENUM && want->en == en) et = want;
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
    pt[i] = et ? type_variant_field(et, v, i) : type_contains(var->ftypes[i], T_PARAM) ? NULL : var->ftypes[i];
  CallInfo *ci;
  if (has_call) {
    allow_positional = true;
    allow_field0 = en->builtin != 0;
    ci = match_args(n, &n->args, var->nfields, var->fnames, pt, NULL, what);
  } else {
    ci = arena_alloc(sizeof *ci);
  }
  if (!et) {   /* infer the generic arguments from the payload */
    Type *bind[16] = {0};
    int nb = en->ntparams < 16 ? en->ntparams : 16;
    for (int i = 0; i < var->nfields; i++)
      if (ci->args[i] && ci->args[i]->ty) unify(var->ftypes[i], ci->args[i]->ty, bind, nb);
    for (int i = 0; i < nb; i++)
      if (!bind[i]) {
        diag_error_help(n->span, arena_printf("annotate the expected type, e.g. `let x: %s<...> = ...`", en->name),
                        "cannot infer type parameter %s of %s", en->tparams[i], what);
        return ty_error;
      }
    et = type_enum(en, bind);
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
  if (!callee) callee = n->body;   /* defensive: the parser puts the callee in lhs */
  if (!callee) {
    for (int i = 0; i < n->args.len; i++) check_expr(n->args.items[i].value, NULL);
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
