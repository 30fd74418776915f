// Package exposure is rexpo's domain: a bill of materials, the scenarios
// of export controls and tariffs, and the cost model that turns one into
// the other. It does no I/O; the inputs package builds its values from
// files and the reports package writes its results.
//
// # Classes
//
// For a controlling country C, a source of a part is direct when its
// component stage is in C, upstream when only its mine, separation or
// metal stage is, and free otherwise. Unknown stages follow the
// unknown-origin policy: as C, as not C, or (world) split by C's share s_g
// of world output at stage g: P(direct) is 1, 0 or s_component for a
// component stage known in C, known elsewhere or unknown; P(any upstream
// in C) is 1 when a known upstream stage is in C, else 1 − Π(1 − s_g) over
// the unknown upstream stages; P(upstream) = (1 − P(direct)) · P(any
// upstream); P(free) is the rest.
//
// # Cost model
//
// For scenario s, projection month t, a line p and each source j with
// share x_j and unit cost c_j (report currency):
//
//	price     U_j = Σ_e Σ_k m_e · P(k) · price_e,k · uplift_s,t(e,k) / 100
//	shortage  S_j = c_j · (1 − min_e Σ_k P(k) · availability_s,t(e,k)/100) · spot_premium_s / 100
//	carrying  D_j = c_j · carrying_rate/100 · max_e Σ_k P(k) · delay_s,t(e,k) / 365
//	tariff    T_j = c_j · tariff_s,t(j) / 100
//	Δ_p(s,t)  = Σ_j x_j (U_j + b_p (S_j + D_j + T_j))
//
// price_e,k is the China-origin price for direct and upstream and the
// ex-China price (falling back to China) for free; b_p is 1 for lines that
// bear cost (leaves, or every line under RollupAll). The change of product
// P in month t is V_P/12 · Σ_p Q_p,P Δ_p(s,t), with Q_p,P the exploded
// quantity. Annual deltas sum months 1..12, horizon deltas 1..H.
//
// For an element, class and month the most specific Controls row applies
// as a whole (fewer elements first, `*` counting as 17; then a named
// class); for a part and month the most specific Tariffs row (a named
// origin, then more HS digits, then a named material). Equally specific
// rows are an error (ErrAmbiguousRule). As SPEC section 4 says, a `*`
// origin row charges every origin, the import country's own included. A
// part whose component country is unknown is costed as
// made in C with weight P(direct) and as made elsewhere (only `*` origin
// rows) with the rest.
//
// # Aggregation
//
// Sources that share stage countries, material, HS code and element set
// share a profile, whose factors per scenario and month are computed once.
// Per product, lines are summed into their profiles, so the monthly figures
// cost O(profiles × months), not O(lines × months); per-line figures for
// the Parts sheet are produced on demand by Result.Parts.
//
// # Signals
//
// With signals, each scenario's probability becomes its posterior
// w_s ∝ prior_s × Π LR over the SignalRules whose condition the newest
// value of their signal meets and whose stance is the scenario's; the
// expected annual delta is Σ_s w_s · annual_delta_s. This is a
// transparent heuristic (Posterior), not an estimate. A condition tests
// the newest value itself, or for monthly numbers its percentage of the
// reading of the same calendar month a year earlier (yoy) or the mean of
// its month and the two before (avg3), one reading a month, the latest
// of the month; a rule whose history is missing does not fire and says
// what it lacks. A signal whose newest reading is more than
// StaleAfterDays before the as-of date moves nothing; its older readings
// still serve as history.
//
// # Uncertainty
//
// A Controls, Tariffs or spot-premium figure with a range low..high is
// drawn from the triangular distribution (low, value, high), each ranged
// parameter independently and once per draw (a row's uplift is the same
// in every month it covers). A draw costs nothing per line: the BOM is
// first reduced, per scenario, to a coefficient per Controls row
// (Σ M_e · P(k) · price_e,k / 100 over the element, class and month cells
// the row governs, M_e the monthly element mass Σ V/12 · Q · x · m_e), a
// coefficient per Tariffs row, and availability/delay terms, one per group
// of profiles with the same class probabilities, elements and governing
// rows, weighted by their monthly cost Σ V/12 · Q · x · b · c; availability
// (a minimum over elements) and delay (a maximum) are recomputed from the
// drawn values per term. Draws run in float64 from a PCG stream seeded by
// the seed and the scenario id, so a seed gives the same numbers whatever
// other scenarios run. P10, P50 and P90 are nearest-rank percentiles
// (the ⌈q·n⌉-th smallest draw); the mixture's percentiles weigh every draw
// of scenario s by w_s/n (the same distribution as picking a scenario per
// draw, without that draw's noise) and its mean is Σ_s w_s · mean_s.
// Monte Carlo figures are rounded to cents.
//
// # Sensitivity
//
// The tornado moves one group of parameters at a time (a scenario's
// uplifts, availabilities, delays, tariffs or spot premium; an element's
// price; the carrying rate) from its low to its high end, everything else
// at its value, and records the expected annual delta at both ends. A
// parameter without a range moves by ±DefaultSwingPct % of its value
// (availability: of its shortfall 100 − value).
//
// # Recommendations
//
// Recommend plans every cost-bearing line whose cost moves in some
// scenario and that has two or more candidates (today's sources, then the
// Alternatives for its part number, else its material, else the default
// centres for its material). With q the line's annual quantity, C_j =
// q·c_j and A_j,s the line's annual delta had all of it come from j (its
// profile built and filled as Compute builds a source's), a linear program
// chooses x: Σ x_j = 1, 0 ≤ x_j ≤ capacity_j/q, at every stage the shares
// in one known country ≤ the cap; objective expected Σ_j x_j (C_j + Σ_s
// w_s A_j,s) or worst max_s Σ_j x_j (C_j + A_j,s). Lines sharing a capacity
// are one program. When the cap cannot be met, phase 1 minimises the
// largest share t and phase 2 the objective with every share ≤ t*. The
// program is float64 (lp.go); the shares are rounded to 4 decimals
// summing to exactly 1 within every cap and capacity, and every money
// figure is computed from them in decimals.
//
// # Rounding
//
// Every figure is a decimal. Nothing is rounded except the two divisions
// that do not terminate (by 12 months and by 36,500 for the carrying
// rate), which are rounded to 18 decimal places; reports round money to
// 2 places only for display.
package exposure
