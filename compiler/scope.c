/* scope.c -- the symbol table (see scope.h).
 *
 * A scope keeps its symbols in declaration order; past SCOPE_INDEX_AT of
 * them it also keeps an open-addressed hash index by name (the module and
 * universe scopes), so lookup stays cheap in large programs.  A later
 * symbol of the same name in the same scope shadows an earlier one (a
 * block may redeclare a local), so the index holds the latest one and
 * linear search goes backwards.
 */
#include "scope.h"

#include "diag.h"

#define SCOPE_INDEX_AT 16

Scope *scope_new(ScopeKind kind, Scope *up) {
  Scope *s = arena_alloc(sizeof *s);
  s->kind = kind;
  s->up = up;
  return s;
}

static size_t name_hash(Name n) { return ((uintptr_t)n >> 4) * 0x9E3779B97F4A7C15ull >> 17; }

/* Index slot of `name` (kind-agnostic: one slot per name, the latest). */
static size_t slot(const Scope *sc, Name name) {
  size_t j = name_hash(name) & (size_t)(sc->index_cap - 1);
  while (sc->index[j] && sc->index[j]->name != name) j = (j + 1) & (size_t)(sc->index_cap - 1);
  return j;
}

static void reindex(Scope *sc) {
  sc->index_cap = sc->index_cap ? sc->index_cap * 2 : 64;
  sc->index = arena_alloc(sizeof(Sym *) * (size_t)sc->index_cap);
  for (int i = 0; i < sc->syms.len; i++) sc->index[slot(sc, sc->syms.items[i]->name)] = sc->syms.items[i];
}

/* Latest symbol named `name` in this scope alone with a kind in mask. */
static Sym *local_find(const Scope *sc, Name name, unsigned mask) {
  if (sc->index) {
    Sym *s = sc->index[slot(sc, name)];
    if (!s) return NULL;
    if (mask & 1u << s->kind) return s;   /* else: a same-named one of another kind, below */
  }
  for (int i = sc->syms.len - 1; i >= 0; i--) {
    Sym *s = sc->syms.items[i];
    if (s->name == name && (mask & 1u << s->kind)) return s;
  }
  return NULL;
}

Sym *scope_declare(Scope *sc, Sym *s, unsigned clash) {
  Sym *old = clash ? local_find(sc, s->name, clash) : NULL;
  if (old) return old;
  s->scope = sc;
  vec_push(&sc->syms, s);
  if (sc->syms.len > SCOPE_INDEX_AT) {
    if (!sc->index || sc->syms.len * 2 > sc->index_cap) reindex(sc);
    else sc->index[slot(sc, s->name)] = s;
  }
  return NULL;
}

Sym *scope_find(Scope *sc, Name name, unsigned mask) {
  for (; sc; sc = sc->up) {
    Sym *s = local_find(sc, name, mask);
    if (s) return s;
  }
  return NULL;
}

static bool is_boundary(const Scope *sc) {
  return sc->kind == SC_SPAWN || sc->kind == SC_LAMBDA || sc->kind == SC_DEFER;
}

Sym *scope_lookup(Scope *sc, Name name, unsigned mask) {
  Sym *s = scope_find(sc, name, mask);
  if (!s || !(SM_VALUE & 1u << s->kind)) return s;
  for (Scope *x = sc; x && x != s->scope; x = x->up) {
    if (!is_boundary(x) || !x->captures) continue;
    bool have = false;
    for (int i = 0; i < x->captures->len && !have; i++) have = x->captures->items[i] == s;
    if (!have) vec_push(x->captures, s);
  }
  return s;
}

bool scope_captured_by_value(Scope *sc, const Sym *s) {
  for (Scope *x = sc; x && x != s->scope; x = x->up)
    if (x->kind == SC_SPAWN || x->kind == SC_LAMBDA) return true;
  return false;
}

const char *scope_suggest(Scope *sc, Name name, unsigned mask) {
  VEC(const char *) cands = {0};
  for (; sc; sc = sc->up)
    for (int i = 0; i < sc->syms.len; i++)
      if (mask & 1u << sc->syms.items[i]->kind) vec_push(&cands, sc->syms.items[i]->name);
  return diag_did_you_mean(name, cands.items, cands.len);
}
