package render

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func jsonIndent(t testing.TB, src []byte, prefix string) []byte {
	var b bytes.Buffer
	if err := json.Indent(&b, src, prefix, "  "); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestAppendIndentMatchesEncodingJSON(t *testing.T) {
	docs, _ := filepath.Glob("../../../samples/lab/captures/*.golden.json")
	if len(docs) == 0 {
		t.Fatal("no golden reports")
	}
	inputs := [][]byte{[]byte(`{"a":[],"b":{},"c":[{"d":"x\"y\\\\","e":[1,2]}],"f":"[{,:}]"}`)}
	for _, d := range docs {
		b, err := os.ReadFile(d)
		if err != nil {
			t.Fatal(err)
		}
		var compact bytes.Buffer
		if err := json.Compact(&compact, b); err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, compact.Bytes())
	}
	for i, in := range inputs {
		for _, prefix := range []string{"", "    "} {
			got := appendIndent(nil, in, prefix)
			if want := jsonIndent(t, in, prefix); !bytes.Equal(got, want) {
				t.Errorf("input %d prefix %q: differs from json.Indent", i, prefix)
			}
		}
	}
}

func TestAppendToLastArray(t *testing.T) {
	for _, c := range []struct{ obj, item, want string }{
		{`{"a":1,"findings":[]}`, `{"id":"x"}`, `{"a":1,"findings":[{"id":"x"}]}`},
		{`{"a":"]","findings":[{"id":"y"}]}`, `{"id":"x"}`, `{"a":"]","findings":[{"id":"y"},{"id":"x"}]}`},
	} {
		if got := string(appendToLastArray([]byte(c.obj), []byte(c.item))); got != c.want {
			t.Errorf("got %s want %s", got, c.want)
		}
	}
}

func FuzzAppendIndent(f *testing.F) {
	f.Add([]byte(`{"a":[1,{"b":"c\\"]"}],"d":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var compact bytes.Buffer
		if json.Compact(&compact, data) != nil {
			return
		}
		got := appendIndent(nil, compact.Bytes(), "  ")
		if want := jsonIndent(t, compact.Bytes(), "  "); !bytes.Equal(got, want) {
			t.Fatalf("got %q want %q", got, want)
		}
	})
}
