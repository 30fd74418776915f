package exposure

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"
)

// TestDec128SameAsDecimal computes results, part rows and plans twice, once with
// the figures that have a dec128 path taking it and once with every
// figure in decimals (noDec128), and checks that every decimal of the
// result, the rows and the plan has the same coefficient and exponent: on plans with
// and without a shared capacity, on random one-line plans, and on the
// benchmark BOM with material alternatives.
func TestDec128SameAsDecimal(t *testing.T) {
	defer func() { noDec128 = false }()
	withAlts := benchInput(3000)
	withAlts.Settings.CountryCap = dec("65")
	withAlts.Alternatives = benchPlanInput(1, false).Alternatives
	for i := range withAlts.BOM.Lines {
		if withAlts.BOM.Lines[i].Material == "NdFeB" {
			withAlts.BOM.Lines[i].MaterialKg = dec("0.031")
		}
	}
	// Masses and quantities of 40 significant digits do not fit in 128
	// bits: their lines take the decimal paths.
	wide := benchInput(400)
	for i := range wide.BOM.Lines {
		l := &wide.BOM.Lines[i]
		if i%13 == 4 && len(l.Content) > 0 {
			l.Content = append([]ElementMass(nil), l.Content...)
			l.Content[0].Kg = dec("0.0012345678901234567890123456789012345678901")
		}
		if i%17 == 9 {
			l.QtyPer = dec("1.234567890123456789012345678901234567891")
		}
	}
	cases := []struct {
		name string
		in   Input
	}{{"plan", benchPlanInput(300, false)}, {"plan-shared", benchPlanInput(300, true)}, {"bench", withAlts}, {"wide", wide}}
	rng := rand.New(rand.NewPCG(7, 11))
	for k := 0; k < 40; k++ {
		cases = append(cases, struct {
			name string
			in   Input
		}{fmt.Sprintf("random-%d", k), randomCase(rng)})
	}
	planned := 0
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			run := func(off bool) (*Result, *Plan, []PartRow) {
				noDec128 = off
				defer func() { noDec128 = false }()
				r, err := Compute(c.in)
				if err != nil {
					t.Fatal(err)
				}
				var rows []PartRow
				if err := r.Parts(func(p PartRow) error { rows = append(rows, p); return nil }); err != nil {
					t.Fatal(err)
				}
				plan, err := Recommend(r)
				if err != nil {
					t.Fatal(err)
				}
				return r, plan, rows
			}
			r, plan, rows := run(false)
			want, wantPlan, wantRows := run(true)
			for _, f := range []string{"Products", "Scenarios", "ExpectedAnnualDelta", "Elements", "Stages"} {
				if err := sameDecimals(f, reflect.ValueOf(*r).FieldByName(f), reflect.ValueOf(*want).FieldByName(f)); err != nil {
					t.Fatal(err)
				}
			}
			if err := sameDecimals("rows", reflect.ValueOf(rows), reflect.ValueOf(wantRows)); err != nil {
				t.Fatal(err)
			}
			if err := sameDecimals("plan", reflect.ValueOf(plan), reflect.ValueOf(wantPlan)); err != nil {
				t.Fatal(err)
			}
			planned += plan.Planned
		})
	}
	if planned == 0 {
		t.Fatal("no case planned a line: the plan's figures went untested")
	}
}

var decimalType = reflect.TypeOf(decimal.Decimal{})

// sameDecimals compares a and b field by field, decimals by coefficient
// and exponent, and says where they first differ. Unexported fields
// other than decimals' own are left out.
func sameDecimals(path string, a, b reflect.Value) error {
	if a.Type() == decimalType {
		x, y := a.Interface().(decimal.Decimal), b.Interface().(decimal.Decimal)
		if !sameDecimal(x, y) {
			return fmt.Errorf("%s: %s·10^%d, want %s·10^%d", path, x.Coefficient(), x.Exponent(), y.Coefficient(), y.Exponent())
		}
		return nil
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return fmt.Errorf("%s: nil %v, want nil %v", path, a.IsNil(), b.IsNil())
			}
			return nil
		}
		return sameDecimals(path, a.Elem(), b.Elem())
	case reflect.Slice, reflect.Array:
		if a.Len() != b.Len() {
			return fmt.Errorf("%s: %d entries, want %d", path, a.Len(), b.Len())
		}
		for i := 0; i < a.Len(); i++ {
			if err := sameDecimals(fmt.Sprintf("%s[%d]", path, i), a.Index(i), b.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !a.Type().Field(i).IsExported() {
				continue
			}
			if err := sameDecimals(path+"."+a.Type().Field(i).Name, a.Field(i), b.Field(i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		if a.Len() != b.Len() {
			return fmt.Errorf("%s: %d keys, want %d", path, a.Len(), b.Len())
		}
	default:
		if a.CanInterface() && !reflect.DeepEqual(a.Interface(), b.Interface()) {
			return fmt.Errorf("%s: %v, want %v", path, a.Interface(), b.Interface())
		}
	}
	return nil
}
