/* ast.h -- the syntax tree shared by every compiler pass.
 *
 * One program is one source file (modules are a later feature).  Every
 * node carries a Span: positions [lo, hi) in the program's FileSet
 * (fileset.h), so a span knows its file; diag.c turns them into
 * file:line:col and a caret.
 *
 * Ownership: the parser builds the tree in the arena (util.h); later
 * passes only annotate it (the fields under "checker annotations"), they
 * never free or restructure it.
 *
 * Expressions and statements share one Node type because blocks are
 * expressions: a block is a list of items, and its value is its last item
 * when that item is an expression written without a trailing `;`.
 */
#ifndef PLAT_AST_H
#define PLAT_AST_H

#include "fileset.h"

typedef struct Node Node;
typedef VEC(Node *) VecNode;
typedef struct TypeExpr TypeExpr;
typedef struct Decl Decl;
struct Type;   /* checker's semantic type (types.h) */
struct Sym;    /* checker's symbol (check.h) */

/* Parser conventions (parse_expr.c has the full list):
 * - Literals carry magnitudes: `-5` is N_UNARY(OP_NEG, N_INT 5).
 * - `Counter.init(...)`, `Channel.unbounded()`: N_CALL of N_FIELD whose lhs
 *   is N_IDENT `Counter`; with generic args (`Box<Int32>.init`) that
 *   N_IDENT's `type` holds them (otherwise `type` is NULL on N_IDENT).
 * - `self`, `super`: N_IDENT named "self" / "super".
 * - Arg.name is NULL only for positional arguments of variant
 *   constructors (`Option::Some(5)`); the parser rejects them elsewhere.
 * - N_INTERP parts: N_STRING pieces (empty ones dropped) and expressions.
 * - Unnamed variant fields are named field0, field1, ... by the parser.
 * - After a syntax error the tree may hold placeholders named "<error>"
 *   (N_IDENT, TypeExpr); run the checker only when parsing had no error.
 */

/* ---- type syntax: `Int32`, `List<T>`, `List[T]`, `Result<T, E>` ---- */
struct TypeExpr {
  Span span;
  Name name;                 /* `List`, `Int32`, a class, enum or type parameter */
  VEC(TypeExpr *) args;      /* generic arguments, may be empty */
};

/* ---- named arguments: every call names its arguments ---- */
typedef struct Arg {
  Span span;                 /* the whole `name = value` */
  Span name_span;
  Name name;
  Node *value;
} Arg;
typedef VEC(Arg) ArgVec;

/* ---- match patterns ---- */
typedef enum PatKind {
  PAT_WILDCARD,              /* `_` */
  PAT_VARIANT,               /* `Shape::Circle(radius: Float64)`, `Option::None` */
  PAT_LITERAL,               /* `0`, `"x"`, `true` (literal is in `lit`) */
} PatKind;

typedef struct PatBinding {
  Span span;
  Name name;                 /* `_` ignores the field */
  TypeExpr *type;            /* the declared type of the binding, or NULL */
  struct Sym *sym;           /* checker: the local it declares */
  int field_index;           /* checker: the variant field it binds, -1 for `_` */
} PatBinding;

typedef struct Pattern {
  PatKind kind;
  Span span;
  Name enum_name;            /* `Shape` (may carry generic args in enum_type) */
  TypeExpr *enum_type;       /* `Option<Int32>` when written with args, else NULL */
  Name variant;              /* `Circle` */
  Span variant_span;
  bool has_parens;           /* `Foo::Bar(...)` as opposed to `Foo::Bar` */
  VEC(PatBinding) bindings;
  Node *lit;                 /* PAT_LITERAL */
  int variant_index;         /* checker: index of the variant in its enum */
} Pattern;

typedef struct MatchArm {
  Span span;
  Pattern *pat;
  Node *body;                /* an expression, a block, or break/continue/return */
} MatchArm;

/* ---- select arms (section 8.5) ---- */
typedef enum SelectKind { SEL_RECV, SEL_SEND, SEL_TIMEOUT, SEL_DEFAULT } SelectKind;
typedef struct SelectArm {
  SelectKind kind;
  Span span;
  Name bind_name;            /* SEL_RECV: `job` in `job: Option<Int32> = jobs.recv()` */
  Span bind_span;
  TypeExpr *bind_type;       /* SEL_RECV: the declared type (Option<T>) */
  Node *chan;                /* SEL_RECV / SEL_SEND: the channel expression */
  Node *value;               /* SEL_SEND: the value; SEL_TIMEOUT: the ms */
  Node *body;                /* block */
  struct Sym *sym;           /* checker: the local of bind_name */
} SelectArm;

/* ---- nodes ---- */
typedef enum NodeKind {
  /* literals */
  N_INT,          /* int_val, suffix: the literal text's suffix or 0 */
  N_FLOAT,        /* float_val, suffix */
  N_STRING,       /* str (decoded UTF-8, may contain NUL: str_len) */
  N_INTERP,       /* parts: N_STRING pieces and expressions, in order */
  N_BOOL,         /* bool_val */
  N_LIST,         /* items: `[a, b]` */
  /* names and access */
  N_IDENT,        /* name */
  N_PATH,         /* `Type::Variant`: path_type (may have args), name = variant */
  N_FIELD,        /* lhs.name */
  N_INDEX,        /* lhs[rhs] */
  N_CALL,         /* callee(args): callee is N_IDENT, N_FIELD (method or
                     `Type.init`/`Channel.unbounded`) or N_PATH (variant) */
  N_CAST,         /* cast(value = lhs, target = type) */
  N_TRY,          /* lhs? */
  /* operators */
  N_UNARY,        /* op, lhs: `-x`, `not x` */
  N_BINARY,       /* op, lhs, rhs: arithmetic, comparison, `and`, `or` */
  N_ASSIGN,       /* lhs = rhs (lhs: N_IDENT, N_FIELD, N_INDEX) */
  /* blocks and control flow */
  N_BLOCK,        /* items; `semi` on each item tells if a `;` followed it */
  N_IF,           /* cond, then (block), els (block, N_IF or NULL) */
  N_MATCH,        /* lhs (scrutinee), arms */
  N_WHILE,        /* cond, body */
  N_LOOP,         /* body */
  N_FOR,          /* name, type, iter (N_RANGE or an expression), body */
  N_RANGE,        /* lhs .. rhs, inclusive for ..= */
  N_BREAK,
  N_CONTINUE,
  N_RETURN,       /* lhs: the value or NULL */
  N_LET,          /* is_var, name, type, rhs (initialiser) */
  N_DEFER,        /* body */
  /* concurrency */
  N_CONCURRENT,   /* body (block) */
  N_SPAWN,        /* body (block) */
  N_RACE,         /* items: N_SPAWN nodes */
  N_WITH_TIMEOUT, /* lhs: the ms expression, body (block) */
  N_SELECT,       /* sel_arms */
} NodeKind;

typedef enum Op {
  OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_REM,
  OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE,
  OP_AND, OP_OR,
  OP_NEG, OP_NOT,
} Op;

struct Node {
  NodeKind kind;
  Span span;
  bool semi;                 /* as a block item: followed by `;` */

  /* payload: which fields are used depends on kind (see NodeKind) */
  Op op;
  Name name;
  Span name_span;
  bool is_var;               /* N_LET: `var` rather than `let` */
  bool inclusive;            /* N_RANGE: `..=` */
  bool bool_val;
  char suffix[4];            /* N_INT/N_FLOAT: "", "i8", "i16", "i32", "i64", "f32", "f64" */
  uint64_t int_val;          /* N_INT: magnitude (a leading `-` is N_UNARY) */
  double float_val;
  const char *str;           /* N_STRING */
  size_t str_len;
  TypeExpr *type;            /* N_LET, N_FOR, N_CAST target */
  TypeExpr *path_type;       /* N_PATH: `Shape` or `Option<Int32>` */
  Node *lhs, *rhs, *cond;
  Node *then, *els, *body, *iter;
  VecNode items;             /* N_BLOCK items, N_LIST elements, N_RACE arms */
  VecNode parts;             /* N_INTERP */
  ArgVec args;               /* N_CALL */
  VEC(MatchArm) arms;        /* N_MATCH */
  VEC(SelectArm) sel_arms;   /* N_SELECT */

  /* checker annotations (check.c fills them; emit.c reads them) */
  struct Type *ty;           /* the expression's type; Unit for statements */
  struct Sym *sym;           /* N_IDENT/N_LET/N_FOR/N_CALL: what the name resolves to */
  void *sema;                /* kind-specific extra facts, see check.h */
};

/* ---- declarations ---- */
typedef enum DeclKind { D_FN, D_ENUM, D_CLASS, D_TEST } DeclKind;

typedef struct Param {
  Span span;
  Name name;
  Span name_span;
  TypeExpr *type;
  Node *default_value;       /* NULL when required */
  struct Sym *sym;           /* checker */
} Param;

typedef struct Field {       /* class field, or enum variant field */
  Span span;
  Name name;                 /* unnamed enum fields are field0, field1, ... */
  Span name_span;
  TypeExpr *type;
  bool is_pub, is_var;       /* class fields only */
} Field;

typedef struct Variant {
  Span span;
  Name name;
  VEC(Field) fields;
  bool has_parens;
} Variant;

typedef struct TypeParam { Span span; Name name; } TypeParam;

struct Decl {
  DeclKind kind;
  Span span;
  Name name;
  Span name_span;
  bool is_pub;
  bool is_virtual, is_override;      /* later: inheritance */
  VEC(TypeParam) type_params;
  /* D_FN (also methods and `init`) */
  VEC(Param) params;
  TypeExpr *ret;             /* NULL: returns nothing */
  Node *body;                /* N_BLOCK */
  Decl *owner;               /* methods: the class */
  /* D_ENUM */
  VEC(Variant) variants;
  /* D_CLASS */
  VEC(Field) fields;
  VEC(Decl *) methods;       /* D_FN, `init` included */
  Name parent;               /* later: `class Dog : Animal` */
  /* D_TEST: `test name { fn test_x() {} ... }` */
  VEC(Decl *) fns;

  void *sema;                /* checker annotations, see check.h */
};

/* ---- the walker (ast.c) ---- */
typedef void (*AstVisit)(Node *child, void *ctx);
/* Call fn(child, ctx) for each node child of n, in source order.  An
 * unknown node kind is an internal compiler error. */
void ast_children(Node *n, AstVisit fn, void *ctx);
const char *ast_kind_name(NodeKind k);
/* An operator as written in Plat (`+`, `and`, `not`); arithmetic ones. */
const char *op_text(Op op);
bool op_is_arith(Op op);          /* + - * / % */

typedef struct Program {
  FileSet *fset;             /* every file of the program */
  SrcFile *file;             /* the main file */
  const char *path;          /* its path, as given on the command line */
  VEC(Decl *) decls;
} Program;

#endif
