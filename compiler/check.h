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
 *   Decl.sema    D_FN: FnInfo; D_CLASS: ClassInfo; D_ENUM: EnumInfo
 */
#ifndef PLAT_CHECK_H
#define PLAT_CHECK_H

#include "ast.h"
#include "types.h"

/* test_mode: `test` blocks are checked and compiled (plat test). */
bool check_program(Program *p, bool test_mode);
/* Forget every static the checker keeps between calls (fuzzing). */
void check_reset(void);

typedef enum SymKind { SYM_LOCAL, SYM_PARAM, SYM_SELF } SymKind;

typedef struct Sym {
  SymKind kind;
  Name name;
  Span span;
  Type *type;
  bool is_var;
  int id;                    /* unique in the program: C name is name_id */
  struct SpawnInfo *owner;   /* the spawn body that declares it, or NULL */
  int conc_level;            /* number of enclosing `concurrent` blocks */
} Sym;

typedef struct FnInfo {
  Decl *decl;
  Type **ptypes;             /* one per param */
  Type *ret;                 /* ty_unit when no `->` */
  const char *cname;         /* plat_u_add, Counter__bump, plat_t_blk__test_x */
  ClassInfo *cls;            /* methods: the class */
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
  CALL_BUILTIN,     /* print, assert, ...: builtin */
  CALL_BMETHOD,     /* method of a built-in type: builtin, recv */
  CALL_SPECIAL,     /* await and other concurrency calls: builtin */
} CallKind;

typedef struct Builtin Builtin;   /* check_call.c */

typedef struct CallInfo {
  CallKind kind;
  FnInfo *fn;
  ClassInfo *cls;
  Type *enum_type;
  int variant;
  const Builtin *builtin;
  const char *bname;         /* the builtin's name (`print`, `length`) */
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
  ClassInfo *cls;
  int index;
} FieldSema;

typedef struct SpawnInfo {
  int id;
  VEC(Sym *) captures;       /* locals copied into the task's env */
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

/* Names of builtins the emitter dispatches on, and their signatures. */
struct Builtin {
  const char *name;
  const char *params;        /* "substring:String,end:Int32=" (= marks a default) */
  const char *ret;           /* "Option<Int32>", "T", "Unit", "Never" */
  int recv;                  /* 0 function, else a TypeKind of the receiver */
  int id;                    /* BI_*; BI_PLAIN: lowered from cfn alone */
  const char *cfn;           /* runtime C function, or NULL */
};
extern const Builtin plat_builtins[];   /* builtins.c; ends with name NULL */
enum { RECV_OPTION = 100, RECV_RESULT, RECV_PRIM, RECV_TASK };

enum {
  BI_PLAIN = 0, BI_PRINT = 1, BI_ASSERT, BI_PANIC, BI_EXIT, BI_NOW_MS, BI_TIME_MS, BI_ENV_GET, BI_ARGS,
  BI_FILE_OPEN, BI_FILE_READ, BI_FILE_READ_ALL, BI_FILE_WRITE, BI_FILE_CLOSE,
  BI_FILE_EXISTS, BI_FILE_SIZE, BI_FILE_DELETE, BI_DIR_LIST,
  BI_SLEEP, BI_YIELD_NOW,
  /* String */
  BI_S_LENGTH, BI_S_BYTE_LENGTH, BI_S_IS_EMPTY, BI_S_CONTAINS, BI_S_STARTS_WITH,
  BI_S_ENDS_WITH, BI_S_INDEX_OF, BI_S_SUBSTRING, BI_S_CHAR_AT, BI_S_SPLIT, BI_S_TRIM,
  BI_S_TO_UPPER, BI_S_TO_LOWER, BI_S_REPLACE, BI_S_PARSE_INT, BI_S_PARSE_INT64,
  BI_S_PARSE_FLOAT, BI_S_PARSE_BOOL, BI_S_TO_STRING,
  /* List */
  BI_L_LENGTH, BI_L_IS_EMPTY, BI_L_PUSH, BI_L_POP, BI_L_GET, BI_L_SET, BI_L_INSERT_AT,
  BI_L_REMOVE_AT, BI_L_CONTAINS, BI_L_INDEX_OF, BI_L_SLICE, BI_L_CLEAR, BI_L_JOIN,
  /* Option / Result */
  BI_O_IS_SOME, BI_O_IS_NONE, BI_O_UNWRAP, BI_O_UNWRAP_OR, BI_O_EXPECT,
  BI_R_IS_OK, BI_R_IS_ERR, BI_R_UNWRAP, BI_R_UNWRAP_OR, BI_R_EXPECT,
  /* primitives */
  BI_P_TO_STRING,
  /* Task */
  BI_T_AWAIT,
  /* Channel (check_chan.c, emit_chan.c) */
  BI_C_NEW, BI_C_UNBOUNDED, BI_C_SEND, BI_C_RECV, BI_C_CLOSE, BI_C_TRY_SEND, BI_C_TRY_RECV,
  BI_C_RECV_TIMEOUT, BI_C_LENGTH, BI_C_CAPACITY, BI_C_IS_CLOSED,
};

/* N_DEFER: the locals the deferred block uses that are declared outside
 * it (the emitter passes them by address). */
typedef struct DeferInfo {
  int id;
  VEC(Sym *) captures;
} DeferInfo;

#endif
