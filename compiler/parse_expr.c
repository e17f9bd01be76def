/* parse_expr.c -- expressions, types, call arguments and match patterns.
 *
 * Precedence, lowest first (one function per level):
 *   or < and < not (prefix) < comparison (non-associative) < + - < * / %
 *   < unary - < postfix: call `f(a = 1)`, field `.x`, index `[i]`, `?`
 *
 * Conventions the checker relies on:
 * - `-5` is N_UNARY(OP_NEG, N_INT 5): literals carry magnitudes.
 * - `Shape::Circle` is N_PATH (path_type = `Shape`, name = `Circle`);
 *   `Option<Int32>::None` the same with path_type args.
 * - `Counter.init` is N_FIELD(N_IDENT Counter, init); written with generic
 *   args (`Box<Int32>.init`) the N_IDENT's `type` holds them, else NULL.
 * - `self` and `super` are N_IDENT named "self" / "super".
 * - Arguments: Arg.name is NULL only for a positional argument of a
 *   variant constructor (`Option::Some(5)`); elsewhere the parser requires
 *   names.
 * - An interpolated string is N_INTERP whose parts are N_STRING pieces
 *   (empty pieces dropped) and expressions, in source order.
 *
 * A `<` after a TitleCase name starts generic arguments only when the
 * tokens up to the matching `>` can form type arguments and `::` or `.`
 * follows; otherwise it is less-than.
 */
#include "diag.h"
#include "parse_int.h"

static Node *parse_unary(Parser *p);

/* ---- types ---- */
TypeExpr *parse_type(Parser *p) {
  TypeExpr *t = arena_alloc(sizeof *t);
  Token *tok = peek(p);
  t->span = tok->span;
  if (!enter(p)) { leave(p); t->name = intern_cstr("<error>"); return t; }
  if (tok->kind == T_IDENT) {
    advance(p);
    t->name = tok->name;
  } else {
    err_expected(p, "a type", NULL, NULL);
    t->name = intern_cstr("<error>");
    leave(p);
    return t;
  }
  TokKind close = at(p, T_LT) ? T_GT : at(p, T_LBRACKET) ? T_RBRACKET : T_EOF;
  if (close != T_EOF) {
    advance(p);
    while (!at(p, close) && !at(p, T_EOF) && !p->panic) {
      vec_push(&t->args, parse_type(p));
      if (!accept(p, T_COMMA)) break;
    }
    expect(p, close, "after type arguments");
  }
  t->span = span_from(p, t->span.lo);
  leave(p);
  return t;
}

/* At a TitleCase identifier followed by `<`: do the tokens form
 * `Name<types>` followed by `::` or `.`? */
static bool looks_generic(Parser *p) {
  if (peek(p)->kind != T_IDENT || !is_title_case(peek(p)->name) || peek_at(p, 1)->kind != T_LT)
    return false;
  int depth = 0;
  for (int k = 1; k < 200; k++) {
    TokKind t = peek_at(p, k)->kind;
    if (t == T_LT || t == T_LBRACKET) depth++;
    else if (t == T_GT || t == T_RBRACKET) {
      if (--depth == 0) {
        TokKind n = peek_at(p, k + 1)->kind;
        return t == T_GT && (n == T_COLONCOLON || n == T_DOT);
      }
      if (depth < 0) return false;
    } else if (t != T_IDENT && t != T_COMMA) return false;
  }
  return false;
}

/* ---- call arguments: `(name = e, ...)`, the `(` already consumed ---- */
void parse_call_args(Parser *p, ArgVec *args, bool allow_positional) {
  while (!at(p, T_RPAREN) && !at(p, T_EOF) && !p->panic) {
    Arg a = {0};
    Token *t = peek(p);
    a.span.lo = t->span.lo;
    if (t->kind == T_IDENT && peek_at(p, 1)->kind == T_ASSIGN) {
      a.name = t->name;
      a.name_span = t->span;
      advance(p); advance(p);
      a.value = parse_expr(p);
    } else if (t->kind == T_IDENT && peek_at(p, 1)->kind == T_COLON) {
      psoft(p, peek_at(p, 1)->span, "arguments are written `name = value`",
           "expected `=` after the argument name, found `:`");
      advance(p); advance(p);
      a.name = t->name;
      a.name_span = t->span;
      a.value = parse_expr(p);
    } else {
      a.value = parse_expr(p);
      if (!allow_positional)
        psoft(p, a.value->span, "every call names its arguments: f(name = value)",
             "argument must be named");
    }
    a.span = span_from(p, a.span.lo);
    vec_push(args, a);
    if (!accept(p, T_COMMA)) break;
  }
  if (!at(p, T_RPAREN) && !p->panic) {
    const char *help = at(p, T_SEMI) || at(p, T_RBRACE) ? NULL
                       : "separate arguments with `,`";
    err_expected(p, "`)`", "after arguments", help);
  }
  accept(p, T_RPAREN);
}

/* ---- primary expressions ---- */
static Node *parse_interp(Parser *p) {
  Token *t = advance(p);                       /* T_STR_BEGIN */
  Node *n = new_node(N_INTERP, t->span);
  for (;;) {
    if (t->str_len) {
      Node *s = new_node(N_STRING, t->span);
      s->str = t->str; s->str_len = t->str_len;
      vec_push(&n->parts, s);
    }
    if (t->kind == T_STR_END || t->kind == T_EOF) break;
    if (at(p, T_STR_MID) || at(p, T_STR_END)) {
      Span sp = {peek(p)->span.lo - 2, peek(p)->span.lo + 1};   /* `${}` */
      psoft(p, sp, "write an expression between `${` and `}`", "empty interpolation `${}`");
    } else {
      vec_push(&n->parts, parse_expr(p));
      if (!at(p, T_STR_MID) && !at(p, T_STR_END) && !at(p, T_EOF)) {
        err_expected(p, "`}`", "to close the interpolation", NULL);
        while (!at(p, T_STR_MID) && !at(p, T_STR_END) && !at(p, T_EOF)) advance(p);
      }
    }
    t = advance(p);
  }
  n->span = span_from(p, n->span.lo);
  return n;
}

static Node *parse_list(Parser *p) {
  uint32_t lo = advance(p)->span.lo;
  Node *n = new_node(N_LIST, (Span){lo, lo});
  while (!at(p, T_RBRACKET) && !at(p, T_EOF) && !p->panic) {
    vec_push(&n->items, parse_expr(p));
    if (!accept(p, T_COMMA)) break;
  }
  expect(p, T_RBRACKET, "after the list elements");
  n->span = span_from(p, lo);
  return n;
}

/* `cast(value = e, target = T)`: the names are checked here. */
static Node *parse_cast(Parser *p) {
  uint32_t lo = advance(p)->span.lo;
  Node *n = new_node(N_CAST, (Span){lo, lo});
  if (!expect(p, T_LPAREN, "after `cast`")) return n;
  while (!at(p, T_RPAREN) && !at(p, T_EOF) && !p->panic) {
    Span nsp;
    Name nm = expect_ident(p, "`value` or `target`", &nsp);
    if (!expect(p, T_ASSIGN, "after the argument name")) break;
    if (nm == intern_cstr("target")) {
      if (n->type) psoft(p, nsp, NULL, "argument `target` given twice");
      n->type = parse_type(p);
    } else {
      if (nm != intern_cstr("value"))
        psoft(p, nsp, "cast takes `value = expression` and `target = Type`",
             "unknown argument `%s` to cast", nm);
      else if (n->lhs) psoft(p, nsp, NULL, "argument `value` given twice");
      n->lhs = parse_expr(p);
    }
    if (!accept(p, T_COMMA)) break;
  }
  expect(p, T_RPAREN, "after the cast arguments");
  n->span = span_from(p, lo);
  if (!n->lhs) psoft(p, n->span, "write cast(value = e, target = Type)", "cast is missing `value`");
  if (!n->type) psoft(p, n->span, "write cast(value = e, target = Type)", "cast is missing `target`");
  if (!n->lhs) n->lhs = error_node(n->span);
  if (!n->type) { n->type = arena_alloc(sizeof *n->type); n->type->name = intern_cstr("<error>"); n->type->span = n->span; }
  return n;
}

/* `with_timeout(ms = e) { body }`: at the `(` after the name.  Without a
 * block after the arguments it is an ordinary call of `with_timeout`. */
static Node *parse_with_timeout(Parser *p, Token *name) {
  Node *callee = new_node(N_IDENT, name->span);
  callee->name = name->name;
  callee->name_span = name->span;
  advance(p);
  Node *call = new_node(N_CALL, name->span);
  call->lhs = callee;
  parse_call_args(p, &call->args, false);
  call->span = span_from(p, name->span.lo);
  if (!at(p, T_LBRACE)) return call;
  Node *n = new_node(N_WITH_TIMEOUT, name->span);
  ArgVec *args = &call->args;
  for (int i = 0; i < args->len; i++) {
    if (args->items[i].name == intern_cstr("ms") && !n->lhs) n->lhs = args->items[i].value;
    else psoft(p, args->items[i].span, "with_timeout takes one argument: with_timeout(ms = 250) { ... }",
               "unexpected argument to with_timeout");
  }
  if (!n->lhs) {
    psoft(p, call->span, "write with_timeout(ms = 250) { ... }", "with_timeout needs `ms`");
    n->lhs = error_node(name->span);
  }
  n->body = parse_block(p);
  n->span = span_from(p, name->span.lo);
  return n;
}

/* A name: plain, generic (`Box<T>.init`), or a path `Type::Variant`. */
static Node *parse_name(Parser *p) {
  Token *t = peek(p);
  if (t->name == intern_cstr("with_timeout") && peek_at(p, 1)->kind == T_LPAREN && !p->no_block_call) {
    advance(p);
    return parse_with_timeout(p, t);
  }
  TypeExpr *ty = NULL;
  if (looks_generic(p)) ty = parse_type(p);
  else advance(p);
  if (accept(p, T_COLONCOLON)) {
    Node *n = new_node(N_PATH, t->span);
    if (!ty) {
      ty = arena_alloc(sizeof *ty);
      ty->name = t->name; ty->span = t->span;
    }
    n->path_type = ty;
    n->name = expect_ident(p, "a variant name after `::`", &n->name_span);
    if (at(p, T_COLONCOLON))
      perr(p, peek(p)->span, NULL, "paths have one `::` (`Type::Variant`); modules are not supported yet");
    n->span = span_from(p, t->span.lo);
    return n;
  }
  Node *n = new_node(N_IDENT, t->span);
  n->name = t->name;
  n->name_span = t->span;
  n->type = ty;
  return n;
}

static Node *parse_primary(Parser *p) {
  Token *t = peek(p);
  Node *n;
  switch (t->kind) {
  case T_INT:
    advance(p);
    n = new_node(N_INT, t->span);
    n->int_val = t->int_val;
    memcpy(n->suffix, t->suffix, sizeof n->suffix);
    return n;
  case T_FLOAT:
    advance(p);
    n = new_node(N_FLOAT, t->span);
    n->float_val = t->float_val;
    memcpy(n->suffix, t->suffix, sizeof n->suffix);
    return n;
  case T_STRING:
    advance(p);
    n = new_node(N_STRING, t->span);
    n->str = t->str; n->str_len = t->str_len;
    return n;
  case T_STR_BEGIN: return parse_interp(p);
  case T_TRUE: case T_FALSE:
    advance(p);
    n = new_node(N_BOOL, t->span);
    n->bool_val = t->kind == T_TRUE;
    return n;
  case T_LBRACKET: return parse_list(p);
  case T_LPAREN: {
    advance(p);
    bool saved = p->no_block_call;      /* `match (with_timeout(...) {..}) {` */
    p->no_block_call = false;
    n = parse_expr(p);
    p->no_block_call = saved;
    expect(p, T_RPAREN, "to close the parenthesis");
    return n;
  }
  case T_IDENT: return parse_name(p);
  case T_SELF: case T_SUPER:
    advance(p);
    n = new_node(N_IDENT, t->span);
    n->name = t->name; n->name_span = t->span;
    return n;
  case T_CAST: return parse_cast(p);
  default: break;
  }
  if (starts_blocklike(p)) return parse_blocklike(p);
  const char *help = NULL;
  if (t->kind == T_NOT) help = "`not` applies to a whole comparison; wrap it in parentheses: (not x)";
  else if (t->kind == T_BANG) help = "write `not x`";
  else if (p->pos >= 1 && (t->kind == T_PLUS || t->kind == T_MINUS) &&
           p->toks[p->pos - 1].kind == t->kind && p->toks[p->pos - 1].span.hi == t->span.lo)
    help = "Plat has no `++` or `--`; write `x = x + 1`";
  else if (t->kind == T_BREAK || t->kind == T_CONTINUE || t->kind == T_RETURN || t->kind == T_LET || t->kind == T_VAR)
    help = "this is a statement; it cannot be used inside an expression";
  err_expected(p, "an expression", NULL, help);
  n = error_node(expected_span(p));
  TokKind k = t->kind;
  if (k != T_RBRACE && k != T_RPAREN && k != T_RBRACKET && k != T_SEMI && k != T_COMMA &&
      k != T_STR_MID && k != T_STR_END && k != T_LBRACE)
    advance(p);
  return n;
}

/* ---- postfix ---- */
static Node *parse_postfix(Parser *p) {
  Node *e = parse_primary(p);
  int chain = 0;
  for (;;) {
    Token *t = peek(p);
    Node *n;
    if (t->kind == T_LPAREN) {
      advance(p);
      n = new_node(N_CALL, e->span);
      n->lhs = e;
      parse_call_args(p, &n->args, e->kind == N_PATH);
    } else if (t->kind == T_DOT) {
      advance(p);
      n = new_node(N_FIELD, e->span);
      n->lhs = e;
      Token *f = peek(p);
      if (f->kind == T_IDENT || tok_is_keyword(f->kind)) {
        advance(p);
        n->name = f->name; n->name_span = f->span;
      } else if (f->kind == T_INT) {
        psoft(p, f->span, NULL, "tuple fields do not exist; name the field");
        advance(p);
        n->name = intern_cstr("<error>"); n->name_span = f->span;
      } else {
        err_expected(p, "a field or method name", "after `.`", NULL);
        n->name = intern_cstr("<error>"); n->name_span = expected_span(p);
      }
    } else if (t->kind == T_LBRACKET) {
      advance(p);
      n = new_node(N_INDEX, e->span);
      n->lhs = e;
      n->rhs = parse_expr(p);
      expect(p, T_RBRACKET, "after the index");
    } else if (t->kind == T_QUESTION) {
      advance(p);
      n = new_node(N_TRY, e->span);
      n->lhs = e;
    } else break;
    n->span = span_from(p, e->span.lo);
    e = n;
    chain++;
    if (!enter(p)) { p->depth -= chain; return e; }
  }
  p->depth -= chain;
  return e;
}

static Node *parse_unary(Parser *p) {
  Token *t = peek(p);
  if (t->kind == T_MINUS || t->kind == T_BANG) {
    advance(p);
    if (t->kind == T_BANG) psoft(p, t->span, "write `not x`", "`!` is not an operator in Plat");
    Node *n = new_node(N_UNARY, t->span);
    n->op = t->kind == T_MINUS ? OP_NEG : OP_NOT;
    if (!enter(p)) { leave(p); n->lhs = error_node(t->span); return n; }
    n->lhs = parse_unary(p);
    leave(p);
    n->span = span_from(p, t->span.lo);
    return n;
  }
  return parse_postfix(p);
}

/* ---- binary levels ---- */
static Node *binary(Parser *p, Op op, Node *l, Node *r) {
  Node *n = new_node(N_BINARY, (Span){l->span.lo, r->span.hi > l->span.lo ? r->span.hi : l->span.hi});
  n->op = op;
  n->lhs = l;
  n->rhs = r;
  (void)p;
  return n;
}

static bool mul_op(TokKind k, Op *op) {
  switch (k) {
  case T_STAR: *op = OP_MUL; return true;
  case T_SLASH: *op = OP_DIV; return true;
  case T_PERCENT: *op = OP_REM; return true;
  default: return false;
  }
}

static bool add_op(TokKind k, Op *op) {
  switch (k) {
  case T_PLUS: *op = OP_ADD; return true;
  case T_MINUS: *op = OP_SUB; return true;
  default: return false;
  }
}

static bool cmp_op(TokKind k, Op *op) {
  switch (k) {
  case T_EQ: *op = OP_EQ; return true;
  case T_NE: *op = OP_NE; return true;
  case T_LT: *op = OP_LT; return true;
  case T_LE: *op = OP_LE; return true;
  case T_GT: *op = OP_GT; return true;
  case T_GE: *op = OP_GE; return true;
  default: return false;
  }
}

/* Left-associative chain of one level; each link counts as nesting. */
typedef Node *(*Level)(Parser *);
static Node *chain(Parser *p, Level next, bool (*is_op)(TokKind, Op *)) {
  Node *l = next(p);
  int links = 0;
  Op op;
  while (is_op(peek(p)->kind, &op)) {
    Token *t = advance(p);
    if (t->kind == T_AMPAMP || t->kind == T_PIPEPIPE)
      psoft(p, t->span, t->kind == T_AMPAMP ? "write `and`" : "write `or`",
            "`%s` is not an operator in Plat", t->kind == T_AMPAMP ? "&&" : "||");
    if (!enter(p)) { links++; break; }
    links++;
    l = binary(p, op, l, next(p));
  }
  p->depth -= links;
  return l;
}

static Node *parse_mul(Parser *p) { return chain(p, parse_unary, mul_op); }
static Node *parse_add(Parser *p) { return chain(p, parse_mul, add_op); }

static Node *parse_cmp(Parser *p) {
  Node *l = parse_add(p);
  Op op;
  if (!cmp_op(peek(p)->kind, &op)) return l;
  advance(p);
  Node *n = binary(p, op, l, parse_add(p));
  if (cmp_op(peek(p)->kind, &op))
    psoft(p, peek(p)->span, "write `a < b and b < c`", "comparison operators cannot be chained");
  int links = 0;
  while (cmp_op(peek(p)->kind, &op)) {   /* keep parsing after the error */
    advance(p);
    links++;
    if (!enter(p)) break;
    n = binary(p, op, n, parse_add(p));
  }
  p->depth -= links;
  return n;
}

static Node *parse_not(Parser *p) {
  Token *t = peek(p);
  if (t->kind != T_NOT) return parse_cmp(p);
  advance(p);
  Node *n = new_node(N_UNARY, t->span);
  n->op = OP_NOT;
  if (!enter(p)) { leave(p); n->lhs = error_node(t->span); return n; }
  n->lhs = parse_not(p);
  leave(p);
  n->span = span_from(p, t->span.lo);
  return n;
}

/* `&&` and `||` are read as `and` / `or` after an error (chain() reports). */
static bool and_op(TokKind k, Op *op) {
  if (k != T_AND && k != T_AMPAMP) return false;
  *op = OP_AND;
  return true;
}
static bool or_op(TokKind k, Op *op) {
  if (k != T_OR && k != T_PIPEPIPE) return false;
  *op = OP_OR;
  return true;
}
static Node *parse_and(Parser *p) { return chain(p, parse_not, and_op); }
static Node *parse_or(Parser *p) { return chain(p, parse_and, or_op); }

Node *parse_expr(Parser *p) {
  if (!enter(p)) { leave(p); return error_node(peek(p)->span); }
  Node *n = parse_or(p);
  leave(p);
  return n;
}

/* An expression, or an assignment `lhs = rhs` (statements, match arms). */
Node *parse_expr_or_assign(Parser *p) {
  Node *l = parse_expr(p);
  Token *t = peek(p);
  if (t->kind == T_PLUSEQ || t->kind == T_MINUSEQ || t->kind == T_STAREQ ||
      t->kind == T_SLASHEQ || t->kind == T_PERCENTEQ) {
    static const char ops[] = {[T_PLUSEQ - T_PLUSEQ] = '+', [T_MINUSEQ - T_PLUSEQ] = '-',
                               [T_STAREQ - T_PLUSEQ] = '*', [T_SLASHEQ - T_PLUSEQ] = '/',
                               [T_PERCENTEQ - T_PLUSEQ] = '%'};
    psoft(p, t->span, "write `x = x + 1`", "compound assignment `%c=` is not supported",
         ops[t->kind - T_PLUSEQ]);
    advance(p);
    parse_expr(p);
    return l;
  }
  if (t->kind != T_ASSIGN) return l;
  advance(p);
  if (l->kind != N_IDENT && l->kind != N_FIELD && l->kind != N_INDEX)
    psoft(p, l->span, NULL, "cannot assign to this expression");
  else if (l->kind == N_IDENT && l->name == intern_cstr("self"))
    psoft(p, l->span, NULL, "cannot assign to `self`");
  Node *n = new_node(N_ASSIGN, l->span);
  n->lhs = l;
  n->rhs = parse_expr(p);
  n->span = span_from(p, l->span.lo);
  return n;
}

/* ---- patterns ---- */
static Node *parse_literal_pattern(Parser *p) {
  Token *t = peek(p);
  if (t->kind == T_MINUS) {
    TokKind k = peek_at(p, 1)->kind;
    if (k != T_INT && k != T_FLOAT) return NULL;
    advance(p);
    Node *n = new_node(N_UNARY, t->span);
    n->op = OP_NEG;
    n->lhs = parse_primary(p);
    n->span = span_from(p, t->span.lo);
    return n;
  }
  if (t->kind == T_INT || t->kind == T_FLOAT || t->kind == T_STRING || t->kind == T_TRUE ||
      t->kind == T_FALSE)
    return parse_primary(p);
  if (t->kind == T_STR_BEGIN) {
    psoft(p, t->span, NULL, "a pattern cannot use string interpolation");
    return parse_primary(p);
  }
  return NULL;
}

static void parse_bindings(Parser *p, Pattern *pat) {
  while (!at(p, T_RPAREN) && !at(p, T_EOF) && !p->panic) {
    PatBinding b = {0};
    uint32_t lo = peek(p)->span.lo;
    b.name = expect_ident(p, "a binding name", NULL);
    if (accept(p, T_COLON)) b.type = parse_type(p);
    b.span = span_from(p, lo);
    vec_push(&pat->bindings, b);
    if (!accept(p, T_COMMA)) break;
  }
  expect(p, T_RPAREN, "after the pattern's bindings");
}

Pattern *parse_pattern(Parser *p) {
  Pattern *pat = arena_alloc(sizeof *pat);
  Token *t = peek(p);
  pat->span = t->span;
  pat->kind = PAT_WILDCARD;
  if ((pat->lit = parse_literal_pattern(p))) {
    pat->kind = PAT_LITERAL;
    pat->span = pat->lit->span;
    return pat;
  }
  if (t->kind != T_IDENT) {
    err_expected(p, "a pattern", NULL, "patterns are `Enum::Variant(x: T)`, a literal or `_`");
    return pat;
  }
  if (t->name == intern_cstr("_")) { advance(p); return pat; }
  pat->kind = PAT_VARIANT;
  if (looks_generic(p)) {
    pat->enum_type = parse_type(p);
    pat->enum_name = pat->enum_type->name;
  } else {
    advance(p);
    pat->enum_name = t->name;
  }
  if (!at(p, T_COLONCOLON)) {
    const char *help = arena_printf("name the enum: `Enum::%s`, or use `_` to match anything", t->name);
    perr(p, t->span, help, "expected `::` after `%s` in a pattern", t->name);
    pat->variant = t->name;
    pat->variant_span = t->span;
    return pat;
  }
  advance(p);
  pat->variant = expect_ident(p, "a variant name", &pat->variant_span);
  if (accept(p, T_LPAREN)) {
    pat->has_parens = true;
    parse_bindings(p, pat);
  }
  pat->span = span_from(p, t->span.lo);
  return pat;
}
