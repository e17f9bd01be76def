// deep: stack depth inside a goroutine (Go reference for
// bench/deep/main.plat).  A goroutine recurses N calls deep, 10 times
// (each level works on the result of the level below), then nests N/10
// levels by recursion, each starting one goroutine that is waited for
// after the levels below it have ended.  Prints the sum of the 10
// recursions and the sum of the nested results, (N/10)(N/10+1)/2.
// Usage: deep [N], default 100000.
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

func down(n int32, salt int64) int64 {
	if n == 0 {
		return salt
	}
	below := down(n-1, salt*31+int64(n))
	return below%1000003 + int64(n%7)
}

func nest(n int32) int64 {
	if n == 0 {
		return 0
	}
	var v int64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		v = int64(n)
		wg.Done()
	}()
	below := nest(n - 1)
	wg.Wait()
	return below + v
}

func main() {
	n := int32(size(100000))
	sums := make(chan [2]int64)
	go func() {
		var deep int64
		for r := int32(0); r < 10; r++ {
			deep += down(n, int64(r))
		}
		sums <- [2]int64{deep, nest(n / 10)}
	}()
	s := <-sums
	fmt.Println(s[0])
	fmt.Println(s[1])
}
