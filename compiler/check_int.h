/* check_int.h -- state shared by the checker's files (check*.c).
 *
 * The checker is one pass over the tree after two declaration passes.
 * Its state is the single Checker `C` below, owned by check_program() for
 * the duration of one run.  Names resolve through the scope chain of
 * scope.h: C.scope is the innermost scope.
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

typedef struct Checker {
  Program *prog;
  bool test_mode;
  Scope *module;             /* the program's types and functions */
  Scope *scope;              /* innermost scope */
  FnInfo *fn;                /* the function being checked */
  TypeDecl *cls;             /* its class, if a method */
  Type *ret;                 /* expected return type (NULL: infer, spawn) */
  bool ret_set;              /* spawn: ret has been inferred */
  int loop_depth;
  VEC(LoopInfo *) loops;     /* enclosing loops, innermost last */
  int conc_level;            /* enclosing concurrent blocks in this body */
  ConcInfo *conc;            /* innermost concurrent block in this body */
  SpawnInfo *spawn;          /* innermost spawn body */
  int next_id;
} Checker;

extern Checker C;

/* check.c */
Type *resolve_type(TypeExpr *te);
TypeDecl *lookup_type(Name n);
Sym *lookup_fn(Name n);
void push_scope(ScopeKind k);
void pop_scope(void);
Sym *declare_local(Name name, Span span, Type *t, bool is_var, SymKind k);
Sym *lookup_value(Name name);
void check_snake(Name n, Span s, const char *what);
void check_title(Name n, Span s, const char *what);
Type *expect_type(Node *n, Type *have, Type *want, const char *ctx);
const char *did_you_mean(Name name, const char *const *cands, int n);

/* check_expr.c */
Type *check_expr(Node *n, Type *want);
FnInfo *class_method(TypeDecl *c, Name n);

/* check_stmt.c */
Type *check_block(Node *n, Type *want);
Type *check_stmt(Node *n, Type *want);
void check_fn_body(FnInfo *fi);
Type *join_types(Type *a, Type *b, Span where, const char *what);

/* check_call.c */
Type *check_call(Node *n, Type *want);
Type *check_variant_path(Node *n, Type *want);
CallInfo *match_args(Node *call, ArgVec *args, int np, const Name *pnames,
                     Type **ptypes, Node **defaults, const char *what);

/* check_match.c */
Type *check_match(Node *n, Type *want);

/* check_conc.c */
Type *check_concurrent(Node *n, Type *want);
Type *check_spawn(Node *n, Type *want);
void note_assign_capture(Sym *s, Span use);
bool check_task_escape(Node *target, Type *vt, Span where);

/* check_chan.c: select, race, with_timeout, defer */
Type *check_chan_node(Node *n, Type *want);   /* N_SELECT, N_RACE, N_WITH_TIMEOUT, N_DEFER */

#endif
