/* plat_value.h -- Plat values and the built-ins of LANGUAGE.md section 6.
 *
 * This header is the compiler's contract with the value library: the
 * built-in catalogue (compiler/builtins/) names these functions, and `make`
 * checks every name and signature it uses against this file
 * (tools/rt_contract.c), so renaming one means updating its catalogue row.
 *
 * Representation (every value fits in one 8-byte word, so a channel or a
 * task result moves one machine word):
 *   Bool            bool
 *   Int8..Int64     int8_t..int64_t      (arithmetic wraps)
 *   Float32/64      float / double
 *   String          plat_str *           immutable UTF-8, never NULL
 *   List<T>         plat_list *          items are 8-byte words
 *   enums, Option,  plat_enum *          tag + payload words; Option is
 *   Result                               Some=0/None=1, Result Ok=0/Err=1
 *   classes         pointer to a generated struct on the GC heap
 *   Task<T>         plat_task *          (plat_rt.h)
 *   Channel<T>      plat_chan *          (plat_chan.h)
 * Words: a value is stored in a list, enum payload, task result or channel
 * slot as a plat_word; plat_w_* / plat_*_w convert without changing bits
 * (floats are bit-cast, small ints sign-extended).
 *
 * All memory is Boehm GC memory.
 */
#ifndef PLAT_VALUE_H
#define PLAT_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "plat_rt.h"

typedef uint64_t plat_word;

/* ---- word conversions ---- */
static inline plat_word plat_w_i64(int64_t x) { return (plat_word)x; }
static inline int64_t plat_i64_w(plat_word w) { return (int64_t)w; }
static inline plat_word plat_w_f64(double x) { plat_word w; memcpy(&w, &x, 8); return w; }
static inline double plat_f64_w(plat_word w) { double x; memcpy(&x, &w, 8); return x; }
static inline plat_word plat_w_f32(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static inline float plat_f32_w(plat_word w) { uint32_t u = (uint32_t)w; float x; memcpy(&x, &u, 4); return x; }
static inline plat_word plat_w_ptr(const void *p) { return (plat_word)(uintptr_t)p; }
static inline void *plat_ptr_w(plat_word w) { return (void *)(uintptr_t)w; }

/* ---- allocation ---- */
void *plat_alloc(size_t n);          /* GC memory that may hold pointers, zeroed */
void *plat_alloc_atomic(size_t n);   /* GC memory without pointers */

/* ---- String ---- */
typedef struct plat_str {
  int64_t len;        /* bytes, excluding the terminating NUL */
  const char *data;   /* UTF-8, NUL-terminated */
} plat_str;
/* The largest String, in bytes: lengths and indices are Int32.  Building
 * a longer one panics (str.c); reading more from a file is an Err. */
#define PLAT_STR_MAX ((int64_t)INT32_MAX)
/* A literal in generated code: static plat_str s = PLAT_STR_LIT("hi"); */
#define PLAT_STR_LIT(s) { (int64_t)sizeof(s) - 1, (s) }

plat_str *plat_str_new(const char *data, int64_t len);   /* copies */
plat_str *plat_str_cstr(const char *s);
plat_str *plat_str_concat(plat_str *a, plat_str *b);
bool plat_str_eq(plat_str *a, plat_str *b);
int plat_str_cmp(plat_str *a, plat_str *b);             /* bytewise, <0 0 >0 */
/* Added by the library: a string of `len` bytes whose text the caller
 * fills through *data before publishing it; printf-style construction. */
plat_str *plat_str_alloc(int64_t len, char **data);
/* Located variants (str.c "Size limit"): a result longer than PLAT_STR_MAX
 * panics "string too long" at file:line (file NULL: no location).  A
 * negative len means "more than PLAT_STR_MAX". */
plat_str *plat_str_alloc_at(int64_t len, char **data, const char *file, int line);
plat_str *plat_str_concat_at(plat_str *a, plat_str *b, const char *file, int line);
plat_str *plat_str_replace_at(plat_str *s, plat_str *from, plat_str *to, const char *file, int line);
__attribute__((noreturn)) void plat_str_too_long(int64_t len, const char *file, int line);
plat_str *plat_str_fmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* UTF-8 steps (utf8.c): a step is one valid sequence or one invalid byte
 * (decoded as U+FFFD).  decode returns the step's byte length (>= 1). */
int plat_utf8_decode(const char *s, int64_t len, int64_t i, int32_t *cp);
int plat_utf8_encode(uint32_t cp, char *out);            /* out: 4 bytes */
int64_t plat_utf8_count(const char *s, int64_t len);     /* code points */
int64_t plat_utf8_offset(const char *s, int64_t len, int64_t index);  /* clamps to len */

/* to_string for interpolation and print */
plat_str *plat_fmt_bool(bool x);
plat_str *plat_fmt_i64(int64_t x);
plat_str *plat_fmt_f64(double x);    /* shortest round-trip, `.0` on whole numbers */
plat_str *plat_fmt_f32(float x);     /* shortest that reads back as the same float */

/* String methods (section 6).  Indices are code points (an invalid UTF-8
 * byte counts as one).  substring clamps (negative start -> 0, end past
 * the end -> length, end <= start -> ""); char_at and index_of return
 * None when out of range / absent.  Semantics: docs/BUILTINS.md. */
int32_t plat_str_length(plat_str *s);
int32_t plat_str_byte_length(plat_str *s);
bool plat_str_is_empty(plat_str *s);
bool plat_str_contains(plat_str *s, plat_str *sub);
bool plat_str_starts_with(plat_str *s, plat_str *prefix);
bool plat_str_ends_with(plat_str *s, plat_str *suffix);
struct plat_enum *plat_str_index_of(plat_str *s, plat_str *sub);        /* Option<Int32> */
plat_str *plat_str_substring(plat_str *s, int32_t start, int32_t end);  /* clamps */
struct plat_enum *plat_str_char_at(plat_str *s, int32_t index);         /* Option<String> */
struct plat_list *plat_str_split(plat_str *s, plat_str *sep);
plat_str *plat_str_trim(plat_str *s);
plat_str *plat_str_to_upper(plat_str *s);
plat_str *plat_str_to_lower(plat_str *s);
plat_str *plat_str_replace(plat_str *s, plat_str *from, plat_str *to);
struct plat_enum *plat_str_parse_int(plat_str *s);      /* Result<Int32, String> */
struct plat_enum *plat_str_parse_int64(plat_str *s);    /* Result<Int64, String> */
struct plat_enum *plat_str_parse_float(plat_str *s);    /* Result<Float64, String> */
struct plat_enum *plat_str_parse_bool(plat_str *s);     /* Result<Bool, String> */

/* ---- enums, Option, Result ---- */
typedef struct plat_enum {
  int64_t tag;
  plat_word f[];      /* payload fields in declaration order */
} plat_enum;
plat_enum *plat_enum_new(int64_t tag, int nfields);       /* fields zeroed */
enum { PLAT_SOME = 0, PLAT_NONE = 1, PLAT_OK = 0, PLAT_ERR = 1 };
plat_enum *plat_some(plat_word v);
plat_enum *plat_none(void);          /* a shared constant */
plat_enum *plat_ok(plat_word v);
plat_enum *plat_err(plat_word v);
plat_enum *plat_err_cstr(const char *msg);   /* Err(String) */

/* ---- List<T> ---- */
typedef struct plat_list {
  int64_t len, cap;
  plat_word *items;
} plat_list;
/* Negative indices are out of range: get/remove_at -> None, set/insert_at
 * -> false (insert_at accepts 0..len).  Never a crash. */
plat_list *plat_list_new(int64_t cap);
plat_list *plat_list_of(int64_t n, const plat_word *items);   /* literal */
int32_t plat_list_length(plat_list *l);
bool plat_list_is_empty(plat_list *l);
void plat_list_push(plat_list *l, plat_word v);
plat_enum *plat_list_pop(plat_list *l);                       /* Option<T> */
plat_enum *plat_list_get(plat_list *l, int64_t i);            /* Option<T> */
bool plat_list_set(plat_list *l, int64_t i, plat_word v);
bool plat_list_insert_at(plat_list *l, int64_t i, plat_word v);  /* false if out of range */
plat_enum *plat_list_remove_at(plat_list *l, int64_t i);      /* Option<T> */
/* contains/index_of compare words with an element equality:
 * kind PLAT_EQ_BITS (ints, bools, identity of classes), PLAT_EQ_F64,
 * PLAT_EQ_F32 (IEEE ==) or PLAT_EQ_STR (string contents). */
enum { PLAT_EQ_BITS, PLAT_EQ_F64, PLAT_EQ_F32, PLAT_EQ_STR };
bool plat_list_contains(plat_list *l, plat_word v, int eq_kind);
plat_enum *plat_list_index_of(plat_list *l, plat_word v, int eq_kind);   /* Option<Int32> */
plat_list *plat_list_slice(plat_list *l, int64_t start, int64_t end);    /* clamps */
void plat_list_clear(plat_list *l);
plat_str *plat_list_join(plat_list *l, plat_str *sep);                   /* List<String> */
plat_str *plat_list_join_at(plat_list *l, plat_str *sep, const char *file, int line);
#define PLAT_LIST_MAX ((int64_t)INT32_MAX)  /* most elements (lengths are Int32) */

/* ---- built-in functions ---- */
void plat_print(plat_str *s);                 /* s and a newline to stdout */
void plat_flush_stdout(void);
__attribute__((noreturn)) void plat_exit(int32_t code);   /* flushes stdout */
int64_t plat_time_ms(void);                   /* wall clock */
plat_enum *plat_env_get(plat_str *name);      /* Option<String> */
plat_list *plat_args(void);                   /* List<String>, program args after argv[0] */

/* Files: each returns a Result whose Err carries the OS reason
 * ("file_open: /x: No such file or directory"). */
plat_enum *plat_file_open(plat_str *path, plat_str *mode);      /* Result<Int32, String> */
plat_enum *plat_file_read(int32_t fd, int64_t max_bytes);       /* Result<String, String> */
plat_enum *plat_file_read_all(plat_str *path);                  /* Result<String, String> */
plat_enum *plat_file_write(int32_t fd, plat_str *data);         /* Result<Int32, String> */
plat_enum *plat_file_close(int32_t fd);                         /* Result<Bool, String> */
bool plat_file_exists(plat_str *path);
plat_enum *plat_file_size(plat_str *path);                      /* Result<Int64, String> */
plat_enum *plat_file_delete(plat_str *path);                    /* Result<Bool, String> */
plat_enum *plat_dir_list(plat_str *path);                       /* Result<List<String>, String> */

#endif
