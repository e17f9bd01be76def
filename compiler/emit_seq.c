/* emit_seq.c -- left-to-right evaluation whatever C does (LANGUAGE.md,
 * the evaluation-order rule above section 1).
 *
 * C leaves unspecified the order in which it evaluates the arguments of a
 * call, the operands of most operators, the initialisers of a compound
 * literal and the two sides of `=`.  Every construct the emitter writes
 * with two or more operands (operators, calls with their receiver and
 * defaults, constructors, variants, list literals, interpolation,
 * indexing, assignments to fields and list elements) lists its operands
 * in Plat order and asks seq_plan() which of them must go to a temporary,
 * declared in that order before the construct itself.
 *
 * Each operand gets a summary of what evaluating it may do (seq_fx):
 *   FX_EFF     an observable effect: a call of user code or of a built-in
 *              that acts or may panic, a panic (integer `/` `%` by a
 *              non-constant divisor), `?`, return/break/continue, a loop
 *              (it may not end), an assignment to a field or element,
 *              spawn, race, with_timeout, select, concurrent, defer
 *   FX_READ    reads mutable heap state: a field, `xs[i]`, a built-in
 *              method that reads a list, a channel or a string
 *   FX_VAR     reads a `var` local (a `let`, a parameter or `self` never
 *              changes, so reading it is pure)
 *   FX_ASSIGN  assigns a local (inside a block, `if` or `match` operand)
 * Literals, `let` locals, operators on pure operands, casts, variant and
 * default-constructor construction of pure operands are pure (0): they may
 * be evaluated at any time.
 *
 * Rule: operand i goes to a temporary when it conflicts with some later
 * operand j -- i's effect could be observed by j (j has an effect or
 * reads the heap), i reads what j's effect could change, or i and j
 * assign / read the same kind of local.  Conflicting pairs are then
 * always evaluated in order: the earlier one in the temporaries, the
 * later one after them.  Operands that conflict with nothing after them
 * stay in place, so `a + b`, `p.x * p.y` or `f(x = n, y = 1)` get no
 * temporary.  The plan is one right-to-left pass (linear in the number of
 * operands); seq_fx walks an operand's subtree, so the cost of a
 * construct is the size of its operands (expressions nest at most 256
 * deep).
 */
#include "emit_int.h"

/* A built-in's effect summary comes from its catalogue row (builtins.h):
 * BR_PURE (an immutable value's query), BR_READS (reads a string, list or
 * channel, or the environment), else it acts or may panic. */
static unsigned builtin_fx(const BuiltinFn *bf) {
  if (!bf) return FX_EFF;
  if (bf->row->flags & BR_PURE) return 0;
  if (bf->row->flags & BR_READS) return FX_READ;
  return FX_EFF;
}

static unsigned call_fx(Node *n) {
  CallInfo *ci = n->sema;
  if (!ci) return FX_EFF;
  unsigned f = seq_fx(ci->recv);
  for (int i = 0; i < n->args.len; i++) f |= seq_fx(n->args.items[i].value);
  for (int i = 0; i < ci->nparams; i++)
    if (!ci->args[i] && ci->defaults && ci->defaults[i]) f |= seq_fx(ci->defaults[i]);
  switch (ci->kind) {
  case CALL_VARIANT: return f;
  case CALL_CTOR: return ci->fn ? f | FX_EFF : f;   /* the default init only allocates */
  case CALL_BUILTIN: case CALL_BMETHOD: return f | builtin_fx(ci->bf);
  default: return f | FX_EFF;
  }
}

/* Integer `/` and `%` panic on a zero divisor unless it is a constant. */
static bool may_panic_div(Node *n) {
  if ((n->op != OP_DIV && n->op != OP_REM) || !type_is_int(n->ty)) return false;
  Node *d = n->rhs;
  if (d && d->kind == N_UNARY && d->op == OP_NEG) d = d->lhs;
  return !(d && d->kind == N_INT && d->int_val != 0);
}

static void add_fx(Node *child, void *ctx) { *(unsigned *)ctx |= seq_fx(child); }

/* The union of the children's effects (the one walker, ast.c). */
static unsigned kids_fx(Node *n) {
  unsigned f = 0;
  ast_children(n, add_fx, &f);
  return f;
}

unsigned seq_fx(Node *n) {
  if (!n) return 0;
  switch (n->kind) {
  case N_INT: case N_FLOAT: case N_STRING: case N_BOOL: case N_PATH: return 0;
  case N_IDENT: return n->sym && n->sym->is_var ? FX_VAR : 0;
  case N_FIELD: return FX_READ | seq_fx(n->lhs);
  case N_INDEX: return FX_READ | seq_fx(n->lhs) | seq_fx(n->rhs);
  case N_CALL: return call_fx(n);
  case N_INTERP: {
    unsigned f = kids_fx(n);
    for (int i = 0; i < n->parts.len; i++) {
      Node *p = n->parts.items[i];
      if (p && type_is_class(p->ty)) f |= FX_EFF;   /* calls its to_string() */
    }
    return f;
  }
  case N_BINARY: return kids_fx(n) | (may_panic_div(n) ? FX_EFF : 0);
  case N_ASSIGN:
    if (n->lhs && n->lhs->kind == N_IDENT) return FX_ASSIGN | seq_fx(n->rhs);
    return FX_EFF | kids_fx(n);
  case N_TRY: case N_RETURN: case N_BREAK: case N_CONTINUE: case N_LOOP: case N_WHILE:
  case N_SPAWN: case N_RACE: case N_WITH_TIMEOUT: case N_SELECT: case N_CONCURRENT: case N_DEFER:
    return FX_EFF | kids_fx(n);
  default: return kids_fx(n);
  }
}

void seq_plan(const unsigned *fx, int n, bool *hoist) {
  unsigned later = 0;
  for (int i = n - 1; i >= 0; i--) {
    unsigned f = fx[i];
    bool conflict = ((f & FX_EFF) && (later & (FX_EFF | FX_READ))) || ((f & FX_READ) && (later & FX_EFF)) ||
                    ((f & FX_ASSIGN) && (later & (FX_VAR | FX_ASSIGN))) || ((f & FX_VAR) && (later & FX_ASSIGN));
    hoist[i] = hoist[i] || conflict;
    later |= f;
  }
}

/* Evaluate `code` (a C value of Plat type t) now, into a temporary
 * declared in *pre; returns what stands for the value afterwards.  A
 * value-less operand (Unit, or Never with no expected type) becomes a
 * statement. */
const char *seq_temp(Buf *pre, const char *code, Type *t) {
  if (t == ty_unit || t == ty_never) {
    buf_printf(pre, "(void)(%s); ", code);
    return t == ty_unit ? "((void)0)" : "0";
  }
  const char *tmp = new_tmp();
  bool known = t && t != ty_error && !type_is_param(ety(t));
  buf_printf(pre, "%s %s = %s; ", known ? ctype(t) : "__auto_type", tmp, code);
  return tmp;
}

/* Operand n as a value of type want (see val_str), hoisted or in place. */
const char *seq_operand(Buf *pre, Node *n, Type *want, bool hoist) {
  const char *code = val_str(n, want);
  if (!hoist) return code;
  Type *vt = n && n->ty && n->ty != ty_never ? n->ty : want;
  return seq_temp(pre, code, vt);
}

/* Operands ops[0..n) of one construct, as values of want[i] (or their own
 * type), in Plat order: code[i] gets each one's C code; the temporaries
 * that keep the order go to *pre (emit_seq.c). */
void seq_operands(Buf *pre, Node **ops, Type **want, int n, const char **code) {
  unsigned *fx = arena_alloc(sizeof(unsigned) * (size_t)(n + 1));
  bool *hoist = arena_alloc(sizeof(bool) * (size_t)(n + 1));
  for (int i = 0; i < n; i++) fx[i] = seq_fx(ops[i]);
  seq_plan(fx, n, hoist);
  for (int i = 0; i < n; i++) code[i] = seq_operand(pre, ops[i], want ? want[i] : ops[i] ? ops[i]->ty : NULL, hoist[i]);
}

const char *seq_wrap(Buf *pre, const char *core) {
  if (!pre->len) return core;
  const char *s = arena_printf("({ %.*s%s; })", (int)pre->len, pre->data, core);
  buf_free(pre);
  return s;
}
