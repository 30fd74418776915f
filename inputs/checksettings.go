package inputs

import (
	"time"

	"github.com/shopspring/decimal"
)

// CheckSettings checks setting values given on the command line, by
// Settings key, as Read checks them but without an input: each problem
// names its flag in Cell ("--carrying-rate"). The command line reports
// them as bad usage before it reads anything.
func CheckSettings(settings map[string]string) []Problem {
	r := &reader{opts: Options{Settings: settings, Now: time.Now()},
		fx: map[string]decimal.Decimal{}, named: map[string]bool{}, missingFX: map[string]bool{}}
	if err := r.readSettings(); err != nil {
		return []Problem{{Message: err.Error(), Error: true, Err: err}}
	}
	return r.ps.finish()
}
