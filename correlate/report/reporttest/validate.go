// Package reporttest checks reports against the report's JSON Schema in
// tests: every report a test produces goes through Validate.
package reporttest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/sessionscope/sscope/correlate/report"
)

const schemaURL = "https://sessionscope.dev/schema/sscope.report/v1.json"

var (
	once     sync.Once
	root     *jsonschema.Schema
	session  *jsonschema.Schema
	buildErr error
)

func compile() {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(report.Schema))
	if err != nil {
		buildErr = err
		return
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		buildErr = err
		return
	}
	if root, err = c.Compile(schemaURL); err != nil {
		buildErr = err
		return
	}
	session, buildErr = c.Compile(schemaURL + "#/$defs/session")
}

// TB is the part of testing.TB Validate needs.
type TB interface {
	Helper()
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
}

// Report validates a whole JSON report.
func Report(t TB, data []byte) {
	t.Helper()
	validate(t, data, false)
}

// Session validates one session object (an NDJSON session line).
func Session(t TB, data []byte) {
	t.Helper()
	validate(t, data, true)
}

// Value marshals r and validates it as a report.
func Value(t TB, r *report.Report) {
	t.Helper()
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatalf("marshal report: %v", err)
	}
	Report(t, b)
}

func validate(t TB, data []byte, isSession bool) {
	t.Helper()
	once.Do(compile)
	if buildErr != nil {
		t.Fatalf("report schema does not compile: %v", buildErr)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	sch := root
	if isSession {
		sch = session
	}
	if err := sch.Validate(v); err != nil {
		t.Errorf("report does not follow its schema: %v", trim(fmt.Sprint(err)))
	}
}

func trim(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "…"
	}
	return s
}
