/* dict_impl.h -- internals shared by dict.c (the table), dict_ops.c (the
 * Dict methods built on it) and set.c.  The layout and its invariants are
 * described at the top of dict.c.
 *
 * Every access to a published table goes through the atomic helpers
 * below (relaxed or acquire/release; plain moves on x86-64), so a program
 * that races on a Dict -- a bug the runtime reports -- is still free of
 * C data races, and TSan sees none.
 */
#ifndef PLAT_DICT_IMPL_H
#define PLAT_DICT_IMPL_H

#include "plat_dict.h"

struct plat_dtab {
  int64_t cap;            /* entry capacity (immutable) */
  int64_t used;           /* entries appended, live or dead (atomic) */
  int64_t count;          /* live entries (atomic) */
  int64_t ndead;          /* dead entries (atomic) */
  int64_t dead_off;       /* byte offsets in data[] (immutable) */
  int64_t ents_off;
  uint32_t mask;          /* slots - 1 (immutable) */
  uint8_t k;              /* log2(slots) */
  uint8_t w;              /* slot width in bytes: 1, 2 or 4 */
  uint8_t pointer_free;
  uint8_t pad_;
  _Alignas(8) unsigned char data[];   /* slots | dead bitset | entries */
};

/* plat_dict.flags */
enum { DF_KSX = 1, DF_VSX = 2, DF_SCAN = 4, DF_SET = 8 };
enum { NO_HASH = 0xFF };
#define NOPOS UINT32_MAX

/* ---- atomics ---- */
#define LD_ACQ(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
#define LD_RLX(p) __atomic_load_n((p), __ATOMIC_RELAXED)
#define ST_REL(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
#define ST_RLX(p, v) __atomic_store_n((p), (v), __ATOMIC_RELAXED)

/* An entry field of `size` bytes (aligned), extended as `sx` says. */
static inline plat_word fld_ld(const unsigned char *p, unsigned size, bool sx)
{
  switch (size) {
  case 1: { uint8_t v = LD_ACQ((const uint8_t *)p); return sx ? (plat_word)(int64_t)(int8_t)v : v; }
  case 2: { uint16_t v = LD_ACQ((const uint16_t *)p); return sx ? (plat_word)(int64_t)(int16_t)v : v; }
  case 4: { uint32_t v = LD_ACQ((const uint32_t *)p); return sx ? (plat_word)(int64_t)(int32_t)v : v; }
  default: return LD_ACQ((const uint64_t *)p);
  }
}
static inline void fld_st(unsigned char *p, unsigned size, plat_word v)
{
  switch (size) {
  case 1: ST_REL((uint8_t *)p, (uint8_t)v); break;
  case 2: ST_REL((uint16_t *)p, (uint16_t)v); break;
  case 4: ST_REL((uint32_t *)p, (uint32_t)v); break;
  default: ST_REL((uint64_t *)p, v);
  }
}

static inline plat_dtab *tab_of(const plat_dict *d) { return LD_ACQ(&((plat_dict *)d)->tab); }
static inline unsigned char *ent(const plat_dict *d, const plat_dtab *t, int64_t i)
{
  return (unsigned char *)t->data + t->ents_off + i * d->stride;
}
static inline plat_word key_ld(const plat_dict *d, const unsigned char *e)
{
  return fld_ld(e + d->koff, d->ksize, d->flags & DF_KSX);
}
static inline plat_word val_ld(const plat_dict *d, const unsigned char *e)
{
  return d->vsize ? fld_ld(e + d->voff, d->vsize, d->flags & DF_VSX) : 0;
}
static inline uint32_t hash_ld(const plat_dict *d, const unsigned char *e)
{
  return LD_ACQ((const uint32_t *)(e + d->hoff));
}
static inline bool is_live(const plat_dtab *t, int64_t i)
{
  if (LD_RLX(&t->ndead) == 0) return true;
  const uint64_t *dead = (const uint64_t *)(t->data + t->dead_off);
  return !((LD_RLX(&dead[i >> 6]) >> (i & 63)) & 1);
}
/* Entries appended so far, bounded by the capacity (a racing writer can
 * never make a reader walk off the block). */
static inline int64_t used_of(const plat_dtab *t)
{
  int64_t u = LD_ACQ(&t->used);
  return u < t->cap ? u : t->cap;
}

/* ---- hashing ---- */
extern uint64_t plat__hash_secret[4];   /* hash.c owns it */
static inline uint64_t plat__mum(uint64_t a, uint64_t b)
{
  __uint128_t r = (__uint128_t)a * b;
  return (uint64_t)r ^ (uint64_t)(r >> 64);
}
#define PLAT_HASH_P 0x9c5f0b3d2a6e4871ULL
#define PLAT_HASH_Q 0xd1b54a32d192ed03ULL
static inline uint64_t hash_int_inline(uint64_t x)
{
  return plat__mum(plat__mum(x ^ plat__hash_secret[0], plat__hash_secret[1] ^ PLAT_HASH_P),
                   plat__hash_secret[2] ^ PLAT_HASH_Q);
}
static inline uint64_t plat__rd64(const unsigned char *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static inline uint64_t plat__rd32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* The byte hash (algorithm: hash.c), inline for the table's hot path. */
static inline uint64_t plat__hash_bytes(const void *data, size_t n)
{
  const unsigned char *p = data;
  const uint64_t *k = plat__hash_secret;
  uint64_t a, b, s = k[1];
  if (n <= 16) {
    if (n >= 8) {
      a = plat__rd64(p);
      b = plat__rd64(p + n - 8);
    } else if (n >= 4) {
      a = plat__rd32(p) << 32 | plat__rd32(p + n - 4);
      b = 0;
    } else if (n > 0) {
      a = (uint64_t)p[0] << 16 | (uint64_t)p[n >> 1] << 8 | p[n - 1];
      b = 0;
    } else {
      a = b = 0;
    }
  } else {
    size_t left = n;
    for (; left > 16; left -= 16, p += 16) s = plat__mum(plat__rd64(p) ^ k[2], plat__rd64(p + 8) ^ s);
    a = plat__rd64(p + left - 16);
    b = plat__rd64(p + left - 8);
  }
  return plat__mum(plat__mum(a ^ k[2], b ^ s ^ PLAT_HASH_P), (uint64_t)n ^ k[3]);
}

/* The table's 32-bit hash of a normalised key. */
static inline uint32_t key_hash(const plat_dict *d, plat_word key)
{
  uint64_t h;
  switch (d->kt->kind) {
  case PLAT_TK_INT: h = hash_int_inline(key); break;
  case PLAT_TK_STR: {
    const plat_str *str = plat_ptr_w(key);
    h = plat__hash_bytes(str->data, (size_t)str->len);
    break;
  }
  default: h = d->kt->hash(key);
  }
  return (uint32_t)h ^ (uint32_t)(h >> 32);
}
/* The stored hash of entry e, or the recomputed one (integer keys). */
static inline uint32_t ent_hash(const plat_dict *d, const unsigned char *e)
{
  if (d->hoff != NO_HASH) return hash_ld(d, e);
  uint64_t h = hash_int_inline(key_ld(d, e));
  return (uint32_t)h ^ (uint32_t)(h >> 32);
}
static inline plat_word norm_key(const plat_dict *d, plat_word k) { return plat_type_norm(d->kt, k); }

/* Live entries of table t of d, in order: `for (...) { use e }`. */
#define FOR_ENTRIES(d, t, i, e)                                                     \
  for (int64_t i = 0, n_##i = used_of(t); i < n_##i; i++)                           \
    if (is_live((t), i))                                                            \
      for (const unsigned char *e = ent((d), (t), i); e; e = NULL)

/* ---- dict.c ---- */
typedef struct { int64_t e; uint32_t pos; } plat_found;   /* e < 0: absent */
plat_found plat__dict_find(const plat_dict *d, const plat_dtab *t, plat_word key, uint32_t h);
void plat__dict_idle(plat_dict *d, const char *file, int line);   /* panics if a write runs */
__attribute__((noreturn)) void plat__dict_concurrent(plat_dict *d, const char *file, int line);
plat_dict *plat__dict_make(const plat_type *kt, const plat_type *vt, const char *file, int line);
void plat__dict_reserve(plat_dict *d, int64_t n, const char *file, int line);
/* Insert a key known to be absent from a dict no other task can see yet
 * (results of set operations, literals): no write flag, no lookup. */
void plat__dict_append_new(plat_dict *d, plat_word key, plat_word value, uint32_t h,
                           const char *file, int line);
const char *plat__dict_what(const plat_dict *d);             /* "Dict" or "Set" */

/* b's entry holding the key of a's entry e (a and b of one key type): the
 * stored hash is reused when both hash alike. */
static inline plat_found plat__dict_find_from(const plat_dict *a, const unsigned char *e,
                                              const plat_dict *b, const plat_dtab *bt)
{
  plat_word k = key_ld(a, e);
  bool same = a->kt == b->kt || (a->kt->kind == b->kt->kind && a->kt->hash == b->kt->hash);
  uint32_t h = a->hoff != NO_HASH && same ? hash_ld(a, e) : key_hash(b, k);
  return plat__dict_find(b, bt, k, h);
}

#endif
