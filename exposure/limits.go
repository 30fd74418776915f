package exposure

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"
)

// Limits of the cost model. Whatever an input says, the computation's
// memory is bounded by them and every figure stays a finite number: the
// Monte Carlo and the sensitivity analysis run in float64, which holds
// values up to about 1e308, and a figure is a product of a handful of
// inputs (volume, exploded quantity, mass or cost, price, uplift), each
// at most 1e40 as the readers accept it.
const (
	// MinHorizon and MaxHorizon bound Settings.Horizon, in months (SPEC
	// section 5): every scenario holds tables per month.
	MinHorizon = 12
	MaxHorizon = 120
	// MaxYear is the last year a projection may reach: months are written
	// YYYY-MM, as Excel's calendar ends in 9999.
	MaxYear = 9999
)

// MaxQuantity bounds an exploded quantity (the product of qty_per from the
// product down to a line), as a cell value is bounded: beyond it the
// figures would leave the range of float64.
var MaxQuantity = decimal.New(1, 40)

var (
	// ErrHorizon: the horizon is outside MinHorizon..MaxHorizon, or the
	// projection would run past MaxYear.
	ErrHorizon = errors.New("the horizon must be 12 to 120 months, ending by 9999-12")
	// ErrTooLarge: an exploded quantity beyond MaxQuantity.
	ErrTooLarge = errors.New("too large")
)

// checkSettings checks the settings that size the computation.
func checkSettings(s Settings) error {
	if s.Horizon < MinHorizon || s.Horizon > MaxHorizon {
		return fmt.Errorf("%w (got %d)", ErrHorizon, s.Horizon)
	}
	if last := s.Start.Year*12 + int(s.Start.Month) - 1 + s.Horizon - 1; s.Start.Year < 1 || last/12 > MaxYear {
		return fmt.Errorf("%w (a projection of %d months from %04d-%02d)", ErrHorizon, s.Horizon, s.Start.Year, int(s.Start.Month))
	}
	return nil
}

// stopped reports whether the computation's context is done; Compute then
// returns its error. The checks are placed per scenario, per batch of
// Monte Carlo draws and per group of plan lines, so that Ctrl-C stops a
// long computation within a fraction of a second.
func (m *model) stopped() bool {
	return m.ctx != nil && m.ctx.Err() != nil
}

// ctxErr is the context's error, nil while it runs.
func (m *model) ctxErr() error {
	if m.ctx == nil {
		return nil
	}
	return m.ctx.Err()
}
