// method_loop: the Go reference for bench/method_loop/main.plat: a
// pointer to a struct and small methods on it.  A Mixer keeps a 64-bit
// linear congruential state; Feed(x) steps it with x mixed in and adds a
// digit of the state to a running total.  Called N times with
// x = 0 .. N-1; prints the total and the final state (Go's int64
// arithmetic wraps like Plat's).  Usage: method_loop [N], default 300000000.
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

type Mixer struct {
	state int64
	sum   int64
}

func (m *Mixer) Feed(x int32) {
	m.state = m.state*6364136223846793005 + 1442695040888963407 + int64(x)
	m.sum = m.sum + m.digit()
}

func (m *Mixer) digit() int64 {
	d := (m.state / 4294967296) % 10
	if d < 0 {
		return -d
	}
	return d
}

func (m *Mixer) Total() int64   { return m.sum }
func (m *Mixer) Current() int64 { return m.state }

func main() {
	n := int32(size(300000000))
	m := &Mixer{state: 1, sum: 0}
	for i := int32(0); i < n; i++ {
		m.Feed(i)
	}
	fmt.Println(m.Total())
	fmt.Println(m.Current())
}
