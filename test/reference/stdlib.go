// References from Go's standard library for our ports, run by test/values.test.ts:
//   - parseip: net.ParseIP, which dockerd checks each "dns" entry of daemon.json with (moby
//     opts.ValidateIPAddress): the reference for ipAddressProblem (src/values/network.ts);
//   - pathmatch: path.Match, the reference for src/values/glob.ts.
// Reads one case per line on stdin and prints one answer per line.
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
	"path"
	"strings"
)

// Each mode answers one input line: "ip"/"not" for parseip; "match"/"nomatch"/"error" for
// pathmatch, whose lines are "pattern\tname".
var modes = map[string]func(line string) string{
	"parseip": func(line string) string {
		if net.ParseIP(line) != nil {
			return "ip"
		}
		return "not"
	},
	"pathmatch": func(line string) string {
		pattern, name, _ := strings.Cut(line, "\t")
		matched, err := path.Match(pattern, name)
		switch {
		case err != nil:
			return "error"
		case matched:
			return "match"
		default:
			return "nomatch"
		}
	},
}

func main() {
	answer, ok := modes[os.Args[len(os.Args)-1]]
	if !ok {
		fmt.Fprintln(os.Stderr, "usage: go run stdlib.go parseip|pathmatch")
		os.Exit(2)
	}
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		fmt.Println(answer(scanner.Text()))
	}
}
