/* enum.c -- enum values, Option and Result.
 *
 * An enum value is a GC object: a tag word followed by its payload words
 * (plat_value.h).  Payloads may hold pointers, so enums are allocated with
 * plat_alloc (scanned).  Variants without payload could share one object
 * per (type, tag); the runtime only does so for Option::None, whose single
 * instance lives in static storage and is never written.
 */
#include "plat_value.h"

/* The shared Option::None: read-only, never freed. */
static plat_enum none_value = { .tag = PLAT_NONE };

plat_enum *plat_enum_new(int64_t tag, int nfields)
{
  plat_enum *e = plat_alloc(sizeof(plat_enum) + (size_t)(nfields > 0 ? nfields : 0) * sizeof(plat_word));
  e->tag = tag;
  return e;
}

static plat_enum *enum1(int64_t tag, plat_word v)
{
  plat_enum *e = plat_enum_new(tag, 1);
  e->f[0] = v;
  return e;
}

plat_enum *plat_some(plat_word v) { return enum1(PLAT_SOME, v); }
plat_enum *plat_none(void) { return &none_value; }
plat_enum *plat_ok(plat_word v) { return enum1(PLAT_OK, v); }
plat_enum *plat_err(plat_word v) { return enum1(PLAT_ERR, v); }
plat_enum *plat_err_cstr(const char *msg) { return plat_err(plat_w_ptr(plat_str_cstr(msg))); }
