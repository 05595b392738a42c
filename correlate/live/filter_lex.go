package live

// The lexer of capture filter expressions: words (keywords, numbers,
// addresses), parentheses, brackets and operators, each with its byte
// position so that errors can point at it.

type tokKind int

const (
	tokEOF     tokKind = iota
	tokWord            // keyword, number, address, name
	tokLParen          // (
	tokRParen          // )
	tokLBrack          // [
	tokRBrack          // ]
	tokColon           // : inside brackets
	tokNot             // not, !
	tokAnd             // and, &&
	tokOr              // or, ||
	tokAmp             // &
	tokRel             // = == != < <= > >=
	tokIllegal         // anything else
)

type token struct {
	kind tokKind
	text string
	pos  int // byte offset in the expression
	end  int // byte offset after the token
}

// maxFilterLen bounds the expression; longer ones are refused before lexing.
const maxFilterLen = 4096

func isWordByte(c byte, inBrackets bool) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	case c == '.', c == '/', c == '-', c == '_', c == '\\':
		return true
	case c == ':':
		return !inBrackets
	}
	return false
}

// lex splits s into tokens, ending with tokEOF.
func lex(s string) []token {
	var toks []token
	depth := 0 // brackets open
	i := 0
	for i < len(s) {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		start := i
		two := ""
		if i+1 < len(s) {
			two = s[i : i+2]
		}
		var k tokKind
		switch {
		case c == '(':
			k, i = tokLParen, i+1
		case c == ')':
			k, i = tokRParen, i+1
		case c == '[':
			k, i = tokLBrack, i+1
			depth++
		case c == ']':
			k, i = tokRBrack, i+1
			if depth > 0 {
				depth--
			}
		case c == ':' && depth > 0:
			k, i = tokColon, i+1
		case two == "&&":
			k, i = tokAnd, i+2
		case two == "||":
			k, i = tokOr, i+2
		case two == "!=", two == "==", two == "<=", two == ">=":
			k, i = tokRel, i+2
		case c == '!':
			k, i = tokNot, i+1
		case c == '&':
			k, i = tokAmp, i+1
		case c == '=' || c == '<' || c == '>':
			k, i = tokRel, i+1
		case isWordByte(c, depth > 0):
			for i < len(s) && isWordByte(s[i], depth > 0) {
				i++
			}
			k = tokWord
			switch s[start:i] {
			case "and":
				k = tokAnd
			case "or":
				k = tokOr
			case "not":
				k = tokNot
			}
		default:
			// One character (or one UTF-8 sequence) that has no place here.
			i++
			for i < len(s) && s[i]&0xc0 == 0x80 {
				i++
			}
			k = tokIllegal
		}
		toks = append(toks, token{kind: k, text: s[start:i], pos: start, end: i})
	}
	return append(toks, token{kind: tokEOF, pos: len(s), end: len(s)})
}
