// The reference for src/values/glob.ts: Go's own path.Match, run by test/values.test.ts.
package main

import (
	"bufio"
	"fmt"
	"os"
	"path"
	"strings"
)

// Reads "pattern\tname" lines, prints "match|nomatch|error" per line: the reference for the port.
func main() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		pattern, name, _ := strings.Cut(scanner.Text(), "\t")
		matched, err := path.Match(pattern, name)
		switch {
		case err != nil:
			fmt.Println("error")
		case matched:
			fmt.Println("match")
		default:
			fmt.Println("nomatch")
		}
	}
}
