/* builtins.h -- the built-in catalogue: built-in types, their methods, and
 * the built-in functions (LANGUAGE.md 2, 6 and 8).
 *
 * One file per built-in type under compiler/builtins/ (and one per group
 * of functions) defines a BuiltinTypeDef: the type's name, parameters,
 * properties and C representation, and its rows.  A row is a signature in
 * Plat syntax, parsed once at start-up by catalogue_load():
 *
 *     "contains(substring: String) -> Bool"
 *     "get(index: AnyInt) -> Option<T>"          (T: the receiver's parameter)
 *     "init(capacity: AnyInt = ...) -> Channel<T>"   (optional argument)
 *
 * `= ...` marks an argument that may be omitted (the row's emit hook
 * supplies it); no `->` means the call has no value.  AnyInt accepts any
 * integer type and Printable any printable value; both exist only in
 * signatures.  A malformed row stops the compiler at start-up with the
 * row and the column of the mistake (the build runs the compiler, so it
 * stops the build: see `make` target rt-contract).
 *
 * Lowering: a row with a `cfn` and no `emit` hook is a plain call
 * cfn(receiver, arguments in parameter order) -- values whose declared
 * type is a type parameter are passed and returned as plat_word.  A row
 * with an `emit` hook writes its own C; `uses` lists the runtime
 * functions that C calls.  Every runtime function a row names (cfn and
 * uses) is checked against the runtime headers at build time
 * (tools/rt_contract.c), so the compiler-to-runtime contract cannot drift.
 */
#ifndef PLAT_BUILTINS_H
#define PLAT_BUILTINS_H

#include "types.h"

struct Node;
struct CallInfo;

/* What an emit hook gets: the C code of the receiver and of every
 * argument (per parameter in declaration order; NULL when omitted). */
typedef struct EmitCall {
  struct Node *call;
  struct CallInfo *ci;
  const char *recv;          /* NULL for functions and static methods */
  const char **args;
  Type *recv_type;           /* the receiver's (or the static type's) type */
  Type *T, *E;               /* its first and second type arguments, or NULL */
  int line;
} EmitCall;
typedef const char *(*BuiltinEmit)(const EmitCall *c);

enum BuiltinRowFlags {
  BR_STATIC = 1 << 0,        /* called on the type: `Channel.init(...)` */
  BR_ELEM_STRING = 1 << 1,   /* needs a receiver whose T is String (join) */
  BR_ELEM_EQ = 1 << 2,       /* needs a T with `==` (contains, index_of) */
  BR_STORES_ELEM = 1 << 3,   /* keeps its T argument (a task must not escape) */
  BR_LAZY_ARGS = 1 << 4,     /* the hook evaluates its optional arguments only
                                on some paths (assert's message): they are
                                hoisted when evaluating them can be observed */
  /* What a call may do, for the evaluation order (emit_seq.c); without
   * either flag it acts or may panic. */
  BR_PURE = 1 << 5,          /* a query of an immutable value */
  BR_READS = 1 << 6,         /* reads a string, list or channel, or the environment */
  BR_WAITS = 1 << 7,         /* may park the task: the call records its .plat
                                line first (PLAT_AT, for dumps and traces) */
};

/* Rows other code recognises (an optimisation keys on them). */
enum BuiltinTag { TAG_NONE, TAG_CHAN_RECV, TAG_CHAN_TRY_RECV, TAG_OPT_UNWRAP };

typedef struct BuiltinRow {
  const char *sig;           /* NULL ends a table */
  const char *cfn;           /* plain rows: the runtime function */
  BuiltinEmit emit;          /* special rows: writes the call's C */
  const char *uses;          /* special rows: runtime functions emit calls */
  unsigned flags;            /* BR_* */
  int tag;                   /* BuiltinTag */
} BuiltinRow;

enum BuiltinTypeFlags {
  BT_ARG_UNIT = 1 << 0,      /* Unit is a valid argument (Task<Unit>) */
  BT_ARG_NO_TASK = 1 << 1,   /* no argument may contain a Task (Channel) */
};

typedef struct BuiltinTypeDef {
  const char *name;          /* NULL for a table of functions */
  const char *params;        /* "T", "T, E" or NULL */
  TypeDeclKind kind;         /* TD_PRIM, TD_BUILTIN or TD_ENUM */
  const char *variants;      /* TD_ENUM: "Some(value: T), None" */
  unsigned props;            /* TP_* */
  Repr repr;
  int bits;
  const char *ctype;         /* C type of a value */
  const char *fmt;           /* printable primitives: C function formatting
                                a value as a plat_str */
  unsigned flags;            /* BT_* */
  const char *aliases;       /* other names: "Int" for Int64 */
  const char *example;       /* a typical declaration, for help lines:
                                "let c: Channel<Int32> = Channel.init(capacity = 8);" */
  Type **global;             /* where to store the type (ty_i32, ...) */
  TypeDecl **gdecl;          /* where to store the declaration (td_list) */
  const BuiltinRow *rows;    /* methods (or functions), ended by {NULL} */
  const char *file;          /* the defining source file, for errors */
} BuiltinTypeDef;

/* A parsed row. */
typedef struct BuiltinFn {
  Name name;
  const BuiltinRow *row;
  TypeDecl *owner;           /* the receiver's declaration; NULL: a function */
  int nparams;
  Name *pnames;
  Type **ptypes;             /* may mention owner's parameters */
  bool *optional;
  Type *ret;                 /* ty_unit when there is no `->` */
} BuiltinFn;

/* The constraint types of signatures. */
extern Type *ty_anyint, *ty_printable;

/* Parse every row, make the built-in types and the universe scope.
 * Idempotent.  Returns NULL, or the first error ("string.c: row
 * `len( -> Int32`, column 5: expected a parameter name"): the caller
 * reports it as an internal error. */
const char *catalogue_load(void);
/* Parse one extra table (tests): NULL or the error, as above. */
const char *catalogue_parse_table(const BuiltinTypeDef *def);
struct Scope *catalogue_universe(void);
/* The method `name` of the built-in declaration d (static ones when
 * is_static), or NULL. */
BuiltinFn *catalogue_method(const TypeDecl *d, Name name, bool is_static);
/* Every table (for the runtime contract check and the docs). */
extern const BuiltinTypeDef *const catalogue_tables[];

#endif
