package cp1252

import "testing"

func TestRune(t *testing.T) {
	// Worked from the code page's table: 0x80 is the euro sign, 0x93 and
	// 0x94 curly double quotes; 0x81 is undefined and reads as U+0081;
	// 0xE9 is é as in Latin-1; ASCII is itself.
	for _, tc := range []struct {
		in   byte
		want rune
	}{{'A', 'A'}, {0x80, '€'}, {0x93, '“'}, {0x94, '”'}, {0x81, 0x81}, {0xE9, 'é'}, {0x9F, 'Ÿ'}} {
		if got := Rune(tc.in); got != tc.want {
			t.Errorf("Rune(%#x) = %U, want %U", tc.in, got, tc.want)
		}
	}
	if got := string(AppendRune([]byte("x"), 0x80)); got != "x€" {
		t.Errorf("AppendRune = %q, want %q", got, "x€")
	}
}
