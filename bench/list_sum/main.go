// list_sum: append N int32 values (0, 1, ..., N-1) to a nil slice, then
// read them back by index and sum them as int64; prints the sum,
// N*(N-1)/2, and the length (Go reference for bench/list_sum/main.plat).
// Usage: list_sum [N], default 10000000.
package main

import (
	"fmt"
	"os"
	"strconv"
)

func size(fallback int) int {
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil || n < 0 {
			fmt.Fprintf(os.Stderr, "bad size %q\n", os.Args[1])
			os.Exit(2)
		}
		return n
	}
	return fallback
}

func main() {
	n := int32(size(10000000))
	var xs []int32
	for i := int32(0); i < n; i++ {
		xs = append(xs, i)
	}
	var sum int64
	for i := int32(0); i < n; i++ {
		sum += int64(xs[i])
	}
	fmt.Println(sum)
	fmt.Println(len(xs))
}
