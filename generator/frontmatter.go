package generator

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// maxFileSize bounds a content file: a news post is a few kilobytes, and a
// 10 MB file is a mistake (a pasted image, a log) that would slow every build.
const maxFileSize = 1 << 20

// splitFrontMatter separates the YAML between the opening and closing "---"
// lines from the Markdown after them, by hand so both keep their line
// numbers: yamlLine is the file line of the first YAML line, bodyLine the
// file line of the first body line.
func splitFrontMatter(data []byte) (yaml, body []byte, yamlLine, bodyLine int, err error) {
	if len(data) > maxFileSize {
		return nil, nil, 0, 0, fmt.Errorf("the file is %.1f MB; content files must be under 1 MB (put large files such as images or PDFs in static/ and link to them)", float64(len(data))/(1<<20))
	}
	if !utf8.Valid(data) {
		line := bytes.Count(data[:firstInvalid(data)], []byte("\n")) + 1
		return nil, nil, line, 0, fmt.Errorf("this line has characters that are not UTF-8 text; save the file as UTF-8 (in most editors: Save with encoding, UTF-8) or retype the odd characters")
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil, 1, 0, fmt.Errorf("the file is empty; start it with front matter: a line ---, then lines like title: \"...\" and date: 2026-12-01, then another ---")
	}
	rest, ok := cutLine(data, "---")
	if !ok {
		return nil, nil, 1, 0, fmt.Errorf("the file must start with a line of three dashes (---), then the title, date and other keys, then another --- line")
	}
	line := 2
	for off := 0; off <= len(rest); {
		end := bytes.IndexByte(rest[off:], '\n')
		var l []byte
		if end < 0 {
			l, end = rest[off:], len(rest)
		} else {
			l, end = rest[off:off+end], off+end+1
		}
		if string(bytes.TrimRight(l, " \t\r")) == "---" {
			return rest[:off], rest[min(end, len(rest)):], 2, line + 1, nil
		}
		if end >= len(rest) {
			break
		}
		off = end
		line++
	}
	return nil, nil, 1, 0, fmt.Errorf("the front matter is not closed: add a line of three dashes (---) after the last key, before the text")
}

// cutLine removes a first line equal to want (ignoring trailing spaces and \r).
func cutLine(data []byte, want string) ([]byte, bool) {
	i := bytes.IndexByte(data, '\n')
	if i < 0 {
		return nil, false
	}
	if string(bytes.TrimRight(data[:i], " \t\r")) != want {
		return nil, false
	}
	return data[i+1:], true
}

func firstInvalid(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return len(b)
}
