/* gen_check.c -- compiles plat_gen.h, the helpers of generated programs,
 * with the runtime's flags (-Wall -Wextra -Werror), and takes the address
 * of each helper so that every one is compiled, not only declared.  It
 * adds nothing to the runtime's behaviour. */
static const char plat_file[] = "gen_check.c";

#include "plat_gen.h"

void *const plat_gen_helpers[] = {
  (void *)plat_div_i8, (void *)plat_rem_i8, (void *)plat_div_i16, (void *)plat_rem_i16,
  (void *)plat_div_i32, (void *)plat_rem_i32, (void *)plat_div_i64, (void *)plat_rem_i64,
  (void *)plat_f2i8, (void *)plat_f2i16, (void *)plat_f2i32, (void *)plat_f2i64,
  (void *)plat_unwrap_opt, (void *)plat_expect, (void *)plat_assert_fail, (void *)plat_list_store,
  (void *)plat_enum_make, (void *)plat_str_cat_at, (void *)plat_scope_cleanup,
};
