// The reference for ipAddressProblem (src/values/network.ts): Go's own net.ParseIP, which is what
// dockerd checks each "dns" entry of daemon.json with (moby opts.ValidateIPAddress). Run by
// test/values.test.ts.
package main

import (
	"bufio"
	"fmt"
	"net"
	"os"
)

// Reads one candidate per line, prints "ip" or "not" per line.
func main() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<20), 1<<20)
	for scanner.Scan() {
		if net.ParseIP(scanner.Text()) != nil {
			fmt.Println("ip")
		} else {
			fmt.Println("not")
		}
	}
}
