// spawn: start N trivial goroutines and join them all (Go reference for
// bench/spawn/main.plat).  Each task produces its index; the result is
// the sum, N*(N-1)/2.  Usage: spawn [N], default 1000000.
package main

import (
	"fmt"
	"os"
	"strconv"
	"sync"
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
	n := size(1000000)
	results := make([]int64, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			results[i] = int64(i)
			wg.Done()
		}(i)
	}
	wg.Wait()
	var sum int64
	for _, r := range results {
		sum += r
	}
	fmt.Println(sum)
}
