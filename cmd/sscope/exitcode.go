package main

// Exit codes, documented in the README and in `sscope --help`.
const (
	exitOK      = 0 // everything analyzed
	exitPartial = 1 // an input could only be partly analyzed (truncated, damaged)
	exitUsage   = 2 // bad usage, or an input could not be read at all
)

// exitError carries an exit code out of a command.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }
