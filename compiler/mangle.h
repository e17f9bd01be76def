/* mangle.h -- the one place that names every C identifier the emitter
 * writes.
 *
 * Scheme (every user-derived name gets a prefix no runtime name has, and
 * user names are ASCII letters, digits and `_`):
 *   function f            plat_u_f
 *   method m of class K   K__m      (constructor: K__init; class names
 *                                    are TitleCase without `_`, so `__`
 *                                    cannot occur inside one)
 *   test t of block b     plat_t_b__t
 *   class K               struct C_K, field f: f_f (p_f: the default
 *                         constructor's parameter for it)
 *   variant V of enum E   plat_k_E_V   (a payload-less constant)
 *   local x (id N)        x_N       (`self` stays self)
 *   temporaries           plat_tN; spawn bodies plat_spawn_N and their
 *                         env plat_env_N; scopes plat_sc_N; defers
 *                         plat_defer_N, plat_denv_N, plat_d_N, plat_de_N;
 *                         string literals plat_sN; test thunks plat_test_N
 * N is unique in the program.  Modules (LANGUAGE.md 10.7) and generic
 * instances will add their path and type arguments here, so two of them
 * can never produce the same C name.
 */
#ifndef PLAT_MANGLE_H
#define PLAT_MANGLE_H

#include "check.h"

const char *mangle_fn(const FnInfo *fi);
const char *mangle_ctor(const TypeDecl *cls);
const char *mangle_method(const TypeDecl *cls, Name m);
const char *mangle_class(const TypeDecl *cls);       /* "struct C_K" */
const char *mangle_field(Name f);
const char *mangle_ctor_param(Name f);               /* default init's parameter */
const char *mangle_variant_const(const TypeDecl *en, int v);
const char *mangle_local(const Sym *s);
const char *mangle_numbered(const char *kind, int n); /* "plat_t", 3 -> plat_t3 */

#endif
