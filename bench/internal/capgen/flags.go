package capgen

import "strings"

// TemplateList collects repeated -template flags of the generators.
type TemplateList []string

func (t *TemplateList) String() string     { return strings.Join(*t, ",") }
func (t *TemplateList) Set(s string) error { *t = append(*t, s); return nil }
