package capgen

import "testing"

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{
		{"123", 123}, {"64K", 64 << 10}, {"500M", 500 << 20}, {"5G", 5 << 30},
		{"1.5G", 3 << 29}, {"2t", 2 << 40}, {"300MB", 300 << 20}, {"4MiB", 4 << 20},
	} {
		got, err := ParseSize(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "G", "-1M", "5X", "1e30"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) accepted", bad)
		}
	}
}
