// Command api serves a greeting over HTTP, with an embedded page and a request id per answer.
package main

import (
	"embed"
	"fmt"
	"log"
	"net/http"

	"github.com/google/uuid"
)

// version is stamped at build time: -ldflags "-X main.version=..." (empty in a plain go build).
var version string

//go:embed static/*
var static embed.FS

func main() {
	if version == "" {
		version = "dev"
	}
	mux := http.NewServeMux()
	mux.Handle("/static/", http.FileServer(http.FS(static)))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", uuid.NewString())
		fmt.Fprintf(w, "hello from greeter %s\n", version)
	})
	log.Printf("greeter %s listening on :8080", version)
	log.Fatal(http.ListenAndServe(":8080", mux))
}
