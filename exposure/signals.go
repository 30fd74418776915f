package exposure

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Signal is one dated reading of a public signal of the negotiation's
// temperature (SPEC section 6), e.g. soybean_imports_us_mt = 1.65 on
// 2026-01-05, or mofcom_tone = relax.
type Signal struct {
	Date   time.Time
	Name   string // as written; rules match it ignoring case, spaces, '_' and '-'
	Value  string // as written
	Number decimal.Decimal
	IsNum  bool // Value is a number
	Source string
	Ref    string
}

// Condition operators of a SignalRule.
const (
	OpGE  = ">="
	OpGT  = ">"
	OpLE  = "<="
	OpLT  = "<"
	OpEQ  = "="
	OpNE  = "!="
	OpAny = "any" // any value of the signal matches
)

// Measures a SignalRule's condition tests (SPEC section 6). Monthly
// series are read one reading a calendar month, the latest of the month.
const (
	// MeasureValue tests the newest reading itself.
	MeasureValue = ""
	// MeasureYoY tests the newest reading as a percentage of the reading
	// dated in the same calendar month a year earlier: seasonal series
	// (soybean purchases are low every summer) are read against their own
	// season, never against a fixed monthly threshold.
	MeasureYoY = "yoy"
	// MeasureAvg3 tests the mean of the readings of the newest reading's
	// month and the two calendar months before it; all three are needed.
	MeasureAvg3 = "avg3"
)

// SignalRule is one row of SignalRules: when the newest value of Signal
// (or its Measure) meets the condition, scenarios of Stance have their
// weight multiplied by LR, the likelihood ratio
// P(signal | stance) / P(signal | not stance).
type SignalRule struct {
	ID        string // optional short name, e.g. SOY_ON_TRACK
	Signal    string
	Measure   string // one of the Measure constants: what the condition tests
	Op        string // one of the Op constants
	Operand   string // as written: "2", "relax", "yes"
	Number    decimal.Decimal
	IsNum     bool // Operand is a number: compare numerically
	Stance    Stance
	LR        decimal.Decimal // > 0
	Rationale string
	Source    string
	Ref       string // where the rule came from, e.g. "SignalRules!3"
}

// Condition prints the rule's condition as a SignalRules cell holds it:
// "< 0.67", "= relax", "yoy < 60", "avg3 >= 2" or "any".
func (r SignalRule) Condition() string {
	if r.Op == OpAny {
		return OpAny
	}
	c := r.Op + " " + r.Operand
	if r.Measure != MeasureValue {
		c = r.Measure + " " + c
	}
	return c
}

// opWords are the condition operators in words, for Meaning.
var opWords = map[string]string{
	OpGE: "at least", OpGT: "above", OpLE: "at most", OpLT: "under", OpEQ: "equal to", OpNE: "other than",
}

// Meaning says in words what the condition tests: "the newest month is
// under 60% of the same month a year earlier".
func (r SignalRule) Meaning() string {
	w := opWords[r.Op]
	switch {
	case r.Op == OpAny:
		return "any reading of the signal"
	case r.Measure == MeasureYoY:
		return fmt.Sprintf("the newest month is %s %s%% of the same month a year earlier", w, r.Operand)
	case r.Measure == MeasureAvg3:
		return fmt.Sprintf("the mean of the newest month and the two months before it is %s %s", w, r.Operand)
	case !r.IsNum && r.Op == OpEQ:
		return "the newest reading is " + r.Operand
	case !r.IsNum && r.Op == OpNE:
		return "the newest reading is not " + r.Operand
	}
	return fmt.Sprintf("the newest reading is %s %s", w, r.Operand)
}

// SignalKey is how signal names are compared: lower case, without spaces,
// '_', '-', '%' and brackets, so that "Soybean imports US (Mt)" and
// soybean_imports_us_mt are the same signal.
func SignalKey(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch r {
		case ' ', '_', '-', '%', '(', ')', '[', ']', '\t':
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// yesNoWords are the spellings a yes/no operand accepts in a value.
var yesNoWords = map[string]string{
	"yes": "yes", "y": "yes", "true": "yes", "1": "yes",
	"no": "no", "n": "no", "false": "no", "0": "no",
}

// Matches reports whether value v of the rule's signal meets its condition.
// Numbers compare numerically; words compare ignoring case, spaces, '_' and
// '-', and a yes/no operand accepts y, true, 1 (n, false, 0) as well.
func (r SignalRule) Matches(v Signal) bool {
	if r.Op == OpAny {
		return strings.TrimSpace(v.Value) != ""
	}
	if r.IsNum {
		return v.IsNum && r.compare(v.Number)
	}
	a, b := SignalKey(v.Value), SignalKey(r.Operand)
	if yn, ok := yesNoWords[b]; ok && (b == "yes" || b == "no") {
		b = yn
		if w, ok := yesNoWords[a]; ok {
			a = w
		}
	}
	switch r.Op {
	case OpEQ:
		return a == b
	case OpNE:
		return a != b
	}
	return false
}

// compare reports whether x meets the rule's numeric condition.
func (r SignalRule) compare(x decimal.Decimal) bool {
	c := x.Cmp(r.Number)
	switch r.Op {
	case OpGE:
		return c >= 0
	case OpGT:
		return c > 0
	case OpLE:
		return c <= 0
	case OpLT:
		return c < 0
	case OpEQ:
		return c == 0
	case OpNE:
		return c != 0
	}
	return false
}

// RuleOutcome is one rule as the posterior used it.
type RuleOutcome struct {
	Rule  SignalRule
	Value *Signal // the newest value of the rule's signal; nil when none was given
	// Met: the newest reading (or its measure) meets the condition,
	// however old it is.
	Met bool
	// Matched: Met and not Stale, so the rule moved the probabilities.
	Matched bool
	// Stale: the newest value is older than StaleAfterDays before the
	// report's as-of date, so the rule moves nothing (SPEC section 4).
	Stale bool
	// Measured is the figure the condition tested, when it is a number:
	// the newest value, its percentage of a year earlier (yoy) or the
	// three-month mean (avg3), unrounded.
	Measured   decimal.Decimal
	HasMeasure bool
	// Against lists the earlier readings a yoy or avg3 condition compared
	// the newest with, oldest first.
	Against []Signal
	// Missing lists the months (their first day) whose reading a yoy or
	// avg3 condition needed and did not find; the rule then does not fire.
	Missing []time.Time
	// ZeroBase: the reading a year earlier is 0, so the newest has no
	// percentage of it and a yoy rule does not fire.
	ZeroBase bool
	// Scenarios lists the ids of the scenarios whose weight the rule
	// multiplied (matched, and of the rule's stance).
	Scenarios []string
}

// ScenarioWeight is one scenario's prior, the product of the likelihood
// ratios that applied to it, and its posterior.
type ScenarioWeight struct {
	ID        string
	Stance    Stance
	Prior     decimal.Decimal
	Factor    decimal.Decimal // Π of the matching rules' likelihood ratios, 1 when none
	Posterior decimal.Decimal
}

// SignalReport says how the signals moved the probabilities: a
// transparent heuristic, not an estimate.
type SignalReport struct {
	RuleSet string   // which SignalRules were used: the embedded defaults or a sheet
	Latest  []Signal // the newest value of each signal, in first-seen order
	Rules   []RuleOutcome
	Weights []ScenarioWeight // in scenario order
	Unruled []string         // signals given that no rule names
	// Stale lists the signals whose newest reading is too old to move
	// any probability, in first-seen order.
	Stale []string
}

// StaleAfterDays is the age past which a signal's newest reading moves no
// probability: a quarter and a day, so a monthly series a quarter behind
// still counts (SPEC section 4, data age).
const StaleAfterDays = 92

// Posterior computes the posterior weights of SPEC section 6:
// w_s ∝ prior_s × Π LR over the rules that match the newest value of
// their signal (or its yoy or avg3 measure, from the older readings) and
// whose stance is the scenario's. A signal whose newest
// reading is more than StaleAfterDays before asOf moves nothing (a zero
// asOf checks no age). The weights add up to 1; when every product is
// zero the priors are kept.
func Posterior(scenarios []Scenario, signals []Signal, rules []SignalRule, ruleSet string, asOf time.Time) ([]decimal.Decimal, *SignalReport) {
	rep := &SignalReport{RuleSet: ruleSet}
	latest := map[string]int{} // key → index in rep.Latest
	for _, s := range signals {
		k := SignalKey(s.Name)
		i, ok := latest[k]
		switch {
		case !ok:
			latest[k] = len(rep.Latest)
			rep.Latest = append(rep.Latest, s)
		case !s.Date.Before(rep.Latest[i].Date): // the later row wins a tie
			rep.Latest[i] = s
		}
	}
	stale := map[string]bool{}
	for _, s := range rep.Latest {
		if !asOf.IsZero() && asOf.Sub(s.Date) > StaleAfterDays*24*time.Hour {
			stale[SignalKey(s.Name)] = true
			rep.Stale = append(rep.Stale, s.Name)
		}
	}
	hist := histories(signals)
	ruled := map[string]bool{}
	factor := make([]decimal.Decimal, len(scenarios))
	for i := range factor {
		factor[i] = one
	}
	for _, r := range rules {
		k := SignalKey(r.Signal)
		ruled[k] = true
		out := RuleOutcome{Rule: r}
		if i, ok := latest[k]; ok {
			v := rep.Latest[i]
			out.Value = &v
			out.evaluate(hist[k])
			out.Stale = stale[k]
			out.Matched = out.Met && !out.Stale
		}
		if out.Matched {
			for s, sc := range scenarios {
				if sc.Stance != "" && sc.Stance == r.Stance {
					factor[s] = factor[s].Mul(r.LR)
					out.Scenarios = append(out.Scenarios, sc.ID)
				}
			}
		}
		rep.Rules = append(rep.Rules, out)
	}
	for _, s := range rep.Latest {
		if !ruled[SignalKey(s.Name)] {
			rep.Unruled = append(rep.Unruled, s.Name)
		}
	}
	var total decimal.Decimal
	raw := make([]decimal.Decimal, len(scenarios))
	for s, sc := range scenarios {
		raw[s] = sc.Prior.Mul(factor[s])
		total = total.Add(raw[s])
	}
	w := make([]decimal.Decimal, len(scenarios))
	for s, sc := range scenarios {
		if total.Sign() > 0 {
			w[s] = raw[s].DivRound(total, divPlaces)
		} else {
			w[s] = sc.Prior
		}
		rep.Weights = append(rep.Weights, ScenarioWeight{ID: sc.ID, Stance: sc.Stance, Prior: sc.Prior, Factor: factor[s], Posterior: w[s]})
	}
	// Matched rules first, then by signal, keeping the input order within.
	sort.SliceStable(rep.Rules, func(i, j int) bool { return rep.Rules[i].Matched && !rep.Rules[j].Matched })
	return w, rep
}

// monthly is one signal's readings by calendar month (year*12 + month-1),
// the latest of each month.
type monthly map[int]Signal

func monthIndex(t time.Time) int { return t.Year()*12 + int(t.Month()) - 1 }

func monthStart(i int) time.Time { return time.Date(i/12, time.Month(i%12+1), 1, 0, 0, 0, 0, time.UTC) }

// histories groups the readings by signal and month; within a month the
// latest reading counts, and of two on the same day the later row.
func histories(signals []Signal) map[string]monthly {
	out := map[string]monthly{}
	for _, s := range signals {
		k := SignalKey(s.Name)
		h := out[k]
		if h == nil {
			h = monthly{}
			out[k] = h
		}
		m := monthIndex(s.Date)
		if old, ok := h[m]; !ok || !s.Date.Before(old.Date) {
			h[m] = s
		}
	}
	return out
}

// evaluate tests the rule's condition on the newest reading, through its
// measure: for yoy and avg3 it looks the earlier months up in h, and a
// month without a numeric reading leaves the rule unmet and is named.
func (o *RuleOutcome) evaluate(h monthly) {
	r, v := o.Rule, *o.Value
	if r.Measure == MeasureValue {
		o.Met = r.Matches(v)
		o.Measured, o.HasMeasure = v.Number, v.IsNum
		return
	}
	if !v.IsNum || r.Op == OpAny {
		return
	}
	m := monthIndex(v.Date)
	var months []int
	switch r.Measure {
	case MeasureYoY:
		months = []int{m - 12}
	case MeasureAvg3:
		months = []int{m - 2, m - 1}
	default:
		return
	}
	for _, i := range months {
		if e, ok := h[i]; ok && e.IsNum {
			o.Against = append(o.Against, e)
		} else {
			o.Missing = append(o.Missing, monthStart(i))
		}
	}
	if len(o.Missing) > 0 {
		return
	}
	switch r.Measure {
	case MeasureYoY:
		base := o.Against[0].Number
		if base.Sign() == 0 {
			o.ZeroBase = true
			return
		}
		o.Measured = v.Number.Mul(hundred).DivRound(base, divPlaces)
	case MeasureAvg3:
		sum := v.Number
		for _, e := range o.Against {
			sum = sum.Add(e.Number)
		}
		o.Measured = sum.DivRound(decimal.NewFromInt(3), divPlaces)
	}
	o.HasMeasure = true
	o.Met = r.compare(o.Measured)
}

// Lacks says which history the rule's condition needed and did not find,
// or "" when it lacked none: "a reading for 2024-12, the same month a
// year before the newest (2025-12)".
func (o RuleOutcome) Lacks() string {
	if o.Value == nil {
		return ""
	}
	newest := o.Value.Date.Format("2006-01")
	if o.ZeroBase {
		return fmt.Sprintf("a year-earlier reading above 0: %s reads 0, so %s has no percentage of it", o.Against[0].Date.Format("2006-01"), newest)
	}
	if len(o.Missing) == 0 {
		return ""
	}
	var ms []string
	for _, m := range o.Missing {
		ms = append(ms, m.Format("2006-01"))
	}
	if o.Rule.Measure == MeasureYoY {
		return fmt.Sprintf("a reading for %s, the same month a year before the newest (%s)", ms[0], newest)
	}
	what := "a reading for " + ms[0]
	if len(ms) > 1 {
		what = "readings for " + strings.Join(ms, " and ")
	}
	return fmt.Sprintf("%s: the three-month mean needs %s and the two months before it", what, newest)
}

// Evidence says what the rule read: the newest reading and, for yoy and
// avg3, the earlier readings it was compared with and the figure that
// came out ("2025-12-31: 5952 is 105.2% of 2024-12-31: 5660"), or the
// history it lacks.
func (o RuleOutcome) Evidence() string {
	if o.Value == nil {
		return "no reading of " + o.Rule.Signal + " given"
	}
	v := *o.Value
	head := v.Date.Format("2006-01-02") + ": " + v.Value
	if l := o.Lacks(); l != "" {
		return head + "; lacks " + l
	}
	if !o.HasMeasure {
		return head
	}
	switch o.Rule.Measure {
	case MeasureYoY:
		a := o.Against[0]
		return fmt.Sprintf("%s is %s%% of %s: %s, a year earlier", head, o.Measured.Round(1), a.Date.Format("2006-01-02"), a.Value)
	case MeasureAvg3:
		var parts []string
		for _, a := range append(append([]Signal{}, o.Against...), v) {
			parts = append(parts, a.Date.Format("2006-01")+": "+a.Value)
		}
		return fmt.Sprintf("mean of %s, %s and %s = %s", parts[0], parts[1], parts[2], o.Measured.Round(2))
	}
	return head
}

// applySignals replaces each scenario's probability by its posterior when
// the input gives signals.
func (m *model) applySignals(r *Result) {
	in := m.in
	if len(in.Signals) == 0 {
		return
	}
	w, rep := Posterior(in.Scenarios, in.Signals, in.SignalRules, in.SignalRuleSet, in.Settings.AsOf)
	for i := range r.Scenarios {
		r.Scenarios[i].Probability = w[i]
	}
	r.Signals = rep
}

// String prints a signal's value for messages: "1.65 (2026-01-05)".
func (s Signal) String() string {
	return fmt.Sprintf("%s (%s)", s.Value, s.Date.Format("2006-01-02"))
}
