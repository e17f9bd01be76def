// dict_c: the Go peer of bench_dict.c (same keys, same orders, same
// checksum): map[int64]int64, map[int64]struct{} and map[string]int32
// counting words.  Usage: main int N | set N | words M V.
// stdout: the checksum; stderr: "phase NAME NS_PER_OP" (process CPU time)
// and "mem heap BYTES_PER_ENTRY" (heap in use after runtime.GC, with and
// without the map).
package main

import (
	"fmt"
	"os"
	"runtime"
	"strconv"
	"syscall"
)

func mix(z uint64) uint64 {
	z += 0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

func cpuNs() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

var t0 int64

func start() { t0 = cpuNs() }
func phase(name string, ops int64) {
	fmt.Fprintf(os.Stderr, "phase %s %.1f\n", name, float64(cpuNs()-t0)/float64(ops))
}
func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

func ints(n int64) uint64 {
	heap0 := heapInUse()
	d := map[int64]int64{}
	var sum uint64
	start()
	for i := int64(0); i < n; i++ {
		d[int64(mix(uint64(i)))] = i
	}
	phase("insert", n)
	fmt.Fprintf(os.Stderr, "mem heap %.1f\n", (float64(heapInUse())-float64(heap0))/float64(n))
	start()
	for i := int64(0); i < n; i++ {
		if v, ok := d[int64(mix(uint64(i*7919%n)))]; ok {
			sum += uint64(v)
		}
	}
	phase("hit", n)
	start()
	for i := int64(0); i < n; i++ {
		if _, ok := d[int64(mix(uint64(i+n)))]; ok {
			sum++
		}
	}
	phase("miss", n)
	start()
	for i := int64(0); i < n; i++ {
		delete(d, int64(mix(uint64(i*104729%n))))
	}
	phase("delete", n)
	return sum + uint64(len(d))
}

func set(n int64) uint64 {
	heap0 := heapInUse()
	d := map[int64]struct{}{}
	var sum uint64
	start()
	for i := int64(0); i < n; i++ {
		d[int64(mix(uint64(i)))] = struct{}{}
	}
	phase("insert", n)
	fmt.Fprintf(os.Stderr, "mem heap %.1f\n", (float64(heapInUse())-float64(heap0))/float64(n))
	start()
	for i := int64(0); i < n; i++ {
		if _, ok := d[int64(mix(uint64(i*7919%n)))]; ok {
			sum++
		}
	}
	phase("hit", n)
	start()
	for i := int64(0); i < n; i++ {
		if _, ok := d[int64(mix(uint64(i+n)))]; ok {
			sum++
		}
	}
	phase("miss", n)
	start()
	for i := int64(0); i < n; i++ {
		delete(d, int64(mix(uint64(i*104729%n))))
	}
	phase("delete", n)
	return sum + uint64(len(d))
}

func words(m, v int64) uint64 {
	vocab := make([]string, v)
	r := uint64(1)
	for i := int64(0); i < v; i++ {
		ln := 3 + int(mix(r)%10)
		r++
		buf := make([]byte, 0, 16)
		for k := 0; k < ln-3; k++ {
			buf = append(buf, byte('a'+mix(r)%26))
			r++
		}
		for x, k := i, 0; k < 4; x, k = x/26, k+1 {
			buf = append(buf, byte('a'+x%26))
		}
		vocab[i] = string(buf)
	}
	occ := make([]string, m)
	for i := int64(0); i < m; i++ {
		x := mix(r)
		r++
		var w string
		if x&1 != 0 {
			w = vocab[(x>>1)%uint64(v)]
		} else {
			w = vocab[(x>>1)%uint64(v/100)]
		}
		occ[i] = string([]byte(w)) // its own copy, as splitting text gives
	}
	heap0 := heapInUse()
	d := map[string]int32{}
	start()
	for _, w := range occ {
		d[w]++
	}
	phase("count", m)
	start()
	var sum uint64
	for i, w := range vocab {
		if c, ok := d[w]; ok {
			sum += uint64(int64(c)) * uint64(i+1)
		}
	}
	phase("lookup", v)
	fmt.Fprintf(os.Stderr, "mem heap %.1f\n", (float64(heapInUse())-float64(heap0))/float64(len(d)))
	runtime.KeepAlive(occ)
	runtime.KeepAlive(vocab)
	return sum + uint64(len(d))
}

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: main int N | set N | words M V")
		os.Exit(2)
	}
	a, _ := strconv.ParseInt(os.Args[2], 10, 64)
	var sum uint64
	switch os.Args[1] {
	case "int":
		sum = ints(a)
	case "set":
		sum = set(a)
	case "words":
		b, _ := strconv.ParseInt(os.Args[3], 10, 64)
		sum = words(a, b)
	}
	fmt.Println(sum)
}
