package exposure

import (
	"context"
	"errors"
	"testing"
)

// The tests below stop each long loop of the computation with a context
// that is done after a number of checks (countdownCtx) or that a hook
// cancels, and assert both the context's error and that the loop left
// work undone: a loop that asked the context only at its end would finish
// its work and fail them. None of them measures time.

// cancelLines is enough lines for several of the loops' batches of 4096.
const cancelLines = 20_000

// TestExplodeStops: the walk over the lines asks at every 4096th line;
// done at its second question (line 4096), the lines from there on keep
// level 0, which a finished walk never leaves (levels start at 1).
func TestExplodeStops(t *testing.T) {
	in := benchInput(cancelLines)
	ctx := &countdownCtx{Context: context.Background()}
	ctx.n.Store(1) // line 0 passes, line 4096 stops
	m := &model{ctx: ctx, in: &in}
	err := m.explode()
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("explode error = %v, want context.Canceled", err)
	}
	if m.level[0] == 0 || m.level[cancelLines-1] != 0 {
		t.Errorf("explode stopped at line 4096: level of line 0 = %d (want ≥ 1), of the last line = %d (want 0, never reached)",
			m.level[0], m.level[cancelLines-1])
	}
}

// TestComputeContextCancelledByProgress: a context cancelled as the Monte
// Carlo starts (from the Progress hook) ends ComputeContext in its error
// with no result, though the samplers were never built.
func TestComputeContextCancelledByProgress(t *testing.T) {
	in := benchInput(1000)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var phases []string
	in.Progress = func(phase string) {
		phases = append(phases, phase)
		cancel()
	}
	r, err := ComputeContext(ctx, in)
	if !errors.Is(err, context.Canceled) || r != nil {
		t.Fatalf("ComputeContext cancelled at %q: result %v, error %v; want no result and context.Canceled", phases, r != nil, err)
	}
	if len(phases) != 1 || phases[0] != PhaseMonteCarlo {
		t.Errorf("phases heard = %q, want just %q", phases, PhaseMonteCarlo)
	}
}

// TestSimulateStops: the draws ask at every batch of drawBatch; told to
// stop at the second batch, a scenario keeps drawBatch draws' months of
// the 5000 asked (a finished run keeps bandDraws = 2000).
func TestSimulateStops(t *testing.T) {
	in := benchInput(100)
	in.Scenarios = append(in.Scenarios, scen("ranged", "10", []Control{{AllElements: true, Class: AnyClass,
		Uplift: Param{Value: dec("50"), Low: dec("10"), High: dec("90"), Ranged: true}, Availability: fixed("100"), Delay: fixed("0")}}, nil))
	in.Settings.Draws = 5000
	r, err := Compute(in)
	if err != nil {
		t.Fatal(err)
	}
	sps, _ := r.model.samplers()
	sp := sps[len(sps)-1]
	if !sp.uncertain {
		t.Fatal("scenario ranged is not uncertain: nothing to draw")
	}
	asked := 0
	sp.stopped = func() bool { asked++; return asked > 1 }
	sim := sp.simulate(in.Settings.Draws, 1)
	if len(sim.months) != drawBatch || asked != 2 {
		t.Errorf("simulate stopped at its second batch: kept %d draws' months after %d questions, want %d after 2",
			len(sim.months), asked, drawBatch)
	}
}

// TestRecommendStops: Recommend on a cancelled context returns its
// error; and each loop over the lines stops within a batch of its check.
func TestRecommendStops(t *testing.T) {
	in := benchPlanInput(cancelLines, false)
	ctx, cancel := context.WithCancel(context.Background())
	r, err := ComputeContext(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	if p, err := Recommend(r); !errors.Is(err, context.Canceled) || p != nil {
		t.Fatalf("Recommend after cancel: plan %v, error %v; want no plan and context.Canceled", p != nil, err)
	}

	// prepare asks at every 4096th line: done at its second question,
	// it has listed lines 0..4095 only (all of them bear cost).
	cd := &countdownCtx{Context: context.Background()}
	r.model.ctx = cd
	cd.n.Store(1)
	rc := newRecContext(r.model, r, &Plan{})
	if err := rc.prepare(); !errors.Is(err, context.Canceled) || len(rc.work) != 4096 {
		t.Errorf("prepare stopped at line 4096: error %v with %d lines listed; want context.Canceled with 4096", err, len(rc.work))
	}

	// evaluate asks at every 64th line of the work list: done at its
	// second question, the workers finish at most the batches they are
	// in (64 lines each), so most lines are never looked at.
	cd.n.Store(cancelLines) // prepare runs through
	rc = newRecContext(r.model, r, &Plan{})
	if err := rc.prepare(); err != nil {
		t.Fatal(err)
	}
	cd.n.Store(1)
	rc.evaluate()
	exposed := 0
	for k := range rc.work {
		if rc.work[k].exposed {
			exposed++
		}
	}
	if !rc.halted(0) || exposed == 0 || exposed > 64*4 {
		t.Errorf("evaluate stopped at its second question: halted %v, %d of %d lines evaluated exposed; want halted, 1..256",
			rc.halted(0), exposed, len(rc.work))
	}
}

// TestPartsWithStops: a context cancelled from the first row stops the
// rows within the batch of 4096 lines that follows it, and PartsWith
// returns its error.
func TestPartsWithStops(t *testing.T) {
	in := benchInput(cancelLines)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	r, err := ComputeContext(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	all := 0
	if err := r.PartsWith(PartOptions{NoDeltas: true}, func(PartRow) error { all++; return nil }); err != nil {
		t.Fatal(err)
	}
	rows := 0
	err = r.PartsWith(PartOptions{}, func(PartRow) error {
		rows++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || rows == 0 || rows > 4096 || rows >= all {
		t.Errorf("PartsWith cancelled at its first row: %d of %d rows, error %v; want 1..4096 rows and context.Canceled", rows, all, err)
	}
}
