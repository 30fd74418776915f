package exposure

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"testing"
)

// TestLargestFirst: largestFirst orders as the stable sort by |expF| it
// replaced, with ties (equal magnitudes of either sign, zeros) and with a
// NaN.
func TestLargestFirst(t *testing.T) {
	rng := rand.New(rand.NewPCG(4, 4))
	for round := 0; round < 100; round++ {
		n := 1 + rng.IntN(2000)
		rc := &recContext{work: make([]lineWork, n)}
		for k := range rc.work {
			rc.work[k].expF = float64(rng.IntN(50)-25) * 0.5
			if rng.IntN(20) == 0 {
				rc.work[k].expF = math.Copysign(0, -1)
			}
		}
		if round%10 == 0 {
			rc.work[rng.IntN(n)].expF = math.NaN()
		}
		var items []int
		for k := range rc.work {
			if rng.IntN(4) > 0 {
				items = append(items, k)
			}
		}
		want := slices.Clone(items)
		sort.SliceStable(want, func(i, j int) bool {
			return math.Abs(rc.work[want[i]].expF) > math.Abs(rc.work[want[j]].expF)
		})
		rc.largestFirst(items)
		if !slices.Equal(items, want) {
			t.Fatalf("round %d: %v, want %v", round, items, want)
		}
	}
}

// TestClassKeyAsFmt: the class key appended by hand is the one fmt made.
func TestClassKeyAsFmt(t *testing.T) {
	old := func(rc *recContext, w *lineWork, l *Line, pi int, cands []candidate) string {
		var b strings.Builder
		fmt.Fprintf(&b, "%d|", pi)
		for _, c := range l.Content {
			if c.Kg.Sign() > 0 {
				b.WriteString(c.Element)
				b.WriteByte('=')
				b.WriteString(c.Kg.String())
				b.WriteByte(';')
			}
		}
		fmt.Fprintf(&b, "|B%s", cands[0].value.String())
		for j, c := range cands {
			for _, pt := range c.parts {
				fmt.Fprintf(&b, "|%d:%s:%s", rc.factors[pt.prof].id, pt.cost.String(), pt.weight.String())
			}
			if j < len(l.Sources) {
				fmt.Fprintf(&b, ":%s:%s", l.Sources[j].Share.String(), l.Sources[j].Supplier)
			} else {
				fmt.Fprintf(&b, ":a%d", rc.alts[int(w.alt0)+j-len(l.Sources)])
			}
		}
		return b.String()
	}
	for _, shared := range []bool{false, true} {
		rc := preparedContext(t, benchPlanInput(120, shared))
		rc.evaluate()
		rc.limit()
		rc.classify()
		n := 0
		for k := range rc.work {
			w := &rc.work[k]
			if w.fig < 0 || !w.plannable {
				continue
			}
			l := &rc.m.in.BOM.Lines[w.line]
			want := old(rc, w, l, rc.m.prodIdx[l.Product], rc.candidates(w))
			if got := rc.figs[w.fig].key; got != want {
				t.Fatalf("line %d: key %q, want %q", w.line, got, want)
			}
			n++
		}
		if n == 0 {
			t.Fatal("no line classified")
		}
	}
}
