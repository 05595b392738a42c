package expect

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// WriteTable prints the scenario × column table: each cell is the worst
// status of the column's checks ("-" when the scenario has none), then
// every failure and every not-yet-supported difference with its reason.
func WriteTable(w io.Writer, results []Result) {
	tw := tabwriter.NewWriter(w, 0, 0, 1, ' ', 0)
	fmt.Fprint(tw, "scenario\t"+strings.Join(Columns, "\t")+"\tverdict\n")
	for _, r := range results {
		cells := make([]string, len(Columns))
		for i, col := range Columns {
			cells[i] = cell(r, col)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", r.Scenario, strings.Join(cells, "\t"), r.Worst())
	}
	tw.Flush()

	for _, r := range results {
		if r.Err != nil {
			fmt.Fprintf(w, "\n%s: %v\n", r.Path, r.Err)
			continue
		}
		var fails, ns []Check
		for _, c := range r.Checks {
			switch c.Status {
			case Fail:
				fails = append(fails, c)
			case NotSupported:
				ns = append(ns, c)
			}
		}
		if len(fails) == 0 && len(ns) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", r.Scenario)
		for _, c := range fails {
			fmt.Fprintf(w, "  FAIL %s %s: want %s, got %s\n", c.Item, c.Field, c.Want, c.Got)
		}
		for _, c := range ns {
			fmt.Fprintf(w, "  n/s  %s %s: want %s, got %s (%s)\n", c.Item, c.Field, c.Want, c.Got, c.Reason)
		}
	}
}

func cell(r Result, col string) string {
	if r.Err != nil {
		return "ERR"
	}
	seen := false
	worst := Pass
	for _, c := range r.Checks {
		if c.Column == col {
			seen = true
			worst = max(worst, c.Status)
		}
	}
	if !seen {
		return "-"
	}
	return worst.String()
}

// Summary counts results by worst status.
func Summary(results []Result) (pass, notSupported, fail int) {
	for _, r := range results {
		switch r.Worst() {
		case Pass:
			pass++
		case NotSupported:
			notSupported++
		default:
			fail++
		}
	}
	return
}
