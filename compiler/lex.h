/* lex.h -- the lexer: source bytes to a token array.
 *
 * The whole file is lexed up front into one array (the parser needs a few
 * tokens of lookahead to tell a generic path `Option<Int32>::None` from a
 * comparison).  The array always ends with T_EOF.
 *
 * Strings.  A literal without interpolation is one T_STRING.  A literal
 * with interpolation `"a ${x} b ${y} c"` becomes
 *   T_STR_BEGIN("a ")  <tokens of x>  T_STR_MID(" b ")  <tokens of y>
 *   T_STR_END(" c")
 * Each piece carries its decoded text (escapes resolved).  Embedded
 * expressions may contain braces and strings of their own: the lexer keeps
 * a stack of brace depths, one per open interpolation.
 *
 * Errors (bad escape, unterminated string, stray byte, literal overflow)
 * are reported through diag.h; the lexer always produces a usable token
 * (the bad part is skipped), so the parser sees well-formed input.
 */
#ifndef PLAT_LEX_H
#define PLAT_LEX_H

#include "ast.h"

typedef enum TokKind {
  T_EOF,
  T_IDENT, T_INT, T_FLOAT,
  T_STRING, T_STR_BEGIN, T_STR_MID, T_STR_END,
  /* keywords.  ORDER: the same order as lex.c's `keywords` table (a
   * keyword's kind is T_FN + its index there; a static assertion checks
   * the count), T_FN first and T_SUPER last (tok_is_keyword). */
  T_FN, T_LET, T_VAR, T_IF, T_ELSE, T_WHILE, T_LOOP, T_FOR, T_IN, T_BREAK,
  T_CONTINUE, T_RETURN, T_TRUE, T_FALSE, T_ENUM, T_MATCH, T_CLASS, T_INIT,
  T_SELF, T_PUB, T_MOD, T_USE, T_TYPE, T_NEWTYPE, T_TEST, T_BENCH, T_CAST,
  T_AND, T_OR, T_NOT, T_CONCURRENT, T_SPAWN, T_RACE, T_SELECT, T_DEFER,
  T_VIRTUAL, T_OVERRIDE, T_SUPER,
  /* punctuation */
  T_LPAREN, T_RPAREN, T_LBRACE, T_RBRACE, T_LBRACKET, T_RBRACKET,
  T_COMMA, T_SEMI, T_COLON, T_COLONCOLON, T_DOT, T_DOTDOT, T_DOTDOTEQ,
  T_ARROW, T_FATARROW, T_ASSIGN, T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
  T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_QUESTION,
  T_PLUSEQ, T_MINUSEQ, T_STAREQ, T_SLASHEQ, T_PERCENTEQ,  /* rejected by the parser */
  T_AMPAMP, T_PIPEPIPE, T_BANG,                            /* idem: `and`, `or`, `not` */
  T_COUNT
} TokKind;

typedef struct Token {
  TokKind kind;
  Span span;
  Name name;                 /* T_IDENT, keywords: the spelling */
  uint64_t int_val;          /* T_INT */
  double float_val;          /* T_FLOAT */
  char suffix[4];            /* T_INT/T_FLOAT: "", "i8".."i64", "f32", "f64" */
  const char *str;           /* string pieces: decoded bytes; T_INT/T_FLOAT:
                                the literal's source text */
  size_t str_len;
  bool bad;                  /* the lexer reported an error at or just before it */
} Token;

/* Lex the file `f` (its `//` comments go to f->comments).  Returns the
 * token array (arena) and stores its length, T_EOF included, in *ntok. */
Token *lex_all(SrcFile *f, int *ntok);

static inline bool tok_is_keyword(TokKind k) { return k >= T_FN && k <= T_SUPER; }

/* A human description of a token kind, e.g. "`)`", "identifier". */
const char *tok_kind_str(TokKind k);
/* The same for a concrete token ("identifier `foo`", "end of file"). */
const char *tok_describe(const Token *t);

/* Nesting limit shared by lexer (interpolations) and parser (blocks,
 * expressions, types): deeper input gets one clear error. */
#define PLAT_MAX_NESTING 256

#endif
