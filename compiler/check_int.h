/* check_int.h -- state shared by the checker's files (check*.c).
 *
 * The checker is one pass over the tree after a declaration pass.  Its
 * state is the single Checker `C` below, owned by check_program() for the
 * duration of one run.  Lexical scopes are a stack of frames, each a list
 * of Syms; lookup goes innermost first.
 *
 * Expression checking is "bidirectional": check_expr(n, want) receives
 * the type the context expects (or NULL) so unsuffixed literals, `[]` and
 * `Option::None` take it; it returns the expression's type and stores it
 * in n->ty.  It never reports a mismatch itself: expect_type() does.
 */
#ifndef PLAT_CHECK_INT_H
#define PLAT_CHECK_INT_H

#include "check.h"
#include "diag.h"

typedef struct Frame {
  struct Frame *up;
  VEC(Sym *) syms;
} Frame;

typedef struct TypeEntry { Name name; Type *type; EnumInfo *generic; } TypeEntry;

typedef struct Checker {
  Program *prog;
  bool test_mode;
  VEC(TypeEntry) types;      /* global type names */
  VEC(Decl *) fns;           /* top-level functions (visible everywhere) */
  Decl *test_block;          /* the test block being checked */
  FnInfo *fn;                /* the function being checked */
  ClassInfo *cls;            /* its class, if a method */
  Type *ret;                 /* expected return type (NULL: infer, spawn) */
  bool ret_set;              /* spawn: ret has been inferred */
  int loop_depth;
  VEC(LoopInfo *) loops;     /* enclosing loops, innermost last */
  int conc_level;            /* enclosing concurrent blocks in this body */
  ConcInfo *conc;            /* innermost concurrent block in this body */
  SpawnInfo *spawn;          /* innermost spawn body */
  Frame *frame;
  int next_id;
} Checker;

extern Checker C;

/* check.c */
Type *resolve_type(TypeExpr *te);
TypeEntry *lookup_type(Name n);
Decl *lookup_fn(Name n);
void push_frame(void);
void pop_frame(void);
Sym *declare_local(Name name, Span span, Type *t, bool is_var, SymKind k);
Sym *lookup_local(Name name);
void check_snake(Name n, Span s, const char *what);
void check_title(Name n, Span s, const char *what);
const char *type_name(Type *t);
Type *expect_type(Node *n, Type *have, Type *want, const char *ctx);

/* check_expr.c */
Type *check_expr(Node *n, Type *want);
bool is_printable(Type *t);
FnInfo *class_method(ClassInfo *c, Name n);
Node *unparen_lit(Node *n);

/* check_stmt.c */
Type *check_block(Node *n, Type *want);
Type *check_stmt(Node *n, Type *want);
void check_fn_body(FnInfo *fi);
Type *join_types(Type *a, Type *b, Span where, const char *what);

/* check_call.c */
extern Type ty_anyint_s, ty_printable_s;   /* parameter sentinels for builtins */
Type *check_call(Node *n, Type *want);
Type *check_variant_path(Node *n, Type *want);
CallInfo *match_args(Node *call, ArgVec *args, int np, const Name *pnames,
                     Type **ptypes, Node **defaults, const char *what);

/* check_match.c */
Type *check_match(Node *n, Type *want);

/* check_conc.c */
Type *check_concurrent(Node *n, Type *want);
Type *check_spawn(Node *n, Type *want);
void note_capture(Sym *s, Span use, bool assign);
bool check_task_escape(Node *target, Type *vt, Span where);

/* check_chan.c: channels, select, race, with_timeout, defer */
Type *check_chan_node(Node *n, Type *want);   /* N_SELECT, N_RACE, N_WITH_TIMEOUT, N_DEFER */
Type *check_channel_static(Node *n, Node *callee, Type *want);   /* Channel.init / .unbounded */
void note_defer_use(Sym *s);

#endif
