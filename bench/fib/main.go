// fib: parallel fib(N) with a goroutine per call above the cut-off 20 and
// plain recursion below (Go reference for bench/fib/main.plat).
// Usage: fib [N], default 40.
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

func fibSeq(n int32) int64 {
	if n < 2 {
		return int64(n)
	}
	return fibSeq(n-1) + fibSeq(n-2)
}

func fibPar(n int32) int64 {
	if n <= 20 {
		return fibSeq(n)
	}
	var a int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		a = fibPar(n - 1)
		wg.Done()
	}()
	b := fibPar(n - 2)
	wg.Wait()
	return a + b
}

func main() {
	fmt.Println(fibPar(int32(size(40))))
}
