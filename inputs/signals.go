package inputs

import (
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"rexpo/exposure"
	"rexpo/schema"
	"rexpo/workbook"
)

// DefaultSignalRules names the embedded SignalRules in reports.
const DefaultSignalRules = "embedded defaults (the 15 rules of reference section 8.4: soybean purchases, magnet exports, MOFCOM wording and announcements, licence delays, US windows, threats and tariffs, the November 2026 cliff)"

// ErrInvalidCondition: a SignalRules condition is not `>= 2`, `< 0.5`,
// `= relax`, `!= no`, `yoy < 60`, `avg3 >= 2` or `any`.
var ErrInvalidCondition = errors.New("invalid condition")

// ErrInvalidDate: a Signals date is not a date.
var ErrInvalidDate = errors.New("invalid date")

var (
	conditionRE = regexp.MustCompile(`^\s*(>=|<=|!=|<>|==|=|>|<|≥|≤|≠)\s*(.*?)\s*$`)
	measureRE   = regexp.MustCompile(`(?i)^\s*(yoy|avg3)\b\s*(.*)$`)
)

var opNames = map[string]string{
	">=": exposure.OpGE, "≥": exposure.OpGE, ">": exposure.OpGT, "<=": exposure.OpLE, "≤": exposure.OpLE,
	"<": exposure.OpLT, "=": exposure.OpEQ, "==": exposure.OpEQ, "!=": exposure.OpNE, "<>": exposure.OpNE, "≠": exposure.OpNE,
}

// Condition is a parsed SignalRules condition.
type Condition struct {
	Measure string // exposure.MeasureValue, MeasureYoY or MeasureAvg3
	Op      string // an exposure.Op constant
	Operand string // as written: "2", "relax"
	Number  decimal.Decimal
	IsNum   bool // Operand is a number
}

// ParseCondition parses a SignalRules condition: an operator (>=, >, <=,
// <, =, != and their ≥ ≤ ≠ forms) followed by a number or a word, a bare
// value (meaning =, since Excel takes a cell typed "= relax" for a
// formula), or `any` (matched by every value). Words compare with = and
// != only. For monthly numbers the operator may follow a measure: `yoy`
// (the newest value as a percentage of the same month a year earlier,
// `yoy < 60`, a % sign allowed) or `avg3` (the mean of the newest month
// and the two before, `avg3 >= 2`); both compare numbers.
func ParseCondition(text string) (Condition, error) {
	s := strings.TrimSpace(text)
	if strings.EqualFold(s, "any") {
		return Condition{Op: exposure.OpAny}, nil
	}
	var c Condition
	if m := measureRE.FindStringSubmatch(s); m != nil {
		c.Measure, s = strings.ToLower(m[1]), m[2]
		if c.Measure == exposure.MeasureYoY {
			s = strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
		}
	}
	hint := "write an operator and a value, such as >= 2, < 0.5, = relax (or relax alone), yoy < 60, avg3 >= 2, or any"
	if c.Measure != "" {
		hint = "write " + c.Measure + ", an operator and a number, such as yoy < 60 (the newest month as a percentage of the same month a year earlier) or avg3 >= 2 (the mean of the newest three months)"
	}
	m := conditionRE.FindStringSubmatch(s)
	switch {
	case s == "" || (m != nil && m[2] == ""):
		return Condition{}, fmt.Errorf("%w %s: %s", ErrInvalidCondition, schema.Quote(text), hint)
	case strings.HasPrefix(s, "#"):
		return Condition{}, fmt.Errorf("%w %s: Excel read the cell as a formula; type relax alone, or '= relax", ErrInvalidCondition, schema.Quote(text))
	case m == nil:
		m = []string{s, "=", s}
	}
	c.Op, c.Operand = opNames[m[1]], m[2]
	if d, err := ParseAmount(c.Operand); err == nil {
		c.Number, c.IsNum = d, true
		return c, nil
	}
	switch {
	case c.Measure != "":
		return Condition{}, fmt.Errorf("%w %s: %s compares numbers, and %q is not a number; %s", ErrInvalidCondition, schema.Quote(text), c.Measure, c.Operand, hint)
	case c.Op != exposure.OpEQ && c.Op != exposure.OpNE:
		return Condition{}, fmt.Errorf("%w %s: %s compares numbers, and %q is not a number", ErrInvalidCondition, schema.Quote(text), m[1], c.Operand)
	}
	return c, nil
}

// readSignals reads the Signals sheet and the rules that weigh them: the
// input's SignalRules sheet, else the embedded defaults.
func (r *reader) readSignals() error {
	rulesSheet := r.find("SignalRules")
	signals := r.signalRows()
	if len(signals) == 0 {
		if rulesSheet != "" {
			r.ps.warnf(rulesSheet, "", "a SignalRules sheet without a Signals sheet moves nothing: the priors stand")
			r.signalRuleRows(r.book) // still check it
		}
		return nil
	}
	r.signalSet = r.book.Name() + " (its SignalRules sheet)"
	src := r.book
	if rulesSheet == "" {
		ref, err := Reference()
		if err != nil {
			return err
		}
		src, r.signalSet = ref, DefaultSignalRules
	}
	rules := r.signalRuleRows(src)
	r.checkSignals(signals, rules)
	r.signals, r.signalRules = signals, rules
	return nil
}

func (r *reader) signalRows() []exposure.Signal {
	t := r.open("Signals", false)
	if t == nil {
		return nil
	}
	defer t.close()
	var out []exposure.Signal
	asOf := r.settings.AsOf
	for t.next() {
		s := exposure.Signal{Name: t.text("signal"), Value: t.text("value"), Source: t.text("source"), Ref: t.refOf("value")}
		if s.Name == "" {
			t.bad("signal", ErrMissingValue, "signal is empty: name it, e.g. soybean_imports_us_mt, mofcom_tone or us_exemption")
			continue
		}
		if s.Value == "" {
			t.bad("value", ErrMissingValue, "value of %s is empty", s.Name)
			continue
		}
		d, ok := t.date("date")
		if !ok {
			continue
		}
		s.Date = d
		c := t.cell("value")
		if text, err := t.numberText(c); err != nil {
			// A comma of unsure meaning: an error if the value is a number
			// ("1,500"), none if it is words ("partial, by licence").
			if _, nerr := ParseAmount(strings.ReplaceAll(c.Text, ",", "")); nerr == nil {
				t.cellErr(t.col["value"], err)
			}
		} else if n, err := ParseAmount(text); err == nil && !c.Percent {
			s.Number, s.IsNum = n, true
		} else if n, err := ParsePercent(text, c.Percent); err == nil {
			s.Number, s.IsNum = n, true
		}
		if !asOf.IsZero() && d.After(asOf) {
			t.ps.warnf(t.sheet, t.refOf("date"), "%s of %s is dated after the as-of date %s: ignored", s.Name, d.Format("2006-01-02"), asOf.Format("2006-01-02"))
			continue
		}
		out = append(out, s)
	}
	r.readErr(t)
	return out
}

// date parses a date column: a date cell, an ISO date or timestamp, or a
// month such as 2026-01 or "Jan 2026" (its first day).
func (t *table) date(name string) (time.Time, bool) {
	i, ok := t.col[name]
	c := t.cellAt(i)
	text := strings.TrimSpace(c.Text)
	if !ok || text == "" {
		t.bad(name, ErrMissingValue, "%s is empty: give the date of the value, e.g. 2026-01-05", name)
		return time.Time{}, false
	}
	if c.Date && c.Kind == workbook.CellNumber {
		v := text
		if t.date1904 {
			if d, err := decimal.NewFromString(text); err == nil {
				v = d.Add(decimal.NewFromInt(1462)).String()
			}
		}
		if d, err := serialTime(v); err == nil {
			return d, true
		}
	}
	if d, err := parseTimestamp(text); err == nil {
		return d, true
	}
	if m, err := ParseMonth(text, false); err == nil && m.Relative == 0 && m.Year > 0 {
		return time.Date(m.Year, m.Month, 1, 0, 0, 0, 0, time.UTC), true
	}
	t.cellErr(i, fmt.Errorf("%w: write a date such as 2026-01-05 or a month such as 2026-01", ErrInvalidDate))
	return time.Time{}, false
}

// signalRuleRows reads the SignalRules sheet of b.
func (r *reader) signalRuleRows(b *workbook.Book) []exposure.SignalRule {
	t := r.openIn(b, "SignalRules", false)
	if t == nil {
		return nil
	}
	defer t.close()
	var out []exposure.SignalRule
	for t.next() {
		rule := exposure.SignalRule{ID: t.text("rule"), Signal: t.text("signal"), Rationale: t.text("rationale"), Source: t.text("source"), Ref: t.rowRef()}
		if rule.Signal == "" {
			t.bad("signal", ErrMissingValue, "signal is empty")
			continue
		}
		c, err := ParseCondition(t.text("condition"))
		if err != nil {
			t.cellErr(t.col["condition"], err)
			continue
		}
		rule.Measure, rule.Op, rule.Operand, rule.Number, rule.IsNum = c.Measure, c.Op, c.Operand, c.Number, c.IsNum
		st, ok := schema.Stances.Lookup(t.text("stance"))
		if !ok {
			t.bad("stance", ErrUnknownWord, "stance %q: expected %s", t.text("stance"), schema.Stances.OneOf())
			continue
		}
		rule.Stance = st
		lr, ok := t.amount("likelihood_ratio")
		if !ok || lr.Sign() <= 0 {
			if ok || t.text("likelihood_ratio") == "" {
				t.bad("likelihood_ratio", ErrOutOfRange, "likelihood ratio must be a number above 0 (above 1 supports the stance, below 1 weighs against it)")
			}
			continue
		}
		rule.LR = lr
		out = append(out, rule)
	}
	r.readErr(t)
	return out
}

// checkSignals reports signals no rule names, numbers the rules need
// that are words, and words no rule expects.
func (r *reader) checkSignals(signals []exposure.Signal, rules []exposure.SignalRule) {
	type ruleSet struct {
		numeric, anyRule bool
		words            map[string]bool
		spellings        []string
	}
	byKey := map[string]*ruleSet{}
	var names []string
	for _, ru := range rules {
		k := exposure.SignalKey(ru.Signal)
		rs := byKey[k]
		if rs == nil {
			rs = &ruleSet{words: map[string]bool{}}
			byKey[k] = rs
			names = append(names, ru.Signal)
		}
		switch {
		case ru.Op == exposure.OpAny:
			rs.anyRule = true
		case ru.IsNum || ru.Measure != exposure.MeasureValue:
			rs.numeric = true
		default:
			if !rs.words[exposure.SignalKey(ru.Operand)] {
				rs.spellings = append(rs.spellings, ru.Operand)
			}
			rs.words[exposure.SignalKey(ru.Operand)] = true
		}
	}
	sort.Strings(names)
	sheet := r.find("Signals")
	for _, s := range signals {
		rs := byKey[exposure.SignalKey(s.Name)]
		switch {
		case rs == nil:
			r.ps.warnf(sheet, s.Ref, "no SignalRules row names signal %q: it moves nothing (signals with rules: %s)", s.Name, strings.Join(names, ", "))
		case rs.numeric && !s.IsNum:
			r.ps.errorIs(ErrInvalidNumber, sheet, s.Ref, "%s %q: the rules of %s compare numbers; write a number", s.Name, s.Value, s.Name)
		case len(rs.words) > 0 && !rs.numeric && !rs.anyRule && !matchesAnyWord(s, rules) && !yesNoAnswer(s, rs.words):
			r.ps.warnf(sheet, s.Ref, "%s %q matches no rule (the rules expect %s)", s.Name, s.Value, strings.Join(rs.spellings, ", "))
		}
	}
}

// yesNoAnswer: a yes/no value of a signal whose rules test yes or no is
// an answer, not a typo, even when no rule tests it (us_232_tariff = no).
func yesNoAnswer(s exposure.Signal, words map[string]bool) bool {
	switch exposure.SignalKey(s.Value) {
	case "yes", "no", "y", "n", "true", "false":
		return words["yes"] || words["no"]
	}
	return false
}

func matchesAnyWord(s exposure.Signal, rules []exposure.SignalRule) bool {
	for _, ru := range rules {
		if exposure.SignalKey(ru.Signal) == exposure.SignalKey(s.Name) && ru.Op == exposure.OpEQ && ru.Matches(s) {
			return true
		}
	}
	return false
}
