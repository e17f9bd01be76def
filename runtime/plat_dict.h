/* plat_dict.h -- Dict<K, V> and Set<T> (LANGUAGE.md 10.2), the type
 * descriptors that drive them, seeded hashing and a string builder.
 *
 * STATUS: runtime half complete; the compiler does not call it yet (the
 * wiring is the next step, see docs/RUNTIME.md "Dict and Set").
 *
 * Type descriptors.  The compiler emits one `static const plat_type` per
 * key, value or element type it uses (the runtime provides the primitive
 * ones below).  Contract, for each field:
 *   name   the type as the user writes it ("Option<Int32>"): messages only.
 *   size   bytes of the value inside a table entry: 1, 2, 4 or 8.  Every
 *          value still travels as a plat_word (plat_value.h); the table
 *          stores its low `size` bytes.  References (String, enums,
 *          classes, List, Dict...) are 8.
 *   kind   PLAT_TK_INT: integers and Bool; equality and hashing are the
 *                 runtime's own (bits of the word, extended as flags say),
 *                 the functions below are not called by the table.
 *          PLAT_TK_STR: String; same, by content.
 *          PLAT_TK_FLOAT: Float32 (size 4) or Float64 (size 8): a value
 *                 only, equality is IEEE ==.
 *          PLAT_TK_OTHER: everything else; the table calls hash/eq/write.
 *   flags  PLAT_TF_POINTER: the word may be a GC pointer (the table's
 *                 memory is then scanned; without it, a table whose keys
 *                 and values have no pointer is allocated pointer-free).
 *          PLAT_TF_SIGNED: a narrow field is sign-extended when read back
 *                 (Int8/16/32); otherwise zero-extended (Bool, Float32).
 *   hash   NULL when the type cannot be a key or element (Float, List,
 *          Dict, Set, Task).  Otherwise: equal values hash equally; built
 *          from plat_hash_* below (which are seeded per process), e.g.
 *          enums: plat_hash_combine(tag, hash of each payload field);
 *          Option/Result the same (structural); classes, Channels:
 *          plat_hash_ptr (identity; the collector does not move objects).
 *          It must not panic, yield or allocate.
 *   eq     structural equality (identity for classes, Channels, Tasks);
 *          must not panic or yield.  May be NULL for kind INT/STR/FLOAT.
 *   write  appends the value as it is printed inside a collection
 *          (LANGUAGE.md 10.3: strings quoted with escapes, a class with a
 *          to_string() method as its text); may call user code.
 * Newtypes use their underlying type's descriptor (or a copy renamed).
 *
 * Dict and Set.  A Set<T> is a Dict without values (value descriptor
 * NULL); plat_set is the same struct.  Insertion order everywhere: a
 * replaced value keeps its place, a removed then re-inserted key goes
 * last.  Lookups never allocate.  Every operation that may panic takes
 * the caller's .plat location.  Panics:
 *   "concurrent modification of a Dict: ..."  two tasks used it at the
 *       same time without synchronisation (detected, never a crash);
 *   "Dict changed during iteration: ..."     an entry was added or
 *       removed while a loop iterates over it (at the loop's next step);
 *   "Dict too large: ..."                    more than PLAT_DICT_MAX entries;
 *   "Float64 cannot be a Dict key"           plat_dict_new with a key
 *       descriptor without hash (the compiler rejects such programs).
 * ("Set" instead of "Dict" for sets.)  Algorithm and invariants: dict.c.
 */
#ifndef PLAT_DICT_H
#define PLAT_DICT_H

#include "plat_value.h"

/* ---- string builder -------------------------------------------------- */
typedef struct plat_sb {
  char *buf;          /* GC memory, pointer-free */
  int64_t len, cap;
} plat_sb;
void plat_sb_init(plat_sb *sb);
void plat_sb_add(plat_sb *sb, const char *p, int64_t n);
void plat_sb_add_cstr(plat_sb *sb, const char *s);
void plat_sb_add_str(plat_sb *sb, plat_str *s);
/* s between double quotes, with \" \\ \n \t \r and \u{HEX} for the other
 * control characters (C0, DEL, C1); invalid UTF-8 bytes are kept. */
void plat_sb_add_quoted(plat_sb *sb, plat_str *s);
void plat_sb_add_i64(plat_sb *sb, int64_t x);
plat_str *plat_sb_finish(plat_sb *sb);
plat_str *plat_str_quote(plat_str *s);

/* ---- hashing (hash.c) ---------------------------------------------------
 * 64-bit hashes keyed by secrets drawn from the OS at start-up, so an
 * attacker cannot choose keys that collide.  Never stable across runs. */
uint64_t plat_hash_i64(int64_t x);        /* every integer width, Bool */
uint64_t plat_hash_bytes(const void *p, size_t n);
uint64_t plat_hash_str(plat_str *s);
uint64_t plat_hash_ptr(const void *p);    /* identity */
uint64_t plat_hash_combine(uint64_t h, uint64_t x);   /* order matters */

/* ---- type descriptors (typedesc.c) ---------------------------------------- */
enum { PLAT_TK_OTHER = 0, PLAT_TK_INT = 1, PLAT_TK_STR = 2, PLAT_TK_FLOAT = 3 };
enum { PLAT_TF_POINTER = 1, PLAT_TF_SIGNED = 2 };
typedef struct plat_type {
  const char *name;
  uint8_t size;
  uint8_t kind;
  uint8_t flags;
  uint64_t (*hash)(plat_word v);
  bool (*eq)(plat_word a, plat_word b);
  void (*write)(plat_sb *sb, plat_word v);
} plat_type;

extern const plat_type plat_type_bool, plat_type_i8, plat_type_i16, plat_type_i32,
    plat_type_i64, plat_type_f32, plat_type_f64, plat_type_str;
/* Any Dict, any Set, as a value (they carry their own descriptors):
 * structural equality ignoring order, printing; not keys. */
extern const plat_type plat_type_dict, plat_type_set;
/* The word as the table reads it back: low `size` bytes, extended. */
plat_word plat_type_norm(const plat_type *t, plat_word v);
/* a == b by t (kind INT/STR/FLOAT inline, else t->eq). */
bool plat_type_eq(const plat_type *t, plat_word a, plat_word b);

/* ---- Dict ------------------------------------------------------------------ */
typedef struct plat_dtab plat_dtab;
typedef struct plat_dict {
  plat_dtab *tab;                 /* current table (release/acquire) */
  const plat_type *kt, *vt;       /* vt NULL: a Set */
  uint32_t version;               /* +1 per entry added or removed */
  uint32_t writing;               /* 1 while a mutation runs */
  uint16_t stride;                /* entry layout, from kt and vt (dict.c) */
  uint8_t koff, voff, hoff;       /* hoff 0xFF: no stored hash */
  uint8_t ksize, vsize;           /* vsize 0: a Set */
  uint8_t flags;                  /* dict.c: DF_* */
} plat_dict;
typedef plat_dict plat_set;

enum { PLAT_DICT_MAX = 1 << 30 };  /* entries */

plat_dict *plat_dict_new(const plat_type *kt, const plat_type *vt, const char *file, int line);
/* A literal {k0: v0, k1: v1, ...}: kv holds 2n words; a repeated key
 * keeps its first place and its last value. */
plat_dict *plat_dict_of(const plat_type *kt, const plat_type *vt, int64_t n,
                        const plat_word *kv, const char *file, int line);
int32_t plat_dict_length(plat_dict *d);
bool plat_dict_is_empty(plat_dict *d);
/* true and *out = the value if key is present; never allocates. */
bool plat_dict_get(plat_dict *d, plat_word key, plat_word *out, const char *file, int line);
plat_word plat_dict_get_or(plat_dict *d, plat_word key, plat_word dflt, const char *file, int line);
/* Insert or replace; true and *old (may be NULL) = the previous value if
 * the key was present (the compiler makes Option<V> of it if used). */
bool plat_dict_insert(plat_dict *d, plat_word key, plat_word value, plat_word *old,
                      const char *file, int line);
bool plat_dict_remove(plat_dict *d, plat_word key, plat_word *old, const char *file, int line);
bool plat_dict_has_key(plat_dict *d, plat_word key, const char *file, int line);
bool plat_dict_has_value(plat_dict *d, plat_word value, const char *file, int line);
plat_list *plat_dict_keys(plat_dict *d, const char *file, int line);
plat_list *plat_dict_values(plat_dict *d, const char *file, int line);
void plat_dict_clear(plat_dict *d, const char *file, int line);
/* In place; other's entries win; other's new keys go last, in its order. */
void plat_dict_merge(plat_dict *d, plat_dict *other, const char *file, int line);
/* Same entries (values by the value type's equality), order ignored. */
bool plat_dict_eq(plat_dict *a, plat_dict *b);
plat_str *plat_dict_to_string(plat_dict *d);     /* {"ada": 36, "alan": 41} */
void plat_dict_write(plat_sb *sb, plat_dict *d);

/* Iteration in insertion order:
 *   plat_dict_iter it; plat_dict_iter_init(&it, d);
 *   while (plat_dict_iter_next(&it, &k, &v, file, line)) { ... }
 * next panics if an entry was added or removed since init (replacing a
 * value is allowed and the loop sees the new value).  v may be NULL. */
typedef struct plat_dict_iter {
  plat_dict *d;
  plat_dtab *tab;
  int64_t i;
  uint32_t version;
} plat_dict_iter;
void plat_dict_iter_init(plat_dict_iter *it, plat_dict *d);
bool plat_dict_iter_next(plat_dict_iter *it, plat_word *key, plat_word *value, const char *file,
                         int line);

/* ---- Set ------------------------------------------------------------------- */
plat_set *plat_set_new(const plat_type *t, const char *file, int line);
plat_set *plat_set_from_list(const plat_type *t, plat_list *xs, const char *file, int line);
int32_t plat_set_length(plat_set *s);
bool plat_set_is_empty(plat_set *s);
bool plat_set_add(plat_set *s, plat_word v, const char *file, int line);       /* true if new */
bool plat_set_remove(plat_set *s, plat_word v, const char *file, int line);    /* true if it was there */
bool plat_set_contains(plat_set *s, plat_word v, const char *file, int line);
void plat_set_clear(plat_set *s, const char *file, int line);
/* New sets in a's order; union then appends b's new elements in b's order. */
plat_set *plat_set_union(plat_set *a, plat_set *b, const char *file, int line);
plat_set *plat_set_intersection(plat_set *a, plat_set *b, const char *file, int line);
plat_set *plat_set_difference(plat_set *a, plat_set *b, const char *file, int line);
bool plat_set_is_subset_of(plat_set *a, plat_set *b, const char *file, int line);
bool plat_set_is_superset_of(plat_set *a, plat_set *b, const char *file, int line);
bool plat_set_is_disjoint_from(plat_set *a, plat_set *b, const char *file, int line);
plat_list *plat_set_to_list(plat_set *s, const char *file, int line);
bool plat_set_eq(plat_set *a, plat_set *b);
plat_str *plat_set_to_string(plat_set *s);      /* {1, 2} */
void plat_set_write(plat_sb *sb, plat_set *s);
/* for (x in s): the Dict iterator, value NULL. */
#define plat_set_iter_init plat_dict_iter_init
static inline bool plat_set_iter_next(plat_dict_iter *it, plat_word *x, const char *file, int line)
{
  return plat_dict_iter_next(it, x, NULL, file, line);
}

/* ---- for tests and benchmarks ----------------------------------------------- */
typedef struct plat_dict_stats {
  int64_t count, used, cap, slots, bytes;   /* bytes: the table block */
  int slot_width, stride;
  bool pointer_free;                        /* allocated without scanning */
} plat_dict_stats;
void plat_dict_stats_of(plat_dict *d, plat_dict_stats *st);
/* Checks every invariant of dict.c; returns NULL or what is wrong. */
const char *plat_dict_check(plat_dict *d);

#endif
