/* test_net_load_w1.c -- the load test of net_load.h on one worker thread
 * (PLAT_WORKERS=1): every socket wait must go through the idle path's
 * poll, since no other worker exists. */
#include "net_load.h"

int main(int argc, char **argv) {
  setenv("PLAT_WORKERS", "1", 1);
  return run_load("test_net_load_w1", argc, argv);
}
