/* env.c -- time_ms(), env_get(), args().
 *
 * env_get reads the process environment with getenv; the runtime never
 * calls setenv, so concurrent reads are safe.  args() copies the argv
 * that plat_main() recorded (plat_argc/plat_argv, owned by the scheduler)
 * into a fresh List<String> on each call, so the program may modify it.
 */
#include <stdlib.h>
#include <time.h>
#include "plat_value.h"
#include "rt_internal.h"

/* Deterministic schedules: wall-clock time is virtual too, from
 * 2024-01-01T00:00:00Z, so a replay prints the same times. */
#define DET_EPOCH_MS 1704067200000LL

int64_t plat_time_ms(void)
{
  if (PLAT_DET()) return DET_EPOCH_MS + plat_now_ms();
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

plat_enum *plat_env_get(plat_str *name)
{
  if (name->len == 0 || memchr(name->data, '\0', (size_t)name->len) || memchr(name->data, '=', (size_t)name->len))
    return plat_none();
  const char *v = getenv(name->data);
  return v ? plat_some(plat_w_ptr(plat_str_cstr(v))) : plat_none();
}

plat_list *plat_args(void)
{
  int argc = plat_argc();
  char **argv = plat_argv();
  plat_list *l = plat_list_new(argc > 1 ? argc - 1 : 0);
  for (int i = 1; i < argc && argv; i++) plat_list_push(l, plat_w_ptr(plat_str_cstr(argv[i])));
  return l;
}
