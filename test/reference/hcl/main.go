// The reference for hclString (src/render/hcl.ts): HashiCorp's own HCL parser, the one docker
// buildx bake reads docker-bake.hcl with. Run by test/render-hcl.test.ts.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Reads one JSON string per line: an HCL string literal as hclString wrote it. Prints, per line,
// the JSON of the string HCL evaluates it to with no variables or functions, or "error: ...".
// A literal that tried to interpolate or run a directive is an error here (no variables).
func main() {
	scanner := bufio.NewScanner(os.Stdin)
	scanner.Buffer(make([]byte, 1<<22), 1<<22)
	for scanner.Scan() {
		var literal string
		if err := json.Unmarshal(scanner.Bytes(), &literal); err != nil {
			fmt.Println("error: bad input line")
			continue
		}
		file, diags := hclsyntax.ParseConfig([]byte("value = "+literal+"\n"), "bake.hcl", hcl.InitialPos)
		if diags.HasErrors() {
			fmt.Printf("error: %q\n", diags.Error())
			continue
		}
		attributes, diags := file.Body.JustAttributes()
		if diags.HasErrors() {
			fmt.Printf("error: %q\n", diags.Error())
			continue
		}
		expression := attributes["value"].Expr
		if len(expression.Variables()) > 0 {
			fmt.Println("error: the literal refers to a variable")
			continue
		}
		value, diags := expression.Value(nil)
		if diags.HasErrors() || !value.IsKnown() || value.IsNull() {
			fmt.Printf("error: %q\n", diags.Error())
			continue
		}
		if value.Type().FriendlyName() != "string" {
			fmt.Println("error: not a string")
			continue
		}
		out, _ := json.Marshal(value.AsString())
		fmt.Println(string(out))
	}
}
