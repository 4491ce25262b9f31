package twittertext

import "strings"

// maxLabelLength is the DNS limit on one label of a domain once
// punycode-encoded. twitter-text does not extract a link with a longer label,
// so a long Japanese host name can stop a link from counting as 23.
const maxLabelLength = 63

// validLabels reports whether every dot-separated label of domain encodes to
// 1..63 ASCII characters, as twitter-text's idna.toAscii checks. Like
// punycode.js, which it uses, a label is further split at the ideographic and
// full-width full stops before encoding.
func validLabels(domain string) bool {
	for label := range strings.SplitSeq(domain, ".") {
		n := 0
		for i, part := range strings.Split(strings.Map(idnDot, label), ".") {
			if i > 0 {
				n++ // the separator, written back as "."
			}
			n += len(punycodeASCII(part))
		}
		if n < 1 || n > maxLabelLength {
			return false
		}
	}
	return true
}

// idnDot maps the ideographic and full-width full stops to ".".
func idnDot(r rune) rune {
	if r == '\u3002' || r == '\uFF0E' || r == '\uFF61' {
		return '.'
	}
	return r
}

// punycodeASCII is punycode.js's toASCII for one label: unchanged if it is
// ASCII (up to U+007E), otherwise "xn--" and its RFC 3492 encoding.
func punycodeASCII(label string) string {
	if !strings.ContainsFunc(label, func(r rune) bool { return r > 0x7E }) {
		return label
	}
	return "xn--" + punycodeEncode([]rune(label))
}

// RFC 3492 parameters for IDNA.
const (
	pcBase        = 36
	pcTMin        = 1
	pcTMax        = 26
	pcSkew        = 38
	pcDamp        = 700
	pcInitialBias = 72
	pcInitialN    = 128
)

// punycodeEncode is RFC 3492 section 6.3. Overflow cannot happen for labels
// that fit in a post, so it is not checked.
func punycodeEncode(input []rune) string {
	var out strings.Builder
	for _, r := range input {
		if r < 0x80 {
			out.WriteRune(r)
		}
	}
	basic := out.Len()
	handled := basic
	if basic > 0 {
		out.WriteByte('-')
	}
	n, delta, bias := rune(pcInitialN), 0, pcInitialBias
	for handled < len(input) {
		m := rune(0x7FFFFFFF)
		for _, r := range input {
			if r >= n && r < m {
				m = r
			}
		}
		delta += int(m-n) * (handled + 1)
		n = m
		for _, r := range input {
			if r < n {
				delta++
			}
			if r != n {
				continue
			}
			q := delta
			for k := pcBase; ; k += pcBase {
				t := min(max(k-bias, pcTMin), pcTMax)
				if q < t {
					break
				}
				out.WriteByte(punycodeDigit(t + (q-t)%(pcBase-t)))
				q = (q - t) / (pcBase - t)
			}
			out.WriteByte(punycodeDigit(q))
			bias = punycodeAdapt(delta, handled+1, handled == basic)
			delta = 0
			handled++
		}
		delta++
		n++
	}
	return out.String()
}

func punycodeDigit(d int) byte {
	if d < 26 {
		return byte('a' + d)
	}
	return byte('0' + d - 26)
}

func punycodeAdapt(delta, numPoints int, first bool) int {
	if first {
		delta /= pcDamp
	} else {
		delta /= 2
	}
	delta += delta / numPoints
	k := 0
	for delta > ((pcBase-pcTMin)*pcTMax)/2 {
		delta /= pcBase - pcTMin
		k += pcBase
	}
	return k + (pcBase-pcTMin+1)*delta/(delta+pcSkew)
}
