package interop

import (
	"bytes"
	"embed"
	"fmt"
	"os"
	"strings"
	"text/template"
)

//go:embed templates/*.tmpl
var templateFiles embed.FS

var templates = template.Must(template.ParseFS(templateFiles, "templates/*.tmpl"))

// render fills the named template and writes it to path.
func render(name, path string, data any) error {
	var out bytes.Buffer
	if err := templates.ExecuteTemplate(&out, name, data); err != nil {
		return err
	}
	return os.WriteFile(path, out.Bytes(), 0o600)
}

// checkConfigValue rejects values that would break out of a quoted string or
// a line in a peer's configuration file.
func checkConfigValue(what, v string) error {
	if strings.ContainsAny(v, "\"\n\r\\") {
		return fmt.Errorf("%s %q: quotes, backslashes and line breaks are not allowed", what, v)
	}
	return nil
}
