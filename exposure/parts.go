package exposure

// PartOptions choose what Result.PartsWith computes, so that a writer can
// take a cheap first look at the rows (sizes, counts) and compute the
// per-scenario figures only in the pass that needs them.
type PartOptions struct {
	// NoDeltas leaves PartRow.Deltas nil: no per-scenario figures.
	NoDeltas bool
	// Keep, when set, limits the rows to the lines it accepts.
	Keep func(*Line) bool
}

// PartsWith is Parts with options.
func (r *Result) PartsWith(o PartOptions, fn func(PartRow) error) error {
	if r.model == nil {
		return nil
	}
	return r.model.parts(r, o, fn)
}
