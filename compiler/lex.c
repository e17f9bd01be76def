/* lex.c -- the lexer.  See lex.h for the token conventions.
 *
 * One pass over the bytes.  State: the position and a stack `modes` of
 * open string interpolations; modes[i] counts the `{` opened inside the
 * i-th interpolation that are not closed yet.  A `}` seen when the top
 * count is 0 ends that interpolation and resumes scanning the string.
 *
 * Invariants: every loop iteration consumes at least one byte or ends
 * the pass; every error is reported once and lexing continues after the
 * bad part; on too deep interpolation nesting the pass stops (EOF).
 */
#include "lex.h"

#include <math.h>
#include <stdlib.h>

#include "diag.h"

typedef struct Lexer {
  SrcFile *file;
  const char *src;
  size_t len, pos;
  VEC(Token) toks;
  int modes[PLAT_MAX_NESTING];   /* brace depth per open interpolation */
  uint32_t mode_start[PLAT_MAX_NESTING];  /* offset of each string's `"` */
  int nmodes;
  int errs;                      /* diag_error_count() when the last token was marked */
  bool stop;                     /* too deep: give up, emit EOF */
} Lexer;

static const char *const keywords[] = {
  "fn", "let", "var", "if", "else", "while", "loop", "for", "in", "break",
  "continue", "return", "true", "false", "enum", "match", "class", "init",
  "self", "pub", "mod", "use", "type", "newtype", "test", "bench", "cast",
  "and", "or", "not", "concurrent", "spawn", "race", "select", "defer",
  "virtual", "override", "super",
};
#define NKEYWORDS ((int)(sizeof keywords / sizeof keywords[0]))
_Static_assert(sizeof keywords / sizeof keywords[0] == T_SUPER - T_FN + 1,
               "ORDER: lex.h's keyword kinds and this table must match one to one");
static Name keyword_names[NKEYWORDS];   /* interned on first use; never freed */

static int peekc(Lexer *L, size_t k) {
  return L->pos + k < L->len ? (unsigned char)L->src[L->pos + k] : -1;
}

static bool is_ident_start(int c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_ident_char(int c) { return is_ident_start(c) || is_digit(c); }

/* The lexer works on byte offsets; tokens and errors carry positions. */
static Span span(Lexer *L, size_t lo, size_t hi) {
  return (Span){L->file->base + (Pos)lo, L->file->base + (Pos)hi};
}

static Token *emit(Lexer *L, TokKind k, size_t lo, size_t hi) {
  Token t = {0};
  t.kind = k;
  t.span = span(L, lo, hi);
  vec_push(&L->toks, t);
  return &L->toks.items[L->toks.len - 1];
}

/* Decode one UTF-8 sequence at s[0..n).  Returns its length (1..4) and the
 * code point, or 0 if the bytes are not valid UTF-8. */
static int utf8_decode(const unsigned char *s, size_t n, uint32_t *cp) {
  if (n == 0) return 0;
  unsigned c = s[0];
  int len; uint32_t v, min;
  if (c < 0x80) { *cp = c; return 1; }
  else if ((c & 0xE0) == 0xC0) { len = 2; v = c & 0x1F; min = 0x80; }
  else if ((c & 0xF0) == 0xE0) { len = 3; v = c & 0x0F; min = 0x800; }
  else if ((c & 0xF8) == 0xF0) { len = 4; v = c & 0x07; min = 0x10000; }
  else return 0;
  if ((size_t)len > n) return 0;
  for (int i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    v = (v << 6) | (s[i] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
  *cp = v;
  return len;
}

static void utf8_encode(Buf *b, uint32_t cp) {
  char s[4]; size_t n;
  if (cp < 0x80) { s[0] = (char)cp; n = 1; }
  else if (cp < 0x800) { s[0] = (char)(0xC0 | (cp >> 6)); s[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
  else if (cp < 0x10000) {
    s[0] = (char)(0xE0 | (cp >> 12)); s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    s[2] = (char)(0x80 | (cp & 0x3F)); n = 3;
  } else {
    s[0] = (char)(0xF0 | (cp >> 18)); s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    s[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); s[3] = (char)(0x80 | (cp & 0x3F)); n = 4;
  }
  buf_put(b, s, n);
}

/* ---- whitespace and comments ---- */
static void skip_space(Lexer *L) {
  while (L->pos < L->len) {
    int c = peekc(L, 0);
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') L->pos++;
    else if (c == '/' && peekc(L, 1) == '/') {
      size_t lo = L->pos;
      while (L->pos < L->len && L->src[L->pos] != '\n') L->pos++;
      vec_push(&L->file->comments, ((Comment){span(L, lo, L->pos)}));
    } else if (c == '/' && peekc(L, 1) == '*') {    /* not Plat: skip it whole */
      size_t lo = L->pos;
      L->pos += 2;
      while (L->pos < L->len && !(peekc(L, 0) == '*' && peekc(L, 1) == '/')) L->pos++;
      L->pos = L->pos < L->len ? L->pos + 2 : L->len;
      diag_error_help(span(L, lo, lo + 2), "comments start with `//` and run to the end of the line",
                      "block comments `/* */` are not supported");
    } else break;
  }
}

/* ---- identifiers and keywords ---- */
static void lex_ident(Lexer *L) {
  size_t lo = L->pos;
  while (is_ident_char(peekc(L, 0))) L->pos++;
  Name n = intern(L->src + lo, L->pos - lo);
  TokKind k = T_IDENT;
  for (int i = 0; i < NKEYWORDS; i++)
    if (keyword_names[i] == n) { k = (TokKind)(T_FN + i); break; }
  emit(L, k, lo, L->pos)->name = n;
}

/* ---- numbers ---- */
static void scan_digits(Lexer *L) {
  while (is_digit(peekc(L, 0)) || peekc(L, 0) == '_') L->pos++;
}

static void lex_number(Lexer *L) {
  size_t lo = L->pos;
  bool is_float = false;
  scan_digits(L);
  if (peekc(L, 0) == '.' && is_digit(peekc(L, 1))) { is_float = true; L->pos++; scan_digits(L); }
  int e1 = peekc(L, 1);
  if ((peekc(L, 0) == 'e' || peekc(L, 0) == 'E') &&
      (is_digit(e1) || ((e1 == '+' || e1 == '-') && is_digit(peekc(L, 2))))) {
    is_float = true;
    L->pos += 2;
    scan_digits(L);
  }
  size_t num_hi = L->pos;
  while (is_ident_char(peekc(L, 0))) L->pos++;   /* suffix */
  const char *suf = L->src + num_hi;
  size_t suf_len = L->pos - num_hi;
  Span sp = span(L, lo, L->pos);
  char suffix[4] = "";
  if (suf_len) {
    static const char *const ok[] = {"i8", "i16", "i32", "i64", "f32", "f64"};
    bool found = false;
    for (int i = 0; i < 6; i++)
      if (strlen(ok[i]) == suf_len && memcmp(ok[i], suf, suf_len) == 0) {
        memcpy(suffix, ok[i], suf_len + 1); found = true;
      }
    if (!found)
      diag_error_help(span(L, num_hi, L->pos), "numeric suffixes are i8, i16, i32, i64, f32 and f64",
                      "invalid suffix `%.*s` on numeric literal", (int)(suf_len > 40 ? 40 : suf_len), suf);
    else if (is_float && suffix[0] == 'i') {
      diag_error_help(sp, "use cast(value = ..., target = ...) to convert a float to an integer",
                      "integer suffix `%s` on a float literal", suffix);
      suffix[0] = 0;
    } else if (suffix[0] == 'f') is_float = true;
  }
  /* the literal's digits without `_` */
  Buf b = {0};
  for (size_t i = lo; i < num_hi; i++) if (L->src[i] != '_') buf_put(&b, L->src + i, 1);
  Token *t = emit(L, is_float ? T_FLOAT : T_INT, lo, L->pos);
  memcpy(t->suffix, suffix, sizeof suffix);
  t->str = L->src + lo;                       /* the literal as written */
  t->str_len = L->pos - lo;
  if (is_float) {
    t->float_val = strtod(b.data, NULL);
    if (isinf(t->float_val)) {   /* beyond every float type; Float32's own range: the checker */
      bool f32 = !strcmp(suffix, "f32");
      diag_error_help(sp, f32 ? "the largest Float32 is 3.4028235e38; use Float64 for larger values"
                              : "the largest Float64 is 1.7976931348623157e308",
                      "literal %.*s does not fit in %s: it rounds to infinity", (int)(b.len > 60 ? 60 : b.len),
                      b.data, f32 ? "Float32" : suffix[0] ? "Float64" : "any float type");
    }
  } else {
    uint64_t v = 0;
    bool over = false;
    for (size_t i = 0; i < b.len; i++) {
      unsigned d = (unsigned)(b.data[i] - '0');
      if (v > (UINT64_MAX - d) / 10) over = true;
      v = v * 10 + d;
    }
    if (over) {
      diag_error_help(sp, "the largest integer type is Int64", "integer literal is too large");
      v = 0;
    }
    t->int_val = v;
  }
  buf_free(&b);
}

/* ---- strings ---- */

/* Parse the escape at L->pos (just after `\`) into b.  Returns false if
 * the string ends here (newline or end of input after the backslash). */
static bool lex_escape(Lexer *L, Buf *b) {
  size_t lo = L->pos - 1;
  int c = peekc(L, 0);
  if (c < 0 || c == '\n') return false;
  L->pos++;
  switch (c) {
  case 'n': buf_put(b, "\n", 1); return true;
  case 't': buf_put(b, "\t", 1); return true;
  case 'r': buf_put(b, "\r", 1); return true;
  case '\\': buf_put(b, "\\", 1); return true;
  case '"': buf_put(b, "\"", 1); return true;
  case '$': buf_put(b, "$", 1); return true;
  case '0': buf_put(b, "\0", 1); return true;
  case 'u': break;
  default: {
    uint32_t cp; int n = utf8_decode((const unsigned char *)L->src + L->pos - 1, L->len - L->pos + 1, &cp);
    if (n > 1) L->pos += (size_t)n - 1;
    diag_error_help(span(L, lo, L->pos), "valid escapes are \\n \\t \\r \\\\ \\\" \\$ \\0 and \\u{1F600}",
                    "unknown escape sequence `\\%.*s`", n > 0 ? n : 1,
                    n > 0 ? L->src + L->pos - n : "?");
    return true;
  }
  }
  /* \u{HEX} */
  if (peekc(L, 0) != '{') {
    diag_error_help(span(L, lo, L->pos), "write a code point as \\u{1F600}", "malformed \\u escape");
    return true;
  }
  L->pos++;
  uint32_t v = 0; int ndig = 0; bool big = false;
  for (;;) {
    int d = peekc(L, 0);
    int x = is_digit(d) ? d - '0' : (d >= 'a' && d <= 'f') ? d - 'a' + 10 : (d >= 'A' && d <= 'F') ? d - 'A' + 10 : -1;
    if (x < 0) break;
    L->pos++; ndig++;
    if (v > 0x10FFFF) big = true; else v = v * 16 + (uint32_t)x;
  }
  if (peekc(L, 0) != '}' || ndig == 0) {
    diag_error_help(span(L, lo, L->pos), "write a code point as \\u{1F600} (1 to 6 hex digits)", "malformed \\u escape");
    return true;
  }
  L->pos++;
  if (big || ndig > 6 || v > 0x10FFFF)
    diag_error(span(L, lo, L->pos), "code point in \\u escape is out of range (the maximum is 10FFFF)");
  else if (v >= 0xD800 && v <= 0xDFFF)
    diag_error(span(L, lo, L->pos), "\\u{%X} is a surrogate, not a Unicode scalar value", v);
  else utf8_encode(b, v);
  return true;
}

/* Scan a string piece starting at L->pos (just after `"` or the `}` that
 * closes an interpolation); `lo` is where the token starts.  Emits
 * T_STRING/T_STR_BEGIN (first piece) or T_STR_END/T_STR_MID. */
static void lex_string_piece(Lexer *L, size_t lo, bool first, size_t quote) {
  Buf b = {0};
  TokKind k;
  bool unterminated = false;
  for (;;) {
    int c = peekc(L, 0);
    if (c < 0 || c == '\n') {
      diag_error_help(span(L, quote, L->pos), "close the string with `\"`; write a newline as \\n",
                      "unterminated string literal");
      k = first ? T_STRING : T_STR_END;
      unterminated = true;
      break;
    }
    if (c == '"') { L->pos++; k = first ? T_STRING : T_STR_END; break; }
    if (c == '\\') {
      L->pos++;
      if (!lex_escape(L, &b)) continue;   /* reports unterminated next round */
      continue;
    }
    if (c == '$' && peekc(L, 1) == '{') {
      L->pos += 2;
      k = first ? T_STR_BEGIN : T_STR_MID;
      if (L->nmodes == PLAT_MAX_NESTING) {
        diag_error(span(L, L->pos - 2, L->pos), "string interpolation is nested too deeply (limit %d)",
                   PLAT_MAX_NESTING);
        L->stop = true;
        break;
      }
      L->mode_start[L->nmodes] = (uint32_t)quote;
      L->modes[L->nmodes++] = 0;
      break;
    }
    if (c < 0x80) { buf_put(&b, L->src + L->pos, 1); L->pos++; continue; }
    uint32_t cp;
    int n = utf8_decode((const unsigned char *)L->src + L->pos, L->len - L->pos, &cp);
    if (n == 0) {
      diag_error(span(L, L->pos, L->pos + 1), "invalid UTF-8 byte 0x%02X in string literal", (unsigned)c);
      L->pos++;
      continue;
    }
    buf_put(&b, L->src + L->pos, (size_t)n);
    L->pos += (size_t)n;
  }
  Token *t = emit(L, k, lo, L->pos);
  t->str = arena_strndup(b.data ? b.data : "", b.len);
  t->str_len = b.len;
  buf_free(&b);
  /* A string broken at the end of its line also ends every interpolation
   * around it: resynchronise on the next line. */
  for (; unterminated && L->nmodes > 0; L->nmodes--) emit(L, T_STR_END, L->pos, L->pos)->str = "";
}

/* 'text' on one line: one error, then read as the string it was meant to be. */
static bool lex_single_quoted(Lexer *L) {
  size_t lo = L->pos, hi = lo + 1;
  while (hi < L->len && L->src[hi] != '\'' && L->src[hi] != '\n') hi++;
  if (hi >= L->len || L->src[hi] != '\'') return false;
  L->pos = hi + 1;
  diag_error_help(span(L, lo, L->pos), "strings use double quotes: \"text\"",
                  "single quotes do not make a string (there is no character type)");
  Token *t = emit(L, T_STRING, lo, L->pos);
  t->str = arena_strndup(L->src + lo + 1, hi - lo - 1);
  t->str_len = hi - lo - 1;
  return true;
}

/* ---- anything else: punctuation and stray bytes ---- */
static void lex_stray(Lexer *L) {
  size_t lo = L->pos;
  uint32_t cp;
  int n = utf8_decode((const unsigned char *)L->src + lo, L->len - lo, &cp);
  if (n > 0 && cp >= 0x80) {
    L->pos += (size_t)n;
    diag_error_help(span(L, lo, L->pos), "identifiers use ASCII letters, digits and `_`; other text belongs in strings",
                    "unexpected character `%.*s` (U+%04X)", n, L->src + lo, cp);
    return;
  }
  /* a run of invalid or control bytes is one error */
  while (L->pos < L->len) {
    unsigned char c = (unsigned char)L->src[L->pos];
    if (c >= 0x80) {
      if (utf8_decode((const unsigned char *)L->src + L->pos, L->len - L->pos, &cp) > 0) break;
    } else if (c >= 0x20 && c != 0x7F) break;
    else if (c == '\t' || c == '\n' || c == '\r') break;
    L->pos++;
  }
  if (L->pos == lo) {   /* printable ASCII we have no use for: `#`, `@`, `&`... */
    L->pos++;
    char c = L->src[lo];
    const char *help = c == '\'' ? "strings use double quotes: \"text\""
                     : c == '#' ? "comments start with `//`"
                     : c == '&' ? "write `and`" : c == '|' ? "write `or`" : NULL;
    diag_error_help(span(L, lo, L->pos), help, "unexpected character `%c`", c);
    return;
  }
  if (L->pos - lo == 1)
    diag_error(span(L, lo, L->pos), "unexpected byte 0x%02X in source (not valid UTF-8 text)",
               (unsigned char)L->src[lo]);
  else
    diag_error(span(L, lo, L->pos), "unexpected bytes in source (not valid UTF-8 text)");
}

/* Two-character operators first, then one-character ones. */
static const struct { const char *s; TokKind k; } puncts[] = {
  {"::", T_COLONCOLON}, {"..=", T_DOTDOTEQ}, {"..", T_DOTDOT}, {"->", T_ARROW},
  {"=>", T_FATARROW}, {"==", T_EQ}, {"!=", T_NE}, {"<=", T_LE}, {">=", T_GE},
  {"+=", T_PLUSEQ}, {"-=", T_MINUSEQ}, {"*=", T_STAREQ}, {"/=", T_SLASHEQ},
  {"%=", T_PERCENTEQ}, {"&&", T_AMPAMP}, {"||", T_PIPEPIPE},
  {"(", T_LPAREN}, {")", T_RPAREN}, {"[", T_LBRACKET}, {"]", T_RBRACKET},
  {",", T_COMMA}, {";", T_SEMI}, {":", T_COLON}, {".", T_DOT}, {"=", T_ASSIGN},
  {"<", T_LT}, {">", T_GT}, {"+", T_PLUS}, {"-", T_MINUS}, {"*", T_STAR},
  {"/", T_SLASH}, {"%", T_PERCENT}, {"?", T_QUESTION}, {"!", T_BANG},
};

static bool lex_punct(Lexer *L) {
  for (size_t i = 0; i < sizeof puncts / sizeof puncts[0]; i++) {
    size_t n = strlen(puncts[i].s);
    if (L->pos + n <= L->len && memcmp(L->src + L->pos, puncts[i].s, n) == 0) {
      emit(L, puncts[i].k, L->pos, L->pos + n);
      L->pos += n;
      return true;
    }
  }
  return false;
}

static void lex_braces(Lexer *L, int c) {
  size_t lo = L->pos++;
  if (c == '{') {
    if (L->nmodes) L->modes[L->nmodes - 1]++;
    emit(L, T_LBRACE, lo, L->pos);
  } else if (L->nmodes && L->modes[L->nmodes - 1] == 0) {
    L->nmodes--;                                   /* end of `${ ... }` */
    lex_string_piece(L, lo, false, L->mode_start[L->nmodes]);
  } else {
    if (L->nmodes) L->modes[L->nmodes - 1]--;
    emit(L, T_RBRACE, lo, L->pos);
  }
}

Token *lex_all(SrcFile *f, int *ntok) {
  if (!keyword_names[0])
    for (int i = 0; i < NKEYWORDS; i++) keyword_names[i] = intern_cstr(keywords[i]);
  const char *src = f->src;
  size_t len = f->len;
  Lexer L = {.file = f, .src = src, .len = len, .errs = diag_error_count()};
  while (!L.stop) {
    skip_space(&L);
    if (L.pos >= len) break;
    int c = peekc(&L, 0);
    int n0 = L.toks.len;
    if (is_ident_start(c)) lex_ident(&L);
    else if (is_digit(c)) lex_number(&L);
    else if (c == '"') { size_t lo = L.pos++; lex_string_piece(&L, lo, true, lo); }
    else if (c == '\'' && lex_single_quoted(&L)) {}
    else if (c == '{' || c == '}') lex_braces(&L, c);
    else if (!lex_punct(&L)) lex_stray(&L);
    /* mark the token an error belongs to (a stray byte: the next one) */
    if (diag_error_count() > L.errs && L.toks.len > n0) {
      L.toks.items[L.toks.len - 1].bad = true;
      L.errs = diag_error_count();
    }
  }
  /* close interpolations left open at end of input */
  if (L.nmodes > 0 && !L.stop)
    diag_error_help(span(&L, L.mode_start[L.nmodes - 1], L.mode_start[L.nmodes - 1] + 1),
                    "close the interpolation with `}` and the string with `\"`",
                    "unterminated string interpolation");
  for (; L.nmodes > 0; L.nmodes--) {
    Token *t = emit(&L, T_STR_END, len, len);
    t->str = "";
  }
  emit(&L, T_EOF, len, len)->bad = diag_error_count() > L.errs;
  *ntok = L.toks.len;
  return L.toks.items;
}

/* ---- token descriptions for messages ---- */
static const char *const punct_names[] = {
  [T_LPAREN] = "(", [T_RPAREN] = ")", [T_LBRACE] = "{", [T_RBRACE] = "}",
  [T_LBRACKET] = "[", [T_RBRACKET] = "]", [T_COMMA] = ",", [T_SEMI] = ";",
  [T_COLON] = ":", [T_COLONCOLON] = "::", [T_DOT] = ".", [T_DOTDOT] = "..",
  [T_DOTDOTEQ] = "..=", [T_ARROW] = "->", [T_FATARROW] = "=>", [T_ASSIGN] = "=",
  [T_EQ] = "==", [T_NE] = "!=", [T_LT] = "<", [T_LE] = "<=", [T_GT] = ">",
  [T_GE] = ">=", [T_PLUS] = "+", [T_MINUS] = "-", [T_STAR] = "*", [T_SLASH] = "/",
  [T_PERCENT] = "%", [T_QUESTION] = "?", [T_PLUSEQ] = "+=", [T_MINUSEQ] = "-=",
  [T_STAREQ] = "*=", [T_SLASHEQ] = "/=", [T_PERCENTEQ] = "%=", [T_AMPAMP] = "&&",
  [T_PIPEPIPE] = "||", [T_BANG] = "!",
};

const char *tok_kind_str(TokKind k) {
  switch (k) {
  case T_EOF: return "end of file";
  case T_IDENT: return "identifier";
  case T_INT: return "integer literal";
  case T_FLOAT: return "float literal";
  case T_STRING: case T_STR_BEGIN: return "string literal";
  case T_STR_MID: case T_STR_END: return "`}` (end of the interpolation)";
  default: break;
  }
  if (tok_is_keyword(k)) return arena_printf("`%s`", keywords[k - T_FN]);
  if (k < T_COUNT && punct_names[k]) return arena_printf("`%s`", punct_names[k]);
  return "token";
}

const char *tok_describe(const Token *t) {
  switch (t->kind) {
  case T_IDENT: return arena_printf("identifier `%s`", t->name);
  case T_INT: case T_FLOAT:
    if (!t->str || t->str_len > 24) return "a number";
    return arena_printf("number `%.*s`", (int)t->str_len, t->str);
  default:
    if (tok_is_keyword(t->kind)) return arena_printf("keyword `%s`", t->name);
    return tok_kind_str(t->kind);
  }
}
