// blocked_mem: N goroutines, each blocked on its own unbuffered channel
// (Go reference for bench/blocked_mem/main.plat).  Every goroutine first
// reports on `ready`, then waits; once all N have reported, main wakes
// each one with its index and sums the answers (2*i each) and the ready
// values: 3*N*(N-1)/2.  The runner measures peak RSS at N and at 0.
// Usage: blocked_mem [N], default 100000.
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
	n := size(100000)
	ready := make(chan int32, 1024)
	results := make(chan int64, 1024)
	chans := make([]chan int64, n)
	for i := 0; i < n; i++ {
		c := make(chan int64)
		chans[i] = c
		go func(i int32) {
			ready <- i
			results <- (<-c) * 2
		}(int32(i))
	}
	var sum int64
	for i := 0; i < n; i++ {
		sum += int64(<-ready)
	}
	for i := 0; i < n; i++ {
		chans[i] <- int64(i) // each goroutine then waits on results
	}
	for i := 0; i < n; i++ {
		sum += <-results
	}
	fmt.Println(sum)
}
