/* util.h -- memory arenas, string interning and growable vectors.
 *
 * The compiler is a short-lived process: allocations come from an arena
 * that is never freed piecemeal.  arena_alloc() allocates from the
 * current arena: arena_permanent (names, the built-in catalogue) unless a
 * compile session switched to its own with arena_use(); a long-running
 * user (the fuzz target, a language server) releases a session's arena
 * afterwards.  Names are interned in the permanent arena, so two names
 * are equal iff their pointers are equal.
 */
#ifndef PLAT_UTIL_H
#define PLAT_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <string.h>

typedef struct Arena { struct Chunk *head; } Arena;
extern Arena arena_permanent;
/* Allocate from `a` from now on; returns the arena used until now. */
Arena *arena_use(Arena *a);
/* Free everything allocated in `a` (it must not be the current arena). */
void arena_release(Arena *a);

void *arena_alloc(size_t n);                 /* zeroed, 16-byte aligned */
char *arena_strndup(const char *s, size_t n);
char *arena_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Interned names: intern("x") == intern("x"). */
typedef const char *Name;
Name intern(const char *s, size_t n);
Name intern_cstr(const char *s);

/* A growable array of pointers; `VEC(T)` is a struct { T *items; int len, cap; }. */
#define VEC(T) struct { T *items; int len, cap; }
#define vec_push(v, x) do {                                               \
    if ((v)->len == (v)->cap) {                                            \
      int nc_ = (v)->cap ? (v)->cap * 2 : 4;                               \
      void *ni_ = arena_alloc(sizeof(*(v)->items) * (size_t)nc_);          \
      if ((v)->len) memcpy(ni_, (v)->items, sizeof(*(v)->items) * (size_t)(v)->len); \
      (v)->items = ni_; (v)->cap = nc_;                                    \
    }                                                                      \
    (v)->items[(v)->len++] = (x);                                          \
  } while (0)

/* A growable byte buffer (heap, not arena: it may grow large). */
typedef struct Buf { char *data; size_t len, cap; } Buf;
void buf_put(Buf *b, const char *s, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_printf(Buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_free(Buf *b);

#endif
