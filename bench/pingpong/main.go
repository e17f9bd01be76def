// pingpong: two goroutines pass a counter back and forth over two
// unbuffered (rendezvous) channels, N round trips.  The main goroutine
// sends i on ping, the echo goroutine answers i+1 on pong and counts;
// the result is sum(i+1) + N (Go reference for bench/pingpong/main.plat).
// Usage: pingpong [N], default 1000000.
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
	n := size(1000000)
	ping := make(chan int32)
	pong := make(chan int32)
	done := make(chan int64)
	go func() {
		var count int64
		for v := range ping {
			pong <- v + 1
			count++
		}
		done <- count
	}()
	var sum int64
	for i := 0; i < n; i++ {
		ping <- int32(i)
		sum += int64(<-pong)
	}
	close(ping)
	fmt.Println(sum + <-done)
}
