package live

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// FuzzCompileFilter: no expression makes the compiler panic; a refused one
// says where, an accepted one is a program the kernel's verifier rules
// accept (bpf.NewVM checks them) and runs on any frame.
func FuzzCompileFilter(f *testing.F) {
	for _, e := range oracleExprs {
		f.Add(e)
	}
	for _, e := range []string{"udp prt 1812", "host 10.0.0.1 and (", "tcp[13] & 2 != 0 or not (arp)", "ether proto \\ip",
		"src or dst net 2001:db8::/33 || ip6 proto 44", "port 1812 or 1813 or radius-acct", "ip[0:4] > 0x45000000"} {
		f.Add(e)
	}
	frames := madeUpFrames(f)
	f.Fuzz(func(t *testing.T, expr string) {
		flt, err := CompileFilter(expr)
		if err != nil {
			var fe *FilterError
			if !errors.As(err, &fe) {
				t.Fatalf("%q: error %T %v", expr, err, err)
			}
			if fe.Pos < 0 || fe.End < fe.Pos || fe.Pos > len(expr)+1 || fe.Msg == "" {
				t.Fatalf("%q: error span %d-%d: %v", expr, fe.Pos, fe.End, fe)
			}
			_ = fe.Marked()
			return
		}
		if strings.TrimSpace(expr) != "" && (flt.Raw() == nil || len(flt.Program) > maxInstructions) {
			t.Fatalf("%q: accepted without a program", expr)
		}
		for _, fr := range frames {
			flt.Match(fr.data)
		}
		again, err := CompileFilter(expr)
		if err != nil || !reflect.DeepEqual(again.Program, flt.Program) {
			t.Fatalf("%q: compiles differently the second time", expr)
		}
	})
}
