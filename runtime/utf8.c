/* utf8.c -- UTF-8 decoding and encoding for String methods.
 *
 * Plat strings are UTF-8 and indexed by code point.  Strings built by the
 * program are valid UTF-8, but bytes read from files or sockets may not be
 * (file_read can stop inside a multi-byte character).  To keep every
 * String method total, the decoder walks a string in "steps": a step is
 * one valid UTF-8 sequence (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF) or, failing that, one single byte, reported as
 * U+FFFD.  Code-point lengths and indices count steps, so an invalid byte
 * counts as one character and substring() keeps its raw byte intact.
 *
 * No state: every function here is pure and thread-safe.
 */
#include "plat_value.h"

int plat_utf8_decode(const char *str, int64_t len, int64_t i, int32_t *cp)
{
  const unsigned char *s = (const unsigned char *)str + i;
  int64_t left = len - i;
  unsigned c = s[0];
  if (c < 0x80) { *cp = (int32_t)c; return 1; }
  int n; uint32_t v, min;
  if (c >= 0xC2 && c <= 0xDF) { n = 2; v = c & 0x1F; min = 0x80; }
  else if (c >= 0xE0 && c <= 0xEF) { n = 3; v = c & 0x0F; min = 0x800; }
  else if (c >= 0xF0 && c <= 0xF4) { n = 4; v = c & 0x07; min = 0x10000; }
  else goto bad;
  if (left < n) goto bad;
  for (int k = 1; k < n; k++) {
    if ((s[k] & 0xC0) != 0x80) goto bad;
    v = (v << 6) | (s[k] & 0x3F);
  }
  if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) goto bad;
  *cp = (int32_t)v;
  return n;
bad:
  *cp = 0xFFFD;
  return 1;
}

int plat_utf8_encode(uint32_t cp, char *out)
{
  unsigned char *o = (unsigned char *)out;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) { o[0] = (unsigned char)cp; return 1; }
  if (cp < 0x800) { o[0] = 0xC0 | (cp >> 6); o[1] = 0x80 | (cp & 0x3F); return 2; }
  if (cp < 0x10000) {
    o[0] = 0xE0 | (cp >> 12); o[1] = 0x80 | ((cp >> 6) & 0x3F); o[2] = 0x80 | (cp & 0x3F);
    return 3;
  }
  o[0] = 0xF0 | (cp >> 18); o[1] = 0x80 | ((cp >> 12) & 0x3F);
  o[2] = 0x80 | ((cp >> 6) & 0x3F); o[3] = 0x80 | (cp & 0x3F);
  return 4;
}

/* Number of steps (code points) in s[0..len). */
int64_t plat_utf8_count(const char *s, int64_t len)
{
  int64_t n = 0, i = 0;
  int32_t cp;
  while (i < len) {
    if ((unsigned char)s[i] < 0x80) i++;
    else i += plat_utf8_decode(s, len, i, &cp);
    n++;
  }
  return n;
}

/* Byte offset of code point `index` (0 <= index); len if index >= count. */
int64_t plat_utf8_offset(const char *s, int64_t len, int64_t index)
{
  int64_t i = 0;
  int32_t cp;
  while (index > 0 && i < len) {
    if ((unsigned char)s[i] < 0x80) i++;
    else i += plat_utf8_decode(s, len, i, &cp);
    index--;
  }
  return i;
}
