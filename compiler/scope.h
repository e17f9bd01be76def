/* scope.h -- the symbol table: one chain of scopes for every kind of name.
 *
 * Scopes nest: universe (built-in types and functions) <- module (the
 * program's types and functions) <- test (a test block's functions) <-
 * function (parameters, `self`) <- block ... with spawn, lambda and defer
 * scopes marking bodies that run elsewhere.  A name is looked up from the
 * innermost scope outwards; a kind mask chooses which kinds of symbol
 * count (types and values live in one table but may share a name).
 *
 * Captures are recorded during lookup, as Lua's parser records upvalues:
 * when a local found outside is reached across a capture boundary (a
 * spawn, lambda or defer scope), the symbol is added once to that
 * boundary's capture list -- for every boundary crossed, so nested bodies
 * pass it down.  Spawn and lambda bodies capture by value (assigning such
 * a capture is an error); defer bodies by reference.
 *
 * "Did you mean" for names is computed here (scope_suggest), from the
 * symbols visible in the chain.
 *
 * Ownership: scopes and symbols live in the arena of their session; the
 * universe is made once with the catalogue, in the permanent arena.
 */
#ifndef PLAT_SCOPE_H
#define PLAT_SCOPE_H

#include "types.h"

typedef enum ScopeKind {
  SC_UNIVERSE, SC_MODULE, SC_TEST, SC_DECL /* a declaration's type parameters */,
  SC_FUNCTION, SC_BLOCK, SC_SPAWN, SC_LAMBDA, SC_DEFER,
} ScopeKind;

typedef enum SymKind {
  SYM_LOCAL, SYM_PARAM, SYM_SELF,   /* values of a body */
  SYM_FN,                           /* a user function (decl) */
  SYM_BUILTIN,                      /* a built-in function (builtin) */
  SYM_TYPE,                         /* a type (tdecl) */
  SYM_MODULE,                       /* a module (not yet: LANGUAGE.md 10.7) */
} SymKind;

enum {
  SM_VALUE = 1 << SYM_LOCAL | 1 << SYM_PARAM | 1 << SYM_SELF,
  SM_FN = 1 << SYM_FN | 1 << SYM_BUILTIN,
  SM_TYPE = 1 << SYM_TYPE,
  SM_ALL = SM_VALUE | SM_FN | SM_TYPE | 1 << SYM_MODULE,
};

typedef struct Scope Scope;

typedef struct Sym {
  SymKind kind;
  Name name;
  Span span;
  Type *type;                /* values: their type */
  bool is_var;
  int id;                    /* values: unique in the program (C names) */
  int conc_level;            /* values: enclosing `concurrent` blocks */
  Scope *scope;              /* where it is declared */
  Decl *decl;                /* SYM_FN */
  const struct BuiltinFn *builtin;   /* SYM_BUILTIN */
  TypeDecl *tdecl;           /* SYM_TYPE */
} Sym;

typedef VEC(Sym *) SymVec;

struct Scope {
  ScopeKind kind;
  Scope *up;
  SymVec syms;               /* in declaration order */
  Sym **index;               /* hash index once syms is large, else NULL */
  int index_cap;
  SymVec *captures;          /* SC_SPAWN, SC_LAMBDA, SC_DEFER: filled by lookup */
};

Scope *scope_new(ScopeKind kind, Scope *up);
/* Add `s` to `sc`; returns NULL, or the symbol of the same name and one
 * of the kinds in `clash` already declared in this very scope (then `s`
 * is not added). */
Sym *scope_declare(Scope *sc, Sym *s, unsigned clash);
/* The innermost symbol named `name` whose kind is in `mask`, or NULL.
 * Records the capture of a value symbol by every boundary crossed. */
Sym *scope_lookup(Scope *sc, Name name, unsigned mask);
/* The same without recording anything (probes). */
Sym *scope_find(Scope *sc, Name name, unsigned mask);
/* Is value `s`, seen from `sc`, a by-value capture (declared outside a
 * spawn or lambda body that sc is inside of)? */
bool scope_captured_by_value(Scope *sc, const Sym *s);
/* The visible name of a kind in `mask` closest to `name`, or NULL. */
const char *scope_suggest(Scope *sc, Name name, unsigned mask);

#endif
