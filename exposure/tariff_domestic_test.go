package exposure

import "testing"

// An every-origin (`*`) tariff row charges every origin but the import
// country's own: a US-made part is not imported into the US, whatever a
// `*` row says (SPEC section 4, revised); a named origin charges only
// parts made there.
func TestTariffEveryOrigin(t *testing.T) {
	everyOrigin := scen("s232", "0", nil, []Tariff{tar("US", "*", "", "8505", "25")})
	onlyCN := scen("s301", "0", nil, []Tariff{tar("US", "CN", "", "8505", "25")})
	for _, tc := range []struct {
		name, countries string
		sc              Scenario
		want            string
	}{
		// 1 part × 200 × 25% = 50 per unit; × 1,200 a year = 60,000.
		{"every-origin/made-in-import-country", "US/US/US/US", everyOrigin, "0"},
		{"every-origin/made-elsewhere", "AU/MY/JP/JP", everyOrigin, "60000"},
		{"named-origin/made-elsewhere", "AU/MY/JP/JP", onlyCN, "0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := oneLine("1", "", "8505.11", "", []Source{src(tc.countries, "200")}, tc.sc)
			r, err := Compute(in)
			if err != nil {
				t.Fatal(err)
			}
			if got := r.Scenarios[0].AnnualDelta; !got.Equal(dec(tc.want)) {
				t.Errorf("Compute(case=%s) annual_delta = %s, want %s", tc.name, got, tc.want)
			}
		})
	}
}
