package generator

import (
	"fmt"
	"strings"
)

// NormalizeISBN checks an ISBN-10 or ISBN-13 as librarians write them
// (hyphens and spaces allowed) and returns its digits. The error says what
// is wrong in words a librarian can act on.
func NormalizeISBN(s string) (string, error) {
	digits := strings.Map(func(r rune) rune {
		switch {
		case r == '-' || r == ' ':
			return -1
		case r == 'x':
			return 'X'
		}
		return r
	}, s)
	for i, r := range digits {
		if (r < '0' || r > '9') && !(r == 'X' && i == 9 && len(digits) == 10) {
			return "", fmt.Errorf("has %q in it; an ISBN has only digits and hyphens (an ISBN-10 may end in X)", r)
		}
	}
	switch len(digits) {
	case 10:
		sum := 0
		for i := 0; i < 10; i++ {
			v := int(digits[i] - '0')
			if digits[i] == 'X' {
				v = 10
			}
			sum += v * (10 - i)
		}
		if sum%11 != 0 {
			return "", fmt.Errorf("the check digit is wrong (for the first nine digits it should be %s): check for a typo", isbn10Check(digits[:9]))
		}
	case 13:
		sum := 0
		for i := 0; i < 12; i++ {
			v := int(digits[i] - '0')
			if i%2 == 1 {
				v *= 3
			}
			sum += v
		}
		want := (10 - sum%10) % 10
		if int(digits[12]-'0') != want {
			return "", fmt.Errorf("the check digit is wrong (for the first twelve digits it should be %d): check for a typo", want)
		}
	default:
		return "", fmt.Errorf("has %d digits; an ISBN has 10 or 13", len(digits))
	}
	return digits, nil
}

func isbn10Check(nine string) string {
	sum := 0
	for i := 0; i < 9; i++ {
		sum += int(nine[i]-'0') * (10 - i)
	}
	c := (11 - sum%11) % 11
	if c == 10 {
		return "X"
	}
	return fmt.Sprint(c)
}
