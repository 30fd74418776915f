package exposure

import (
	"testing"
)

// TestSensitivityByHand: one line, Nd 1 kg, made in China (direct), unit
// cost 10, 100 units a month, one scenario of probability 1 over the whole
// year:
//
//	price     1 kg × 100 × 10% × 1,200 = 12,000; uplift range 0..30 → 0 .. 36,000: swing 36,000
//	Nd price  ±25% of the price part 12,000: swing 6,000
//	shortage  on the material's value B = 1 kg × 100 = 100 (SPEC section 5):
//	          100 × (1 − 50%) × 100% × 1,200 = 60,000. Availability has no
//	          range: its shortfall 50 ± 25% → 37.5..62.5% available →
//	          75,000 .. 45,000: swing 30,000; spot premium 75..125%: swing 30,000
//	tariff    on the unit cost: 10 × 45% × 1,200 = 5,400; ±25%: swing 2,700
//	carrying  100 × 25% × 30/365 × 1,200 = 2,465.75; delay ±25% and the
//	          carrying rate ±25%: swing 1,232.88 each
func TestSensitivityByHand(t *testing.T) {
	c := Control{Elements: []string{"Nd"}, Class: AnyClass, Uplift: ranged("10", "0", "30"), Availability: fixed("50"), Delay: fixed("30"), Ref: "Controls!2"}
	s := scen("s", "100", []Control{c}, []Tariff{tar("US", "CN", "", "", "45")})
	r, err := Compute(oneLine("1", "Nd=1", "", "", []Source{src("CN/CN/CN/CN", "10")}, s))
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ kind, swing string }{
		{SwingUplift, "36000"},
		{SwingAvailability, "30000"},
		{SwingSpot, "30000"},
		{SwingPrice, "6000"},
		{SwingTariff, "2700"},
		{SwingCarrying, "1232.88"},
		{SwingDelay, "1232.88"},
	}
	if len(r.Sensitivity) != len(want) {
		for _, sw := range r.Sensitivity {
			t.Logf("%s %s %s..%s swing %s", sw.Kind, sw.Label, sw.Low, sw.High, sw.Swing)
		}
		t.Fatalf("%d swings, want %d", len(r.Sensitivity), len(want))
	}
	for i, w := range want {
		sw := r.Sensitivity[i]
		if sw.Kind != w.kind || !sw.Swing.Equal(dec(w.swing)) {
			t.Errorf("swing %d = %s %s, want %s %s", i+1, sw.Kind, sw.Swing, w.kind, w.swing)
		}
	}
	up := r.Sensitivity[0]
	exp := r.ExpectedAnnualDelta
	if got, want := up.Low.Sub(exp).Round(2), dec("-12000"); !got.Equal(want) {
		t.Errorf("uplift low end − expected = %s, want %s", got, want)
	}
	if got, want := up.High.Sub(exp).Round(2), dec("24000"); !got.Equal(want) {
		t.Errorf("uplift high end − expected = %s, want %s", got, want)
	}
	// Low availability costs more: the low end lies above the expected.
	for _, sw := range r.Sensitivity {
		if sw.Kind == SwingAvailability && !sw.Low.GreaterThan(sw.High) {
			t.Errorf("availability low end %s not above high end %s", sw.Low, sw.High)
		}
	}
}
