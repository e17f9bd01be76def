// blocked_mem: N goroutines, each blocked on its own unbuffered channel
// (Go reference for bench/blocked_mem/main.plat).  Every goroutine first
// reports on `ready`, then waits; once all N have reported, main wakes
// each one with its index and sums the answers (2*i each) and the ready
// values: 3*N*(N-1)/2.  While all N are blocked, the program copies its
// VmRSS and VmPTE lines (resident memory and the page tables that map it)
// from /proc/self/status to stderr; the runner reads them at N and at 0.
// Usage: blocked_mem [N], default 100000.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
)

// reportMemory copies the VmRSS and VmPTE lines of /proc/self/status to stderr.
func reportMemory() {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		fmt.Fprintln(os.Stderr, "cannot read /proc/self/status:", err)
		os.Exit(1)
	}
	found := 0
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmRSS:") || strings.HasPrefix(line, "VmPTE:") {
			fmt.Fprintln(os.Stderr, line)
			found++
		}
	}
	if found != 2 {
		fmt.Fprintln(os.Stderr, "no VmRSS or VmPTE in /proc/self/status")
		os.Exit(1)
	}
}

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
	reportMemory()
	for i := 0; i < n; i++ {
		chans[i] <- int64(i) // each goroutine then waits on results
	}
	for i := 0; i < n; i++ {
		sum += <-results
	}
	fmt.Println(sum)
}
