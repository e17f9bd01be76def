/* types.h -- the checker's semantic types: nominal, interned, with
 * property flags.
 *
 * A type is a declaration plus type arguments (as in Go's go/types): the
 * TypeDecl says what the type is (a primitive, an enum, a class, a
 * built-in reference type such as List, or a type parameter) and the
 * Type is one instance of it (`List<Int32>` is td_list with args
 * {Int32}).  Instances are interned in a hash table, so `a == b` is type
 * equality.  Every built-in type -- Bool, the numbers, String, List,
 * Task, Channel, Option, Result -- is a TypeDecl made by the built-in
 * catalogue (builtins.h) exactly as a user enum or class is made by the
 * checker; nothing here knows their names.
 *
 * Type parameters belong to their declaration: `T` of `Pair<T>` and `T`
 * of `Option<T>` are two TypeDecls (kind TD_PARAM, with owner and index).
 * type_subst() replaces the parameters of one owner by arguments through
 * a Subst environment; the emitter works through such an environment
 * too, so monomorphising generics only has to fill it.
 *
 * Properties (integer, float, reference, equatable, hashable, ordered,
 * printable) are flags on the declaration, never ranges of an enum.
 * Generic enums are not monomorphised: every value is one 8-byte word at
 * run time.
 *
 * ty_error is the poison type of an expression that already produced a
 * diagnostic: it fits everywhere, so one mistake yields one error.
 * ty_never is the type of expressions that do not complete (return,
 * break, continue, panic, exit, a loop without break); it fits every
 * expected type.
 */
#ifndef PLAT_TYPES_H
#define PLAT_TYPES_H

#include "ast.h"

typedef struct Type Type;
typedef struct TypeDecl TypeDecl;
struct BuiltinFn;
struct BuiltinTypeDef;

typedef enum TypeDeclKind {
  TD_SPECIAL,       /* <error>, Never, Unit */
  TD_PRIM,          /* Bool, Int8..Int64, Float32, Float64, String */
  TD_ENUM,          /* user enums, Option, Result */
  TD_CLASS,         /* user classes */
  TD_BUILTIN,       /* List, Task, Channel: reference types of the runtime */
  TD_PARAM,         /* a type parameter of its owner */
  TD_CONSTRAINT,    /* catalogue signatures only: AnyInt, Printable */
} TypeDeclKind;

enum TypeProp {
  TP_INT = 1 << 0,       /* Int8..Int64 */
  TP_FLOAT = 1 << 1,     /* Float32, Float64 */
  TP_REF = 1 << 2,       /* a pointer to the GC heap at run time */
  TP_EQ = 1 << 3,        /* `==` and `!=` */
  TP_HASH = 1 << 4,      /* a Dict key or Set element (LANGUAGE.md 10.2) */
  TP_ORD = 1 << 5,       /* `<` `<=` `>` `>=` */
  TP_PRINT = 1 << 6,     /* print(value =), interpolation */
};

/* How a value is held in C (and converted to a plat_word). */
typedef enum Repr { REPR_VOID, REPR_BOOL, REPR_INT, REPR_F32, REPR_F64, REPR_PTR, REPR_WORD } Repr;

typedef struct VariantInfo {
  Name name;
  int nfields;
  Name *fnames;          /* field0, field1, ... for unnamed fields */
  Type **ftypes;         /* may mention the enum's parameters */
  bool has_parens;
} VariantInfo;

typedef struct FieldInfo {
  Name name;
  Type *type;
  bool is_pub, is_var;
  Span span;
} FieldInfo;

struct TypeDecl {
  TypeDeclKind kind;
  Name name;
  unsigned props;        /* TP_*: of every instance */
  Repr repr;
  int bits;              /* REPR_INT: 8, 16, 32 or 64 */
  const char *ctype;     /* C type of a value (NULL for classes: struct) */
  Decl *ast;             /* user declarations: the syntax */
  int ntparams;
  Type **tparams;        /* this declaration's own parameters (TD_PARAM) */
  /* TD_PARAM: owned by a type declaration or by a function (FnInfo) */
  const void *owner;
  int index;
  /* TD_ENUM */
  int nvariants;
  VariantInfo *variants;
  bool all_unit;         /* no variant has fields */
  /* TD_CLASS */
  int nfields;
  FieldInfo *fields;
  Decl *init;            /* explicit init, or NULL for the default one */
  /* built-in types: their catalogue entry and methods */
  const struct BuiltinTypeDef *bt;
  VEC(struct BuiltinFn *) methods;
};

struct Type {
  TypeDecl *decl;
  int nargs;
  Type **args;           /* the arguments of decl's parameters, in order */
  const char *str;       /* how diagnostics spell it */
};

/* Replaces the parameters of `owner` by args[0..nargs) (first match in
 * the chain wins); the emitter keeps one for the body being emitted. */
typedef struct Subst {
  const void *owner;     /* a TypeDecl or an FnInfo */
  Type *const *args;
  int nargs;
  const struct Subst *up;
} Subst;

/* Forget every type (a new compile session) and make the special and
 * primitive declarations' instances available as ty_* once the
 * catalogue has declared them. */
void types_reset(void);
/* Keep every instance made so far across types_reset (end of the
 * catalogue load). */
void types_freeze(void);
extern Type *ty_error, *ty_never, *ty_unit, *ty_bool, *ty_i8, *ty_i16, *ty_i32,
    *ty_i64, *ty_f32, *ty_f64, *ty_string;
/* Declarations other code needs by identity (set by the catalogue). */
extern TypeDecl *td_list, *td_task, *td_channel, *td_option, *td_result;

TypeDecl *typedecl_new(TypeDeclKind kind, Name name);
/* Give d `n` parameters named names[i] (TD_PARAM declarations owned by d). */
void typedecl_set_params(TypeDecl *d, int n, const Name *names);
/* A parameter declaration owned by `owner` (a TypeDecl or an FnInfo). */
Type *type_new_param(const void *owner, int index, Name name);

/* The instance of d with these arguments (d->ntparams of them). */
Type *type_inst(TypeDecl *d, Type *const *args, int nargs);
Type *type_of(TypeDecl *d);                    /* no arguments */
Type *type_list(Type *elem);
Type *type_task(Type *elem);
Type *type_channel(Type *elem);
Type *type_option(Type *t);
Type *type_result(Type *t, Type *e);

Type *type_subst(Type *t, const Subst *s);
/* The type of field `f` of variant `v` of enum instance `t`. */
Type *type_variant_field(Type *t, int v, int f);

static inline bool type_has(const Type *t, unsigned props) { return t && (t->decl->props & props) == props; }
static inline bool type_is(const Type *t, const TypeDecl *d) { return t && t->decl == d; }
static inline bool type_is_int(const Type *t) { return type_has(t, TP_INT); }
static inline bool type_is_float(const Type *t) { return type_has(t, TP_FLOAT); }
static inline bool type_is_numeric(const Type *t) { return t && (t->decl->props & (TP_INT | TP_FLOAT)); }
static inline bool type_is_enum(const Type *t) { return t && t->decl->kind == TD_ENUM; }
static inline bool type_is_class(const Type *t) { return t && t->decl->kind == TD_CLASS; }
static inline bool type_is_param(const Type *t) { return t && t->decl->kind == TD_PARAM; }
static inline bool type_is_list(const Type *t) { return type_is(t, td_list); }
static inline bool type_is_task(const Type *t) { return type_is(t, td_task); }
static inline bool type_is_channel(const Type *t) { return type_is(t, td_channel); }
static inline bool type_is_option(const Type *t) { return type_is(t, td_option); }
static inline bool type_is_result(const Type *t) { return type_is(t, td_result); }
/* No value at run time: Unit, Never (and the poison type). */
static inline bool type_no_value(const Type *t) { return !t || t == ty_unit || t == ty_never || t == ty_error; }

/* Does t mention the declaration d (t itself or any argument)? */
bool type_contains(const Type *t, const TypeDecl *d);
/* Does t mention a type parameter? */
bool type_contains_param(const Type *t);
/* Can a value of type `have` be used where `want` is expected? */
bool type_fits(Type *have, Type *want);
/* Integer range of an integer type. */
void type_int_range(const Type *t, int64_t *lo, uint64_t *hi);

#endif
