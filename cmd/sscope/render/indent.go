package render

// appendIndent appends src — compact JSON as encoding/json writes it — laid
// out exactly as json.Indent(dst, src, prefix, "  ") would. Unlike
// json.Indent it does not validate its input (it only ever sees JSON this
// program encoded), which makes it several times faster on large reports.
func appendIndent(dst, src []byte, prefix string) []byte {
	depth := 0
	inString, escaped, open := false, false, false
	newline := func() {
		dst = append(dst, '\n')
		dst = append(dst, prefix...)
		for i := 0; i < depth; i++ {
			dst = append(dst, ' ', ' ')
		}
	}
	for _, c := range src {
		if inString {
			dst = append(dst, c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		if open {
			// The byte after an opening bracket: an empty container stays
			// on one line.
			open = false
			if c == ']' || c == '}' {
				depth--
				dst = append(dst, c)
				continue
			}
			newline()
		}
		switch c {
		case '"':
			inString = true
			dst = append(dst, c)
		case '{', '[':
			dst = append(dst, c)
			depth++
			open = true
		case '}', ']':
			depth--
			newline()
			dst = append(dst, c)
		case ',':
			dst = append(dst, c)
			newline()
		case ':':
			dst = append(dst, ':', ' ')
		case ' ', '\t', '\n', '\r':
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

// appendToLastArray adds item (compact JSON) to the array that is the last
// member of the object obj (compact JSON), e.g. a session's findings.
func appendToLastArray(obj, item []byte) []byte {
	end := len(obj) - 1
	for end > 0 && obj[end] != ']' {
		end--
	}
	out := make([]byte, 0, len(obj)+len(item)+1)
	out = append(out, obj[:end]...)
	if obj[end-1] != '[' {
		out = append(out, ',')
	}
	out = append(out, item...)
	return append(out, obj[end:]...)
}
