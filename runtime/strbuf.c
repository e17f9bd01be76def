/* strbuf.c -- a growable byte buffer for building strings (printing of
 * collections), and the quoted form of a string (LANGUAGE.md 10.3).
 *
 * The buffer is pointer-free GC memory that doubles when full; finishing
 * copies the bytes into one plat_str (so the string has its usual single
 * block layout).  A builder is used by one task at a time (it lives on
 * the stack of the code that prints).
 *
 * Quoting: `"` and `\` are escaped, newline, tab and carriage return are
 * written \n \t \r, every other control character (U+0000-U+001F, U+007F,
 * U+0080-U+009F) as \u{HEX} in upper-case hex without leading zeros, the
 * form the lexer reads back.  Other text, including bytes that are not
 * valid UTF-8, is copied unchanged.
 */
#include <stdio.h>

#include "plat_dict.h"

void plat_sb_init(plat_sb *sb)
{
  sb->len = 0;
  sb->cap = 64;
  sb->buf = plat_alloc_atomic((size_t)sb->cap);
}

static void reserve(plat_sb *sb, int64_t more)
{
  if (sb->len + more <= sb->cap) return;
  int64_t cap = sb->cap * 2;
  while (cap < sb->len + more) cap *= 2;
  char *b = plat_alloc_atomic((size_t)cap);
  memcpy(b, sb->buf, (size_t)sb->len);
  sb->buf = b;
  sb->cap = cap;
}

void plat_sb_add(plat_sb *sb, const char *p, int64_t n)
{
  if (n <= 0) return;
  reserve(sb, n);
  memcpy(sb->buf + sb->len, p, (size_t)n);
  sb->len += n;
}

void plat_sb_add_cstr(plat_sb *sb, const char *s) { plat_sb_add(sb, s, (int64_t)strlen(s)); }
void plat_sb_add_str(plat_sb *sb, plat_str *s) { plat_sb_add(sb, s->data, s->len); }

void plat_sb_add_i64(plat_sb *sb, int64_t x)
{
  char buf[24], *p = buf + sizeof buf;
  uint64_t u = x < 0 ? (uint64_t)0 - (uint64_t)x : (uint64_t)x;
  do { *--p = (char)('0' + u % 10); u /= 10; } while (u);
  if (x < 0) *--p = '-';
  plat_sb_add(sb, p, buf + sizeof buf - p);
}

static bool is_control(int32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

void plat_sb_add_quoted(plat_sb *sb, plat_str *s)
{
  plat_sb_add(sb, "\"", 1);
  int64_t run = 0;                       /* start of the bytes not yet copied */
  for (int64_t i = 0; i < s->len;) {
    unsigned char c = (unsigned char)s->data[i];
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') { i++; continue; }   /* plain ASCII */
    int32_t cp;
    int n = plat_utf8_decode(s->data, s->len, i, &cp);
    bool invalid = cp == 0xFFFD && n == 1;
    if (invalid || (cp != '"' && cp != '\\' && !is_control(cp))) { i += n; continue; }
    plat_sb_add(sb, s->data + run, i - run);
    char esc[16];
    switch (cp) {
    case '"': plat_sb_add(sb, "\\\"", 2); break;
    case '\\': plat_sb_add(sb, "\\\\", 2); break;
    case '\n': plat_sb_add(sb, "\\n", 2); break;
    case '\t': plat_sb_add(sb, "\\t", 2); break;
    case '\r': plat_sb_add(sb, "\\r", 2); break;
    default: plat_sb_add(sb, esc, snprintf(esc, sizeof esc, "\\u{%X}", (unsigned)cp));
    }
    i += n;
    run = i;
  }
  plat_sb_add(sb, s->data + run, s->len - run);
  plat_sb_add(sb, "\"", 1);
}

plat_str *plat_sb_finish(plat_sb *sb) { return plat_str_new(sb->buf, sb->len); }

plat_str *plat_str_quote(plat_str *s)
{
  plat_sb sb;
  plat_sb_init(&sb);
  plat_sb_add_quoted(&sb, s);
  return plat_sb_finish(&sb);
}
