package exposure

// Stance is the direction a scenario takes the controlling country's
// policy, and the direction a signal rule says the news points: signals
// move the probabilities of scenarios by their stance (SPEC section 6).
type Stance string

// The four stances, from easing to escalation. The zero Stance is a
// scenario that states none (no signal rule moves it).
const (
	StanceEasing     Stance = "easing"
	StanceStatusQuo  Stance = "status-quo"
	StanceTightening Stance = "tightening"
	StanceEscalation Stance = "escalation"
)

// Stances are the stances in order, from easing to escalation.
var Stances = []Stance{StanceEasing, StanceStatusQuo, StanceTightening, StanceEscalation}

// String returns the stance as Scenarios and SignalRules sheets write it.
func (s Stance) String() string { return string(s) }

// Objective is what the diversification plan minimises (SPEC section 8):
// the probability-weighted cost change, or the worst scenario's.
type Objective string

// The two objectives of the --objective setting.
const (
	ObjectiveExpected Objective = "expected"
	ObjectiveWorst    Objective = "worst"
)

// Objectives are the objectives in the order the template offers them.
var Objectives = []Objective{ObjectiveExpected, ObjectiveWorst}

// String returns the objective as the --objective flag spells it.
func (o Objective) String() string { return string(o) }
