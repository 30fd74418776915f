package declaration

import (
	"fmt"
	"sync"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/reference"
)

// reSpecies is what a CAS number of a rare-earth substance counts as.
type reSpecies struct {
	element string
	factor  decimal.Decimal // grams of the element per gram of the substance
	formula string          // "Nd2O3"; the symbol for the element itself
}

// reOxides are the rare-earth compounds counted by their own CAS numbers
// (reference section 10; Tm2O3 and Yb2O3 added, check digits verified by
// a test). The element's mass is the compound's × n·A(El) / M(compound).
var reOxides = []struct{ cas, formula string }{
	{"12060-08-1", "Sc2O3"}, {"1314-36-9", "Y2O3"}, {"1312-81-8", "La2O3"}, {"1306-38-3", "CeO2"},
	{"12037-29-5", "Pr6O11"}, {"1313-97-9", "Nd2O3"}, {"12060-58-1", "Sm2O3"}, {"1308-96-9", "Eu2O3"},
	{"12064-62-9", "Gd2O3"}, {"12037-01-3", "Tb4O7"}, {"1308-87-8", "Dy2O3"}, {"12055-62-8", "Ho2O3"},
	{"12061-16-4", "Er2O3"}, {"12036-44-1", "Tm2O3"}, {"1314-37-0", "Yb2O3"}, {"12032-20-1", "Lu2O3"},
}

// atomicWeights are IUPAC standard atomic weights (abridged, 2021 values)
// of the elements the compounds hold; Pm has no stable isotope and no
// compound here.
var atomicWeights = map[string]string{
	"O": "15.999", "Sc": "44.955907", "Y": "88.905838", "La": "138.90547", "Ce": "140.116",
	"Pr": "140.90766", "Nd": "144.242", "Sm": "150.36", "Eu": "151.964", "Gd": "157.249",
	"Tb": "158.925354", "Dy": "162.500", "Ho": "164.930329", "Er": "167.259", "Tm": "168.934219",
	"Yb": "173.045", "Lu": "174.96669",
}

var (
	reSpeciesOnce  sync.Once
	reSpeciesByCAS map[string]reSpecies
	reSpeciesErr   error
)

// rareEarthSpecies returns the rare-earth substances by CAS number: the 17
// elements (data/elements.csv) and reOxides.
func rareEarthSpecies() (map[string]reSpecies, error) {
	reSpeciesOnce.Do(func() {
		m := map[string]reSpecies{}
		for _, sym := range exposure.RareEarths() {
			m[reference.CASNumber(sym)] = reSpecies{element: sym, factor: decimal.NewFromInt(1), formula: sym}
		}
		for _, o := range reOxides {
			el, f, err := elementFraction(o.formula)
			if err != nil {
				reSpeciesErr = err
				return
			}
			m[o.cas] = reSpecies{element: el, factor: f, formula: o.formula}
		}
		if len(m) != 17+len(reOxides) {
			reSpeciesErr = fmt.Errorf("rare-earth substances: %d CAS numbers, want %d", len(m), 17+len(reOxides))
			return
		}
		reSpeciesByCAS = m
	})
	return reSpeciesByCAS, reSpeciesErr
}

// elementFraction parses a formula such as Pr6O11 and returns its rare
// earth and the mass fraction of it, to 12 places.
func elementFraction(formula string) (string, decimal.Decimal, error) {
	var el string
	var part, total decimal.Decimal
	for i := 0; i < len(formula); {
		j := i + 1
		for j < len(formula) && formula[j] >= 'a' && formula[j] <= 'z' {
			j++
		}
		sym := formula[i:j]
		k := j
		for k < len(formula) && formula[k] >= '0' && formula[k] <= '9' {
			k++
		}
		n := int64(1)
		if k > j {
			fmt.Sscan(formula[j:k], &n)
		}
		w, ok := atomicWeights[sym]
		if !ok {
			return "", decimal.Zero, fmt.Errorf("formula %s: no atomic weight for %q", formula, sym)
		}
		m := decimal.RequireFromString(w).Mul(decimal.NewFromInt(n))
		total = total.Add(m)
		if sym != "O" {
			el, part = sym, part.Add(m)
		}
		i = k
	}
	if el == "" || total.IsZero() {
		return "", decimal.Zero, fmt.Errorf("formula %s holds no rare earth", formula)
	}
	return el, part.DivRound(total, 12), nil
}
