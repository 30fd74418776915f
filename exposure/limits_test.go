package exposure

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// The limits of the cost model (issue 12, the red-team findings): sizes a
// request can set are bounded, figures stay finite, and a context stops
// the work.

func TestComputeHorizonLimits(t *testing.T) {
	base := oneLine("1", "Nd=1", "", "", []Source{src("CN/CN/CN/CN", "50")}, scen("s", "0", []Control{uplift("Nd", AnyClass, "100")}, nil))
	for _, tc := range []struct {
		name    string
		horizon int
		start   Month
		ok      bool
	}{
		{"120 months", 120, cal("2026-01"), true},
		{"121 months", 121, cal("2026-01"), false},
		{"a billion months", 1_000_000_000, cal("2026-01"), false},
		{"MaxInt64 months", math.MaxInt64, cal("2026-01"), false},
		{"negative", -1, cal("2026-01"), false},
		{"ending 9999-12", 12, cal("9999-01"), true},
		{"past 9999-12", 12, cal("9999-12"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := withSettings(base, func(s *Settings) { s.Horizon, s.Start = tc.horizon, tc.start })
			r, err := Compute(in)
			switch {
			case tc.ok && err != nil:
				t.Fatalf("Compute(horizon=%d) error = %v", tc.horizon, err)
			case tc.ok && (len(r.Months) != tc.horizon || r.Months[len(r.Months)-1] > "9999-12"):
				t.Errorf("Compute(horizon=%d) months %s..%s", tc.horizon, r.Months[0], r.Months[len(r.Months)-1])
			case !tc.ok && !errors.Is(err, ErrHorizon):
				t.Fatalf("Compute(horizon=%d, start=%04d-%02d) error = %v, want ErrHorizon", tc.horizon, tc.start.Year, tc.start.Month, err)
			}
		})
	}
}

// chain is product P1 with a chain of levels lines, each qty_per qty of
// its parent; the last carries 0.5 kg of Nd from China.
func chain(levels int, qty string) Input {
	in := oneLine(qty, "", "", "", []Source{src("US/US/US/US", "100")},
		scen("s", "50", []Control{ctl("Nd", AnyClass, "200", "50", "30")}, []Tariff{tar("US", "CN", "", "", "25")}))
	in.BOM.Lines = nil
	for k := 0; k < levels; k++ {
		l := Line{Product: "P1", PartNumber: fmt.Sprintf("A%d", k), Parent: int32(k - 1), QtyPer: dec(qty), UOM: "EA",
			Sources: []Source{src("US/US/US/US", "100")}, Row: int32(k + 2)}
		if k == levels-1 {
			l.Content, l.Sources = content("Nd=0.5"), []Source{src("CN/CN/CN/CN", "100")}
		}
		in.BOM.Lines = append(in.BOM.Lines, l)
	}
	return in
}

func TestComputeExplodedQuantityLimit(t *testing.T) {
	// Ten levels of 1e39: each cell is accepted, their product is not.
	_, err := Compute(chain(10, "1e39"))
	if !errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), "BOM!3") {
		t.Fatalf("Compute(10 levels of 1e39) error = %v, want ErrTooLarge naming BOM!3", err)
	}
	// One level of 1e39 stays within range, and its figures are finite.
	r, err := Compute(chain(1, "1e39"))
	if err != nil {
		t.Fatalf("Compute(1 level of 1e39) error = %v", err)
	}
	if r.Scenarios[0].AnnualDelta.Sign() <= 0 || r.Mix.P95.Sign() <= 0 {
		t.Errorf("annual delta %s, P95 %s, want both above 0", r.Scenarios[0].AnnualDelta, r.Mix.P95)
	}
}

// countdownCtx is a context that is done after its Err has been asked n
// times: it stops a computation at each of its checks in turn.
type countdownCtx struct {
	context.Context
	n atomic.Int64
}

func (c *countdownCtx) Err() error {
	if c.n.Add(-1) < 0 {
		return context.Canceled
	}
	return nil
}

func (c *countdownCtx) Done() <-chan struct{} { return nil }

func TestComputeContextStops(t *testing.T) {
	in := chain(3, "2")
	in.Scenarios = append(in.Scenarios, scen("t", "10", []Control{{AllElements: true, Class: AnyClass,
		Uplift: Param{Value: dec("50"), Low: dec("10"), High: dec("90"), Ranged: true}, Availability: fixed("100"), Delay: fixed("0")}}, nil))
	in.Settings.Draws = 5000
	if _, err := ComputeContext(context.Background(), in); err != nil {
		t.Fatalf("ComputeContext: %v", err)
	}
	// Stop at the first check, the second, ...: every stop ends in the
	// context's error, never in a partial result.
	for n := int64(0); n < 40; n++ {
		ctx := &countdownCtx{Context: context.Background()}
		ctx.n.Store(n)
		r, err := ComputeContext(ctx, in)
		if err == nil {
			if n < 3 {
				t.Fatalf("stopped after %d checks: no error", n)
			}
			break // fewer checks than n: the computation ended first
		}
		if !errors.Is(err, context.Canceled) || r != nil {
			t.Fatalf("stopped after %d checks: result %v, error %v; want context.Canceled", n, r != nil, err)
		}
	}

	// The context stops the plan too.
	ctx, cancel := context.WithCancel(context.Background())
	r, err := ComputeContext(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if _, err := Recommend(r); !errors.Is(err, context.Canceled) {
		t.Errorf("Recommend after cancel: error %v, want context.Canceled", err)
	}
}

// fuzzValue makes a non-negative value the readers accept (at most 1e40,
// at most 60 decimals) from a fuzzed mantissa and exponent.
func fuzzValue(mant uint32, exp int8) decimal.Decimal {
	e := int32(exp)%50 - 16 // -65..33, clamped below
	if e < -54 {
		e = -54
	}
	return decimal.New(int64(mant%1_000_000), e)
}

// FuzzCompute drives Compute with extreme values the readers accept: any
// of them must end in a result with finite figures or a clean error,
// never a panic.
func FuzzCompute(f *testing.F) {
	f.Add(uint8(1), uint32(1), int8(16), uint32(1200), int8(16), uint32(50), int8(16), uint32(5), int8(15), uint32(100), int8(16), uint32(50), int8(16), uint8(24), uint16(2026), uint8(30))
	f.Add(uint8(10), uint32(1), int8(55), uint32(1), int8(55), uint32(1), int8(55), uint32(1), int8(55), uint32(1), int8(55), uint32(1), int8(55), uint8(120), uint16(9989), uint8(200))
	f.Add(uint8(2), uint32(999999), int8(49), uint32(999999), int8(49), uint32(999999), int8(49), uint32(999999), int8(49), uint32(999999), int8(49), uint32(999999), int8(49), uint8(12), uint16(1), uint8(0))
	f.Add(uint8(3), uint32(7), int8(-16), uint32(3), int8(-10), uint32(9), int8(0), uint32(1), int8(-30), uint32(13), int8(2), uint32(77), int8(-1), uint8(60), uint16(2030), uint8(90))
	f.Fuzz(func(t *testing.T, levels uint8, qm uint32, qe int8, vm uint32, ve int8, cm uint32, ce int8, km uint32, ke int8,
		pm uint32, pe int8, um uint32, ue int8, horizon uint8, year uint16, draws uint8) {
		in := chain(int(levels%10)+1, "1")
		q := fuzzValue(qm, qe)
		for i := range in.BOM.Lines {
			l := &in.BOM.Lines[i]
			l.QtyPer = q
			l.Sources[0].UnitCost = fuzzValue(cm, ce)
			if l.Content != nil {
				l.Content[0].Kg = fuzzValue(km, ke)
				l.MaterialKg = fuzzValue(km, ke+3)
			}
		}
		in.BOM.Products[0].AnnualVolume = fuzzValue(vm, ve)
		price := fuzzValue(pm, pe)
		in.Prices["Nd"] = Price{Element: "Nd", China: price, ExChina: price.Add(price), USDChina: price, USDExChina: price, AsOf: "2025-12", Source: "fuzz"}
		up := fuzzValue(um, ue)
		sc := &in.Scenarios[0]
		sc.SpotPremium = Param{Value: up, Low: decimal.Zero, High: up.Add(up), Ranged: true}
		sc.Controls[0].Uplift = Param{Value: up, Low: up.Neg(), High: up.Add(up), Ranged: true}
		sc.Controls[0].Delay = Param{Value: up, Low: decimal.Zero, High: up.Add(up), Ranged: true}
		sc.Controls[0].Availability = Param{Value: dec("50"), Low: decimal.Zero, High: dec("100"), Ranged: true}
		sc.Tariffs[0].Pct = Param{Value: up, Low: up.Neg(), High: up, Ranged: true}
		in.Settings.CarryingRate = up
		in.Settings.Horizon = MinHorizon + int(horizon)%(MaxHorizon-MinHorizon+1)
		in.Settings.Start = Month{Year: 1 + int(year)%MaxYear, Month: time.Month(1 + int(draws)%12)}
		in.Settings.Draws = int(draws)
		r, err := Compute(in)
		if err != nil {
			if !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrHorizon) {
				t.Fatalf("Compute: unexpected error %v", err)
			}
			return
		}
		if last := r.Months[len(r.Months)-1]; len(last) != 7 || last > "9999-12" {
			t.Errorf("last month %q", last)
		}
		for _, sr := range r.Scenarios {
			for _, x := range []decimal.Decimal{sr.AnnualDelta, sr.HorizonDelta, sr.P10, sr.P90, sr.Mean} {
				if _, err := decimal.NewFromString(x.String()); err != nil {
					t.Fatalf("figure %q does not read back: %v", x, err)
				}
			}
		}
	})
}

// TestPipelineRowsPanics: a panic while part rows are produced or consumed
// reaches the caller's goroutine, where it can be recovered, and leaves no
// goroutine behind.
func TestPipelineRowsPanics(t *testing.T) {
	rows := func(emit func(PartRow) error) error {
		for i := 0; i < 10000; i++ {
			if err := emit(PartRow{Index: i}); err != nil {
				return err
			}
		}
		return nil
	}
	for _, tc := range []struct {
		name    string
		produce func(emit func(PartRow) error) error
		consume func(PartRow) error
	}{
		{"produce", func(emit func(PartRow) error) error {
			emit(PartRow{})
			panic("produce crashed")
		}, func(PartRow) error { return nil }},
		{"consume", rows, func(r PartRow) error {
			if r.Index == 700 {
				panic("consume crashed")
			}
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			var got any
			func() {
				defer func() { got = recover() }()
				pipelineRows(tc.produce, tc.consume, 64, false)
			}()
			if s, _ := panicValue(got).(string); !strings.HasSuffix(s, "crashed") {
				t.Fatalf("recovered %v, want the panic", got)
			}
			for i := 0; runtime.NumGoroutine() > before && i < 1000; i++ {
				time.Sleep(time.Millisecond) // the goroutine's last steps after close
			}
			if n := runtime.NumGoroutine(); n > before {
				t.Errorf("%d goroutines, %d before", n, before)
			}
		})
	}
}
