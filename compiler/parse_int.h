/* parse_int.h -- the parser's private interface (parse.c, parse_expr.c,
 * parse_stmt.c).
 *
 * Recursive descent over the token array of lex.h.  Error handling is
 * panic mode: the first error sets `panic` and later errors are not shown
 * until a synchronisation point (statement or declaration boundary)
 * clears it.  Every loop in the parser either consumes a token per
 * iteration or stops at a token it does not own; T_EOF is never consumed,
 * so any loop that checks for it terminates.
 *
 * Nesting (blocks, parentheses, operator chains, types, patterns) is
 * counted in `depth`; past PLAT_MAX_NESTING the parser reports one error
 * and jumps to end of input, so later passes never see a tree deeper than
 * about that limit.
 */
#ifndef PLAT_PARSE_INT_H
#define PLAT_PARSE_INT_H

#include "ast.h"
#include "lex.h"

typedef struct Parser {
  SrcFile *file;
  Token *toks;
  int ntok, pos;
  uint32_t prev_hi;        /* end of the last consumed token */
  bool panic;              /* an error was reported; quiet until synced */
  int depth;
  bool no_block_call;      /* parsing a match scrutinee: no `with_timeout(...) {` */
  bool dead;               /* gave up (too deep): no more errors, at EOF */
} Parser;

/* tokens */
Token *peek(Parser *p);
Token *peek_at(Parser *p, int k);
bool at(Parser *p, TokKind k);
Token *advance(Parser *p);
bool accept(Parser *p, TokKind k);
/* Consume a token of kind k or report "expected K CONTEXT, found X". */
Token *expect(Parser *p, TokKind k, const char *context);
Name expect_ident(Parser *p, const char *what, Span *sp);

/* errors */
void perr(Parser *p, Span sp, const char *help, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The same without entering panic mode: the parser knows how to go on. */
void psoft(Parser *p, Span sp, const char *help, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Where to point "expected X": at the next token, or just after the
 * previous one when the next is on a later line. */
Span expected_span(Parser *p);
void err_expected(Parser *p, const char *what, const char *context, const char *help);

/* nesting */
bool enter(Parser *p);     /* false when too deep (the error is reported) */
void leave(Parser *p);

/* nodes */
Node *new_node(NodeKind k, Span sp);
Node *error_node(Span sp);
Span span_from(Parser *p, uint32_t lo);
bool is_title_case(Name n);

/* parse_expr.c */
Node *parse_expr(Parser *p);
Node *parse_expr_or_assign(Parser *p);
TypeExpr *parse_type(Parser *p);
void parse_call_args(Parser *p, ArgVec *args, bool allow_positional);
Pattern *parse_pattern(Parser *p);

/* parse_stmt.c */
Node *parse_block(Parser *p);
Node *parse_blocklike(Parser *p);      /* if, match, loops, blocks, concurrency */
bool starts_blocklike(Parser *p);
bool is_blocklike(const Node *n);

#endif
