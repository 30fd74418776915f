package exposure

// rareEarthOrder are the 17 rare earths in atomic-number order:
// scandium, yttrium and the fifteen lanthanides. The symbols are written
// here only; rareEarths is the same list as a set.
var rareEarthOrder = [...]string{
	"Sc", "Y", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu",
	"Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu",
}

// rareEarths are the 17 elements the exposure figures count, as a set:
// the loops over a million lines' content ask it once per entry.
var rareEarths = func() map[string]bool {
	set := make(map[string]bool, len(rareEarthOrder))
	for _, s := range rareEarthOrder {
		set[s] = true
	}
	return set
}()

// heavyRareEarths are the elements whose separation stage is the source's
// heavy-rare-earth separation country (SPEC section 3).
var heavyRareEarths = map[string]bool{
	"Gd": true, "Tb": true, "Dy": true, "Ho": true, "Er": true, "Tm": true, "Yb": true, "Lu": true, "Y": true,
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
