/* mangle.c -- C identifiers of the generated code (see mangle.h). */
#include "mangle.h"

const char *mangle_method(const TypeDecl *cls, Name m) { return arena_printf("%s__%s", cls->name, m); }

const char *mangle_fn(const FnInfo *fi) {
  Name n = fi->decl->name ? fi->decl->name : "anon";
  if (fi->cls) return mangle_method(fi->cls, n);
  if (fi->test_block) return arena_printf("plat_t_%s__%s", fi->test_block->name ? fi->test_block->name : "anon", n);
  return arena_printf("plat_u_%s", n);
}

const char *mangle_ctor(const TypeDecl *cls) { return mangle_method(cls, intern_cstr("init")); }
const char *mangle_class(const TypeDecl *cls) { return arena_printf("struct C_%s", cls->name); }
const char *mangle_field(Name f) { return arena_printf("f_%s", f); }
const char *mangle_ctor_param(Name f) { return arena_printf("p_%s", f); }

const char *mangle_variant_const(const TypeDecl *en, int v) {
  return arena_printf("plat_k_%s_%s", en->name, en->variants[v].name);
}

const char *mangle_local(const Sym *s) {
  if (!s) return "plat_missing";
  if (s->kind == SYM_SELF) return "self";
  return arena_printf("%s_%d", s->name, s->id);
}

const char *mangle_numbered(const char *kind, int n) { return arena_printf("%s%d", kind, n); }
