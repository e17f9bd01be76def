// string_join: format the integers 0 .. N-1 as N strings (strconv.Itoa) in
// a slice, then join it 10 times (strings.Join), with the separators ",",
// ", ", " | " and ";" in turn; prints the total byte length of the 10
// results and whether the last one (separator ", ") ends with ", " and
// N-1 (Go reference for bench/string_join/main.plat).
// Usage: string_join [N], default 1000000.
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
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
	var parts []string
	for i := 0; i < n; i++ {
		parts = append(parts, strconv.Itoa(i))
	}
	seps := []string{",", ", ", " | ", ";"}
	var total int64
	last := ""
	for r := 0; r < 10; r++ {
		last = strings.Join(parts, seps[r%4])
		total += int64(len(last))
	}
	fmt.Println(total)
	fmt.Println(strings.HasSuffix(last, ", "+strconv.Itoa(n-1)))
}
