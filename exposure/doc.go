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
// upstream); P(free) is the rest. Classes are per element: for the heavy
// rare earths (Gd, Tb, Dy, Ho, Er, Tm, Yb, Lu, Y) the separation stage is
// the source's heavy-rare-earth separation country, with the world share
// of heavy separation (StageHRESeparation), so a Japanese magnet of
// Malaysian NdPr and Chinese Dy is free for Nd and upstream for Dy.
//
// # Cost model
//
// For scenario s, projection month t, a line p and each source j with
// share x_j and unit cost c_j (report currency), B the value of the
// line's rare-earth-bearing material (re_mass_kg × the material's price
// per kg, else the content at China prices; 0 without rare earths):
//
//	price     U_j = Σ_e Σ_k m_e · P_e(k) · price_e,k · uplift_s,t(e,k) / 100
//	shortage  S_j = B · (1 − a_j) · spot_premium_s / 100,  a_j = min_e Σ_k P_e(k) · availability_s,t(e,k)/100
//	carrying  D_j = B · carrying_rate/100 · max_e Σ_k P_e(k) · delay_s,t(e,k) / 365
//	tariff    T_j = c_j · tariff_s,t(j) / 100
//	Δ_p(s,t)  = Σ_j x_j (U_j + S_j + D_j + b_p T_j)
//
// Shortage and carrying fall on the material, not the part: a spot
// premium on a 21,000 USD generator with 0.26 g of Dy is cents.
//
// price_e,k is the China-origin price for direct and upstream and the
// ex-China price (falling back to China) for free; b_p is 1 for lines that
// bear cost (leaves, or every line under RollupAll). The change of product
// P in month t is V_P/12 · Σ_p Q_p,P Δ_p(s,t), with Q_p,P the exploded
// quantity. Annual deltas sum months 1..12, horizon deltas 1..H.
//
// For an element, class, line and month the most specific Controls row
// applies as a whole (more hs_prefix digits of the line's HS code first,
// a row with a prefix reaching only lines whose code starts with it; then
// fewer elements, `*` counting as 17; then a named class); for a part and
// month the most specific Tariffs row (a named origin, then more HS
// digits, then a named material). Equally specific rows are an error
// (ErrAmbiguousRule). Tariffs fall by the source's origin country (where
// the part ships from), classes by its component country. Tariff rows are
// changes against today's duties and apply to the products built in their
// import country; a part made in that country pays none. A part whose
// origin is unknown is costed as made in C with the weight of an unknown
// component stage being in C, and as made elsewhere (only `*` origin rows)
// with the rest.
//
// Output at risk: for product P, r_P(s,t) = 1 − min over its lines with
// rare-earth content of Σ_j x_j a_j(s,t); units_at_risk = V_P/12 ·
// Σ_{t≤12} r_P(s,t), the units that could not be built in the first year
// if the shortfall could not be bought at any price.
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
// rows, weighted by their monthly material value Σ V/12 · Q · x · B (the
// tariff coefficients by the monthly cost Σ V/12 · Q · x · b · c); availability
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
// scenario and that has two or more candidates: today's sources, then the
// Alternatives for its part number (the whole part, its own origin), else
// those for its material, else the default centres for its material. A
// material candidate keeps each of today's sources (supplier, unit cost,
// origin and tariff) and has its material made by the row's centre, at
// c_j + B · premium or c_j − B + re_mass_kg · price a kg, its capacity in
// kg of material shared by every line it serves. With q the line's annual
// quantity, C_j = q·c_j and A_j,s the line's annual delta had all of it
// come from j, a linear program (lp.go) chooses x: Σ x_j = 1, capacities,
// and at every stage (heavy separation too, for lines with heavy rare
// earths) the share of each capped country (--cap-countries: by default
// the scenarios' controlling countries) at most the cap plus an excess
// e ≥ 0, the excess never taking a share above today's (no regression).
// Phase 1 minimises the total excess, so the cap gives way only where it
// cannot be met; phase 2 keeps that total and minimises the objective,
// expected Σ_j x_j (C_j + Σ_s w_s A_j,s) or worst max_s Σ_j x_j (C_j +
// A_j,s). Lines sharing a capacity are one program. The shares are rounded
// to 4 decimals summing to exactly 1 within every limit and capacity, and
// every money figure is computed from them in decimals. New sources
// deliver from month qualification_months + 1: the horizon saving counts
// the probability-weighted saving from the plan's last new source on,
// less the qualification costs, and the payback month is when it first
// covers them. A plan that costs more in expectation than today's mix is
// required by the cap; the sum of those costs is the cost of the cap.
//
// # Figures for the report
//
// Compute ends with Weigh (weighted.go), which computes once what a report
// prints beside each scenario's own figures: the probability-weighted
// horizon delta, split and monthly change (Σ_s w_s · x_s), the expected
// annual delta as a share of the baseline annual cost (to 6 places), each
// product's outlook (expected unit and annual delta, worst annual delta,
// most units at risk), each element's price part per scenario, and the
// totals (baseline annual cost, the worst scenario, the sums over the
// elements). Recommend ends with Tally (planfigures.go): how many changed
// lines pay back within the horizon and when the first and last plans
// take effect.
//
// # Files
//
// The domain: types.go (BOM, lines, sources, settings, scenarios),
// enums.go (stance, objective), elements.go (the 17 rare earths, light
// and heavy), result.go (what Compute returns), limits.go (the bounds on
// settings and the context checks). The cost model (SPEC sections 3 and
// 5): compute.go (Compute, exploded quantities), classes.go (exposure
// classes and B), controls.go and tariffs.go (the most specific Controls
// and Tariffs rows, a profile's factors), profiles.go (lines grouped by
// what the scenarios can tell apart), aggregate.go (deltas, splits, by
// element), risk.go (units at risk), parts.go, partrows.go and
// partstwoway.go (the part rows, per line). Probabilities and uncertainty (sections 6 and 7):
// signals.go (posteriors), montecarlo.go with sampler_build.go and
// sampler_draw.go (P10/P50/P90), sensitivity.go (the tornado),
// weighted.go (the probability-weighted figures). The plan (section 8):
// recommend.go (Recommend) with recommend_prepare.go (which lines),
// recommend_candidates.go, recommend_group.go (lines sharing a
// capacity), recommend_solve.go, recommend_round.go, recommend_lines.go,
// recommend_timing.go (qualification and payback), recommend128.go (its
// exact sums), planfigures.go (the tally); the linear programs in lp.go,
// lp_solve.go and simplex.go. Exact 128-bit sums: rexpo/internal/dec128.
// workers.go (eachOnCPUs) runs a few large independent pieces side by
// side: the scenarios' results and draws, the profiles' factors (a
// scenario each) and sums (a run of lines each).
//
// # Rounding
//
// Every figure is a decimal. Nothing is rounded except the two divisions
// that do not terminate (by 12 months and by 36,500 for the carrying
// rate), which are rounded to 18 decimal places; reports round money to
// 2 places only for display.
package exposure
