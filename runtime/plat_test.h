/* plat_test.h -- the test runner behind `plat test` (runtime/testrun.c).
 *
 * A program built in test mode has a table of its test_* functions and a
 * main() that calls plat_test_main(argc, argv, table).  Arguments:
 *   -f GLOB            keep the tests whose `block::test` name matches
 *                      (repeatable; `block.test` is the same as
 *                      `block::test`; a glob without `::` or `.` also
 *                      matches a bare block or test name); a GLOB that
 *                      matches no test is an error (status 2)
 *   --timeout SECONDS  a test still running after SECONDS fails (default
 *                      10; 0: no limit; with --schedules, for all of them)
 *   --schedules N      run each test on N deterministic schedules
 *   --seed S           ... of seeds S, S+1, ... (default 1); a failure
 *                      prints its seed and the command replaying it
 * Each selected test runs in its own process, so a test that panics,
 * deadlocks, hangs, crashes or calls exit() fails alone, named, and the
 * run goes on.  Output: `ok   NAME` or `FAIL NAME: REASON` per test, then
 * `N passed, N failed` (always, also when interrupted); status 0 if every
 * test passed, 1 otherwise, 2 for bad arguments, 130 when interrupted.
 */
#ifndef PLAT_TEST_H
#define PLAT_TEST_H

#include "plat_rt.h"

typedef struct plat_test_case {
  const char *name;           /* "block::test"; NULL ends the table */
  const char *block, *fn;
  plat_task_fn run;
} plat_test_case;

int plat_test_main(int argc, char **argv, const plat_test_case *tests);

#endif
