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

// SignalRule is one row of SignalRules: when the newest value of Signal
// meets the condition, scenarios of Stance have their weight multiplied by
// LR, the likelihood ratio P(signal | stance) / P(signal | not stance).
type SignalRule struct {
	ID        string // optional short name, e.g. SOY_ON_TRACK
	Signal    string
	Op        string // one of the Op constants
	Operand   string // as written: "2", "relax", "yes"
	Number    decimal.Decimal
	IsNum     bool // Operand is a number: compare numerically
	Stance    string
	LR        decimal.Decimal // > 0
	Rationale string
	Source    string
	Ref       string // where the rule came from, e.g. "SignalRules!3"
}

// Condition prints the rule's condition as a SignalRules cell holds it.
func (r SignalRule) Condition() string {
	if r.Op == OpAny {
		return OpAny
	}
	return r.Op + " " + r.Operand
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
		if !v.IsNum {
			return false
		}
		c := v.Number.Cmp(r.Number)
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

// RuleOutcome is one rule as the posterior used it.
type RuleOutcome struct {
	Rule    SignalRule
	Value   *Signal // the newest value of the rule's signal; nil when none was given
	Matched bool
	// Stale: the newest value is older than StaleAfterDays before the
	// report's as-of date, so the rule moves nothing (SPEC section 4).
	Stale bool
	// Scenarios lists the ids of the scenarios whose weight the rule
	// multiplied (matched, and of the rule's stance).
	Scenarios []string
}

// ScenarioWeight is one scenario's prior, the product of the likelihood
// ratios that applied to it, and its posterior.
type ScenarioWeight struct {
	ID        string
	Stance    string
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
// their signal and whose stance is the scenario's. A signal whose newest
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
			out.Stale = stale[k]
			out.Matched = !out.Stale && r.Matches(v)
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
