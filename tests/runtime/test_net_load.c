/* test_net_load.c -- 1,000 concurrent echo connections x 100 messages,
 * default worker count (net_load.h). */
#include "net_load.h"

int main(int argc, char **argv) { return run_load("test_net_load", argc, argv); }
