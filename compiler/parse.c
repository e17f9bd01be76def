/* parse.c -- parser core: token access, errors, recovery, declarations.
 *
 * Grammar of declarations (expressions: parse_expr.c; statements and
 * blocks: parse_stmt.c):
 *
 *   program  = { decl }
 *   decl     = [pub] fn | enum | class | test
 *   fn       = "fn" NAME [tparams] "(" [param {"," param}] [","] ")" ["->" type] block
 *   param    = NAME ":" type ["=" expr]
 *   enum     = "enum" NAME [tparams] "{" [variant {"," variant}] [","] "}"
 *   variant  = NAME ["(" [field {"," field}] ")"]     field = NAME ":" type | type
 *   class    = "class" NAME [tparams] [":" NAME] "{" {member} "}"
 *   member   = [pub] ("let"|"var") NAME ":" type ";"
 *            | [pub] [virtual|override] fn  |  [pub] "init" "(" params ")" ["->" type] block
 *   test     = "test" NAME "{" {fn} "}"
 *
 * Recovery at this level: after an error, skip to the next token that can
 * start a declaration (fn enum class test pub) and clear the panic.
 */
#include "parse.h"

#include <stdio.h>

#include "diag.h"
#include "parse_int.h"

/* ---- tokens ---- */
Token *peek(Parser *p) { return &p->toks[p->pos]; }

Token *peek_at(Parser *p, int k) {
  int i = p->pos + k;
  return &p->toks[i < p->ntok ? i : p->ntok - 1];
}

bool at(Parser *p, TokKind k) { return p->toks[p->pos].kind == k; }

Token *advance(Parser *p) {
  Token *t = &p->toks[p->pos];
  if (t->kind != T_EOF) { p->pos++; p->prev_hi = t->span.hi; }
  return t;
}

bool accept(Parser *p, TokKind k) {
  if (!at(p, k)) return false;
  advance(p);
  return true;
}

/* ---- errors ---- */
/* An error next to one the lexer reported is a consequence of it: quiet. */
static bool near_lex_error(Parser *p) {
  return peek(p)->bad || (p->pos > 0 && p->toks[p->pos - 1].bad);
}

static void vreport(Parser *p, Span sp, const char *help, const char *fmt, va_list ap) {
  char msg[512];
  vsnprintf(msg, sizeof msg, fmt, ap);
  if (!near_lex_error(p)) diag_error_help(sp, help, "%s", msg);
}

void perr(Parser *p, Span sp, const char *help, const char *fmt, ...) {
  if (p->panic || p->dead) return;
  p->panic = true;
  va_list ap;
  va_start(ap, fmt);
  vreport(p, sp, help, fmt, ap);
  va_end(ap);
  if (at(p, T_EOF)) p->dead = true;   /* the rest would be cascades */
}

void psoft(Parser *p, Span sp, const char *help, const char *fmt, ...) {
  if (p->panic || p->dead) return;
  va_list ap;
  va_start(ap, fmt);
  vreport(p, sp, help, fmt, ap);
  va_end(ap);
}

Span expected_span(Parser *p) {
  Token *t = peek(p);
  if (p->pos > 0) {
    int l1 = file_locate(p->file, p->prev_hi).line, l2 = file_locate(p->file, t->span.lo).line;
    if (l2 > l1 || t->kind == T_EOF) return (Span){p->prev_hi, p->prev_hi};
  }
  return t->span;
}

/* A missing closer or separator is shown where it belongs (after the
 * previous token); anything else at the token found instead. */
static void err_expected_kind(Parser *p, TokKind k, const char *what, const char *context,
                              const char *help) {
  bool closer = k == T_SEMI || k == T_RPAREN || k == T_RBRACKET || k == T_RBRACE ||
                k == T_COMMA || k == T_GT;
  Span sp = closer || at(p, T_EOF) ? expected_span(p) : peek(p)->span;
  perr(p, sp, help, "expected %s%s%s, found %s", what, context ? " " : "",
       context ? context : "", tok_describe(peek(p)));
}

void err_expected(Parser *p, const char *what, const char *context, const char *help) {
  err_expected_kind(p, T_EOF, what, context, help);
}

Token *expect(Parser *p, TokKind k, const char *context) {
  if (at(p, k)) return advance(p);
  const char *help = NULL;
  if (k == T_ARROW && at(p, T_FATARROW)) help = "match and select arms use `->`";
  if (k == T_RPAREN && at(p, T_ASSIGN)) help = "to compare two values, use `==`";
  err_expected_kind(p, k, tok_kind_str(k), context, help);
  return NULL;
}

Name expect_ident(Parser *p, const char *what, Span *sp) {
  Token *t = peek(p);
  if (t->kind == T_IDENT) {
    advance(p);
    if (sp) *sp = t->span;
    return t->name;
  }
  if (tok_is_keyword(t->kind)) {
    perr(p, t->span, "keywords cannot be used as names", "expected %s, found keyword `%s`", what, t->name);
    advance(p);
  } else {
    err_expected(p, what, NULL, NULL);
  }
  if (sp) *sp = t->span;
  return intern_cstr("<error>");
}

/* ---- nesting ---- */
bool enter(Parser *p) {
  if (++p->depth <= PLAT_MAX_NESTING) return true;
  if (p->depth == PLAT_MAX_NESTING + 1) {
    p->panic = false;
    perr(p, peek(p)->span, "split the expression or block into smaller functions",
         "nesting is too deep (more than %d levels)", PLAT_MAX_NESTING);
    p->pos = p->ntok - 1;     /* give up: jump to T_EOF */
    p->dead = true;
  }
  return false;
}

void leave(Parser *p) { p->depth--; }

/* ---- nodes ---- */
Node *new_node(NodeKind k, Span sp) {
  Node *n = arena_alloc(sizeof *n);
  n->kind = k;
  n->span = sp;
  return n;
}

Node *error_node(Span sp) {
  Node *n = new_node(N_IDENT, sp);
  n->name = intern_cstr("<error>");
  n->name_span = sp;
  return n;
}

Span span_from(Parser *p, uint32_t lo) {
  return (Span){lo, p->prev_hi > lo ? p->prev_hi : lo};
}

bool is_title_case(Name n) { return n[0] >= 'A' && n[0] <= 'Z'; }

/* ---- declarations ---- */
static void parse_type_params(Parser *p, Decl *d) {
  if (!accept(p, T_LT)) return;
  while (!at(p, T_GT) && !at(p, T_EOF)) {
    TypeParam tp;
    tp.name = expect_ident(p, "a type parameter name", &tp.span);
    vec_push(&d->type_params, tp);
    if (!accept(p, T_COMMA)) break;
  }
  expect(p, T_GT, "after type parameters");
}

static void parse_params(Parser *p, Decl *d) {
  if (!expect(p, T_LPAREN, "before parameters")) return;
  while (!at(p, T_RPAREN) && !at(p, T_EOF) && !p->panic) {
    Param pr = {0};
    uint32_t lo = peek(p)->span.lo;
    if (at(p, T_SELF)) {
      perr(p, peek(p)->span, "methods receive `self` implicitly", "`self` is not written as a parameter");
      advance(p);
    }
    pr.name = expect_ident(p, "a parameter name", &pr.name_span);
    if (expect(p, T_COLON, "after the parameter name")) pr.type = parse_type(p);
    if (accept(p, T_ASSIGN)) pr.default_value = parse_expr(p);
    pr.span = span_from(p, lo);
    vec_push(&d->params, pr);
    if (!accept(p, T_COMMA)) break;
  }
  expect(p, T_RPAREN, "after parameters");
}

/* After `fn` or `init`: the rest of a function.  `name` is given for init. */
static Decl *parse_fn_rest(Parser *p, uint32_t lo, bool is_init) {
  Decl *d = arena_alloc(sizeof *d);
  d->kind = D_FN;
  if (is_init) { d->name = intern_cstr("init"); d->name_span = p->toks[p->pos - 1].span; }
  else d->name = expect_ident(p, "a function name", &d->name_span);
  parse_type_params(p, d);
  parse_params(p, d);
  if (accept(p, T_ARROW)) d->ret = parse_type(p);
  else if (at(p, T_COLON)) {
    psoft(p, peek(p)->span, "write the return type after `->`: fn f() -> Int32", "expected `->` before the return type");
    advance(p);
    d->ret = parse_type(p);
  }
  if (at(p, T_LBRACE)) d->body = parse_block(p);
  else {
    err_expected(p, "`{`", "to start the function body", NULL);
    d->body = new_node(N_BLOCK, expected_span(p));
  }
  d->span = span_from(p, lo);
  return d;
}

static void parse_variant_fields(Parser *p, Variant *v) {
  bool named = false, unnamed = false;
  while (!at(p, T_RPAREN) && !at(p, T_EOF) && !p->panic) {
    Field f = {0};
    uint32_t lo = peek(p)->span.lo;
    if (at(p, T_IDENT) && peek_at(p, 1)->kind == T_COLON) {
      f.name = expect_ident(p, "a field name", &f.name_span);
      advance(p);
      named = true;
    } else {
      char nm[32];
      snprintf(nm, sizeof nm, "field%d", v->fields.len);
      f.name = intern_cstr(nm);
      f.name_span = peek(p)->span;
      unnamed = true;
    }
    f.type = parse_type(p);
    f.span = span_from(p, lo);
    if (named && unnamed)
      psoft(p, f.span, "name every field (`radius: Float64`) or none (`Float64`)",
           "a variant cannot mix named and unnamed fields");
    vec_push(&v->fields, f);
    if (!accept(p, T_COMMA)) break;
  }
  expect(p, T_RPAREN, "after variant fields");
}

static Decl *parse_enum(Parser *p, uint32_t lo) {
  Decl *d = arena_alloc(sizeof *d);
  d->kind = D_ENUM;
  d->name = expect_ident(p, "an enum name", &d->name_span);
  parse_type_params(p, d);
  if (!expect(p, T_LBRACE, "after the enum name")) { d->span = span_from(p, lo); return d; }
  while (!at(p, T_RBRACE) && !at(p, T_EOF) && !p->panic) {
    Variant v = {0};
    uint32_t vlo = peek(p)->span.lo;
    v.name = expect_ident(p, "a variant name", NULL);
    if (accept(p, T_LPAREN)) { v.has_parens = true; parse_variant_fields(p, &v); }
    v.span = span_from(p, vlo);
    vec_push(&d->variants, v);
    if (!accept(p, T_COMMA)) break;
  }
  expect(p, T_RBRACE, "after the enum variants");
  d->span = span_from(p, lo);
  return d;
}

static void parse_field(Parser *p, Decl *cls, uint32_t lo, bool is_pub) {
  Field f = {0};
  f.is_pub = is_pub;
  f.is_var = advance(p)->kind == T_VAR;
  f.name = expect_ident(p, "a field name", &f.name_span);
  if (expect(p, T_COLON, "after the field name")) f.type = parse_type(p);
  if (at(p, T_ASSIGN)) {
    psoft(p, peek(p)->span, "give fields their values in `init` or in `Name.init(...)`",
         "class fields cannot have an initial value");
    advance(p);
    parse_expr(p);
  }
  expect(p, T_SEMI, "after the field");
  f.span = span_from(p, lo);
  vec_push(&cls->fields, f);
}

static void sync_member(Parser *p) {
  int depth = 0;
  while (!at(p, T_EOF)) {
    TokKind k = peek(p)->kind;
    if (depth == 0 && (k == T_FN || k == T_PUB || k == T_LET || k == T_VAR || k == T_INIT ||
                       k == T_RBRACE || k == T_CLASS || k == T_ENUM || k == T_TEST)) break;
    if (k == T_LBRACE) depth++;
    if (k == T_RBRACE) depth--;
    advance(p);
    if (depth == 0 && k == T_SEMI) break;
  }
  p->panic = false;
}

static void parse_member(Parser *p, Decl *cls) {
  uint32_t lo = peek(p)->span.lo;
  bool is_pub = accept(p, T_PUB);
  bool is_virtual = false, is_override = false;
  for (;;) {
    if (accept(p, T_VIRTUAL)) is_virtual = true;
    else if (accept(p, T_OVERRIDE)) is_override = true;
    else break;
  }
  Decl *m = NULL;
  if (at(p, T_LET) || at(p, T_VAR)) {
    if (is_virtual || is_override)
      psoft(p, peek(p)->span, NULL, "only methods can be `virtual` or `override`");
    parse_field(p, cls, lo, is_pub);
    return;
  }
  if (accept(p, T_FN)) m = parse_fn_rest(p, lo, false);
  else if (accept(p, T_INIT)) m = parse_fn_rest(p, lo, true);
  else {
    err_expected(p, "a field (`let`/`var`), a method (`fn`) or `init`", "in the class body", NULL);
    if (!at(p, T_RBRACE)) advance(p);
    return;
  }
  m->is_pub = is_pub;
  m->is_virtual = is_virtual;
  m->is_override = is_override;
  m->owner = cls;
  m->span = span_from(p, lo);
  vec_push(&cls->methods, m);
}

static Decl *parse_class(Parser *p, uint32_t lo) {
  Decl *d = arena_alloc(sizeof *d);
  d->kind = D_CLASS;
  d->name = expect_ident(p, "a class name", &d->name_span);
  parse_type_params(p, d);
  if (accept(p, T_COLON)) d->parent = expect_ident(p, "the parent class name", NULL);
  if (!expect(p, T_LBRACE, "to start the class body")) { d->span = span_from(p, lo); return d; }
  while (!at(p, T_RBRACE) && !at(p, T_EOF)) {
    TokKind k = peek(p)->kind;
    if (k == T_CLASS || k == T_ENUM || k == T_TEST) break;   /* missing `}` */
    int before = p->pos;
    parse_member(p, d);
    if (p->panic) sync_member(p);
    if (p->pos == before && !at(p, T_RBRACE)) advance(p);
  }
  expect(p, T_RBRACE, "to close the class body");
  d->span = span_from(p, lo);
  return d;
}

static Decl *parse_test(Parser *p, uint32_t lo) {
  Decl *d = arena_alloc(sizeof *d);
  d->kind = D_TEST;
  d->name = expect_ident(p, "a test block name", &d->name_span);
  if (!expect(p, T_LBRACE, "after the test block name")) { d->span = span_from(p, lo); return d; }
  while (!at(p, T_RBRACE) && !at(p, T_EOF)) {
    int before = p->pos;
    uint32_t flo = peek(p)->span.lo;
    if (accept(p, T_FN)) vec_push(&d->fns, parse_fn_rest(p, flo, false));
    else if (at(p, T_CLASS) || at(p, T_ENUM) || at(p, T_TEST)) break;
    else err_expected(p, "`fn`", "in a test block", "a test block holds functions: fn test_x() { ... }");
    if (p->panic) sync_member(p);
    if (p->pos == before && !at(p, T_RBRACE)) advance(p);
  }
  expect(p, T_RBRACE, "to close the test block");
  d->span = span_from(p, lo);
  return d;
}

static bool starts_decl(TokKind k) {
  return k == T_FN || k == T_ENUM || k == T_CLASS || k == T_TEST || k == T_PUB;
}

static void sync_decl(Parser *p) {
  while (!at(p, T_EOF) && !starts_decl(peek(p)->kind)) advance(p);
  p->panic = false;
}

static Decl *parse_decl(Parser *p) {
  Token *t = peek(p);
  uint32_t lo = t->span.lo;
  bool is_pub = accept(p, T_PUB);
  Decl *d = NULL;
  t = peek(p);
  switch (t->kind) {
  case T_FN: advance(p); d = parse_fn_rest(p, lo, false); break;
  case T_ENUM: advance(p); d = parse_enum(p, lo); break;
  case T_CLASS: advance(p); d = parse_class(p, lo); break;
  case T_TEST: advance(p); d = parse_test(p, lo); break;
  case T_TYPE: case T_NEWTYPE: case T_MOD: case T_USE: case T_BENCH:
    perr(p, t->span, NULL, "`%s` declarations are not supported yet", t->name);
    advance(p);
    break;
  case T_LET: case T_VAR:
    perr(p, t->span, "declare variables inside a function", "global variables are not supported");
    advance(p);
    break;
  default: {
    const char *help = NULL;
    if (t->kind == T_IDENT) {
      static const char *const fn_words[] = {"func", "function", "def", "fun"};
      for (int i = 0; i < 4; i++)
        if (strcmp(t->name, fn_words[i]) == 0) help = "functions are declared with `fn`";
      if (strcmp(t->name, "struct") == 0 || strcmp(t->name, "interface") == 0)
        help = "records are declared with `class`";
      if (strcmp(t->name, "import") == 0 || strcmp(t->name, "package") == 0)
        help = "a program is one file; modules are not supported yet";
      if (strcmp(t->name, "const") == 0 || strcmp(t->name, "static") == 0)
        help = "global variables are not supported; declare variables inside a function";
    }
    err_expected(p, "a declaration (`fn`, `enum`, `class` or `test`)", NULL, help);
    advance(p);
    break;
  }
  }
  if (d) d->is_pub = is_pub;
  return d;
}

Program *parse_program(FileSet *fs, const char *path, const char *src, size_t len) {
  Program *prog = arena_alloc(sizeof *prog);
  prog->fset = fs;
  prog->path = path;
  prog->file = fset_add(fs, path, src, len);
  if (!prog->file) {                  /* positions are 32-bit */
    prog->file = fset_add(fs, path, "", 0);
    diag_error(file_start(prog->file), "source file is too large (4 GiB or more)");
    return prog;
  }
  Parser p = {0};
  p.file = prog->file;
  p.toks = lex_all(prog->file, &p.ntok);
  while (!at(&p, T_EOF)) {
    Decl *d = parse_decl(&p);
    if (d) vec_push(&prog->decls, d);
    if (p.panic) sync_decl(&p);
  }
  return prog;
}
