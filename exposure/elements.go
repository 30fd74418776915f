package exposure

// rareEarthOrder are the 17 rare earths in atomic-number order:
// scandium, yttrium and the fifteen lanthanides. The rareEarths set of
// compute.go holds the same symbols (TestRareEarthsAgree).
var rareEarthOrder = [...]string{
	"Sc", "Y", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu",
	"Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu",
}

// RareEarths returns the symbols of the 17 rare earths in atomic-number
// order (Sc, Y, La, Ce, …, Lu): the elements whose exposure rexpo
// figures. The slice is the caller's.
func RareEarths() []string { return append([]string(nil), rareEarthOrder[:]...) }

// IsRareEarth reports whether symbol, a chemical symbol as written
// ("Nd", not "ND"), is one of the 17 rare earths.
func IsRareEarth(symbol string) bool { return rareEarths[symbol] }

// IsHeavyRareEarth reports whether symbol is a heavy rare earth (Gd, Tb,
// Dy, Ho, Er, Tm, Yb, Lu and Y): one separated where the source's
// heavy-rare-earth separation country says (SPEC section 3).
func IsHeavyRareEarth(symbol string) bool { return heavyRareEarths[symbol] }
