/* parse_stmt.c -- blocks, statements, control flow and concurrency forms.
 *
 *   block  = "{" { item [";"] } "}"
 *   item   = let | break | continue | return [expr] | defer block
 *          | blocklike | expr ["=" expr]
 *   blocklike = if | match | while | loop | for | block | concurrent block
 *          | spawn block | race "{" spawn, ... "}" | select "{" arms "}"
 *
 * `semi` records a `;` after an item.  A non-blocklike item must be
 * followed by `;` unless it is the block's last item (its value); `let`
 * always needs `;`.  A blocklike item at the start of a statement ends
 * there (as in Rust), so `if (c) { } -x` is two items.
 *
 * Recovery: after an error inside an item, skip to the next `;` (eaten),
 * `}` or statement keyword at the same brace depth, and clear the panic.
 */
#include "diag.h"
#include "parse_int.h"

static Node *parse_item(Parser *p);

bool is_blocklike(const Node *n) {
  switch (n->kind) {
  case N_IF: case N_MATCH: case N_WHILE: case N_LOOP: case N_FOR: case N_BLOCK:
  case N_CONCURRENT: case N_SPAWN: case N_RACE: case N_SELECT: case N_WITH_TIMEOUT:
  case N_DEFER:
    return true;
  default:
    return false;
  }
}

bool starts_blocklike(Parser *p) {
  switch (peek(p)->kind) {
  case T_IF: case T_MATCH: case T_WHILE: case T_LOOP: case T_FOR: case T_LBRACE:
  case T_CONCURRENT: case T_SPAWN: case T_RACE: case T_SELECT:
    return true;
  default:
    return false;
  }
}

static bool starts_stmt(TokKind k) {
  return k == T_LET || k == T_VAR || k == T_IF || k == T_WHILE || k == T_FOR || k == T_LOOP ||
         k == T_RETURN || k == T_BREAK || k == T_CONTINUE || k == T_DEFER || k == T_MATCH;
}

static void sync_stmt(Parser *p, int start) {
  int depth = 0;
  while (!at(p, T_EOF)) {
    TokKind k = peek(p)->kind;
    if (depth == 0 && k == T_RBRACE) break;
    if (depth == 0 && p->pos > start && starts_stmt(k)) break;
    if (k == T_FN || k == T_CLASS || k == T_ENUM || k == T_TEST) break;
    if (k == T_LBRACE) depth++;
    if (k == T_RBRACE) depth--;
    advance(p);
    if (depth == 0 && k == T_SEMI) break;
  }
  p->panic = false;
}

Node *parse_block(Parser *p) {
  uint32_t lo = peek(p)->span.lo;
  Node *b = new_node(N_BLOCK, peek(p)->span);
  if (!expect(p, T_LBRACE, "to start a block")) return b;
  if (!enter(p)) { leave(p); return b; }
  while (!at(p, T_RBRACE) && !at(p, T_EOF)) {
    TokKind k = peek(p)->kind;
    if (k == T_FN || k == T_CLASS || k == T_ENUM || k == T_TEST) {
      perr(p, peek(p)->span, "declarations go at the top level; is a `}` missing before it?",
           "expected `}`, found keyword `%s`", peek(p)->name);
      break;
    }
    if (accept(p, T_SEMI)) continue;
    int start = p->pos;
    Node *it = parse_item(p);
    vec_push(&b->items, it);
    if (!p->panic) {
      if (accept(p, T_SEMI)) it->semi = true;
      else if (it->kind == N_LET) expect(p, T_SEMI, "after the declaration");
      else if (!at(p, T_RBRACE) && !is_blocklike(it)) {
        if (it->kind == N_IDENT && at(p, T_COLON))
          perr(p, peek(p)->span, arena_printf("declare it with `let %s: Type = ...` or `var %s: Type = ...`",
                                              it->name, it->name),
               "expected `;` after the statement, found `:`");
        else expect(p, T_SEMI, "after the statement");
      }
    }
    if (p->panic) sync_stmt(p, start);
    if (p->pos == start) advance(p);      /* progress, whatever happened */
  }
  leave(p);
  if (!at(p, T_RBRACE) && !p->panic) {
    Location at = file_locate(p->file, lo);
    perr(p, expected_span(p), arena_printf("the block opened at line %d, column %d is not closed", at.line, at.col),
         "expected `}` to close the block, found %s", tok_describe(peek(p)));
  }
  accept(p, T_RBRACE);
  b->span = span_from(p, lo);
  return b;
}

static Node *parse_let(Parser *p) {
  Token *t = advance(p);
  Node *n = new_node(N_LET, t->span);
  n->is_var = t->kind == T_VAR;
  n->name = expect_ident(p, "a variable name", &n->name_span);
  if (accept(p, T_COLON)) n->type = parse_type(p);
  else if (at(p, T_IDENT) && is_title_case(peek(p)->name)) {
    psoft(p, expected_span(p), arena_printf("write `%s %s: %s = ...`", t->name, n->name, peek(p)->name),
          "expected `:` before the type, found %s", tok_describe(peek(p)));
    n->type = parse_type(p);
  } else if (!p->panic) {
    psoft(p, n->name_span, arena_printf("write `%s %s: Type = ...`", t->name, n->name),
         "`%s` needs a type", t->name);
  }
  if (expect(p, T_ASSIGN, "and an initial value")) n->rhs = parse_expr(p);
  if (!n->rhs) n->rhs = error_node(expected_span(p));
  if (!n->type) {
    n->type = arena_alloc(sizeof *n->type);
    n->type->name = intern_cstr("<error>");
    n->type->span = n->name_span;
  }
  n->span = span_from(p, t->span.lo);
  return n;
}

static bool ends_value(Parser *p) {
  TokKind k = peek(p)->kind;
  return k == T_SEMI || k == T_RBRACE || k == T_COMMA || k == T_EOF;
}

/* break / continue / return [e]: also used as match arm bodies. */
static Node *parse_jump(Parser *p) {
  Token *t = advance(p);
  Node *n = new_node(t->kind == T_BREAK ? N_BREAK : t->kind == T_CONTINUE ? N_CONTINUE : N_RETURN, t->span);
  if (t->kind == T_RETURN && !ends_value(p)) n->lhs = parse_expr(p);
  n->span = span_from(p, t->span.lo);
  return n;
}

static Node *parse_item(Parser *p) {
  Token *t = peek(p);
  switch (t->kind) {
  case T_LET: case T_VAR: return parse_let(p);
  case T_BREAK: case T_CONTINUE: case T_RETURN: return parse_jump(p);
  case T_DEFER: {
    advance(p);
    Node *n = new_node(N_DEFER, t->span);
    n->body = parse_block(p);
    n->span = span_from(p, t->span.lo);
    return n;
  }
  case T_ELSE:
    perr(p, t->span, NULL, "`else` without a matching `if`");
    advance(p);
    return error_node(t->span);
  default: break;
  }
  if (starts_blocklike(p)) return parse_blocklike(p);
  return parse_expr_or_assign(p);
}

/* ---- control flow ---- */
static Node *paren_cond(Parser *p, const char *kw) {
  if (!at(p, T_LPAREN)) {
    psoft(p, expected_span(p), arena_printf("write `%s (condition) { ... }`", kw),
         "expected `(` after `%s`, found %s", kw, tok_describe(peek(p)));
    if (at(p, T_LBRACE)) return error_node(peek(p)->span);
  }
  return parse_expr(p);
}

static Node *parse_if(Parser *p) {
  Token *t = advance(p);
  Node *n = new_node(N_IF, t->span);
  n->cond = paren_cond(p, "if");
  n->then = parse_block(p);
  if (accept(p, T_ELSE)) {
    if (at(p, T_IF)) {
      if (enter(p)) n->els = parse_if(p);
      else n->els = new_node(N_BLOCK, peek(p)->span);
      leave(p);
    } else n->els = parse_block(p);
  }
  n->span = span_from(p, t->span.lo);
  return n;
}

static Node *parse_while(Parser *p) {
  Token *t = advance(p);
  Node *n = new_node(N_WHILE, t->span);
  n->cond = paren_cond(p, "while");
  n->body = parse_block(p);
  n->span = span_from(p, t->span.lo);
  return n;
}

static Node *parse_for(Parser *p) {
  Token *t = advance(p);
  Node *n = new_node(N_FOR, t->span);
  const char *help = "write `for (i: Int32 in 0..10) { ... }`";
  bool paren = accept(p, T_LPAREN);
  if (at(p, T_LET) || at(p, T_VAR)) {
    psoft(p, peek(p)->span, "write `for (i: Int32 in 0..10) { ... }` or use `while`",
          "C-style `for` loops are not supported");
    for (int depth = 0; !at(p, T_EOF) && !at(p, T_LBRACE); advance(p)) {   /* skip the header */
      if (at(p, T_LPAREN)) depth++;
      if (at(p, T_RPAREN) && depth-- == 0) { advance(p); break; }
    }
    n->name = intern_cstr("<error>");
    n->type = arena_alloc(sizeof *n->type);
    n->type->name = n->name;
    n->iter = error_node(t->span);
    n->body = parse_block(p);
    n->span = span_from(p, t->span.lo);
    return n;
  }
  if (!paren) psoft(p, expected_span(p), help, "expected `(` after `for`, found %s", tok_describe(peek(p)));
  n->name = expect_ident(p, "a loop variable", &n->name_span);
  if (accept(p, T_COLON)) n->type = parse_type(p);
  else if (!p->panic) psoft(p, expected_span(p), help, "the loop variable needs a type");
  if (!n->type) { n->type = arena_alloc(sizeof *n->type); n->type->name = intern_cstr("<error>"); n->type->span = n->name_span; }
  expect(p, T_IN, "after the loop variable");
  Node *it = parse_expr(p);
  if (at(p, T_DOTDOT) || at(p, T_DOTDOTEQ)) {
    Node *r = new_node(N_RANGE, it->span);
    r->inclusive = advance(p)->kind == T_DOTDOTEQ;
    r->lhs = it;
    r->rhs = parse_expr(p);
    r->span = span_from(p, it->span.lo);
    it = r;
  }
  n->iter = it;
  if (paren) expect(p, T_RPAREN, "after the loop header");
  n->body = parse_block(p);
  n->span = span_from(p, t->span.lo);
  return n;
}

/* An arm body: a block, break/continue/return, or an expression. */
static Node *parse_arm_body(Parser *p) {
  TokKind k = peek(p)->kind;
  if (k == T_LBRACE) return parse_block(p);
  if (k == T_BREAK || k == T_CONTINUE || k == T_RETURN) return parse_jump(p);
  return parse_expr_or_assign(p);
}

/* Skip to the next `,` or `}` of the arm list (nested braces skipped). */
static void sync_arm(Parser *p) {
  int depth = 0;
  while (!at(p, T_EOF)) {
    TokKind k = peek(p)->kind;
    if (depth == 0 && k == T_RBRACE) break;
    if (k == T_LBRACE) depth++;
    if (k == T_RBRACE) depth--;
    advance(p);
    if (depth == 0 && k == T_COMMA) break;
  }
  p->panic = false;
}

/* After an arm: `,` required unless the body was a block or the list ends. */
static void arm_separator(Parser *p, Node *body) {
  if (accept(p, T_COMMA) || at(p, T_RBRACE) || p->panic) return;
  if (body->kind == N_BLOCK) return;
  err_expected(p, "`,`", "after the arm", NULL);
}

static Node *parse_match(Parser *p) {
  Token *t = advance(p);
  Node *n = new_node(N_MATCH, t->span);
  bool saved = p->no_block_call;
  p->no_block_call = true;
  n->lhs = parse_expr(p);
  p->no_block_call = saved;
  if (!expect(p, T_LBRACE, "after the match value")) return n;
  while (!at(p, T_RBRACE) && !at(p, T_EOF)) {
    int start = p->pos;
    MatchArm a = {0};
    a.span.lo = peek(p)->span.lo;
    a.pat = parse_pattern(p);
    if (expect(p, T_ARROW, "after the pattern")) a.body = parse_arm_body(p);
    else a.body = error_node(expected_span(p));
    a.span = span_from(p, a.span.lo);
    vec_push(&n->arms, a);
    arm_separator(p, a.body);
    if (p->panic) sync_arm(p);
    if (p->pos == start) advance(p);
  }
  expect(p, T_RBRACE, "after the match arms");
  n->span = span_from(p, t->span.lo);
  return n;
}

/* A select arm body is always an N_BLOCK (a bare expression is wrapped). */
static Node *select_body(Parser *p) {
  Node *b = parse_arm_body(p);
  if (b->kind == N_BLOCK) return b;
  Node *w = new_node(N_BLOCK, b->span);
  vec_push(&w->items, b);
  return w;
}

static bool parse_select_arm(Parser *p, SelectArm *a) {
  Token *t = peek(p);
  a->span.lo = t->span.lo;
  if (t->kind == T_IDENT && t->name == intern_cstr("default") && peek_at(p, 1)->kind == T_ARROW) {
    advance(p);
    a->kind = SEL_DEFAULT;
  } else if (t->kind == T_IDENT && t->name == intern_cstr("timeout") && peek_at(p, 1)->kind == T_LPAREN) {
    advance(p); advance(p);
    a->kind = SEL_TIMEOUT;
    ArgVec args = {0};
    parse_call_args(p, &args, false);
    for (int i = 0; i < args.len; i++) {
      if (args.items[i].name == intern_cstr("ms") && !a->value) a->value = args.items[i].value;
      else psoft(p, args.items[i].span, "write timeout(ms = 100) -> { ... }", "unexpected argument to timeout");
    }
    if (!a->value) {
      psoft(p, t->span, "write timeout(ms = 100) -> { ... }", "timeout needs `ms`");
      a->value = error_node(t->span);
    }
  } else {
    if (t->kind == T_IDENT && peek_at(p, 1)->kind == T_COLON) {
      a->bind_name = t->name;
      a->bind_span = t->span;
      advance(p); advance(p);
      a->bind_type = parse_type(p);
      expect(p, T_ASSIGN, "after the binding's type");
    }
    if (!a->bind_name && t->kind == T_IDENT && peek_at(p, 1)->kind == T_ASSIGN) {
      perr(p, t->span, arena_printf("write `%s: Option<T> = ch.recv()`", t->name),
           "the received value `%s` needs a type", t->name);
      return false;
    }
    Node *e = parse_expr(p);
    Name op = e->kind == N_CALL && e->lhs->kind == N_FIELD ? e->lhs->name : NULL;
    if (op == intern_cstr("recv") && e->args.len == 0) {
      a->kind = SEL_RECV;
      a->chan = e->lhs->lhs;
    } else if (op == intern_cstr("send") && !a->bind_name && e->args.len == 1 &&
               e->args.items[0].name == intern_cstr("value")) {
      a->kind = SEL_SEND;
      a->chan = e->lhs->lhs;
      a->value = e->args.items[0].value;
    } else {
      perr(p, e->span, "arms are `x: Option<T> = ch.recv()`, `ch.send(value = v)`, `timeout(ms = n)` or `default`",
           "expected a channel operation in select arm");
      return false;
    }
  }
  if (!expect(p, T_ARROW, "after the select case")) return false;
  a->body = select_body(p);
  a->span = span_from(p, a->span.lo);
  return true;
}

static Node *parse_select(Parser *p) {
  Token *t = advance(p);
  Node *n = new_node(N_SELECT, t->span);
  if (!expect(p, T_LBRACE, "after `select`")) return n;
  int ntimeout = 0, ndefault = 0;
  while (!at(p, T_RBRACE) && !at(p, T_EOF)) {
    int start = p->pos;
    SelectArm a = {0};
    if (parse_select_arm(p, &a)) {
      if (a.kind == SEL_TIMEOUT && ntimeout++)
        psoft(p, a.span, NULL, "a select has at most one `timeout` arm");
      if (a.kind == SEL_DEFAULT && ndefault++)
        psoft(p, a.span, NULL, "a select has at most one `default` arm");
      vec_push(&n->sel_arms, a);
      arm_separator(p, a.body);
    }
    if (p->panic) sync_arm(p);
    if (p->pos == start) advance(p);
  }
  expect(p, T_RBRACE, "after the select arms");
  n->span = span_from(p, t->span.lo);
  return n;
}

/* `concurrent`, `spawn`: keyword then a block. */
static Node *parse_kw_block(Parser *p, NodeKind k) {
  Token *t = advance(p);
  Node *n = new_node(k, t->span);
  n->body = parse_block(p);
  n->span = span_from(p, t->span.lo);
  return n;
}

static Node *parse_race(Parser *p) {
  Token *t = advance(p);
  Node *n = new_node(N_RACE, t->span);
  if (!expect(p, T_LBRACE, "after `race`")) return n;
  while (!at(p, T_RBRACE) && !at(p, T_EOF)) {
    int start = p->pos;
    if (at(p, T_SPAWN)) {
      Node *s = parse_kw_block(p, N_SPAWN);
      vec_push(&n->items, s);
      if (!accept(p, T_COMMA) && !at(p, T_RBRACE)) err_expected(p, "`,`", "between race arms", NULL);
    } else {
      err_expected(p, "`spawn { ... }`", "in race", "each arm of race is a task: race { spawn { a() }, spawn { b() } }");
    }
    if (p->panic) sync_arm(p);
    if (p->pos == start) advance(p);
  }
  expect(p, T_RBRACE, "after the race arms");
  n->span = span_from(p, t->span.lo);
  return n;
}

Node *parse_blocklike(Parser *p) {
  if (!enter(p)) { leave(p); return error_node(peek(p)->span); }
  Node *n;
  switch (peek(p)->kind) {
  case T_IF: n = parse_if(p); break;
  case T_MATCH: n = parse_match(p); break;
  case T_WHILE: n = parse_while(p); break;
  case T_LOOP: n = parse_kw_block(p, N_LOOP); break;
  case T_FOR: n = parse_for(p); break;
  case T_CONCURRENT: n = parse_kw_block(p, N_CONCURRENT); break;
  case T_SPAWN: n = parse_kw_block(p, N_SPAWN); break;
  case T_RACE: n = parse_race(p); break;
  case T_SELECT: n = parse_select(p); break;
  default: n = parse_block(p); break;
  }
  leave(p);
  return n;
}
