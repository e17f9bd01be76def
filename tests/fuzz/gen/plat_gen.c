/* plat_gen.c -- generator of random well-typed Plat programs with their
 * expected output.
 *
 *   plat_gen SEED OUT.plat OUT.out
 *
 * Algorithm: expressions are built as typed trees (Ex) over the integer
 * types and Bool, with every operator's Plat semantics (two's-complement
 * wrapping, truncating division, int-to-int casts that wrap) mirrored by
 * eval().  Every variable a tree may name lives in the evaluation stack
 * `env` (name -> value), so the generator runs each statement template it
 * writes (loops, classes, channels, defer, ...) in C as it goes and appends
 * what the Plat program must print to the expected output.  run.sh then
 * compares the program's stdout with that file: a difference is a
 * miscompilation, not only a crash.
 *
 * Evaluation order: on most seeds (`tracing`) subexpressions are wrapped in
 * trace calls `q32(k = ID, v = e)` that print "qID" and return e, and
 * st_order puts traced operands in every other position (receivers,
 * arguments and omitted defaults, list elements, indexes, stores, field
 * reads and stores, variants, constructors, `?`, String operators), so the
 * expected output also pins the order of evaluation (LANGUAGE.md: left to
 * right).  eval() evaluates in Plat's order and appends each trace line
 * when it evaluates the call.  Traces are only generated where the program
 * evaluates an expression exactly when and as often as eval() does: not in
 * task bodies that run concurrently (E_CONC, race, st_chan, st_fanout;
 * `no_trace`), which also only call functions without traces.
 *
 * Invariants: a tree of type T only names variables of type T that are in
 * scope (`scope`) where it is printed; divisions are guarded against a zero
 * divisor (so any panic, exit 101, is a bug); an unsuffixed literal is only
 * written where its type is fixed by context (ctx != 0), elsewhere it gets
 * its suffix unless it is an Int32; channel templates send exactly as many
 * values as they receive (or close), so nothing can deadlock.
 * Global state: the arrays below are owned by this single-threaded program.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum { I8, I16, I32, I64, BOOL, NTY } Ty;
static const char *TN[] = {"Int8", "Int16", "Int32", "Int64", "Bool"};
static const char *SUF[] = {"i8", "i16", "i32", "i64", ""};

/* ---- output buffers ---------------------------------------------------- */
typedef struct { char *p; size_t n, cap; } Buf;
static Buf decls, body, expect;     /* top-level decls, main's body, stdout */
static void bputv(Buf *b, const char *f, va_list ap) {
  va_list c; va_copy(c, ap);
  int k = vsnprintf(NULL, 0, f, c); va_end(c);
  if (b->n + (size_t)k + 1 > b->cap) {
    b->cap = (b->n + (size_t)k + 1) * 2; b->p = realloc(b->p, b->cap);
    if (!b->p) abort();
  }
  vsnprintf(b->p + b->n, (size_t)k + 1, f, ap); b->n += (size_t)k;
}
static void bput(Buf *b, const char *f, ...) { va_list ap; va_start(ap, f); bputv(b, f, ap); va_end(ap); }
static void out(const char *f, ...) { va_list ap; va_start(ap, f); bputv(&body, f, ap); va_end(ap); }
static void want(const char *f, ...) { va_list ap; va_start(ap, f); bputv(&expect, f, ap); va_end(ap); }

/* ---- random numbers (xorshift64*, reproducible per seed) -------------- */
static uint64_t rs;
static uint64_t rnd(void) { rs ^= rs >> 12; rs ^= rs << 25; rs ^= rs >> 27; return rs * 2685821657736338717ull; }
static int rn(int n) { return (int)(rnd() % (uint64_t)n); }
static int chance(int pct) { return rn(100) < pct; }

/* ---- values: wrapped to their type ------------------------------------ */
static int64_t wrap(Ty t, uint64_t v) {
  switch (t) {
  case I8: return (int8_t)(uint8_t)v;
  case I16: return (int16_t)(uint16_t)v;
  case I32: return (int32_t)(uint32_t)v;
  case I64: return (int64_t)v;
  default: return v != 0;
  }
}
static int64_t maxof(Ty t) {
  return t == I8 ? 127 : t == I16 ? 32767 : t == I32 ? 2147483647 : t == I64 ? INT64_MAX : 1;
}
static int64_t rlit(Ty t) {
  if (t == BOOL) return rn(2);
  int64_t m = maxof(t);
  switch (rn(6)) {
  case 0: return rn(3);
  case 1: return m - rn(3);
  case 2: return rn(100) % (m + 1);
  case 3: return (int64_t)(rnd() % (uint64_t)m);
  default: return rn(20);
  }
}
static const char *vstr(Ty t, int64_t v) {
  static char s[8][32]; static int i;
  i = (i + 1) % 8;
  if (t == BOOL) return v ? "true" : "false";
  snprintf(s[i], 32, "%lld", (long long)v); return s[i];
}

/* ---- variables: scope (names visible) and env (values) ---------------- */
typedef struct { char name[24]; Ty t; int64_t v; } Var;
static Var env[512]; static int nenv;      /* evaluation stack */
static Var scope[512]; static int nscope;  /* names visible where we print */
static int uid = 1;                        /* fresh name counter (0: "no trace") */
static void push_env(const char *n, int64_t v) { snprintf(env[nenv].name, 24, "%s", n); env[nenv++].v = v; }
static int64_t lookup(const char *n) {
  for (int i = nenv - 1; i >= 0; i--) if (!strcmp(env[i].name, n)) return env[i].v;
  fprintf(stderr, "plat_gen: unbound %s\n", n); abort();
}
static void push_scope(const char *n, Ty t) { snprintf(scope[nscope].name, 24, "%s", n); scope[nscope++].t = t; }

/* ---- expression trees -------------------------------------------------- */
enum { E_LIT, E_VAR, E_BIN, E_NEG, E_NOT, E_CMP, E_LOGIC, E_CAST, E_IF, E_BLOCK,
       E_DIV, E_CALL, E_MATCH, E_CONC, E_REC, E_RACE, E_TIMEOUT, E_TRACE, E_DIVN };
static const char *QN[] = {"q8", "q16", "q32", "q64", "qb"};   /* trace calls */
static const char *NZ[] = {"nz8", "nz16", "nz32", "nz64"};      /* v, or 1 if 0 */
typedef struct Ex Ex;
struct Ex {
  int k, op, suffix, fn, nargs;
  Ty t;
  int64_t v;
  char name[24];
  Ex *a, *b, *c;
  Ex *args[4]; int order[4]; int given[4];
};

/* Functions f<i>: params p0.., body is one expression over them. */
typedef struct { int np; Ty pt[4]; int hasdef[4]; int64_t def[4]; int defq[4]; Ty rt; Ex *body; int rec; Ex *ec, *ea, *eb;
                 int traced; } Fn;  /* ec: early-return form; defq: trace id of a default, 0 if none */
static Fn fns[16]; static int nfns, callable;   /* f0..f<callable-1> usable */
static int no_conc;                            /* depth guard for concurrent */
static int tracing, no_trace, cur_traced;      /* traces on this seed / forbidden here / made */

static Ex *node(int k, Ty t) { Ex *e = calloc(1, sizeof *e); if (!e) abort(); e->k = k; e->t = t; return e; }
static Ex *gen(Ty t, int d, int ctx);

static Ex *leaf(Ty t, int ctx) {
  int cand[512], nc = 0;
  for (int i = 0; i < nscope; i++) if (scope[i].t == t) cand[nc++] = i;
  if (nc && chance(55)) {
    Ex *e = node(E_VAR, t); snprintf(e->name, 24, "%s", scope[cand[rn(nc)]].name); return e;
  }
  if (t != BOOL && chance(15)) {      /* MIN = -MAX - 1, or -1: edge cases */
    Ex *n = node(E_NEG, t), *m = node(E_LIT, t), *one = node(E_LIT, t);
    m->v = chance(50) ? maxof(t) : 1; m->suffix = !ctx && t != I32; n->a = m;
    if (m->v == 1) return n;
    Ex *e = node(E_BIN, t); e->op = '-'; e->a = n; one->v = 1; one->suffix = 0; e->b = one; return e;
  }
  Ex *e = node(E_LIT, t); e->v = rlit(t);
  e->suffix = t != BOOL && (!ctx ? t != I32 : chance(30));
  return e;
}
static Ty rint_ty(void) { return (Ty)rn(4); }

static Ex *gen_int(Ty t, int d, int ctx) {
  Ex *e;
  switch (rn(13)) {
  case 0: case 1: case 2:
    e = node(E_BIN, t); e->op = "+-*"[rn(3)];
    e->a = gen(t, d - 1, ctx); e->b = gen(t, d - 1, 1); return e;
  case 3: e = node(E_NEG, t); e->a = gen(t, d - 1, ctx); return e;
  case 4: e = node(chance(50) ? E_DIV : E_DIVN, t); e->op = chance(50) ? '/' : '%'; snprintf(e->name, 24, "d%d", uid++);
    /* E_DIV binds its operands with typed lets; E_DIVN's left operand has the context of the whole */
    e->a = gen(t, d - 1, e->k == E_DIV ? 1 : ctx); e->b = gen(t, d - 1, 1); return e;
  case 5: e = node(E_CAST, t); e->a = gen(rint_ty(), d - 1, 0); return e;
  case 6: e = node(E_IF, t); e->c = gen(BOOL, d - 1, 0);
    e->a = gen(t, d - 1, ctx); e->b = gen(t, d - 1, ctx); return e;
  case 7: e = node(E_BLOCK, t); { Ty s = chance(50) ? t : (Ty)rn(5);
    e->a = gen(s, d - 1, 1); snprintf(e->name, 24, "b%d", uid++); e->op = s;
    push_scope(e->name, s); e->b = gen(t, d - 1, ctx); nscope--; } return e;
  case 8: e = node(E_MATCH, t); e->c = gen(BOOL, d - 1, 0); e->a = gen(t, d - 1, 1);
    snprintf(e->name, 24, "m%d", uid++); e->op = rn(3);
    push_scope(e->name, t); e->b = gen(t, d - 1, ctx); nscope--;
    e->v = 0; e->args[0] = gen(t, d - 1, ctx); return e;
  case 9: if (no_conc < 2) { e = node(E_CONC, t); e->op = "+-*"[rn(3)];
      snprintf(e->name, 24, "t%d", uid++); no_conc++; no_trace++;
      /* race / with_timeout bodies get no expected type from outside
       * (checker limitation, reported): their literals carry suffixes */
      if (chance(40)) { e->k = chance(50) ? E_RACE : E_TIMEOUT; e->a = gen(t, d - 1, 0); }
      else { e->a = gen(t, d - 1, 1); e->b = gen(t, d - 1, 1); }
      no_conc--; no_trace--; return e; }
    /* fall through */
  default: {
    int cand[16], nc = 0;
    for (int i = 0; i < callable; i++) if (fns[i].rt == t && (!no_trace || !fns[i].traced)) cand[nc++] = i;
    if (!nc || d < 1) { e = node(E_BIN, t); e->op = "+-*"[rn(3)];
      e->a = gen(t, d - 1, ctx); e->b = gen(t, d - 1, 1); return e; }
    Fn *f = &fns[cand[rn(nc)]];
    cur_traced |= f->traced;
    e = node(f->rec ? E_REC : E_CALL, t); e->fn = (int)(f - fns); e->nargs = f->np;
    for (int i = 0; i < f->np; i++) {
      e->given[i] = !f->hasdef[i] || chance(50);
      if (f->rec && i == 0) { e->args[i] = node(E_LIT, I32); e->args[i]->v = rn(f->rec); }
      else e->args[i] = gen(f->pt[i], d - 1, 1);
      e->order[i] = i;
    }
    for (int i = f->np - 1; i > 0; i--) { int j = rn(i + 1), x = e->order[i]; e->order[i] = e->order[j]; e->order[j] = x; }
    return e; }
  }
}
static Ex *gen_bool(int d) {
  Ex *e;
  switch (rn(7)) {
  case 0: case 1: e = node(E_CMP, BOOL); e->op = rn(6); { Ty s = rint_ty();
    e->a = gen(s, d - 1, 0); e->b = gen(s, d - 1, 1); } return e;
  case 2: case 3: e = node(E_LOGIC, BOOL); e->op = rn(2);
    e->a = gen(BOOL, d - 1, 0); e->b = gen(BOOL, d - 1, 0); return e;
  case 4: e = node(E_NOT, BOOL); e->a = gen(BOOL, d - 1, 0); return e;
  case 5: e = node(E_IF, BOOL); e->c = gen(BOOL, d - 1, 0);
    e->a = gen(BOOL, d - 1, 1); e->b = gen(BOOL, d - 1, 1); return e;
  default: e = node(E_CMP, BOOL); e->op = rn(2); e->a = gen(BOOL, d - 1, 0); e->b = gen(BOOL, d - 1, 0); return e;
  }
}
/* e wrapped in a trace call. */
static Ex *traced(Ex *e) { Ex *w = node(E_TRACE, e->t); w->a = e; w->v = uid++; cur_traced = 1; return w; }
static Ex *gen(Ty t, int d, int ctx) {
  Ex *e = d <= 0 || chance(20) ? leaf(t, ctx) : t == BOOL ? gen_bool(d) : gen_int(t, d, ctx);
  return tracing && !no_trace && chance(12) ? traced(e) : e;
}
/* An operand for st_order: traced at the top when traces are allowed
 * (ctx as for gen: 0 where no expected type fixes a literal's type). */
static Ex *gqc(Ty t, int d, int ctx) { Ex *e = gen(t, d, ctx); return tracing && !no_trace && e->k != E_TRACE ? traced(e) : e; }
static Ex *gq(Ty t, int d) { return gqc(t, d, 1); }

/* ---- evaluation (Plat semantics) ---------------------------------------- */
static int64_t call_fn(Fn *f, int64_t *av);
static int64_t eval(Ex *e) {
  Ty t = e->t;
  switch (e->k) {
  case E_LIT: return e->v;
  case E_VAR: return lookup(e->name);
  case E_BIN: case E_CONC: {
    uint64_t a = (uint64_t)eval(e->a), b = (uint64_t)eval(e->b);
    return wrap(t, e->op == '+' ? a + b : e->op == '-' ? a - b : a * b); }
  case E_NEG: return wrap(t, 0 - (uint64_t)eval(e->a));
  case E_RACE: case E_TIMEOUT: return eval(e->a);   /* both race arms agree */
  case E_NOT: return !eval(e->a);
  case E_CMP: { int64_t a = eval(e->a), b = eval(e->b);
    switch (e->op) { case 0: return a == b; case 1: return a != b; case 2: return a < b;
    case 3: return a <= b; case 4: return a > b; default: return a >= b; } }
  case E_LOGIC: { int64_t a = eval(e->a);
    if (e->op == 0) return a ? eval(e->b) : 0;
    return a ? 1 : eval(e->b); }
  case E_CAST: return wrap(t, (uint64_t)eval(e->a));
  case E_IF: return eval(e->c) ? eval(e->a) : eval(e->b);
  case E_BLOCK: { push_env(e->name, eval(e->a)); int64_t r = eval(e->b); nenv--; return r; }
  case E_MATCH: { int some = (int)eval(e->c);
    if (!some) return eval(e->args[0]);
    push_env(e->name, eval(e->a)); int64_t r = eval(e->b); nenv--; return r; }
  case E_TRACE: { int64_t v = eval(e->a); want("q%lld\n", (long long)e->v); return v; }
  case E_DIV: case E_DIVN: { int64_t a = eval(e->a), b = eval(e->b);
    if (b == 0 && e->k == E_DIVN) b = 1;
    if (b == 0) return a;
    if (b == -1) return e->op == '/' ? wrap(t, 0 - (uint64_t)a) : 0;
    return e->op == '/' ? a / b : a % b; }
  case E_CALL: case E_REC: { int64_t av[4]; Fn *f = &fns[e->fn];
    for (int j = 0; j < e->nargs; j++) { int i = e->order[j]; if (e->given[i]) av[i] = eval(e->args[i]); }
    for (int i = 0; i < e->nargs; i++)   /* then the omitted defaults, in parameter order */
      if (!e->given[i]) { if (f->defq[i]) want("q%d\n", f->defq[i]); av[i] = f->def[i]; }
    return call_fn(f, av); }
  }
  abort();
}
static int64_t call_fn(Fn *f, int64_t *av) {
  int save = nenv; int64_t r;
  if (f->rec) {                       /* r(n, acc): n steps of acc = body */
    push_env("n", 0); push_env("acc", av[1]);
    for (int64_t n = av[0]; n > 0; n--) { env[save].v = n; env[save + 1].v = eval(f->body); }
    r = env[save + 1].v;
  } else {
    for (int i = 0; i < f->np; i++) { char n[16]; snprintf(n, sizeof n, "p%d", i); push_env(n, av[i]); }
    if (!f->ec) r = eval(f->body);
    else if (eval(f->ec)) r = eval(f->ea);
    else { push_env("x", eval(f->eb)); r = eval(f->body); }
  }
  nenv = save; return r;
}

/* ---- printing as Plat --------------------------------------------------- */
static void lit(Buf *b, Ty t, int64_t v, int suffix) {
  if (t == BOOL) bput(b, "%s", v ? "true" : "false");
  else bput(b, "%lld%s", (long long)v, suffix ? SUF[t] : "");
}
static void emit(Buf *o, Ex *e) {
  static const char *cmp[] = {"==", "!=", "<", "<=", ">", ">="};
  switch (e->k) {
  case E_LIT: lit(o, e->t, e->v, e->suffix); break;
  case E_VAR: bput(o, "%s", e->name); break;
  case E_BIN: bput(o, "("); emit(o, e->a); bput(o, " %c ", e->op); emit(o, e->b); bput(o, ")"); break;
  case E_NEG: bput(o, "-("); emit(o, e->a); bput(o, ")"); break;
  case E_NOT: bput(o, "(not "); emit(o, e->a); bput(o, ")"); break;
  case E_CMP: bput(o, "("); emit(o, e->a); bput(o, " %s ", cmp[e->op]); emit(o, e->b); bput(o, ")"); break;
  case E_LOGIC: bput(o, "("); emit(o, e->a); bput(o, e->op ? " or " : " and "); emit(o, e->b); bput(o, ")"); break;
  case E_CAST: bput(o, "cast(value = "); emit(o, e->a); bput(o, ", target = %s)", TN[e->t]); break;
  case E_IF: bput(o, "(if ("); emit(o, e->c); bput(o, ") { "); emit(o, e->a);
    bput(o, " } else { "); emit(o, e->b); bput(o, " })"); break;
  case E_BLOCK: bput(o, "{ let %s: %s = ", e->name, TN[e->op]); emit(o, e->a);
    bput(o, "; "); emit(o, e->b); bput(o, " }"); break;
  case E_MATCH: {
    const char *T = TN[e->t];
    bput(o, "{ let o%s: Option<%s> = if (", e->name, T); emit(o, e->c);
    bput(o, ") { Option::Some("); emit(o, e->a); bput(o, ") } else { Option::None }; match o%s { ", e->name);
    if (e->op == 0) { bput(o, "Option::Some(%s: %s) -> ", e->name, T); emit(o, e->b);
      bput(o, ", Option::None -> "); emit(o, e->args[0]); }
    else if (e->op == 1) { bput(o, "Option::None -> { "); emit(o, e->args[0]);
      bput(o, " }, Option::Some(%s: %s) -> { ", e->name, T); emit(o, e->b); bput(o, " }"); }
    else { bput(o, "Option::Some(%s: %s) -> ", e->name, T); emit(o, e->b);
      bput(o, ", _ -> "); emit(o, e->args[0]); }
    bput(o, " } }"); break; }
  case E_DIV: bput(o, "{ let a%s: %s = ", e->name, TN[e->t]); emit(o, e->a);
    bput(o, "; let %s: %s = ", e->name, TN[e->t]); emit(o, e->b);
    bput(o, "; if (%s == 0) { a%s } else { (a%s %c %s) } }", e->name, e->name, e->name, e->op, e->name); break;
  case E_CONC: bput(o, "(concurrent { let %s: Task<%s> = spawn { ", e->name, TN[e->t]); emit(o, e->a);
    bput(o, " }; let u%s: Task<%s> = spawn { return ", e->name, TN[e->t]); emit(o, e->b);
    bput(o, "; }; (%s.await() %c u%s.await()) })", e->name, e->op, e->name); break;
  case E_RACE: bput(o, "(race { spawn { "); emit(o, e->a); bput(o, " }, spawn { return "); emit(o, e->a);
    bput(o, "; } })"); break;
  case E_TIMEOUT: bput(o, "(with_timeout(ms = 600000) { "); emit(o, e->a); bput(o, " }.unwrap())"); break;
  case E_TRACE: bput(o, "%s(k = %lld, v = ", QN[e->t], (long long)e->v); emit(o, e->a); bput(o, ")"); break;
  case E_DIVN: bput(o, "("); emit(o, e->a); bput(o, " %c %s(v = ", e->op, NZ[e->t]); emit(o, e->b); bput(o, "))"); break;
  case E_CALL: case E_REC: {
    Fn *f = &fns[e->fn]; int first = 1;
    bput(o, "%s%d(", f->rec ? "r" : "f", e->fn);
    for (int j = 0; j < e->nargs; j++) { int i = e->order[j]; if (!e->given[i]) continue;
      if (f->rec) bput(o, "%s%s = ", first ? "" : ", ", i == 0 ? "n" : "acc");
      else bput(o, "%sp%d = ", first ? "" : ", ", i);
      emit(o, e->args[i]); first = 0; }
    bput(o, ")"); break; }
  }
}

/* ---- top-level functions ------------------------------------------------ */
static void gen_fns(void) {
  nfns = 2 + rn(6);
  for (int k = 0; k < nfns; k++) {
    Fn *f = &fns[k]; Buf *o = &decls;
    f->rt = rn(6) == 0 ? BOOL : rint_ty();
    nscope = 0; callable = k;
    cur_traced = 0;
    if (chance(20)) {                     /* r<k>(n, acc): bounded recursion, no traces */
      f->rec = 1 + rn(chance(20) ? 2000 : 40); f->np = 2; f->pt[0] = I32; f->pt[1] = f->rt;
      push_scope("n", I32); push_scope("acc", f->rt); callable = 0;
      no_trace++; f->body = gen(f->rt, 3, 1); no_trace--;
      bput(o, "fn r%d(n: Int32, acc: %s) -> %s {\n  if (n <= 0) { return acc; }\n"
              "  return r%d(n = n - 1, acc = ", k, TN[f->rt], TN[f->rt], k);
      emit(o, f->body); bput(o, ");\n}\n\n");
      continue;
    }
    f->np = 1 + rn(3);
    bput(o, "fn f%d(", k);
    for (int i = 0; i < f->np; i++) {
      char n[16]; snprintf(n, sizeof n, "p%d", i);
      f->pt[i] = rn(5) == 0 ? BOOL : rint_ty(); push_scope(n, f->pt[i]);
      f->hasdef[i] = i > 0 && chance(50);
      bput(o, "%sp%d: %s", i ? ", " : "", i, TN[f->pt[i]]);
      if (f->hasdef[i]) {
        f->def[i] = rlit(f->pt[i]); bput(o, " = ");
        if (tracing && chance(50)) { f->defq[i] = uid++; cur_traced = 1; bput(o, "%s(k = %d, v = ", QN[f->pt[i]], f->defq[i]); }
        lit(o, f->pt[i], f->def[i], chance(30));
        if (f->defq[i]) bput(o, ")");
      }
    }
    bput(o, ") -> %s {\n", TN[f->rt]);
    if (chance(30)) {   /* let x = if (c) { return a; } else { b }; return body(x) */
      f->ec = gen(BOOL, 2, 0); f->ea = gen(f->rt, 2, 1); f->eb = gen(f->rt, 2, 1);
      bput(o, "  let x: %s = if (", TN[f->rt]); emit(o, f->ec); bput(o, ") { return ");
      emit(o, f->ea); bput(o, "; } else { "); emit(o, f->eb); bput(o, " };\n");
      push_scope("x", f->rt);
    }
    f->body = gen(f->rt, 3, 1);
    bput(o, "  return "); emit(o, f->body); bput(o, ";\n}\n\n");
    f->traced = cur_traced;
  }
  callable = nfns; nscope = 0;
}

/* ---- statement templates of main (each runs itself in C too) ------------ */
static int D = 4;                          /* expression depth */
static const char *fresh(const char *p) { static char s[8][24]; static int i; i = (i + 1) % 8; snprintf(s[i], 24, "%s%d", p, uid++); return s[i]; }
static void emitln(Ex *e) { Buf b = {0}; emit(&b, e); out("%s", b.p); free(b.p); }

static void st_let(void) {
  Ty t = (Ty)rn(5); const char *n = fresh("v");
  Ex *e = gen(t, D, 1); int64_t v = eval(e);
  out("  let %s: %s = ", n, TN[t]); emitln(e); out(";\n  print(value = %s);\n", n);
  want("%s\n", vstr(t, v)); push_scope(n, t); push_env(n, v);
}
static void st_interp(void) {
  Ty a = (Ty)rn(5), b = (Ty)rn(5), c = (Ty)rn(5);
  Ex *x = gen(a, D - 1, 0), *y = gen(b, D - 1, 0), *z = gen(c, D - 1, 0);
  out("  print(value = \"<${"); emitln(x); out("}|${"); emitln(y); out("}|${"); emitln(z); out("}>\" + \"!\");\n");
  int64_t vx = eval(x), vy = eval(y), vz = eval(z);   /* segments in order, then the print */
  want("<%s|%s|%s>!\n", vstr(a, vx), vstr(b, vy), vstr(c, vz));
}
/* var acc; loop over i with continue at c1 and break at c2. */
static void st_loop(void) {
  Ty t = rint_ty(); const char *acc = fresh("acc"), *i = fresh("i");
  int kind = rn(3), lo = rn(5), hi = lo + rn(12), c1 = rn(15), c2 = rn(20), incl = chance(50);
  int64_t a0 = rlit(t);
  out("  var %s: %s = ", acc, TN[t]); lit(&body, t, a0, 0); out(";\n");
  push_scope(acc, t); push_scope(i, I32);
  Ex *e = gen(t, D - 1, 1);
  nscope -= 2;
  if (kind == 0) out("  for (%s: Int32 in %d..%s%d) {\n", i, lo, incl ? "=" : "", hi);
  else if (kind == 1) out("  var %s: Int32 = %d;\n  while (%s < %d) {\n    %s = %s + 1;\n", i, lo - 1, i, hi + incl - 1, i, i);
  else out("  var %s: Int32 = %d;\n  loop {\n    %s = %s + 1;\n    if (%s >= %d) { break; }\n", i, lo - 1, i, i, i, hi + incl);
  out("    if (%s == %d) { continue; }\n    %s = ", i, c1, acc); emitln(e);
  out(";\n    if (%s == %d) { break; }\n  }\n  print(value = %s);\n", i, c2, acc);
  push_env(acc, a0); push_env(i, 0);
  for (int k = lo; k < hi + incl; k++) {
    env[nenv - 1].v = k;
    if (k == c1) continue;
    env[nenv - 2].v = eval(e);
    if (k == c2) break;
  }
  int64_t r = env[nenv - 2].v; nenv -= 2;
  want("%s\n", vstr(t, r));
}
/* A list: literal, for-in, push, get, pop, contains, set, length. */
static void st_list(void) {
  Ty t = rint_ty(); const char *l = fresh("l"), *acc = fresh("s"), *x = fresh("x");
  int n = rn(6); int64_t v[16]; int len = n;
  out("  var %s: List<%s> = [", l, TN[t]);
  for (int k = 0; k < n; k++) { v[k] = rlit(t); out("%s", k ? ", " : ""); lit(&body, t, v[k], chance(20)); }
  out("];\n");
  int64_t p = rlit(t); v[len++] = p;
  out("  %s.push(value = ", l); lit(&body, t, p, 0); out(");\n");
  out("  var %s: %s = 0;\n  for (%s: %s in %s) { %s = ", acc, TN[t], x, TN[t], l, acc);
  push_scope(acc, t); push_scope(x, t); Ex *e = gen(t, D - 2, 1); nscope -= 2;
  emitln(e); out("; }\n  print(value = %s);\n", acc);
  push_env(acc, 0); push_env(x, 0);
  for (int k = 0; k < len; k++) { env[nenv - 1].v = v[k]; env[nenv - 2].v = eval(e); }
  want("%s\n", vstr(t, env[nenv - 2].v)); nenv -= 2;
  int gi = rn(8); int64_t d = rlit(t);
  out("  print(value = %s.get(index = %d).unwrap_or(default = ", l, gi); lit(&body, t, d, 0); out("));\n");
  want("%s\n", vstr(t, gi < len ? v[gi] : d));
  int si = rn(8); int64_t sv = rlit(t);
  out("  print(value = %s.set(index = %d, value = ", l, si); lit(&body, t, sv, 0); out("));\n");
  want("%s\n", si < len ? "true" : "false"); if (si < len) v[si] = sv;
  out("  print(value = %s.contains(value = ", l); lit(&body, t, sv, 0); out("));\n");
  { int c = 0; for (int k = 0; k < len; k++) c |= v[k] == sv; want("%s\n", c ? "true" : "false"); }
  out("  print(value = %s.pop().unwrap_or(default = 7));\n", l); want("%s\n", vstr(t, v[--len]));
  out("  print(value = \"len ${%s.length()} ${%s[0].is_some()}\");\n", l, l);
  want("len %d %s\n", len, len ? "true" : "false");
}
/* A class with a let field, a var field, a method with a default arg. */
static void st_class(void) {
  Ty t = rint_ty(); int c = uid++;
  int64_t k0 = rlit(t), a0 = rlit(t), dx = rlit(t);
  static Var saved[512]; int sn = nscope;
  memcpy(saved, scope, sizeof(Var) * (size_t)sn); nscope = 0;
  push_scope("self.acc", t); push_scope("self.k", t); push_scope("x", t);
  Ex *e = gen(t, 3, 1);
  memcpy(scope, saved, sizeof(Var) * (size_t)sn); nscope = sn;
  bput(&decls, "class K%d {\n  pub var acc: %s;\n  let k: %s;\n  pub fn step(x: %s = ", c, TN[t], TN[t], TN[t]);
  lit(&decls, t, dx, 0); bput(&decls, ") { self.acc = "); emit(&decls, e);
  bput(&decls, "; }\n  pub fn get() -> %s { return self.acc; }\n}\n\n", TN[t]);
  const char *o = fresh("obj");
  if (chance(50)) { out("  let %s: K%d = K%d.init(k = ", o, c, c); lit(&body, t, k0, 0); out(", acc = "); lit(&body, t, a0, 0); }
  else { out("  let %s: K%d = K%d.init(acc = ", o, c, c); lit(&body, t, a0, 0); out(", k = "); lit(&body, t, k0, 0); }
  out(");\n");
  push_env("self.acc", a0); push_env("self.k", k0); push_env("x", 0);
  for (int s = rn(5); s > 0; s--) {
    int64_t x = dx;
    if (chance(50)) { x = rlit(t); out("  %s.step(x = ", o); lit(&body, t, x, 0); out(");\n"); }
    else out("  %s.step();\n", o);
    env[nenv - 1].v = x; env[nenv - 3].v = eval(e);
  }
  out("  print(value = \"${%s.get()} ${%s.acc}\");\n", o, o);
  want("%s %s\n", vstr(t, env[nenv - 3].v), vstr(t, env[nenv - 3].v)); nenv -= 3;
}
/* A recursive enum summed by a recursive function; a plain enum matched. */
static void st_enum(void) {
  Ty t = rint_ty(); int c = uid++; int n = rn(8); int64_t s = 0;
  bput(&decls, "enum Li%d { Nil, Cons(head: %s, tail: Li%d) }\n", c, TN[t], c);
  bput(&decls, "enum Sh%d { One(%s), Two(a: %s, b: %s), Zero }\n", c, TN[t], TN[t], TN[t]);
  bput(&decls, "fn sum%d(l: Li%d) -> %s {\n  return match l {\n    Li%d::Nil -> 0,\n"
               "    Li%d::Cons(head: %s, tail: Li%d) -> head + sum%d(l = tail)\n  };\n}\n\n",
       c, c, TN[t], c, c, TN[t], c, c);
  out("  print(value = sum%d(l = ", c);
  for (int k = 0; k < n; k++) { int64_t v = rlit(t); s = wrap(t, (uint64_t)s + (uint64_t)v);
    out("Li%d::Cons(head = ", c); lit(&body, t, v, chance(20)); out(", tail = "); }
  out("Li%d::Nil", c); for (int k = 0; k < n; k++) out(")"); out("));\n");
  want("%s\n", vstr(t, s));
  int64_t a = rlit(t), b = rlit(t); int w = rn(3); const char *sh = fresh("sh");
  out("  let %s: Sh%d = ", sh, c);
  if (w == 0) { out("Sh%d::One(field0 = ", c); lit(&body, t, a, 0); out(");\n"); }
  else if (w == 1) { out("Sh%d::Two(b = ", c); lit(&body, t, b, 0); out(", a = "); lit(&body, t, a, 0); out(");\n"); }
  else out("Sh%d::Zero;\n", c);
  out("  let r%s: %s = match %s {\n    Sh%d::One(q: %s) -> q,\n", sh, TN[t], sh, c, TN[t]);
  if (chance(50)) { out("    Sh%d::Two(a: %s, b: %s) -> a - b,\n    _ -> 0\n  };\n", c, TN[t], TN[t]); }
  else out("    Sh%d::Zero -> 0,\n    Sh%d::Two(a: %s, b: %s) -> a - b\n  };\n", c, c, TN[t], TN[t]);
  out("  print(value = r%s);\n", sh);
  want("%s\n", vstr(t, w == 0 ? a : w == 1 ? wrap(t, (uint64_t)a - (uint64_t)b) : 0));
}
/* `?` on Result and Option in functions that return them. */
static void st_try(void) {
  Ty t = rint_ty(); int c = uid++;
  bput(&decls, "fn dv%d(a: %s, b: %s) -> Result<%s, String> {\n  if (b == 0) { return Result::Err(\"zero\"); }\n"
               "  return Result::Ok(a %% b);\n}\n", c, TN[t], TN[t], TN[t]);
  bput(&decls, "fn tr%d(a: %s, b: %s) -> Result<%s, String> {\n  let q: %s = dv%d(b = b, a = a)?;\n  return Result::Ok(q + 1);\n}\n",
       c, TN[t], TN[t], TN[t], TN[t], c);
  bput(&decls, "fn op%d(a: %s) -> Option<%s> {\n  if (a > 5) { return Option::Some(a - 5); }\n  return Option::None;\n}\n", c, TN[t], TN[t]);
  bput(&decls, "fn oq%d(a: %s) -> Option<%s> {\n  let r: %s = op%d(a = a)?;\n  return Option::Some(r * 2);\n}\n\n", c, TN[t], TN[t], TN[t], c);
  for (int k = 0; k < 2; k++) {
    int64_t a = rlit(t), b = chance(40) ? 0 : rlit(t);
    out("  print(value = match tr%d(a = %s, b = %s) { Result::Ok(v: %s) -> \"ok ${v}\", Result::Err(e: String) -> e });\n",
        c, vstr(t, a), vstr(t, b), TN[t]);
    if (b == 0) want("zero\n");
    else want("ok %s\n", vstr(t, wrap(t, (uint64_t)(b == -1 ? 0 : a % b) + 1)));
    out("  print(value = oq%d(a = %s).unwrap_or(default = 0));\n", c, vstr(t, a));
    want("%s\n", vstr(t, a > 5 ? wrap(t, (uint64_t)(a - 5) * 2) : 0));
  }
}
/* Producers send known values over a channel; one consumer sums them.
 * Capacity 0 (rendezvous), bounded, or unbounded; closed or counted. */
static void st_chan(void) {
  Ty t = rint_ty(); const char *ch = fresh("ch"), *s = fresh("sum"), *i = fresh("i");
  int np = 1 + rn(3), k = rn(6), cap = rn(4), close = np == 1 && chance(50);
  out("  let %s: Channel<%s> = ", ch, TN[t]);
  if (cap == 3) out("Channel.unbounded();\n"); else out("Channel.init(capacity = %d);\n", cap);
  out("  var %s: %s = 0;\n  concurrent {\n", s, TN[t]);
  push_scope(i, I32); no_trace++; Ex *e = gen(t, 2, 1); no_trace--; nscope--;
  int64_t sum = 0;
  push_env(i, 0);
  for (int p = 0; p < np; p++) {
    out("    spawn {\n      for (%s: Int32 in 0..%d) { %s.send(value = ", i, k, ch); emitln(e);
    out("); }\n");
    if (close) out("      %s.close();\n", ch);
    out("    };\n");
    for (int j = 0; j < k; j++) { env[nenv - 1].v = j; sum = wrap(t, (uint64_t)sum + (uint64_t)eval(e)); }
  }
  nenv--;
  if (close)
    out("    loop { match %s.recv() { Option::Some(x: %s) -> { %s = %s + x; }, Option::None -> break } }\n",
        ch, TN[t], s, s);
  else
    out("    for (j: Int32 in 0..%d) { %s = %s + %s.recv().unwrap(); }\n", np * k, s, s, ch);
  out("  }\n  print(value = %s);\n", s);
  want("%s\n", vstr(t, sum));
}
/* select with default: a ready buffered channel picks the recv arm, an
 * empty one picks default. */
static void st_select(void) {
  const char *ch = fresh("sc"); int ready = chance(50); int64_t v = rlit(I64);
  out("  let %s: Channel<Int64> = Channel.init(capacity = 2);\n", ch);
  if (ready) out("  %s.send(value = %s);\n", ch, vstr(I64, v));
  out("  select {\n    x: Option<Int64> = %s.recv() -> { print(value = x.unwrap_or(default = -1)); },\n"
      "    default -> { print(value = \"none\"); }\n  }\n", ch);
  if (ready) want("%s\n", vstr(I64, v)); else want("none\n");
}
/* defer: runs at block exit, in reverse order, also on break. */
static void st_defer(void) {
  const char *i = fresh("i"); int n = 1 + rn(4), br = rn(5);
  out("  for (%s: Int32 in 0..%d) {\n    defer { print(value = \"d${%s}\"); }\n", i, n, i);
  out("    defer { print(value = \"e${%s}\"); }\n", i);
  out("    if (%s == %d) { break; }\n    print(value = \"b${%s}\");\n  }\n", i, br, i);
  for (int k = 0; k < n; k++) {
    if (k == br) { want("e%d\nd%d\n", k, k); break; }
    want("b%d\ne%d\nd%d\n", k, k, k);
  }
}
/* Fan-out: one task per loop iteration capturing the loop variable. */
static void st_fanout(void) {
  Ty t = rint_ty(); const char *i = fresh("i"), *ts = fresh("ts"), *s = fresh("fs");
  int n = rn(8);
  push_scope(i, I32); no_trace++; Ex *e = gen(t, D - 1, 1); no_trace--; nscope--;
  out("  let %s: %s = concurrent {\n    var %s: List<Task<%s>> = [];\n", s, TN[t], ts, TN[t]);
  out("    for (%s: Int32 in 0..%d) { %s.push(value = spawn { ", i, n, ts); emitln(e);
  out(" }); }\n    var acc: %s = 0;\n    for (tk: Task<%s> in %s) { acc = acc + tk.await(); }\n    acc\n  };\n", TN[t], TN[t], ts);
  out("  print(value = %s);\n", s);
  int64_t sum = 0; push_env(i, 0);
  for (int k = 0; k < n; k++) { env[nenv - 1].v = k; sum = wrap(t, (uint64_t)sum + (uint64_t)eval(e)); }
  nenv--; want("%s\n", vstr(t, sum));
  push_scope(s, t); push_env(s, sum);
}

/* Floats: dyadic operands and + - * keep every result exact, so the
 * shortest round-trip form is %.17g with trailing zeros trimmed. */
static void fmt_float(char *b, double v) {
  if (v == (double)(int64_t)v) snprintf(b, 64, "%.1f", v); else snprintf(b, 64, "%.17g", v);
}
static void st_float(void) {
  static const double L[] = {0.5, 1.25, 2.0, 3.75, 10.0, 0.125, 7.5, 1.0};
  int f32 = chance(50); const char *T = f32 ? "Float32" : "Float64";
  double a = L[rn(8)], b = L[rn(8)], c = L[rn(8)], r; char s[64], ca[64], cb[64], cc[64];
  int op1 = rn(3), op2 = rn(3);
  r = op1 == 0 ? a + b : op1 == 1 ? a - b : a * b;
  r = op2 == 0 ? r + c : op2 == 1 ? r - c : r * c;
  fmt_float(ca, a); fmt_float(cb, b); fmt_float(cc, c);
  const char *v = fresh("fl");
  out("  let %s: %s = ((%s%s %c %s) %c %s);\n", v, T, ca, chance(50) ? (f32 ? "f32" : "f64") : "",
      "+-*"[op1], cb, "+-*"[op2], cc);
  fmt_float(s, r); out("  print(value = %s);\n", v); want("%s\n", s);
  out("  print(value = \"f=${%s} i=${cast(value = -(%s), target = Int32)}\");\n", v, v);
  want("f=%s i=%lld\n", s, (long long)(int64_t)(-r));
}
/* Strings: concatenation, interpolation and a few methods, evaluated here. */
static void st_string(void) {
  static const char *W[] = {"ab", "Cd", "", "x y", "plat", "AbA"};
  const char *a = W[rn(6)], *b = W[rn(6)], *v = fresh("str"); char s[64], u[64]; int n;
  snprintf(s, sizeof s, "%s-%s", a, b); n = (int)strlen(s);
  for (int k = 0; k <= n; k++) u[k] = s[k] >= 'a' && s[k] <= 'z' ? (char)(s[k] - 32) : s[k];
  out("  let %s: String = \"%s\" + \"-${\"%s\"}\";\n", v, a, b);
  out("  print(value = \"${%s}|${%s.length()}|${%s.to_upper()}|${%s.contains(substring = \"%s\")}|${%s.is_empty()}\");\n",
      v, v, v, v, b, v);
  want("%s|%d|%s|true|false\n", s, n, u);
  int e = rn(3);                      /* code points vs bytes */
  static const char *U[] = {"\\u{e9}", "\\u{1F600}", "\\t"}, *UO[] = {"\xc3\xa9", "\xf0\x9f\x98\x80", "\t"};
  static const int UB[] = {2, 4, 1};
  out("  print(value = \"%s%s\" + \" ${(\"%s%s\").length()} ${(\"%s%s\").byte_length()}\");\n", a, U[e], a, U[e], a, U[e]);
  want("%s%s %d %d\n", a, UO[e], (int)strlen(a) + 1, (int)strlen(a) + UB[e]);
}

/* Tasks whose results are String, Option, Result, List and a class; one
 * nested scope inside a spawn; captures of a loop variable. */
static void st_tasks(void) {
  Ty t = rint_ty(); const char *T = TN[t]; const char *j = fresh("j");
  Ex *e = gen(t, D - 1, 1); int64_t v = eval(e);
  const char *x = fresh("tv"); int c = uid++;
  bput(&decls, "class Bx%d { pub let v: %s; }\n\n", c, T);
  out("  let %s: %s = ", x, T); emitln(e); out(";\n");
  out("  for (%s: Int32 in 0..2) {\n    concurrent {\n", j);
  out("      let a: Task<String> = spawn { \"s${%s}:${%s}\" };\n", x, j);
  out("      let b: Task<Option<%s>> = spawn { if (%s == 0) { return Option::None; } return Option::Some(%s); };\n", T, j, x);
  out("      let r: Task<Result<%s, String>> = spawn { if (%s == 1) { return Result::Err(\"e${%s}\"); } return Result::Ok(%s); };\n", T, j, j, x);
  out("      let l: Task<List<%s>> = spawn { [%s, %s] };\n", T, x, x);
  out("      let k: Task<Bx%d> = spawn { Bx%d.init(v = %s) };\n", c, c, x);
  out("      let n: Task<Int32> = spawn { concurrent { let m: Task<Int32> = spawn { %s + 1 }; m.await() * 2 } };\n", j);
  out("      print(value = a.await());\n      print(value = b.await().unwrap_or(default = 0));\n");
  out("      print(value = match r.await() { Result::Ok(q: %s) -> \"ok ${q}\", Result::Err(w: String) -> w });\n", T);
  out("      print(value = \"${l.await().length()} ${k.await().v} ${n.await()} ${a.await()}\");\n    }\n  }\n");
  for (int k = 0; k < 2; k++) {
    want("s%s:%d\n%s\n", vstr(t, v), k, k == 0 ? "0" : vstr(t, v));
    if (k == 1) want("e1\n"); else want("ok %s\n", vstr(t, v));
    want("2 %s %d s%s:%d\n", vstr(t, v), (k + 1) * 2, vstr(t, v), k);
  }
  push_scope(x, t); push_env(x, v);
}
/* defer in a function left by an early return and from inside a
 * concurrent block; escapes in string literals. */
static void st_fndefer(void) {
  int c = uid++, lim = rn(6), n = rn(5);
  bput(&decls, "fn fd%d(n: Int32) -> Int32 {\n  defer { print(value = \"out\\t${n}\"); }\n"
               "  var i: Int32 = 0;\n  while (true) {\n    defer { print(value = \"it \\\"${i}\\\" \\$\"); }\n"
               "    if (i >= %d) {\n      return concurrent {\n        let t: Task<Int32> = spawn { i * 10 };\n"
               "        if (n > 2) { return t.await() + n; }\n        t.await()\n      };\n    }\n    i = i + 1;\n  }\n}\n\n", c, lim);
  out("  print(value = fd%d(n = %d));\n", c, n);
  /* a defer block reads `i` when it runs: after the increment */
  for (int i = 1; i <= lim; i++) want("it \"%d\" $\n", i);
  want("it \"%d\" $\n", lim);
  want("out\t%d\n%d\n", n, lim * 10 + (n > 2 ? n : 0));
}

/* select with a ready send arm beside a recv arm that cannot be ready;
 * List<String>.join; a class with an explicit init. */
static void st_misc(void) {
  Ty t = rint_ty(); const char *T = TN[t]; int c = uid++; int64_t v = rlit(t);
  const char *sc = fresh("sc"), *w = fresh("w"), *o = fresh("ei");
  out("  let %s: Channel<%s> = Channel.init(capacity = 1);\n", sc, T);
  out("  select {\n    x: Option<%s> = %s.recv() -> { print(value = \"r\"); },\n"
      "    %s.send(value = %s) -> { print(value = \"s\"); }\n  }\n", T, sc, sc, vstr(t, v));
  out("  print(value = %s.recv().unwrap());\n", sc);
  want("s\n%s\n", vstr(t, v));
  /* no expected type inside ${}: the literal needs its suffix */
  out("  var %s: List<String> = [\"a\", \"${%s%s}\"];\n  %s.push(value = \"c\");\n", w, vstr(t, v), SUF[t], w);
  out("  print(value = %s.join(separator = \", \"));\n", w);
  want("a, %s, c\n", vstr(t, v));
  bput(&decls, "class Ei%d {\n  let a: %s;\n  pub var b: %s;\n  init(x: %s) -> Ei%d { self.a = x; self.b = x + 1; return self; }\n"
               "  pub fn sum() -> %s { return self.a + self.b; }\n}\n\n", c, T, T, T, c, T);
  out("  let %s: Ei%d = Ei%d.init(x = %s);\n  print(value = \"${%s.b} ${%s.sum()}\");\n", o, c, c, vstr(t, v), o, o);
  int64_t b = wrap(t, (uint64_t)v + 1);
  want("%s %s\n", vstr(t, b), vstr(t, wrap(t, (uint64_t)v + (uint64_t)b)));
}

/* Traced operands in the positions gen() does not reach: a receiver, the
 * written arguments and an omitted default of a method, constructor and
 * variant arguments in shuffled order, list elements, an index read and an
 * element store, a field store, a field read passed before a call that
 * changes the field, `?` operands, String operators. */
static Ex *index_lit(int hi) {   /* a traced literal index in [0, hi) */
  Ex *e = node(E_LIT, I32); e->v = rn(hi);
  return tracing ? traced(e) : e;
}
static void st_order(void) {
  Ty t = rint_ty(); const char *T = TN[t], *Q = QN[t]; int c = uid++, mq = uid++, k1 = uid++, k2 = uid++;
  int64_t md = rlit(t);
  bput(&decls, "class Ob%d {\n  pub var f: %s;\n  pub var g: %s;\n"
               "  pub fn m(a: %s, b: %s = %s(k = %d, v = %s)) -> %s { return a - b + self.f; }\n}\n",
       c, T, T, T, T, Q, mq, vstr(t, md), T);
  bput(&decls, "fn bo%d(o: Ob%d) -> %s {\n  o.f = o.f + 1;\n  return o.f;\n}\n", c, c, T);
  bput(&decls, "fn qo%d(k: Int32, v: Ob%d) -> Ob%d {\n  print(value = \"q${k}\");\n  return v;\n}\n", c, c, c);
  bput(&decls, "fn ql%d(k: Int32, v: List<%s>) -> List<%s> {\n  print(value = \"q${k}\");\n  return v;\n}\n", c, T, T);
  bput(&decls, "fn pr%d(a: %s, b: %s) -> String {\n  return \"${a},${b}\";\n}\n", c, T, T);
  bput(&decls, "enum Ev%d { Two(a: %s, b: %s), One(%s) }\n", c, T, T, T);
  bput(&decls, "fn op%d(k: Int32, v: %s, ok: Bool) -> Option<%s> {\n  print(value = \"q${k}\");\n"
               "  if (ok) { return Option::Some(v); }\n  return Option::None;\n}\n", c, T, T);
  bput(&decls, "fn tr%d(a: Bool, b: Bool, x: %s, y: %s) -> Option<%s> {\n"
               "  return Option::Some(op%d(k = %d, v = x, ok = a)? - op%d(k = %d, v = y, ok = b)?);\n}\n\n",
       c, T, T, T, c, k1, c, k2);
  /* constructor, then a method: receiver, written arguments, omitted default */
  const char *o = fresh("ob"); Ex *ef = gq(t, 2), *eg = gq(t, 2); int64_t f, g;
  out("  let %s: Ob%d = Ob%d.init(", o, c, c);
  if (chance(50)) { out("f = "); emitln(ef); out(", g = "); emitln(eg); f = eval(ef); g = eval(eg); }
  else { out("g = "); emitln(eg); out(", f = "); emitln(ef); g = eval(eg); f = eval(ef); }
  out(");\n");
  int kr = uid++, how = rn(3); Ex *ea = gq(t, 2), *eb = gq(t, 2); int64_t va, vb;
  out("  print(value = qo%d(k = %d, v = %s).m(", c, kr, o);
  want("q%d\n", kr);
  if (how == 0) { out("a = "); emitln(ea); va = eval(ea); want("q%d\n", mq); vb = md; }
  else if (how == 1) { out("a = "); emitln(ea); out(", b = "); emitln(eb); va = eval(ea); vb = eval(eb); }
  else { out("b = "); emitln(eb); out(", a = "); emitln(ea); vb = eval(eb); va = eval(ea); }
  out("));\n");
  want("%s\n", vstr(t, wrap(t, (uint64_t)va - (uint64_t)vb + (uint64_t)f)));
  /* a field store through a traced receiver; a field read before a call that changes it */
  int ks = uid++; Ex *ev = gq(t, 2);
  out("  qo%d(k = %d, v = %s).g = ", c, ks, o); emitln(ev); out(";\n");
  want("q%d\n", ks); g = eval(ev);
  int64_t old = f; f = wrap(t, (uint64_t)f + 1);
  if (chance(50)) { out("  print(value = pr%d(a = %s.f, b = bo%d(o = %s)));\n", c, o, c, o); want("%s,", vstr(t, old)); }
  else { out("  print(value = pr%d(b = bo%d(o = %s), a = %s.f));\n", c, c, o, o); want("%s,", vstr(t, f)); }
  want("%s\n", vstr(t, f));
  out("  print(value = \"${%s.f} ${%s.g}\");\n", o, o); want("%s ", vstr(t, f)); want("%s\n", vstr(t, g));
  /* list elements, an index read with unwrap_or's default, an element store */
  const char *l = fresh("ls"); Ex *el[3]; int64_t lv[3];
  out("  var %s: List<%s> = [", l, T);
  for (int i = 0; i < 3; i++) { el[i] = gq(t, 2); out("%s", i ? ", " : ""); emitln(el[i]); lv[i] = eval(el[i]); }
  out("];\n");
  int kl = uid++; Ex *ei = index_lit(4), *ed = gq(t, 2);
  out("  print(value = ql%d(k = %d, v = %s)[", c, kl, l); emitln(ei); out("].unwrap_or(default = "); emitln(ed); out("));\n");
  want("q%d\n", kl); int64_t iv = eval(ei), dv = eval(ed);
  want("%s\n", vstr(t, iv < 3 ? lv[iv] : dv));
  int kw = uid++; Ex *ej = index_lit(3), *ew = gq(t, 2);
  out("  ql%d(k = %d, v = %s)[", c, kw, l); emitln(ej); out("] = "); emitln(ew); out(";\n");
  want("q%d\n", kw); int64_t jv = eval(ej); lv[jv] = eval(ew);
  out("  print(value = \"${%s[0].unwrap()} ${%s[1].unwrap()} ${%s[2].unwrap()}\");\n", l, l, l);
  want("%s ", vstr(t, lv[0])); want("%s ", vstr(t, lv[1])); want("%s\n", vstr(t, lv[2]));
  /* a variant with its fields in either order */
  Ex *xa = gq(t, 2), *xb = gq(t, 2); int64_t a2, b2;
  out("  print(value = match Ev%d::Two(", c);
  if (chance(50)) { out("a = "); emitln(xa); out(", b = "); emitln(xb); a2 = eval(xa); b2 = eval(xb); }
  else { out("b = "); emitln(xb); out(", a = "); emitln(xa); b2 = eval(xb); a2 = eval(xa); }
  out(") { Ev%d::Two(a: %s, b: %s) -> a - b, Ev%d::One(x: %s) -> x });\n", c, T, T, c, T);
  want("%s\n", vstr(t, wrap(t, (uint64_t)a2 - (uint64_t)b2)));
  /* `?`: the first None returns */
  int oa = chance(70), ob = chance(70); Ex *x = gq(t, 2), *y = gq(t, 2);
  out("  print(value = tr%d(a = %s, b = %s, x = ", c, oa ? "true" : "false", ob ? "true" : "false");
  emitln(x); out(", y = "); emitln(y); out(").unwrap_or(default = 0));\n");
  int64_t vx = eval(x), vy = eval(y);
  want("q%d\n", k1); if (oa) want("q%d\n", k2);
  want("%s\n", vstr(t, oa && ob ? wrap(t, (uint64_t)vx - (uint64_t)vy) : 0));
  /* String operators lowered to runtime calls */
  static const char *SOP[] = {"+", "==", "!=", "<", "<=", ">", ">="};
  int op = rn(7), ka = uid++, kb = uid++; Ex *sa = gqc(t, 2, 0), *sb = gqc(t, 2, 0); char A[32], B[32];
  out("  print(value = qs(k = %d, v = \"${", ka); emitln(sa); out("}\") %s qs(k = %d, v = \"${", SOP[op], kb);
  emitln(sb); out("}\"));\n");
  snprintf(A, sizeof A, "%s", vstr(t, eval(sa))); want("q%d\n", ka);
  snprintf(B, sizeof B, "%s", vstr(t, eval(sb))); want("q%d\n", kb);
  int cmp = strcmp(A, B);
  if (op == 0) want("%s%s\n", A, B);
  else want("%s\n", (op == 1 ? cmp == 0 : op == 2 ? cmp != 0 : op == 3 ? cmp < 0 : op == 4 ? cmp <= 0
                     : op == 5 ? cmp > 0 : cmp >= 0) ? "true" : "false");
  /* Float operators, `%` lowered to fmod: dyadic operands keep results exact */
  static const double FL[] = {0.5, 1.25, 2.0, 3.75, 10.0, 0.125, 7.5, 1.0};
  double fa = FL[rn(8)], fb = FL[rn(8)], fr; int fop = rn(4), kf = uid++, kg = uid++; char fs[64], ta[64], tb[64];
  fmt_float(ta, fa); fmt_float(tb, fb);
  out("  print(value = qf(k = %d, v = %s) %c qf(k = %d, v = %s));\n", kf, ta, "+-*%"[fop], kg, tb);
  fr = fop == 0 ? fa + fb : fop == 1 ? fa - fb : fop == 2 ? fa * fb : fmod(fa, fb);
  fmt_float(fs, fr); want("q%d\nq%d\n%s\n", kf, kg, fs);
}

/* Trace calls (q8 .. qb, qs) and the non-zero divisors nz8 .. nz64. */
static void trace_decls(void) {
  for (int t = 0; t < NTY; t++)
    bput(&decls, "fn %s(k: Int32, v: %s) -> %s {\n  print(value = \"q${k}\");\n  return v;\n}\n", QN[t], TN[t], TN[t]);
  bput(&decls, "fn qs(k: Int32, v: String) -> String {\n  print(value = \"q${k}\");\n  return v;\n}\n");
  bput(&decls, "fn qf(k: Int32, v: Float64) -> Float64 {\n  print(value = \"q${k}\");\n  return v;\n}\n");
  for (int t = 0; t < 4; t++)
    bput(&decls, "fn %s(v: %s) -> %s {\n  if (v == 0) { return 1; }\n  return v;\n}\n", NZ[t], TN[t], TN[t]);
  bput(&decls, "\n");
}

int main(int argc, char **argv) {
  if (argc != 4) { fprintf(stderr, "usage: plat_gen SEED OUT.plat OUT.out\n"); return 2; }
  rs = strtoull(argv[1], NULL, 10) * 0x9E3779B97F4A7C15ull + 1;
  for (int k = 0; k < 4; k++) rnd();
  D = 3 + rn(4);
  tracing = rn(4) != 0;
  trace_decls();
  gen_fns();
  static void (*const tpl[])(void) = {st_let, st_let, st_let, st_interp, st_loop, st_list, st_class,
    st_enum, st_try, st_chan, st_select, st_defer, st_fanout, st_float, st_string, st_tasks, st_fndefer, st_misc,
    st_order, st_order};
  int n = 4 + rn(10);
  for (int k = 0; k < n; k++) tpl[rn((int)(sizeof tpl / sizeof *tpl))]();
  FILE *f = fopen(argv[2], "w"), *g = fopen(argv[3], "w");
  if (!f || !g) { perror("plat_gen"); return 2; }
  fprintf(f, "// generated by tests/fuzz/gen/plat_gen %s\n\n%s", argv[1], decls.p ? decls.p : "");
  fprintf(f, "fn main() {\n%s}\n", body.p ? body.p : "");
  fwrite(expect.p ? expect.p : "", 1, expect.n, g);
  fclose(f); fclose(g);
  return 0;
}
