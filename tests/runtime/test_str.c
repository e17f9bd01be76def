/* test_str.c -- String construction, UTF-8 and the String methods. */
#include "vtest.h"

#define LIST_STR(l, i) ((plat_str *)plat_ptr_w((l)->items[i]))

static void basics(void)
{
  plat_str *a = S("héllo"), *b = S(" wörld");
  CHECK_STR(plat_str_concat(a, b), "héllo wörld");
  CHECK(plat_str_concat(a, S("")) == a);
  CHECK(plat_str_eq(a, S("héllo")) && !plat_str_eq(a, b));
  CHECK(plat_str_cmp(S("abc"), S("abd")) < 0 && plat_str_cmp(S("ab"), S("abc")) < 0);
  CHECK(plat_str_cmp(S("b"), S("abc")) > 0 && plat_str_cmp(S("x"), S("x")) == 0);
  CHECK(plat_str_cmp(S("\xc3\xa9"), S("z")) > 0);            /* bytewise, unsigned */
  CHECK_STR(plat_str_fmt("%d-%s", 42, "x"), "42-x");
  char big[600];
  memset(big, 'q', sizeof big - 1);
  big[sizeof big - 1] = 0;
  CHECK(plat_str_fmt("%s!", big)->len == 600);
  plat_str *z = S("a\0b");                                  /* embedded NUL */
  CHECK(z->len == 3 && plat_str_length(z) == 3 && !plat_str_eq(z, S("a")));
}

static void lengths(void)
{
  CHECK(plat_str_length(S("")) == 0 && plat_str_is_empty(S("")));
  CHECK(plat_str_length(S("abc")) == 3 && plat_str_byte_length(S("abc")) == 3);
  CHECK(plat_str_length(S("héllo")) == 5 && plat_str_byte_length(S("héllo")) == 6);
  CHECK(plat_str_length(S("日本語")) == 3 && plat_str_byte_length(S("日本語")) == 9);
  CHECK(plat_str_length(S("a😀b")) == 3 && plat_str_byte_length(S("a😀b")) == 6);
  CHECK(!plat_str_is_empty(S(" ")));
  /* invalid bytes count one each: lone continuation, truncated sequence,
   * overlong "/", surrogate U+D800, above U+10FFFF */
  CHECK(plat_str_length(S("a\x80z")) == 3);
  CHECK(plat_str_length(S("\xe6\x97")) == 2);
  CHECK(plat_str_length(S("\xc0\xaf")) == 2);
  CHECK(plat_str_length(S("\xed\xa0\x80")) == 3);
  CHECK(plat_str_length(S("\xf4\x90\x80\x80")) == 4);
  CHECK(plat_str_length(S("\xf4\x8f\xbf\xbf")) == 1);       /* U+10FFFF ok */
}

static void utf8_codec(void)
{
  char buf[4];
  int32_t cp;
  uint32_t samples[] = { 0, 0x41, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF };
  for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
    int n = plat_utf8_encode(samples[i], buf);
    CHECK(plat_utf8_decode(buf, n, 0, &cp) == n && (uint32_t)cp == samples[i]);
  }
  CHECK(plat_utf8_encode(0xD800, buf) == 3 && plat_utf8_decode(buf, 3, 0, &cp) == 3 && cp == 0xFFFD);
  CHECK(plat_utf8_encode(0x110000, buf) == 3);
  CHECK(plat_utf8_decode("\xff", 1, 0, &cp) == 1 && cp == 0xFFFD);
  CHECK(plat_utf8_offset("h\xc3\xa9y", 4, 2) == 3 && plat_utf8_offset("h\xc3\xa9y", 4, 99) == 4);
}

static void search(void)
{
  plat_str *s = S("naïve café 😀 café");
  CHECK(plat_str_contains(s, S("café")) && !plat_str_contains(s, S("cafe")));
  CHECK(plat_str_contains(s, S("")) && plat_str_contains(S(""), S("")));
  CHECK(!plat_str_contains(S("ab"), S("abc")));
  CHECK(plat_str_starts_with(s, S("naï")) && !plat_str_starts_with(s, S("ï")));
  CHECK(plat_str_ends_with(s, S("café")) && plat_str_ends_with(s, S("")));
  CHECK(!plat_str_ends_with(S("é"), S("xé")));
  CHECK(SOME(plat_str_index_of(s, S("café"))) == 6);        /* code points, not bytes */
  CHECK(SOME(plat_str_index_of(s, S("😀"))) == 11);
  CHECK(SOME(plat_str_index_of(s, S(""))) == 0);
  CHECK(SOME(plat_str_index_of(S("aaa"), S("aa"))) == 0);
  IS_NONE(plat_str_index_of(s, S("xyz")));
  IS_NONE(plat_str_index_of(S(""), S("a")));
}

static void slicing(void)
{
  plat_str *s = S("a😀bé");
  CHECK_STR(plat_str_substring(s, 1, 3), "😀b");
  CHECK_STR(plat_str_substring(s, 0, 4), "a😀bé");
  CHECK(plat_str_substring(s, 0, 4) == s);
  CHECK_STR(plat_str_substring(s, -5, 2), "a😀");             /* clamps */
  CHECK_STR(plat_str_substring(s, 3, 100), "é");
  CHECK_STR(plat_str_substring(s, 3, 2), "");
  CHECK_STR(plat_str_substring(s, 9, 12), "");
  CHECK_STR(plat_str_substring(s, INT32_MIN, INT32_MAX), "a😀bé");
  CHECK_STR(SOME_STR(plat_str_char_at(s, 1)), "😀");
  CHECK_STR(SOME_STR(plat_str_char_at(s, 3)), "é");
  CHECK_STR(SOME_STR(plat_str_char_at(s, 0)), "a");
  IS_NONE(plat_str_char_at(s, 4));
  IS_NONE(plat_str_char_at(s, -1));
  IS_NONE(plat_str_char_at(S(""), 0));
  CHECK_STR(SOME_STR(plat_str_char_at(S("a\x80z"), 1)), "\x80");    /* raw invalid byte */
}

static void splitting(void)
{
  plat_list *l = plat_str_split(S("a,b,,c"), S(","));
  CHECK(l->len == 4);
  if (l->len == 4) {
    CHECK_STR(LIST_STR(l, 0), "a"); CHECK_STR(LIST_STR(l, 2), ""); CHECK_STR(LIST_STR(l, 3), "c");
  }
  l = plat_str_split(S("héllo"), S(""));
  CHECK(l->len == 5);
  if (l->len == 5) { CHECK_STR(LIST_STR(l, 1), "é"); CHECK_STR(LIST_STR(l, 4), "o"); }
  CHECK(plat_str_split(S(""), S(""))->len == 0);
  l = plat_str_split(S(""), S(","));
  CHECK(l->len == 1 && LIST_STR(l, 0)->len == 0);
  l = plat_str_split(S("::a::"), S("::"));
  CHECK(l->len == 3);
  if (l->len == 3) { CHECK_STR(LIST_STR(l, 0), ""); CHECK_STR(LIST_STR(l, 1), "a"); CHECK_STR(LIST_STR(l, 2), ""); }
  l = plat_str_split(S("x😀y😀"), S("😀"));
  CHECK(l->len == 3 && LIST_STR(l, 2)->len == 0);
  l = plat_str_split(S("abc"), S("abcd"));
  CHECK(l->len == 1);
}

static void trimming_case_replace(void)
{
  CHECK_STR(plat_str_trim(S("  \t hi there \n\r")), "hi there");
  CHECK_STR(plat_str_trim(S("\u00a0\u3000x\u2003y\u2028")), "x\u2003y");
  CHECK_STR(plat_str_trim(S(" \t\n ")), "");
  CHECK_STR(plat_str_trim(S("")), "");
  CHECK_STR(plat_str_trim(S("\x80 ")), "\x80");
  plat_str *t = S("tight");
  CHECK(plat_str_trim(t) == t);
  CHECK_STR(plat_str_to_upper(S("Hello, wörld! ÿ ß 123")), "HELLO, WÖRLD! Ÿ ß 123");
  CHECK_STR(plat_str_to_lower(S("HeLLo ÀÉÎ Ÿ")), "hello àéî ÿ");
  CHECK_STR(plat_str_to_upper(S("αβγ ς привет ёж łódź")), "ΑΒΓ Σ ПРИВЕТ ЁЖ ŁÓDŹ");
  CHECK_STR(plat_str_to_lower(S("ΑΒΓ ПРИВЕТ ЁЖ ŁÓDŹ ÷×")), "αβγ привет ёж łódź ÷×");
  CHECK_STR(plat_str_to_upper(S("日本 😀 \x80" "a")), "日本 😀 \x80" "A");
  CHECK_STR(plat_str_replace(S("a-b-c"), S("-"), S("+=")), "a+=b+=c");
  CHECK_STR(plat_str_replace(S("ééé"), S("éé"), S("e")), "eé");
  CHECK_STR(plat_str_replace(S("abc"), S("x"), S("y")), "abc");
  CHECK_STR(plat_str_replace(S("abc"), S("b"), S("")), "ac");
  CHECK_STR(plat_str_replace(S("aé"), S(""), S("-")), "-a-é-");
  CHECK_STR(plat_str_replace(S(""), S(""), S("-")), "-");
  CHECK_STR(plat_str_replace(S(""), S("a"), S("-")), "");
}

static void run(void)
{
  basics();
  lengths();
  utf8_codec();
  search();
  slicing();
  splitting();
  trimming_case_replace();
}
VTEST_MAIN
