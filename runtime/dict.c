/* dict.c -- the hash table under Dict<K, V> and Set<T>: open addressing
 * over a compact index, entries in insertion order (CPython's compact
 * dict layout, with Go-style detection of concurrent writers).
 *
 * Layout.  A plat_dict holds the descriptors, the entry layout, a version
 * counter, the write flag, and a pointer to its table: ONE GC block
 *
 *   header | slots[2^k] (w bytes each) | dead bitset | entries[cap]
 *
 * An entry is the key, the value (none in a Set) and, for keys whose hash
 * is not the integer mixer (String, compiler-described types), its 32-bit
 * hash, each inline at its natural size, largest first, the stride
 * rounded to the largest field: Dict<Int64, Int64> and Dict<String,
 * Int32> entries are 16 bytes, Set<Int64> 8, Dict<Int32, Bool> 8.
 * Entries are appended at `used` and never move until the table is
 * rebuilt, so their order is insertion order; a removed entry stays in
 * place, marked in the dead bitset, until the next rebuild.
 *
 * Slots.  2^k slots of w = 1 (k <= 5), 2 (k <= 12) or 4 bytes (k <= 31;
 * at most PLAT_DICT_MAX entries, so 8-byte slots are never needed).  A
 * slot is 0 (empty), mask+1 (a tombstone: removed), or
 * (tag | entry+1): the entry index + 1 in the low k bits and, above them,
 * the next 8w-k bits of the key's 32-bit hash (a tag: a probe reads an
 * entry only when its tag matches, 1 time in 2^(8w-k) otherwise).  A key
 * starts at slot hash & mask and probes triangularly (+1, +2, +3, ...,
 * which visits every slot of a power-of-two table).  A lookup stops at an
 * empty slot; tombstones are stepped over and reused by inserts.
 *
 * Load.  cap <= slots * 13/16 (LOAD_NUM/LOAD_DEN).  Occupied slots
 * (entries + tombstones) <= used <= cap, so a probe always meets an empty
 * slot.  When used reaches cap, the table is rebuilt into a new block of
 * capacity 1.5 x the live entries (at least 4), which compacts the dead
 * entries away (tombstones vanish, order is kept) and may shrink the
 * table.  The entries grow by 1.5x while the slots double: a table of
 * 16-byte entries costs 19 to 39 bytes per entry, 29 on average over
 * sizes (docs/RUNTIME.md compares with Go's map).  An empty dict points at one shared,
 * read-only table with no entries, so Dict.init() allocates 48 bytes.
 * A table with neither key nor value pointers is allocated pointer-free
 * (GC_MALLOC_ATOMIC: never scanned).
 *
 * Concurrency.  A Dict is not synchronised; two tasks using it at once
 * without synchronisation is a bug that the runtime reports ("concurrent
 * modification of a Dict") and that never corrupts memory:
 *   - A mutation first looks the key up (this may call compiler-generated
 *     equality, which may yield), then enters the write section: an
 *     atomic exchange sets `writing` (set already: another writer is in
 *     its section -> panic, the flag stays theirs), and checks that the
 *     table pointer and the version are those of the lookup (changed:
 *     another mutation slipped in between -> panic).  The section itself
 *     calls no user code, cannot panic and allocates nothing: a growing
 *     insert allocates the new block before entering.  So two write
 *     sections never overlap and a mutation never acts on a stale lookup:
 *     when no panic happened, every result is exactly right.
 *   - Reads (lookups, iteration steps, bulk reads) panic if they see the
 *     flag set when they start.  A read racing with a write that started
 *     after that check sees the table before or after the write: entries
 *     are written before the slot that publishes them (release/acquire),
 *     a rebuild fills a new block and publishes it with one release store,
 *     and old blocks stay valid while referenced (GC).  Every index read
 *     is bounded by the block's own capacity.
 *   - All accesses to a published table are C11 atomics (relaxed or
 *     acquire/release, plain moves on x86-64), so even a racing program
 *     has no C data race and TSan has nothing to report: the flag must
 *     be atomic for that, and its set must be an exchange, not a load
 *     and a store, for overlapping writers to be always detected.
 *   The version (+1 per entry added or removed, not per value replaced)
 *   also lets an iterator report changes made inside its loop.  It is 32
 *   bits: a stale lookup or iterator would be missed only after exactly
 *   2^32 changes in between.
 */
#define GC_THREADS 1
#include <gc.h>

#include "dict_impl.h"
#include "rt_internal.h"

#define LOAD_NUM 13
#define LOAD_DEN 16

/* The table of every empty dict: read-only, never written (an insert
 * sees used == cap == 0 and allocates first). */
static const struct {
  plat_dtab t;
  uint64_t slot;
} empty_tab = { .t = { .cap = 0, .mask = 0, .k = 0, .w = 1, .pointer_free = 1 } };
#define EMPTY ((plat_dtab *)&empty_tab.t)

const char *plat__dict_what(const plat_dict *d) { return d->flags & DF_SET ? "Set" : "Dict"; }

void plat__dict_concurrent(plat_dict *d, const char *file, int line)
{
  plat_panicf(file, line,
              "concurrent modification of a %s: two tasks used it at the same time without "
              "synchronisation",
              plat__dict_what(d));
}

static void leave(plat_dict *d) { ST_REL(&d->writing, 0); }

/* Enter the write section for a change planned on table t at version ver. */
static inline void enter(plat_dict *d, const plat_dtab *t, uint32_t ver, const char *file, int line)
{
  if (__atomic_exchange_n(&d->writing, 1, __ATOMIC_ACQUIRE)) plat__dict_concurrent(d, file, line);
  if (LD_RLX(&d->tab) != t || LD_RLX(&d->version) != ver) {
    leave(d);
    plat__dict_concurrent(d, file, line);
  }
}

/* ---- slots ---- */
static inline uint32_t slot_ld(const plat_dtab *t, uint32_t pos)
{
  switch (t->w) {
  case 1: return LD_ACQ((const uint8_t *)t->data + pos);
  case 2: return LD_ACQ((const uint16_t *)t->data + pos);
  default: return LD_ACQ((const uint32_t *)t->data + pos);
  }
}
static inline void slot_st(plat_dtab *t, uint32_t pos, uint32_t v)
{
  switch (t->w) {
  case 1: ST_REL((uint8_t *)t->data + pos, (uint8_t)v); break;
  case 2: ST_REL((uint16_t *)t->data + pos, (uint16_t)v); break;
  default: ST_REL((uint32_t *)t->data + pos, v);
  }
}
/* The slot value of entry i for hash h: tag bits above k, i+1 below. */
static inline uint32_t slot_val(const plat_dtab *t, uint32_t h, int64_t i)
{
  uint32_t wmask = t->w == 4 ? UINT32_MAX : (1u << (8 * t->w)) - 1;
  return (h & ~t->mask & wmask) | (uint32_t)(i + 1);
}

/* Equal contents; short keys without a library call. */
static inline bool str_eq(plat_word a, plat_word b)
{
  const plat_str *x = plat_ptr_w(a), *y = plat_ptr_w(b);
  int64_t n = x->len;
  if (n != y->len) return false;
  if (n > 32) return memcmp(x->data, y->data, (size_t)n) == 0;
  const unsigned char *p = (const unsigned char *)x->data, *q = (const unsigned char *)y->data;
  for (; n >= 8; n -= 8, p += 8, q += 8)
    if (plat__rd64(p) != plat__rd64(q)) return false;
  if (n >= 4) {
    if (plat__rd32(p) != plat__rd32(q) || plat__rd32(p + n - 4) != plat__rd32(q + n - 4)) return false;
    return true;
  }
  for (; n > 0; n--, p++, q++)
    if (*p != *q) return false;
  return true;
}

/* Does entry e of t hold key (hash h)? */
static inline __attribute__((always_inline)) bool key_at(const plat_dict *d, const plat_dtab *t, uint32_t e, plat_word key,
                          uint32_t h)
{
  if (e >= t->cap) return false;             /* only a racing writer could do that */
  const unsigned char *p = ent(d, t, e);
  if (d->hoff != NO_HASH && hash_ld(d, p) != h) return false;
  plat_word k = key_ld(d, p);
  if (k == key) return true;
  switch (d->kt->kind) {
  case PLAT_TK_INT: return false;
  case PLAT_TK_STR: return k && str_eq(k, key);
  default: return k && d->kt->eq(k, key);
  }
}

/* find_W: probe for key; found -> {entry, its slot}; absent -> {-1, the
 * first reusable slot (tombstone or empty)}, NOPOS if none (racing only). */
#define DEF_FIND(W, T)                                                                      \
  static plat_found find_##W(const plat_dict *d, const plat_dtab *t, plat_word key, uint32_t h) \
  {                                                                                         \
    const T *sl = (const T *)t->data;                                                       \
    uint32_t mask = t->mask, pos = h & mask, free = NOPOS;                                  \
    T tag = (T)(h & ~mask);                                                                 \
    for (uint32_t step = 1;; step++) {                                                      \
      T s = LD_ACQ(&sl[pos]);                                                               \
      if (s == 0) return (plat_found){ -1, free != NOPOS ? free : pos };                    \
      uint32_t idx = s & mask;                                                              \
      if (idx == 0) {                                                                       \
        if (free == NOPOS) free = pos;                                                      \
      } else if ((T)(s & ~mask) == tag && key_at(d, t, idx - 1, key, h)) {                  \
        return (plat_found){ idx - 1, pos };                                                \
      }                                                                                     \
      if (step > mask) return (plat_found){ -1, free };                                     \
      pos = (pos + step) & mask;                                                            \
    }                                                                                       \
  }
DEF_FIND(1, uint8_t)
DEF_FIND(2, uint16_t)
DEF_FIND(4, uint32_t)

plat_found plat__dict_find(const plat_dict *d, const plat_dtab *t, plat_word key, uint32_t h)
{
  switch (t->w) {
  case 1: return find_1(d, t, key, h);
  case 2: return find_2(d, t, key, h);
  default: return find_4(d, t, key, h);
  }
}

/* First empty or tombstone slot on h's probe path (NOPOS: none). */
static uint32_t find_free(const plat_dtab *t, uint32_t h)
{
  uint32_t mask = t->mask, pos = h & mask;
  for (uint32_t step = 1;; step++) {
    if ((slot_ld(t, pos) & mask) == 0) return pos;
    if (step > mask) return NOPOS;
    pos = (pos + step) & mask;
  }
}

/* ---- tables ---- */
static void *tab_mem(size_t n, bool scan)
{
  plat_gc_init();
  plat_gc_torture_point();
  void *p = scan ? GC_MALLOC(n) : GC_MALLOC_ATOMIC(n);
  if (!p) plat_gc_oom(n);
  return p;
}

static plat_dtab *tab_alloc(const plat_dict *d, int64_t cap)
{
  unsigned k = 3;
  while ((((int64_t)1 << k) * LOAD_NUM) / LOAD_DEN < cap) k++;
  int64_t slots = (int64_t)1 << k;
  unsigned w = k <= 5 ? 1 : k <= 12 ? 2 : 4;
  int64_t slot_bytes = (slots * w + 7) & ~(int64_t)7;
  int64_t dead_bytes = (cap + 63) / 64 * 8;
  size_t head = sizeof(plat_dtab) + (size_t)(slot_bytes + dead_bytes);
  bool scan = d->flags & DF_SCAN;
  plat_dtab *t = tab_mem(head + (size_t)cap * d->stride, scan);
  if (!scan) memset(t, 0, head);   /* GC_MALLOC_ATOMIC does not clear; entries need not be */
  t->cap = cap;
  t->mask = (uint32_t)(slots - 1);
  t->k = (uint8_t)k;
  t->w = (uint8_t)w;
  t->pointer_free = !scan;
  t->dead_off = slot_bytes;
  t->ents_off = slot_bytes + dead_bytes;
  return t;
}

/* Capacity for a table that must hold `live` entries and one more. */
static int64_t grow_cap(plat_dict *d, int64_t live, const char *file, int line)
{
  if (live >= PLAT_DICT_MAX)
    plat_panicf(file, line, "%s too large: more than %d entries", plat__dict_what(d), PLAT_DICT_MAX);
  int64_t c = live + live / 2;
  if (c < 4) c = 4;
  return c > PLAT_DICT_MAX ? PLAT_DICT_MAX : c;
}

/* Copy the live entries of old into the empty table nt, in order, and
 * index them.  The caller holds the write flag (old does not change). */
static void rebuild(const plat_dict *d, const plat_dtab *old, plat_dtab *nt)
{
  int64_t used = used_of(old), j = 0;
  if (LD_RLX(&old->ndead) == 0 && used <= nt->cap) {
    memcpy(ent(d, nt, 0), ent(d, old, 0), (size_t)(used * d->stride));
    j = used;
  } else {
    for (int64_t i = 0; i < used && j < nt->cap; i++)
      if (is_live(old, i)) memcpy(ent(d, nt, j++), ent(d, old, i), d->stride);
  }
  for (int64_t i = 0; i < j; i++) {
    uint32_t h = ent_hash(d, ent(d, nt, i));
    slot_st(nt, find_free(nt, h), slot_val(nt, h, i));
  }
  nt->used = nt->count = j;
}

/* Append a new entry at slot pos of t (the caller holds the flag, or the
 * dict is private). */
static void append(const plat_dict *d, plat_dtab *t, uint32_t pos, plat_word key, plat_word value,
                   uint32_t h)
{
  int64_t i = LD_RLX(&t->used);
  unsigned char *e = ent(d, t, i);
  fld_st(e + d->koff, d->ksize, key);
  if (d->vsize) fld_st(e + d->voff, d->vsize, value);
  if (d->hoff != NO_HASH) ST_REL((uint32_t *)(e + d->hoff), h);
  slot_st(t, pos, slot_val(t, h, i));
  ST_REL(&t->used, i + 1);
  ST_RLX(&t->count, LD_RLX(&t->count) + 1);
}

/* ---- creation ---- */
static bool valid_size(unsigned s) { return s == 1 || s == 2 || s == 4 || s == 8; }

/* Place fields largest first; the stride is a multiple of the largest. */
static void layout(plat_dict *d)
{
  unsigned hs = d->kt->kind == PLAT_TK_INT ? 0 : 4;
  unsigned off = 0, maxsz = 1;
  d->hoff = NO_HASH;
  for (unsigned sz = 8; sz >= 1; sz /= 2) {
    if (d->ksize == sz) { d->koff = (uint8_t)off; off += sz; }
    if (d->vsize == sz) { d->voff = (uint8_t)off; off += sz; }
    if (hs == sz) { d->hoff = (uint8_t)off; off += sz; }
    if ((d->ksize == sz || d->vsize == sz || hs == sz) && sz > maxsz) maxsz = sz;
  }
  d->stride = (uint16_t)((off + maxsz - 1) / maxsz * maxsz);
}

plat_dict *plat__dict_make(const plat_type *kt, const plat_type *vt, const char *file, int line)
{
  const char *what = vt ? "Dict" : "Set";
  if (!kt || !valid_size(kt->size) || (vt && !valid_size(vt->size)))
    plat_panicf(file, line, "invalid type descriptor for a %s", what);
  if (kt->kind == PLAT_TK_FLOAT || (kt->kind == PLAT_TK_OTHER && (!kt->hash || !kt->eq)))
    plat_panicf(file, line, "%s cannot be a %s %s", kt->name ? kt->name : "this type", what,
                vt ? "key" : "element");
  if (vt && vt->kind == PLAT_TK_OTHER && !vt->eq)
    plat_panicf(file, line, "invalid type descriptor for a %s value", what);
  plat_dict *d = plat_alloc(sizeof *d);
  d->tab = EMPTY;
  d->kt = kt;
  d->vt = vt;
  d->ksize = kt->size;
  d->vsize = vt ? vt->size : 0;
  d->flags = (uint8_t)((kt->flags & PLAT_TF_SIGNED ? DF_KSX : 0) |
                       (vt && vt->flags & PLAT_TF_SIGNED ? DF_VSX : 0) |
                       ((kt->flags | (vt ? vt->flags : 0)) & PLAT_TF_POINTER ? DF_SCAN : 0) |
                       (vt ? 0 : DF_SET));
  layout(d);
  return d;
}

plat_dict *plat_dict_new(const plat_type *kt, const plat_type *vt, const char *file, int line)
{
  if (!vt) plat_panicf(file, line, "invalid type descriptor for a Dict value");
  return plat__dict_make(kt, vt, file, line);
}

/* ---- reads ---- */
int32_t plat_dict_length(plat_dict *d) { return (int32_t)LD_RLX(&tab_of(d)->count); }
bool plat_dict_is_empty(plat_dict *d) { return LD_RLX(&tab_of(d)->count) == 0; }

void plat__dict_idle(plat_dict *d, const char *file, int line)
{
  if (LD_RLX(&d->writing)) plat__dict_concurrent(d, file, line);
}

/* The lookup every operation on one key starts with: what it found, and
 * the table and version it saw (a mutation's write section checks them). */
typedef struct {
  plat_word key;          /* normalised */
  uint32_t h, ver;
  plat_dtab *t;
  plat_found f;
} lookup;

static inline lookup look(plat_dict *d, plat_word key, const char *file, int line)
{
  lookup l;
  l.key = norm_key(d, key);
  l.h = key_hash(d, l.key);
  plat__dict_idle(d, file, line);
  l.t = tab_of(d);
  l.ver = LD_RLX(&d->version);
  l.f = plat__dict_find(d, l.t, l.key, l.h);
  return l;
}

bool plat_dict_get(plat_dict *d, plat_word key, plat_word *out, const char *file, int line)
{
  lookup l = look(d, key, file, line);
  if (l.f.e < 0) return false;
  if (out) *out = val_ld(d, ent(d, l.t, l.f.e));
  return true;
}

/* ---- writes ---- */
/* Add a key that the lookup on t (at version ver) did not find; pos is
 * the slot it proposed. */
static void add_new(plat_dict *d, plat_dtab *t, uint32_t ver, uint32_t pos, plat_word key,
                    plat_word value, uint32_t h, const char *file, int line)
{
  plat_dtab *nt = NULL;
  if (LD_RLX(&t->used) >= t->cap || pos == NOPOS)
    nt = tab_alloc(d, grow_cap(d, LD_RLX(&t->count), file, line));   /* before the section */
  enter(d, t, ver, file, line);
  if (nt) {
    rebuild(d, t, nt);
    pos = find_free(nt, h);
    append(d, nt, pos, key, value, h);
    ST_REL(&d->tab, nt);
  } else {
    append(d, t, pos, key, value, h);
  }
  ST_RLX(&d->version, ver + 1);
  leave(d);
}

/* Insert key; if present, replace its value when `replace` (a Set's add
 * leaves it and takes no write section).  True if it was present. */
static bool upsert(plat_dict *d, plat_word key, plat_word value, plat_word *old, bool replace,
                   const char *file, int line)
{
  lookup l = look(d, key, file, line);
  if (l.f.e < 0) {
    add_new(d, l.t, l.ver, l.f.pos, l.key, value, l.h, file, line);
    return false;
  }
  if (!replace) return true;
  enter(d, l.t, l.ver, file, line);
  unsigned char *e = ent(d, l.t, l.f.e);
  if (old) *old = val_ld(d, e);
  if (d->vsize) fld_st(e + d->voff, d->vsize, value);
  leave(d);
  return true;
}

bool plat_dict_insert(plat_dict *d, plat_word key, plat_word value, plat_word *old,
                      const char *file, int line)
{
  return upsert(d, key, value, old, true, file, line);
}

bool plat_set_add(plat_set *s, plat_word v, const char *file, int line)
{
  return !upsert(s, v, 0, NULL, false, file, line);
}

bool plat_dict_remove(plat_dict *d, plat_word key, plat_word *old, const char *file, int line)
{
  lookup l = look(d, key, file, line);
  plat_dtab *t = l.t;
  int64_t e = l.f.e;
  if (e < 0) return false;
  enter(d, t, l.ver, file, line);
  if (old) *old = val_ld(d, ent(d, t, e));
  slot_st(t, l.f.pos, t->mask + 1);                        /* tombstone */
  uint64_t *dead = (uint64_t *)(t->data + t->dead_off) + (e >> 6);
  ST_RLX(dead, LD_RLX(dead) | (uint64_t)1 << (e & 63));
  ST_RLX(&t->ndead, LD_RLX(&t->ndead) + 1);
  ST_RLX(&t->count, LD_RLX(&t->count) - 1);
  ST_RLX(&d->version, l.ver + 1);
  leave(d);
  return true;
}

void plat_dict_clear(plat_dict *d, const char *file, int line)
{
  plat__dict_idle(d, file, line);
  plat_dtab *t = tab_of(d);
  uint32_t ver = LD_RLX(&d->version);
  enter(d, t, ver, file, line);
  if (t != EMPTY) ST_REL(&d->tab, EMPTY);
  if (LD_RLX(&t->count) > 0) ST_RLX(&d->version, ver + 1);
  leave(d);
}

/* ---- private dicts: results under construction ---- */
void plat__dict_reserve(plat_dict *d, int64_t n, const char *file, int line)
{
  plat_dtab *t = d->tab;
  if (n <= t->cap - t->used) return;
  int64_t live = t->count;
  if (live + n > PLAT_DICT_MAX) grow_cap(d, PLAT_DICT_MAX, file, line);   /* panics */
  plat_dtab *nt = tab_alloc(d, live + n);
  rebuild(d, t, nt);
  ST_REL(&d->tab, nt);
}

void plat__dict_append_new(plat_dict *d, plat_word key, plat_word value, uint32_t h,
                           const char *file, int line)
{
  plat_dtab *t = d->tab;
  if (t->used >= t->cap) {
    plat_dtab *nt = tab_alloc(d, grow_cap(d, t->count, file, line));
    rebuild(d, t, nt);
    ST_REL(&d->tab, t = nt);
  }
  append(d, t, find_free(t, h), key, value, h);
  d->version++;
}

/* ---- iteration ---- */
void plat_dict_iter_init(plat_dict_iter *it, plat_dict *d)
{
  it->d = d;
  it->tab = tab_of(d);
  it->i = 0;
  it->version = LD_RLX(&d->version);
}

bool plat_dict_iter_next(plat_dict_iter *it, plat_word *key, plat_word *value, const char *file,
                         int line)
{
  plat_dict *d = it->d;
  if (LD_RLX(&d->version) != it->version) {
    plat__dict_idle(d, file, line);
    plat_panicf(file, line, "%s changed during iteration: %s was added or removed inside the loop",
                plat__dict_what(d), d->flags & DF_SET ? "an element" : "an entry");
  }
  plat__dict_idle(d, file, line);
  const plat_dtab *t = it->tab;
  int64_t used = used_of(t);
  while (it->i < used) {
    int64_t i = it->i++;
    if (!is_live(t, i)) continue;
    const unsigned char *e = ent(d, t, i);
    *key = key_ld(d, e);
    if (value) *value = val_ld(d, e);
    return true;
  }
  return false;
}

/* ---- tests and benchmarks ---- */
void plat_dict_stats_of(plat_dict *d, plat_dict_stats *st)
{
  const plat_dtab *t = tab_of(d);
  st->count = LD_RLX(&t->count);
  st->used = LD_RLX(&t->used);
  st->cap = t->cap;
  st->slots = (int64_t)t->mask + 1;
  st->slot_width = t->w;
  st->stride = d->stride;
  st->pointer_free = t->pointer_free;
  st->bytes = t == EMPTY ? 0 : (int64_t)sizeof(plat_dtab) + t->ents_off + t->cap * d->stride;
}

const char *plat_dict_check(plat_dict *d)
{
  const plat_dtab *t = tab_of(d);
  int64_t used = t->used, live = 0, dead = 0, occupied = 0, tombs = 0;
  if (used < 0 || used > t->cap) return "used out of range";
  if (t->cap > ((int64_t)t->mask + 1) * LOAD_NUM / LOAD_DEN) return "over the load factor";
  for (int64_t i = 0; i < used; i++) {
    if (!is_live(t, i)) { dead++; continue; }
    live++;
    const unsigned char *e = ent(d, t, i);
    plat_word k = key_ld(d, e);
    uint32_t h = key_hash(d, k);
    if (d->hoff != NO_HASH && hash_ld(d, e) != h) return "stored hash differs from the key's hash";
    plat_found f = plat__dict_find(d, t, k, h);
    if (f.e != i) return "a live entry is not found by its key";
    if (slot_ld(t, f.pos) != slot_val(t, h, i)) return "slot tag does not match the hash";
  }
  for (uint32_t p = 0; p <= t->mask; p++) {
    uint32_t s = slot_ld(t, p);
    if (s == 0) continue;
    if ((s & t->mask) == 0) { tombs++; continue; }
    occupied++;
    if ((int64_t)(s & t->mask) > used || !is_live(t, (s & t->mask) - 1)) return "a slot names a dead entry";
  }
  if (live != t->count) return "count differs from the live entries";
  if (dead != t->ndead) return "ndead differs from the dead bitset";
  if (occupied != live) return "occupied slots differ from the live entries";
  if (tombs > dead) return "more tombstones than dead entries";
  if (occupied + tombs >= (int64_t)t->mask + 1 && t != EMPTY) return "no empty slot";
  return NULL;
}
