// skynet: a tree of goroutines with fan-out 10 and N leaves; leaf k
// returns k and every inner node returns the sum of its children, so the
// result is N*(N-1)/2 (Go reference for bench/skynet/main.plat; this is
// the classic skynet benchmark, children report over a buffered channel).
// Usage: skynet [N], N a power of 10, default 1000000.
package main

import (
	"fmt"
	"os"
	"strconv"
)

func size(fallback int) int {
	if len(os.Args) > 1 {
		n, err := strconv.Atoi(os.Args[1])
		if err != nil || n < 1 {
			fmt.Fprintf(os.Stderr, "bad size %q\n", os.Args[1])
			os.Exit(2)
		}
		return n
	}
	return fallback
}

func skynet(c chan<- int64, num, size, div int64) {
	if size == 1 {
		c <- num
		return
	}
	rc := make(chan int64, div)
	sub := size / div
	for i := int64(0); i < div; i++ {
		go skynet(rc, num+i*sub, sub, div)
	}
	var sum int64
	for i := int64(0); i < div; i++ {
		sum += <-rc
	}
	c <- sum
}

func main() {
	n := int64(size(1000000))
	c := make(chan int64, 1)
	go skynet(c, 0, n, 10)
	fmt.Println(<-c)
}
