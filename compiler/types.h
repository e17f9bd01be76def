/* types.h -- the checker's semantic types.
 *
 * Types are interned: type_list(T) called twice returns the same pointer,
 * so `a == b` is type equality.  Generic enums (Option<T>, Result<T, E>
 * and user enums with type parameters) are not monomorphised: every value
 * is one 8-byte word at run time, so an instance is just the EnumInfo plus
 * its argument types; variant field types mention T_PARAM types that
 * type_subst() replaces by the instance's arguments.
 *
 * T_ERROR is the poison type of an expression that already produced a
 * diagnostic: it is compatible with everything so one mistake yields one
 * error.  T_NEVER is the type of expressions that do not complete
 * (return, break, continue, panic, exit, a loop without break); it is
 * compatible with every expected type.
 */
#ifndef PLAT_TYPES_H
#define PLAT_TYPES_H

#include "ast.h"

typedef enum TypeKind {
  T_ERROR, T_NEVER, T_UNIT, T_BOOL,
  T_I8, T_I16, T_I32, T_I64, T_F32, T_F64,
  T_STRING, T_LIST, T_ENUM, T_CLASS, T_TASK, T_CHANNEL,
  T_PARAM,             /* a type parameter of a generic enum declaration */
} TypeKind;

typedef struct Type Type;

typedef struct VariantInfo {
  Name name;
  int nfields;
  Name *fnames;          /* field0, field1, ... for unnamed fields */
  Type **ftypes;         /* may mention T_PARAM */
  bool has_parens;
} VariantInfo;

typedef struct EnumInfo {
  Name name;
  Decl *decl;            /* NULL for the predeclared Option and Result */
  int ntparams;
  Name *tparams;
  int nvariants;
  VariantInfo *variants;
  int builtin;           /* 0 user, ENUM_OPTION or ENUM_RESULT */
  bool all_unit;         /* no variant has fields */
} EnumInfo;
enum { ENUM_OPTION = 1, ENUM_RESULT = 2 };

typedef struct FieldInfo {
  Name name;
  Type *type;
  bool is_pub, is_var;
  Span span;
} FieldInfo;

typedef struct ClassInfo {
  Name name;
  Decl *decl;
  int nfields;
  FieldInfo *fields;
  Decl *init;            /* explicit init, or NULL for the default one */
} ClassInfo;

struct Type {
  TypeKind kind;
  int nargs;
  Type **args;           /* List<T>: T; Task<T>: T; enum instance args */
  EnumInfo *en;          /* T_ENUM */
  ClassInfo *cls;        /* T_CLASS */
  int param;             /* T_PARAM: index into the enum's tparams */
  Name pname;            /* T_PARAM: its name */
  const char *str;       /* how diagnostics spell it */
};

void types_init(void);
extern Type *ty_error, *ty_never, *ty_unit, *ty_bool, *ty_i8, *ty_i16, *ty_i32,
    *ty_i64, *ty_f32, *ty_f64, *ty_string;
extern EnumInfo *enum_option, *enum_result;

Type *type_list(Type *elem);
Type *type_task(Type *elem);
Type *type_channel(Type *elem);
Type *type_enum(EnumInfo *en, Type **args);   /* args: en->ntparams of them */
Type *type_class(ClassInfo *cls);
Type *type_param(int index, Name name);
Type *type_option(Type *t);
Type *type_result(Type *t, Type *e);

/* Replace T_PARAM i by args[i]. */
Type *type_subst(Type *t, Type **args, int nargs);
/* The type of field `f` of variant `v` of enum instance `t`. */
Type *type_variant_field(Type *t, int v, int f);

bool type_is_int(Type *t);
bool type_is_float(Type *t);
bool type_is_numeric(Type *t);
bool type_is_ref(Type *t);         /* a pointer at run time */
bool type_contains(Type *t, TypeKind k);
/* Can a value of type `have` be used where `want` is expected? */
bool type_fits(Type *have, Type *want);
bool type_is_option(Type *t);
bool type_is_result(Type *t);
/* Integer range of an int type. */
void type_int_range(Type *t, int64_t *lo, uint64_t *hi);

#endif
