// pipeline: 4 producers -> bounded(1024) -> 4 workers -> bounded(1024)
// -> 1 consumer, N items in all (Go reference for
// bench/pipeline/main.plat).  Producer p sends p*(N/4) .. (p+1)*(N/4)-1,
// workers map x to 3x+1, the consumer sums; each stage closes its output
// when all its goroutines are done.  The result is the consumer's sum
// plus the item counts of the producers and the workers.
// Usage: pipeline [N], N a multiple of 4, default 4000000.
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
	n := int64(size(4000000))
	per := n / 4
	src := make(chan int64, 1024)
	dst := make(chan int64, 1024)
	var counts [8]int64

	var prod sync.WaitGroup
	for p := 0; p < 4; p++ {
		prod.Add(1)
		go func(p int) {
			lo := int64(p) * per
			for x := lo; x < lo+per; x++ {
				src <- x
			}
			counts[p] = per
			prod.Done()
		}(p)
	}
	go func() { prod.Wait(); close(src) }()

	var work sync.WaitGroup
	for w := 0; w < 4; w++ {
		work.Add(1)
		go func(w int) {
			var k int64
			for x := range src {
				dst <- 3*x + 1
				k++
			}
			counts[4+w] = k
			work.Done()
		}(w)
	}
	go func() { work.Wait(); close(dst) }()

	var sum int64
	for y := range dst {
		sum += y
	}
	for _, c := range counts {
		sum += c
	}
	fmt.Println(sum)
}
