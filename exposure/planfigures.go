package exposure

// PaysBack reports whether the line's plan changes its mix and pays back
// within the horizon: its saving since the plan took effect covers the
// qualification costs by some month (PaybackMonth) and the horizon saving
// is still positive at the end.
func (lp *LinePlan) PaysBack() bool {
	return lp.Changed && lp.PaybackMonth > 0 && lp.HorizonSaving.Sign() > 0
}

// Tally sets the plan's figures over its changed lines: PaidBack,
// FirstEffect and LastEffect. Recommend calls it; a Plan built or changed
// by hand (tests) calls it again.
func (p *Plan) Tally() {
	p.PaidBack, p.FirstEffect, p.LastEffect = 0, 0, 0
	for i := range p.Lines {
		lp := &p.Lines[i]
		if !lp.Changed {
			continue
		}
		if p.FirstEffect == 0 || lp.QualificationMonth < p.FirstEffect {
			p.FirstEffect = lp.QualificationMonth
		}
		p.LastEffect = max(p.LastEffect, lp.QualificationMonth)
		if lp.PaysBack() {
			p.PaidBack++
		}
	}
}
