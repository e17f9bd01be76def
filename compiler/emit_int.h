/* emit_int.h -- state shared by the emitter's files (emit*.c).
 *
 * The emitter writes four buffers, concatenated at the end: `head`
 * (includes, helpers, struct types, prototypes), `lits` (static string
 * literals and payload-less variant constants), `lifted` (spawn bodies
 * and their env structs, emitted while their parent is being emitted)
 * and `fns` (every function).  `out` points at the buffer of the function
 * being written; expr_str() redirects it to capture a sub-expression as a
 * string.
 *
 * Values with control flow (blocks, if, match, concurrent) are lowered
 * with emit_into(node, dest): the node's statements are written and its
 * final value is assigned to a C variable, returned, or discarded; in
 * expression position they become GNU statement expressions around a
 * temporary.  Every temporary and local has a unique C name, given by
 * mangle.h.
 *
 * Types: every type the emitter looks at goes through E.subst (ety()),
 * the substitution environment of the body being emitted.  It is empty
 * today (generic enums are one word whatever their arguments); a
 * monomorphised generic function or class will be emitted once per
 * instance with E.subst mapping its parameters to that instance's
 * arguments.
 */
#ifndef PLAT_EMIT_INT_H
#define PLAT_EMIT_INT_H

#include "check.h"
#include "diag.h"
#include "emit.h"
#include "mangle.h"

typedef enum DestKind { DEST_DISCARD, DEST_VAR, DEST_RETURN } DestKind;
typedef struct Dest { DestKind kind; const char *var; } Dest;

typedef struct LitEntry { const char *s; size_t n; int k; } LitEntry;   /* k = 0: free */

typedef struct Emitter {
  Program *prog;
  const EmitOptions *opt;
  Buf head, lits, lifted, fns;
  Buf *out;
  int tmp;                   /* temporaries: plat_tN */
  int last_line;             /* last #line written into *out */
  FnInfo *fn;                /* function being emitted */
  Type *task_ret;            /* inside a spawn body: the task's T, else NULL */
  int nlit;                  /* string literals: plat_sK, K = 1..nlit */
  LitEntry *lit_tab;         /* text -> K, so equal literals share one */
  int lit_cap;
  const Subst *subst;        /* type parameters -> arguments (see above) */
  const char *line_file;     /* the file of the last #line written */
} Emitter;

extern Emitter E;

/* emit.c */
Type *ety(Type *t);                           /* t under E.subst */
const char *ctype(Type *t);
const char *to_word(const char *code, Type *t);
const char *from_word(const char *code, Type *t);
const char *sym_cname(Sym *s);
const char *str_lit(const char *s, size_t n);
int line_of(Span s);
void emit_line(Span s);          /* #line for the .plat line of s */
void emit_line_no(int line);     /* #line for that .plat line, always */
void emit_gen_lines(void);       /* what follows is generated code */
void lift_chunk(Buf *b);         /* append a lifted body to E.lifted */

/* emit_lines.c: makes every C line map exactly (see there) */
#define PLAT_GEN_FILE "<generated>"
void emit_fix_lines(const char *src, size_t len, Buf *dst);
void emit_fn_prologue(Span s);
const char *new_tmp(void);
void out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* emit_expr.c */
void emit_expr(Node *n);
const char *expr_str(Node *n);
const char *val_str(Node *n, Type *t);
const char *to_string_code(const char *code, Type *t);

/* emit_seq.c: left-to-right evaluation of the operands of one construct */
enum { FX_EFF = 1, FX_READ = 2, FX_VAR = 4, FX_ASSIGN = 8 };
unsigned seq_fx(Node *n);                          /* what evaluating n may do */
void seq_plan(const unsigned *fx, int n, bool *hoist);   /* hoist[i] |= must go first */
const char *seq_temp(Buf *pre, const char *code, Type *t);
const char *seq_operand(Buf *pre, Node *n, Type *want, bool hoist);
const char *seq_wrap(Buf *pre, const char *core);  /* ({ pre core; }) */
void seq_operands(Buf *pre, Node **ops, Type **want, int n, const char **code);

/* emit_stmt.c */
void emit_into(Node *n, Dest d);
void emit_stmt(Node *n);
void emit_block_body(Node *blk, Dest d);
void emit_return_value(const char *code, Type *t);
const char *valued_expr(Node *n);

/* emit_call.c */
const char *call_str(Node *n);
/* `call` preceded by PLAT_AT(plat_file, line): the .plat location of a
 * call that may wait, for the runtime's dumps and traces (plat_rt.h). */
const char *at_site(int line, const char *call);
const char *emit_prim_to_string(const EmitCall *c);   /* catalogue hook: x.to_string() */

/* emit_conc.c */
void emit_concurrent_into(Node *n, Dest d);
const char *spawn_str(Node *n);
const char *spawn_env_str(Node *n, const char **fn);

/* emit_chan.c: select, race, with_timeout, defer */
void emit_select_into(Node *n, Dest d);
const char *chan_expr_str(Node *n);           /* N_RACE, N_WITH_TIMEOUT */
void emit_defer(Node *n);

#endif
