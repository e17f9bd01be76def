/* check_match.c -- match expressions, patterns and exhaustiveness.
 *
 * Variant patterns bind fields by name when every binding name is a
 * field name of the variant (`Shape::Rect(w: Float64, h: Float64)`), else
 * by position (`Option::Some(x: Int32)`, `Status::Warning(code: Int32)`).
 * Exhaustiveness: an enum match must name every variant or have `_`; a
 * Bool match needs both values or `_`; any other scrutinee needs `_`.
 */
#include "check_int.h"

static void bind_fields(Pattern *pat, Type *et, VariantInfo *var) {
  bool by_name = true;
  for (int i = 0; i < pat->bindings.len; i++) {
    Name bn = pat->bindings.items[i].name;
    if (!bn || !strcmp(bn, "_")) continue;
    bool found = false;
    for (int f = 0; f < var->nfields; f++)
      if (var->fnames[f] == bn) found = true;
    if (!found) by_name = false;
  }
  if (!by_name && pat->bindings.len != var->nfields)
    diag_error(pat->span, "pattern %s::%s has %d binding%s but the variant has %d field%s", et->decl->name,
               var->name, pat->bindings.len, pat->bindings.len == 1 ? "" : "s", var->nfields,
               var->nfields == 1 ? "" : "s");
  for (int i = 0; i < pat->bindings.len; i++) {
    PatBinding *b = &pat->bindings.items[i];
    b->field_index = -1;
    bool ignore = !b->name || !strcmp(b->name, "_");
    int f = -1;
    if (by_name && !ignore) {
      for (int k = 0; k < var->nfields; k++)
        if (var->fnames[k] == b->name) f = k;
    } else if (!by_name && i < var->nfields) {
      f = i;
    }
    Type *ft = f >= 0 ? type_variant_field(et, pat->variant_index, f) : ty_error;
    if (b->type) {
      Type *bt = resolve_type(b->type);
      if (f >= 0 && bt != ty_error && ft != ty_error && bt != ft)
        diag_error(b->span, "binding `%s` has type %s but field `%s` is %s", b->name ? b->name : "_",
                   bt->str, var->fnames[f], ft->str);
    }
    if (ignore) continue;
    check_snake(b->name, b->span, "variable");
    b->field_index = f;
    b->sym = declare_local(b->name, b->span, ft, false, SYM_LOCAL);
  }
}

/* After an error: still declare the bindings so their uses do not cascade. */
static void declare_loose(Pattern *pat) {
  for (int i = 0; i < pat->bindings.len; i++) {
    PatBinding *b = &pat->bindings.items[i];
    b->field_index = -1;
    if (!b->name || !strcmp(b->name, "_")) continue;
    b->sym = declare_local(b->name, b->span, b->type ? resolve_type(b->type) : ty_error, false, SYM_LOCAL);
  }
}

/* Check one pattern against scrutinee type t; mark covered variants. */
static void check_pattern(Pattern *pat, Type *t, bool *covered, bool *wild, bool *btrue, bool *bfalse) {
  if (!pat) return;
  pat->variant_index = -1;
  if (pat->kind == PAT_WILDCARD) {
    *wild = true;
    return;
  }
  if (pat->kind == PAT_LITERAL) {
    Type *lt = check_expr(pat->lit, t && type_is_numeric(t) ? t : NULL);
    if (t != ty_error && !(type_is_int(t) || t == ty_string || t == ty_bool))
      diag_error(pat->span, "cannot match %s against a literal", t->str);
    else
      expect_type(pat->lit, lt, t, "pattern");
    if (pat->lit && pat->lit->kind == N_BOOL) *(pat->lit->bool_val ? btrue : bfalse) = true;
    return;
  }
  if (t == ty_error) {
    declare_loose(pat);
    return;
  }
  if (!type_is_enum(t)) {
    diag_error(pat->span, "cannot match %s against an enum pattern", t->str);
    declare_loose(pat);
    return;
  }
  TypeDecl *en = t->decl;
  if (pat->enum_name && pat->enum_name != en->name) {
    diag_error(pat->span, "pattern of enum %s, but the value is %s", pat->enum_name, t->str);
    declare_loose(pat);
    return;
  }
  for (int i = 0; i < en->nvariants; i++)
    if (en->variants[i].name == pat->variant) pat->variant_index = i;
  if (pat->variant_index < 0) {
    VEC(const char *) cands = {0};
    for (int i = 0; i < en->nvariants; i++) vec_push(&cands, en->variants[i].name);
    const char *dym = pat->variant ? diag_did_you_mean(pat->variant, cands.items, cands.len) : NULL;
    diag_error_help(pat->variant_span.hi ? pat->variant_span : pat->span,
                    dym ? arena_printf("did you mean `%s::%s`?", en->name, dym) : NULL,
                    "enum %s has no variant `%s`", en->name, pat->variant ? pat->variant : "?");
    declare_loose(pat);
    return;
  }
  covered[pat->variant_index] = true;
  bind_fields(pat, t, &en->variants[pat->variant_index]);
}

static void report_missing(Node *n, Type *t, bool *covered, bool wild, bool bt, bool bf) {
  if (wild || t == ty_error) return;
  if (type_is_enum(t)) {
    Buf b = {0};
    int k = 0;
    for (int i = 0; i < t->decl->nvariants; i++)
      if (!covered[i]) buf_printf(&b, "%s%s::%s", k++ ? ", " : "", t->decl->name, t->decl->variants[i].name);
    if (k)
      diag_error_help(n->span, "add the missing arms, or a `_ -> ...` arm",
                      "non-exhaustive match: missing %s", b.data);
    buf_free(&b);
  } else if (t == ty_bool) {
    if (!(bt && bf))
      diag_error_help(n->span, "add the missing arm, or a `_ -> ...` arm", "non-exhaustive match: missing %s",
                      bt ? "false" : "true");
  } else {
    diag_error_help(n->span, "add a `_ -> ...` arm", "non-exhaustive match on %s", t->str);
  }
}

Type *check_match(Node *n, Type *want) {
  Type *t = check_expr(n->lhs, NULL);
  int nv = type_is_enum(t) ? t->decl->nvariants : 0;
  bool *covered = arena_alloc(sizeof(bool) * (size_t)(nv + 1));
  bool wild = false, bt = false, bf = false;
  Type *res = NULL;
  bool stmt = want && want == ty_unit;
  for (int i = 0; i < n->arms.len; i++) {
    MatchArm *a = &n->arms.items[i];
    push_scope(SC_BLOCK);
    check_pattern(a->pat, t, covered, &wild, &bt, &bf);
    Type *at = check_block(a->body, want);
    if (a->body) a->body->ty = at;
    pop_scope();
    if (stmt) continue;
    res = res ? join_types(res, at, a->span, "match arms") : at;
  }
  if (!n->arms.len) diag_error(n->span, "a match needs at least one arm");
  report_missing(n, t, covered, wild, bt, bf);
  if (stmt) {
    bool all_never = n->arms.len > 0;
    for (int i = 0; i < n->arms.len; i++)
      if (!n->arms.items[i].body || n->arms.items[i].body->ty != ty_never) all_never = false;
    return all_never ? ty_never : ty_unit;
  }
  return res ? res : ty_unit;
}
