/* check.h -- the checker: names, types, named arguments, captures, scopes.
 *
 * check_program annotates the tree (Node.ty, Node.sym, Node.sema,
 * Decl.sema) and reports every error through diag.h.  After it returns
 * true the emitter may assume a well-typed program.
 *
 * Annotations the emitter reads:
 *   Node.ty      every expression's type (ty_unit for statements)
 *   Node.sym     N_IDENT (a local/param), N_LET, N_FOR: the local
 *   Node.sema    N_CALL: CallInfo; N_FIELD: FieldSema; N_SPAWN: SpawnInfo;
 *                N_CONCURRENT, N_RACE: ConcInfo; N_WITH_TIMEOUT: SpawnInfo;
 *                N_DEFER: DeferInfo; N_LOOP/N_WHILE/N_FOR: LoopInfo;
 *                N_PATH: CallInfo (a payload-less variant)
 *   Decl.sema    D_FN: FnInfo; D_CLASS, D_ENUM: TypeDecl
 */
#ifndef PLAT_CHECK_H
#define PLAT_CHECK_H

#include "ast.h"
#include "builtins.h"
#include "scope.h"
#include "types.h"

/* test_mode: `test` blocks are checked and compiled (plat test).  The
 * catalogue must be loaded (catalogue_load). */
bool check_program(Program *p, bool test_mode);
/* Forget every static the checker keeps between calls (a new session). */
void check_reset(void);

typedef struct FnInfo {
  Decl *decl;
  Type **ptypes;             /* one per param */
  Type *ret;                 /* ty_unit when no `->` */
  TypeDecl *cls;             /* methods: the class */
  bool is_init;
  bool implicit_self;        /* `init` written without `-> T`: returns self */
  Sym *self;                 /* methods: the `self` local */
  Decl *test_block;          /* functions inside a `test` block */
} FnInfo;

typedef enum CallKind {
  CALL_FN,          /* user function: fn */
  CALL_METHOD,      /* user method on a class instance: fn, recv */
  CALL_CTOR,        /* Class.init(...): cls (fn is the explicit init or NULL) */
  CALL_VARIANT,     /* Enum::Variant(...) / Enum::Variant: enum_type, variant */
  CALL_BUILTIN,     /* a built-in function or static method (Channel.init): bf */
  CALL_BMETHOD,     /* a method of a built-in type: bf, recv */
} CallKind;

typedef struct CallInfo {
  CallKind kind;
  FnInfo *fn;
  TypeDecl *cls;
  Type *enum_type;
  int variant;
  const BuiltinFn *bf;
  Type *self_type;           /* CALL_BUILTIN/BMETHOD: the receiver's type, or
                                the type a static method was called on */
  Node *recv;                /* receiver expression of a method call */
  int nparams;
  Node **args;               /* per parameter in declaration order; a NULL
                                entry means "use the default" */
  Node **defaults;           /* per parameter: the default expression */
  Type **ptypes;             /* per parameter: the expected type */
  int *order;                /* evaluation order: order[i] = param index of
                                the i-th written argument */
  int nwritten;
} CallInfo;

typedef struct FieldSema {
  TypeDecl *cls;
  int index;
} FieldSema;

typedef struct SpawnInfo {
  int id;
  SymVec captures;           /* locals copied into the task's env */
  Type *result;              /* T of Task<T> */
  struct SpawnInfo *parent;
  struct ConcInfo *conc;     /* the scope the task joins: the lexically
                                enclosing concurrent block, or the implicit
                                scope of the enclosing spawn body */
  struct ConcInfo *body_scope; /* implicit scope of this body, if a spawn
                                  sits directly in it (not in a concurrent) */
} SpawnInfo;

typedef struct ConcInfo {
  int id;
} ConcInfo;

typedef struct LoopInfo {
  int id;
  bool has_break;
} LoopInfo;

/* N_DEFER: the locals the deferred block uses that are declared outside
 * it (the emitter passes them by address). */
typedef struct DeferInfo {
  int id;
  SymVec captures;
} DeferInfo;

#endif
