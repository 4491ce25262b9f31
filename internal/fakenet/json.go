package fakenet

// Dig walks a decoded JSON value by object keys (strings) and array
// indexes (ints): Dig(body, "data", 0, "id"). What is missing is nil.
func Dig(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return nil
			}
			v = a[k]
		}
	}
	return v
}
