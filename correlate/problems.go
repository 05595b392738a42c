package correlate

import (
	"regexp"

	"github.com/sessionscope/sscope/correlate/report"
)

// maxProblems caps the distinct problems listed; later ones are counted
// into the last entry.
const maxProblems = 500

var offsetRe = regexp.MustCompile(`at byte \d+`)

// problems aggregates decoding problems by what they are.
type problems struct {
	list  []report.Problem
	index map[string]int
}

func (p *problems) add(input int, frame uint64, layer, kind, detail string) {
	if p.index == nil {
		p.index = make(map[string]int)
	}
	key := layer + "|" + kind + "|" + offsetRe.ReplaceAllString(detail, "at byte N")
	if i, ok := p.index[key]; ok {
		p.list[i].Count++
		return
	}
	if len(p.list) >= maxProblems {
		p.list[len(p.list)-1].Count++
		return
	}
	p.index[key] = len(p.list)
	p.list = append(p.list, report.Problem{Input: input, Frame: frame, Layer: layer, Kind: kind, Detail: detail, Count: 1})
}
