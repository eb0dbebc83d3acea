// Command worker prints a batch of job ids and exits: a second binary in the same module.
package main

import (
	"flag"
	"fmt"

	"github.com/google/uuid"
)

func main() {
	count := flag.Int("n", 3, "how many job ids to print")
	flag.Parse()
	for i := 0; i < *count; i++ {
		fmt.Println("job", uuid.NewString())
	}
}
