package scenario

import (
	"fmt"
	"strings"
)

// Scenario is one sample the reference implementation can make.
type Scenario struct {
	ID    string
	Title string
	// Story says in a few sentences what happens and what the analyzer
	// must say about it.
	Story string
	run   func(w *World) error
}

// All lists every scenario in order.
func All() []Scenario { return scenarios }

// Lookup finds scenarios by ID (case-insensitive); no IDs means all.
func Lookup(ids []string) ([]Scenario, error) {
	if len(ids) == 0 {
		return scenarios, nil
	}
	var out []Scenario
	for _, id := range ids {
		found := false
		for _, s := range scenarios {
			if strings.EqualFold(s.ID, id) {
				out = append(out, s)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no scenario %q (see `sscope samples list`)", id)
		}
	}
	return out, nil
}
