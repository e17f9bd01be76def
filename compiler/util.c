/* util.c -- arena, interning, buffers.  See util.h. */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An arena: a list of 1 MiB chunks (bigger requests get their own).
 * Under AddressSanitizer every allocation is a chunk of its own, so an
 * overrun of one node is caught (inside a shared chunk it would not be).
 * State: arena_permanent is never released; `cur` is the arena
 * arena_alloc uses, switched by arena_use (single-threaded). */
typedef struct Chunk { struct Chunk *next; size_t used, size; _Alignas(16) char mem[]; } Chunk;
Arena arena_permanent;
static Arena *cur = &arena_permanent;

#if defined(__SANITIZE_ADDRESS__)
#define ARENA_EXACT 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ARENA_EXACT 1
#endif
#endif
#ifndef ARENA_EXACT
#define ARENA_EXACT 0
#endif

static void out_of_memory(void) {
  fputs("plat: out of memory\n", stderr);
  abort();
}

Arena *arena_use(Arena *a) {
  Arena *old = cur;
  cur = a ? a : &arena_permanent;
  return old;
}

void arena_release(Arena *a) {
  while (a->head) {
    Chunk *c = a->head;
    a->head = c->next;
    free(c);
  }
}

static void *alloc_in(Arena *a, size_t n) {
  n = (n + 15) & ~(size_t)15;
  if (!a->head || a->head->size - a->head->used < n) {
    size_t size = ARENA_EXACT || n > (1u << 20) ? n : (1u << 20);
    Chunk *c = malloc(sizeof(Chunk) + size);
    if (!c) out_of_memory();
    c->used = 0; c->size = size;
    if (a->head && size == n && !ARENA_EXACT) {   /* keep filling the current chunk */
      c->next = a->head->next;
      a->head->next = c;
    } else {
      c->next = a->head;
      a->head = c;
    }
    c->used = n;
    memset(c->mem, 0, n);
    return c->mem;
  }
  void *p = a->head->mem + a->head->used;
  a->head->used += n;
  memset(p, 0, n);
  return p;
}

void *arena_alloc(size_t n) { return alloc_in(cur, n); }

char *arena_strndup(const char *s, size_t n) {
  char *p = arena_alloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *arena_printf(const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char *p = arena_alloc((size_t)n + 1);
  vsnprintf(p, (size_t)n + 1, fmt, aq);
  va_end(aq);
  return p;
}

/* Interning: open-addressed hash set of arena strings. */
static Name *intern_tab;        /* owned by intern(); grows by doubling */
static size_t intern_cap, intern_len;

static uint64_t hash_bytes(const char *s, size_t n) {
  uint64_t h = 1469598103934665603ull;           /* FNV-1a */
  for (size_t i = 0; i < n; i++) { h ^= (unsigned char)s[i]; h *= 1099511628211ull; }
  return h;
}

Name intern(const char *s, size_t n) {
  if (intern_len * 2 >= intern_cap) {
    size_t nc = intern_cap ? intern_cap * 2 : 1024;
    Name *nt = calloc(nc, sizeof *nt);
    if (!nt) out_of_memory();
    for (size_t i = 0; i < intern_cap; i++) {
      Name x = intern_tab[i];
      if (!x) continue;
      size_t j = hash_bytes(x, strlen(x)) & (nc - 1);
      while (nt[j]) j = (j + 1) & (nc - 1);
      nt[j] = x;
    }
    free(intern_tab);
    intern_tab = nt; intern_cap = nc;
  }
  size_t j = hash_bytes(s, n) & (intern_cap - 1);
  while (intern_tab[j]) {
    if (strncmp(intern_tab[j], s, n) == 0 && intern_tab[j][n] == 0) return intern_tab[j];
    j = (j + 1) & (intern_cap - 1);
  }
  char *copy = alloc_in(&arena_permanent, n + 1);   /* names outlive sessions */
  memcpy(copy, s, n);
  intern_tab[j] = copy;
  intern_len++;
  return intern_tab[j];
}

Name intern_cstr(const char *s) { return intern(s, strlen(s)); }

void buf_put(Buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t nc = b->cap ? b->cap : 256;
    while (nc < b->len + n + 1) nc *= 2;
    char *nd = realloc(b->data, nc);
    if (!nd) out_of_memory();
    b->data = nd; b->cap = nc;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}

void buf_puts(Buf *b, const char *s) { buf_put(b, s, strlen(s)); }

void buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap, aq;
  va_start(ap, fmt);
  va_copy(aq, ap);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  char tmp[256];
  if (n < (int)sizeof tmp) {
    vsnprintf(tmp, sizeof tmp, fmt, aq);
    buf_put(b, tmp, (size_t)n);
  } else {
    char *p = malloc((size_t)n + 1);
    if (!p) out_of_memory();
    vsnprintf(p, (size_t)n + 1, fmt, aq);
    buf_put(b, p, (size_t)n);
    free(p);
  }
  va_end(aq);
}

void buf_free(Buf *b) { free(b->data); b->data = NULL; b->len = b->cap = 0; }
