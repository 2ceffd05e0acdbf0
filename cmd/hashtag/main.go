// Command hashtag prepares corpora, trains and evaluates hashtag
// recommenders, exports the browser model, and builds and serves the
// in-browser recommender. Run "hashtag help" for the commands and
// "hashtag help COMMAND" for one command's flags.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hashtag-rec/hashtag/model/post"
)

// A Command is one subcommand of hashtag, in the manner of the go
// command's: its usage, its help, its flags and what it runs. Commands are
// made afresh for every invocation (commands), so that no flag value of
// one run is left for the next.
type Command struct {
	// UsageLine is the one-line usage; its second word is the command's
	// name.
	UsageLine string
	// Short is the one-line description "hashtag help" lists.
	Short string
	// Long is the description "hashtag help COMMAND" prints.
	Long string
	// Flag is the command's flag set, bound to this invocation's values.
	Flag *flag.FlagSet
	// CustomFlags says that Run parses the arguments itself (it gets them
	// unparsed); Flag still documents the flags.
	CustomFlags bool
	// Run runs the command with the positional arguments left after its
	// flags.
	Run func(args []string, stdout, stderr io.Writer) error
}

// Name is the command's name: the second word of UsageLine.
func (c *Command) Name() string {
	f := strings.Fields(c.UsageLine)
	if len(f) < 2 {
		return ""
	}
	return f[1]
}

// newCommand returns a command with an empty flag set that reports errors
// instead of exiting.
func newCommand(usageLine, short, long string) *Command {
	c := &Command{UsageLine: usageLine, Short: short, Long: strings.TrimSpace(long)}
	c.Flag = flag.NewFlagSet(c.Name(), flag.ContinueOnError)
	return c
}

// usage prints the command's usage line, its help and its flags.
func (c *Command) usage(w io.Writer) {
	fmt.Fprintf(w, "usage: %s\n\n", c.UsageLine)
	if c.Long != "" {
		fmt.Fprintf(w, "%s\n\n", c.Long)
	}
	hasFlags := false
	c.Flag.VisitAll(func(*flag.Flag) { hasFlags = true })
	if hasFlags {
		fmt.Fprintln(w, "flags:")
		c.Flag.SetOutput(w)
		c.Flag.PrintDefaults()
	}
}

// commands returns every command, made afresh, in the order "hashtag help"
// lists them: from a corpus to a model, to the page, then the tools around
// them.
func commands() []*Command {
	return []*Command{
		newPrepare(),
		newTrain(),
		newEval(),
		newExport(),
		newSite(),
		newServe(),
		newTags(),
		newSuggest(),
		newExperiments(),
		newBench(),
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run runs the command line args and returns the exit code: 0, 1 when the
// command failed, 2 for a command line that names no command.
func run(args []string, stdout, stderr io.Writer) int {
	cmds := commands()
	if len(args) == 0 {
		usage(stderr, cmds)
		return 2
	}
	if args[0] == "help" || args[0] == "-h" || args[0] == "--help" || args[0] == "-help" {
		return help(args[1:], stdout, stderr, cmds)
	}
	var c *Command
	for _, cc := range cmds {
		if cc.Name() == args[0] {
			c = cc
		}
	}
	if c == nil {
		fmt.Fprintf(stderr, "hashtag: unknown command %q\nRun 'hashtag help' for usage.\n", args[0])
		return 2
	}
	c.Flag.SetOutput(stderr)
	c.Flag.Usage = func() { c.usage(stderr) }
	rest := args[1:]
	var err error
	if !c.CustomFlags {
		if err = c.Flag.Parse(rest); err == nil {
			rest = c.Flag.Args()
		}
	}
	if err == nil {
		err = c.Run(rest, stdout, stderr)
	}
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		hint := ""
		if errors.Is(err, post.ErrUnknownFormat) && c.Flag.Lookup("format") != nil {
			hint = "; name it with --format"
		}
		fmt.Fprintf(stderr, "hashtag %s: %v%s\n", c.Name(), err, hint)
		return 1
	}
	return 0
}

// help prints the list of commands (no args) or one command's usage, on
// stdout, as "go help" does.
func help(args []string, stdout, stderr io.Writer, cmds []*Command) int {
	switch len(args) {
	case 0:
		usage(stdout, cmds)
		return 0
	case 1:
		for _, c := range cmds {
			if c.Name() == args[0] {
				c.usage(stdout)
				return 0
			}
		}
		fmt.Fprintf(stderr, "hashtag help %s: unknown command. Run 'hashtag help'.\n", args[0])
		return 2
	}
	fmt.Fprintln(stderr, "usage: hashtag help [command]\n\nToo many arguments given.")
	return 2
}

// usage lists the commands.
func usage(w io.Writer, cmds []*Command) {
	fmt.Fprintln(w, "Hashtag prepares corpora, trains and evaluates hashtag recommenders, exports the\n"+
		"browser model, and builds and serves the in-browser recommender.\n\n"+
		"usage: hashtag <command> [flags] [args]\n\ncommands:")
	for _, c := range cmds {
		fmt.Fprintf(w, "  %-12s %s\n", c.Name(), c.Short)
	}
	fmt.Fprintln(w, "\nRun \"hashtag help <command>\" for a command's usage and flags.")
}
