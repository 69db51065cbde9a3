// compose-check loads a Compose file with compose-go, the loader Docker Compose itself uses, and prints the
// normalised project as JSON: a test tool (no Docker engine on the CI machines), never product code.
//
// Usage: compose-check -f deploy/compose.yaml [-env-file deploy/.env.example] [-profile full]...
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
)

type list []string

func (l *list) String() string     { return strings.Join(*l, ",") }
func (l *list) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var files, envFiles, profiles list
	flag.Var(&files, "f", "compose file (repeatable)")
	flag.Var(&envFiles, "env-file", "environment file for interpolation (repeatable)")
	flag.Var(&profiles, "profile", "profile to enable (repeatable; '*' for all)")
	flag.Parse()
	if len(files) == 0 {
		fmt.Fprintln(os.Stderr, "compose-check: -f FILE is required")
		os.Exit(2)
	}
	opts, err := cli.NewProjectOptions(
		files,
		cli.WithName("stockops"),
		cli.WithEnvFiles(envFiles...),
		cli.WithDotEnv,
		cli.WithProfiles(profiles),
		// Relative paths (config mounts, build contexts) resolve against the compose file's folder, as Compose does.
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		fmt.Fprintf(os.Stderr, "compose-check: %v\n", err)
		os.Exit(1)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintf(os.Stderr, "compose-check: %v\n", err)
		os.Exit(1)
	}
	out, err := project.MarshalJSON()
	if err != nil {
		fmt.Fprintf(os.Stderr, "compose-check: %v\n", err)
		os.Exit(1)
	}
	os.Stdout.Write(out)
	os.Stdout.Write([]byte("\n"))
}
